#include "encode/json_util.h"

namespace cam2mqtt::encode::detail {

std::string dump(const Json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace cam2mqtt::encode::detail
