#pragma once
// Event categories (PRODUCT.md "Topics"): the same vocabulary for every source.
#include <optional>
#include <string_view>

namespace cam2mqtt::model {

enum class Category { lpr, face, intrusion, counting, metadata, motion, io, tamper, traject, alarm, other };

std::string_view to_string(Category c) noexcept;
std::optional<Category> category_from_string(std::string_view s) noexcept;

enum class Source { viewtron, hikvision, cvedia };
std::string_view to_string(Source s) noexcept;

} // namespace cam2mqtt::model
