#pragma once
// CVEDIA-RT records (cvedia-rt-sse.md §3-§6, §9) -> normalized model. Pure; the only JSON
// reader of the parse module (nlohmann, linked privately).
#include <string>
#include <string_view>
#include <vector>

#include "model/parse_result.h"
#include "parse/sse_parser.h"
#include "parse/viewtron_parser.h" // ParseContext

namespace cam2mqtt::parse {

struct CvediaRecord {
  enum class Kind {
    event,      // an analytics event: `event` is filled
    crop,       // an image for the event `ref_event_id` (or the track `ref_tracking_id`)
    track,      // a track update: `event` is a traject event
    liveness,   // statistics, status changes, attributes: not published
  } kind = Kind::liveness;
  std::string name;          // the event name (SSE `event:` or the payload's `$id`)
  model::Event event;
  bool start = false;        // event-x of a start/end pair
  bool end = false;          // event-x-end
  std::string ref_event_id;  // crop
  std::string ref_tracking_id;
  std::optional<model::Image> crop;
};

using CvediaOutcome = util::Expected<CvediaRecord, model::ParseError>;

// One record: the event name as routed (may be "" or "message": the payload's $id decides) and
// its JSON text.
CvediaOutcome decode_cvedia_record(std::string_view name, std::string_view json, const ParseContext& ctx);

// A data value that is a JSON array of {type|dataType, object|jsonObject} wrappers (polling
// responses, some SSE builds) -> (name, json) pairs; an object -> itself.
std::vector<SseRecord> unwrap_cvedia_data(std::string_view name, std::string_view data);

// A whole saved payload for `cam2mqtt parse --source cvedia`: SSE stream text, a polling
// response (JSON array) or one JSON event. Crops are joined to their events by ref_event_id as
// the target image; liveness records print as heartbeats.
std::vector<model::ParseOutcome> parse_cvedia_payload(std::string_view body, const ParseContext& ctx);

} // namespace cam2mqtt::parse
