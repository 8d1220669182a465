// Traject (tracking) posts, reference §3.4: every target of the traject list, always parsed
// (whether to publish is the caller's decision, events.traject).
#include "parse/viewtron_decoders.h"

namespace cam2mqtt::parse {

model::ParseOutcome decode_traject(const Envelope& env) {
  model::Event ev = make_event(env);
  apply_code(ev, "traject", describe_code("traject"));
  for (const auto& item : list_entries(env.root.child("traject"))) {
    model::Target t;
    t.id = item.child_text("targetId");
    set_target_type(t, item.child_text("targetType"));
    t.box = read_box(item.child("rect"), model::Scale::normalized10000);
    t.velocity = item.child_text("velocity");
    t.direction = item.child_text("direction");
    ev.targets.push_back(std::move(t));
  }
  return single_event_message(env, std::move(ev));
}

} // namespace cam2mqtt::parse
