#pragma once
// What a source parser returns for one received payload.
#include <string>
#include <vector>

#include "model/event.h"
#include "util/expected.h"

namespace cam2mqtt::model {

// Why a payload could not be decoded. `kind` is a stable snake_case word used in logs,
// metrics labels (cam2mqtt_parse_errors_total{kind}) and the parse CLI's error object.
struct ParseError {
  // not_xml | truncated | too_deep | too_large | unknown_root | unknown_message | forbidden_dtd |
  // invalid_field
  // (and "unreadable" from the parse command when a file cannot be read)
  std::string kind;
  std::string message; // one line, for operators; never contains the whole body
};

// A decoded payload: a heartbeat (no events, identity only) or one or more events (an alarm
// status post may report several alarms at once). Either way `device` holds what the payload
// said about its sender.
struct Message {
  enum class Kind { heartbeat, events } kind = Kind::events;
  DeviceIdentity device;
  std::vector<Event> events;
  // Non-fatal problems: the message was decoded but a part of it was dropped (kind
  // "invalid_image": an image field that is not base64). Logged and counted like errors.
  std::vector<ParseError> warnings;
};

using ParseOutcome = util::Expected<Message, ParseError>;

} // namespace cam2mqtt::model
