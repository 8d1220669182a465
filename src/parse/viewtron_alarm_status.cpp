// Alarm status posts (reference §3.2 v1 + legacy SendAlarmStatus, §3.5 v2 alarmStatus):
//   v1:  alarmStatusInfo/<alarmName id="N">true</alarmName>
//   v2:  alarmStatusInfo/<alarmName>/item id="N">true</item>
// One `alarm` Event per alarm element (v1) or item (v2), in document order.
#include "parse/viewtron_decoders.h"
#include "util/strings.h"

namespace cam2mqtt::parse {

namespace {

std::optional<bool> parse_active(std::string_view text) {
  if (util::iequals(text, "true") || text == "1") {
    return true;
  }
  if (util::iequals(text, "false") || text == "0") {
    return false;
  }
  return std::nullopt;
}

// Returns nothing when the state is neither true nor false: an alarm without a state cannot
// drive an on/off entity, so it is skipped rather than published half-filled.
std::optional<model::Event> make_alarm(const model::Event& base, XmlElement alarm, XmlElement state) {
  const auto active = parse_active(state.text());
  if (!active) {
    return std::nullopt;
  }
  model::Event ev = base;
  ev.category = model::Category::alarm;
  ev.alarmName = std::string(alarm.name());
  ev.eventType = ev.alarmName;
  ev.eventDescription = "Alarm Status";
  ev.alarmId = state.attr("id");
  ev.active = active;
  ev.relatedCategory = std::string(model::to_string(related_category(ev.alarmName)));
  return ev;
}

} // namespace

model::ParseOutcome decode_alarm_status(const Envelope& env) {
  model::Event base = make_event(env);
  if (base.timestamp.empty()) {
    read_local_time(env.root.child("dataTime"), base, env.receivedAt);
  }
  model::Message msg;
  msg.kind = model::Message::Kind::events;
  msg.device = env.device;
  for (const auto& alarm : env.root.child("alarmStatusInfo").children()) {
    const auto items = alarm.items();
    if (items.empty()) {
      if (auto ev = make_alarm(base, alarm, alarm)) {
        msg.events.push_back(std::move(*ev));
      }
      continue;
    }
    for (const auto& item : items) {
      if (auto ev = make_alarm(base, alarm, item)) {
        msg.events.push_back(std::move(*ev));
      }
    }
  }
  if (msg.events.empty()) {
    return util::unexpected(model::ParseError{"invalid_field", "alarm status without any true/false alarm state"});
  }
  return msg;
}

} // namespace cam2mqtt::parse
