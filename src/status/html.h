#pragma once
// HTML escaping for text that came from a camera (names, plates, keys) or anyone else.
#include <string>
#include <string_view>

namespace cam2mqtt::status {

// Escapes & < > " ' so the result is safe in element content and in quoted attribute values.
// Control characters other than tab/newline become U+FFFD, so nothing odd reaches the page.
std::string html_escape(std::string_view text);

// True when `text` is non-empty standard base64 (A-Z a-z 0-9 + / =) and nothing else, i.e.
// safe to place verbatim into a data: URI inside a quoted attribute.
bool is_plain_base64(std::string_view text) noexcept;

} // namespace cam2mqtt::status
