// Heartbeats (reference §3.1): identity only, no event.
#include "parse/viewtron_decoders.h"

namespace cam2mqtt::parse {

model::ParseOutcome decode_heartbeat(const Envelope& env) {
  model::Message msg;
  msg.kind = model::Message::Kind::heartbeat;
  msg.device = env.device;
  return msg;
}

} // namespace cam2mqtt::parse
