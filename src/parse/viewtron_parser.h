#pragma once
// Viewtron HTTP Post payloads (reference viewtron-http-post.md §2-§5) -> normalized model.
// A pure function: no I/O, no globals, no network, no entity expansion.
#include <string_view>

#include "model/parse_result.h"
#include "util/time_format.h"

namespace cam2mqtt::parse {

struct ParseContext {
  // When the body was received: the reference for the device-time plausibility window.
  util::SysMicros receivedAt;
};

// Classifies and decodes one POST body. Empty or whitespace-only bodies are heartbeats.
model::ParseOutcome parse_viewtron(std::string_view body, const ParseContext& ctx);

} // namespace cam2mqtt::parse
