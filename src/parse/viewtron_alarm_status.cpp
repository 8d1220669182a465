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

model::Event make_alarm(const model::Event& base, XmlElement alarm, XmlElement state) {
  model::Event ev = base;
  ev.category = model::Category::alarm;
  ev.alarmName = std::string(alarm.name());
  ev.eventType = ev.alarmName;
  ev.eventDescription = "Alarm Status";
  ev.alarmId = state.attr("id");
  ev.active = parse_active(state.text());
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
      msg.events.push_back(make_alarm(base, alarm, alarm));
      continue;
    }
    for (const auto& item : items) {
      msg.events.push_back(make_alarm(base, alarm, item));
    }
  }
  return msg;
}

} // namespace cam2mqtt::parse
