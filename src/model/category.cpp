#include "model/category.h"

#include <array>
#include <utility>

namespace cam2mqtt::model {

namespace {
constexpr std::array<std::pair<Category, std::string_view>, 11> k_names{{
    {Category::lpr, "lpr"},
    {Category::face, "face"},
    {Category::intrusion, "intrusion"},
    {Category::counting, "counting"},
    {Category::metadata, "metadata"},
    {Category::motion, "motion"},
    {Category::io, "io"},
    {Category::tamper, "tamper"},
    {Category::traject, "traject"},
    {Category::alarm, "alarm"},
    {Category::other, "other"},
}};
} // namespace

std::string_view to_string(Category c) noexcept {
  for (const auto& [cat, name] : k_names) {
    if (cat == c) {
      return name;
    }
  }
  return "other";
}

std::optional<Category> category_from_string(std::string_view s) noexcept {
  for (const auto& [cat, name] : k_names) {
    if (name == s) {
      return cat;
    }
  }
  return std::nullopt;
}

std::string_view to_string(Source s) noexcept {
  switch (s) {
  case Source::viewtron:
    return "viewtron";
  case Source::hikvision:
    return "hikvision";
  case Source::cvedia:
    return "cvedia";
  }
  return "viewtron";
}

} // namespace cam2mqtt::model
