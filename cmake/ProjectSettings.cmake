# Interface targets every project target links PRIVATE: language level, warnings, sanitizers.
add_library(CAM2MQTT_settings INTERFACE)
target_compile_features(CAM2MQTT_settings INTERFACE cxx_std_20)
target_compile_definitions(CAM2MQTT_settings INTERFACE
  CAM2MQTT_VERSION="${PROJECT_VERSION}"
  $<$<CONFIG:Debug>:_GLIBCXX_ASSERTIONS>)
if(CAM2MQTT_SANITIZE)
  string(REPLACE ";" "," _san "${CAM2MQTT_SANITIZE}")
  target_compile_options(CAM2MQTT_settings INTERFACE -fsanitize=${_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(CAM2MQTT_settings INTERFACE -fsanitize=${_san})
endif()

add_library(CAM2MQTT_warnings INTERFACE)
target_compile_options(CAM2MQTT_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wnull-dereference -Wformat=2
  $<$<BOOL:${CAM2MQTT_WARNINGS_AS_ERRORS}>:-Werror>)
