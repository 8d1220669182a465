#pragma once
#include <optional>
#include <string_view>

namespace cam2mqtt::model {

// images.mode: where event images go (PRODUCT.md "Event payload").
enum class ImageMode {
  split,  // metadata in the JSON, raw JPEG bytes on .../image/source and .../image/target
  base64, // sourceImage / targetImage base64 strings inside the JSON
  none,   // dropped; hasImages still tells whether the device sent any
};

inline std::optional<ImageMode> image_mode_from_string(std::string_view s) noexcept {
  if (s == "split") {
    return ImageMode::split;
  }
  if (s == "base64") {
    return ImageMode::base64;
  }
  if (s == "none") {
    return ImageMode::none;
  }
  return std::nullopt;
}

} // namespace cam2mqtt::model
