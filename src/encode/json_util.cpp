#include "encode/json_util.h"

#include <cmath>
#include <cstdint>

namespace cam2mqtt::encode::detail {

Json number(double v) {
  if (std::isfinite(v) && std::floor(v) == v && std::fabs(v) < 9.0e15) {
    return static_cast<std::int64_t>(v);
  }
  if (!std::isfinite(v)) {
    return nullptr;
  }
  return v;
}

Json scale_json(model::Scale s) {
  switch (s) {
  case model::Scale::normalized10000:
    return 10000;
  case model::Scale::normalized1:
    return 1;
  case model::Scale::pixels:
    return "px";
  }
  return 10000;
}

Json box_json(const model::Box& b) {
  Json j;
  j["x1"] = number(b.x1);
  j["y1"] = number(b.y1);
  j["x2"] = number(b.x2);
  j["y2"] = number(b.y2);
  j["scale"] = scale_json(b.scale);
  return j;
}

Json zone_json(const model::Zone& z) {
  Json j;
  j["kind"] = z.kind == model::Zone::Kind::area ? "area" : "line";
  Json pts = Json::array();
  for (const auto& p : z.points) {
    pts.push_back(Json{{"x", number(p.x)}, {"y", number(p.y)}});
  }
  j["points"] = std::move(pts);
  j["scale"] = scale_json(z.scale);
  return j;
}

std::string dump(const Json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace cam2mqtt::encode::detail
