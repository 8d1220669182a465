#pragma once
// Strict base64 (RFC 4648, standard alphabet). Whitespace is skipped; any other character
// outside the alphabet, or bad padding, makes decoding fail.
#include <optional>
#include <string>
#include <string_view>

namespace cam2mqtt::util {

std::optional<std::string> base64_decode(std::string_view text);
std::string base64_encode(std::string_view bytes);
// Removes whitespace; returns nullopt when the result is not valid base64.
std::optional<std::string> base64_clean(std::string_view text);
// True when `text` is valid base64 with no whitespace at all (the common case for camera
// images): a table lookup without early exit, eight bytes per round.
bool is_compact_base64(std::string_view text) noexcept;

} // namespace cam2mqtt::util
