#include "encode/topics.h"

namespace cam2mqtt::encode {

namespace {
std::string join(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto p : parts) {
    if (!out.empty()) {
      out.push_back('/');
    }
    out.append(p);
  }
  return out;
}
} // namespace

std::string bridge_state_topic(std::string_view prefix) {
  return join({prefix, "bridge", "state"});
}

std::string camera_topic(std::string_view prefix, std::string_view camera_key, std::string_view leaf) {
  return join({prefix, camera_key, leaf});
}

std::string category_topic(std::string_view prefix, std::string_view camera_key, model::Category c) {
  return join({prefix, camera_key, model::to_string(c)});
}

std::string image_topic(std::string_view prefix, std::string_view camera_key, model::Category c,
                        std::string_view which) {
  return join({prefix, camera_key, model::to_string(c), "image", which});
}

} // namespace cam2mqtt::encode
