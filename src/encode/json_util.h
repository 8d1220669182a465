#pragma once
// Internal helper of the encode module (not part of its public API): the DOM path used for the
// small, rare documents (device info, parse errors). Events use the streaming JsonWriter.
#include <nlohmann/json.hpp>
#include <string>

namespace cam2mqtt::encode::detail {

using Json = nlohmann::ordered_json;

// Serializes with invalid UTF-8 replaced, so the output is always valid JSON text.
std::string dump(const Json& j);

} // namespace cam2mqtt::encode::detail
