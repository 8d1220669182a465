# CAM2MQTT_ENABLE_FUZZING=ON (clang only): every project target is compiled with libFuzzer's
# coverage instrumentation plus ASan and UBSan (-fsanitize=fuzzer-no-link,address,undefined),
# and tests/fuzz links its targets with -fsanitize=fuzzer. OFF (the default, any compiler):
# the same targets link tests/fuzz/replay_main.cpp and replay the corpus as CTests (label fuzz).
option(CAM2MQTT_ENABLE_FUZZING "Build libFuzzer targets (clang; adds ASan+UBSan)" OFF)

if(CAM2MQTT_ENABLE_FUZZING)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "CAM2MQTT_ENABLE_FUZZING needs clang (CC=clang CXX=clang++), got ${CMAKE_CXX_COMPILER_ID}")
  endif()
  if(CAM2MQTT_SANITIZE)
    message(FATAL_ERROR "CAM2MQTT_ENABLE_FUZZING already enables address;undefined; leave CAM2MQTT_SANITIZE empty")
  endif()
  target_compile_options(CAM2MQTT_settings INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -gline-tables-only)
  target_link_options(CAM2MQTT_settings INTERFACE -fsanitize=address,undefined)
endif()

# cam2mqtt_fuzzer(NAME SOURCES ... LIBS ... CORPUS dir...): a fuzz target and its replay test.
function(cam2mqtt_fuzzer name)
  cmake_parse_arguments(F "" "" "SOURCES;LIBS;CORPUS" ${ARGN})
  if(CAM2MQTT_ENABLE_FUZZING)
    add_executable(${name} ${F_SOURCES})
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    # libFuzzer runs files given on the command line once each and exits; -runs=0 makes it
    # treat directories the same way (no fuzzing).
    add_test(NAME ${name}_replay COMMAND ${name} -runs=0 ${F_CORPUS})
  else()
    add_executable(${name} ${F_SOURCES} ${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.cpp)
    add_test(NAME ${name}_replay COMMAND ${name} ${F_CORPUS})
  endif()
  target_link_libraries(${name} PRIVATE ${F_LIBS} CAM2MQTT_settings CAM2MQTT_warnings)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src)
  set_tests_properties(${name}_replay PROPERTIES LABELS fuzz TIMEOUT 300)
endfunction()
