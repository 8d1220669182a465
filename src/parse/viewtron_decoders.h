#pragma once
// The per-message decoders the classifier (viewtron_parser.cpp) dispatches to. Internal to
// the parse module; each lives in its own viewtron_<form>.cpp.
#include <string_view>

#include "model/parse_result.h"
#include "parse/viewtron_fields.h"

namespace cam2mqtt::parse {

// §3.1: DeviceInfo document, v2 keepalive, config with only deviceInfo.
model::ParseOutcome decode_heartbeat(const Envelope& env);
// §3.2 / §3.5 alarmStatus: one alarm Event per alarm element (v1) or per item (v2).
model::ParseOutcome decode_alarm_status(const Envelope& env);
// §3.3: v1 smartType post (also a 2.x envelope without messageType).
model::ParseOutcome decode_v1_smart(const Envelope& env);
// §3.5 alarmData: layout chosen by the container present (§3.6).
model::ParseOutcome decode_v2_alarm_data(const Envelope& env);
// §3.4: traject list, every target.
model::ParseOutcome decode_traject(const Envelope& env);

// The v1 smart body (perimeter / tripwire / listInfo / vsd / sourceDataInfo) of `root` into
// `ev`, with `code` as the detection code. Shared with v2 alarmData carrying v1 containers.
void decode_v1_body(XmlElement root, std::string_view code, model::Event& ev);

// Wraps one event into a Message (kind events) with the envelope's device identity.
model::Message single_event_message(const Envelope& env, model::Event ev);

} // namespace cam2mqtt::parse
