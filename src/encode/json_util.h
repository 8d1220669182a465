#pragma once
// Internal helpers of the encode module (not part of its public API).
#include <nlohmann/json.hpp>
#include <string>

#include "model/event.h"

namespace cam2mqtt::encode::detail {

using Json = nlohmann::ordered_json;

// Integral coordinates print as integers ("1104", not "1104.0"); fractions stay fractions.
Json number(double v);
Json scale_json(model::Scale s);
Json box_json(const model::Box& b);
Json zone_json(const model::Zone& z);
// Serializes with invalid UTF-8 replaced, so the output is always valid JSON text.
std::string dump(const Json& j);

} // namespace cam2mqtt::encode::detail
