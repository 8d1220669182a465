// libFuzzer target: one Viewtron POST body -> parse_viewtron -> encode_event (every image
// mode) / encode_heartbeat / encode_parse_error. Invariants checked on every input:
//   * no crash, no sanitizer report (ASan/UBSan under CAM2MQTT_ENABLE_FUZZING);
//   * a failed parse names one of the declared error kinds (model/parse_result.h);
//   * every JSON string produced re-parses with nlohmann (valid UTF-8, valid JSON).
// Built with clang -fsanitize=fuzzer,address,undefined when fuzzing, else linked with
// replay_main.cpp and run by CTest over fixtures/xml (tests/fuzz/CMakeLists.txt).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <string_view>

#include <libxml/parser.h>
#include <nlohmann/json.hpp>

#include "encode/device_json.h"
#include "encode/event_json.h"
#include "parse/viewtron_parser.h"

namespace {

using namespace cam2mqtt;

[[noreturn]] void fail(const char* what, std::string_view detail) {
  std::fprintf(stderr, "viewtron_fuzzer: invariant broken: %s: %.*s\n", what,
               static_cast<int>(std::min<std::size_t>(detail.size(), 400)), detail.data());
  std::abort();
}

void must_reparse(const std::string& json, const char* what) {
  const auto parsed = nlohmann::json::parse(json, nullptr, false);
  if (parsed.is_discarded()) {
    fail(what, json);
  }
}

const std::set<std::string, std::less<>>& declared_kinds() {
  static const std::set<std::string, std::less<>> kinds{
      "not_xml",        "truncated",     "too_deep",      "too_large",
      "unknown_root",   "unknown_message", "forbidden_dtd", "invalid_field"};
  return kinds;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  xmlInitParser(); // as main() does, before any parse
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  // A fixed receive time keeps runs reproducible (device-time plausibility is relative to it).
  const util::SysMicros received{std::chrono::microseconds(1'700'000'000'000'000LL)};
  const auto outcome = parse::parse_viewtron(body, parse::ParseContext{received});
  if (!outcome) {
    const auto& err = outcome.error();
    if (declared_kinds().count(err.kind) == 0) {
      fail("undeclared error kind", err.kind);
    }
    if (err.message.find('\n') != std::string::npos) {
      fail("multi-line error message", err.message);
    }
    must_reparse(encode::encode_parse_error(err, "fuzz.xml"), "parse error JSON");
    return 0;
  }
  const model::Message& msg = *outcome;
  must_reparse(encode::encode_heartbeat(msg.device), "heartbeat JSON");
  encode::Envelope env;
  env.id = "fuzz-1";
  env.receivedAt = received;
  env.topicPrefix = "cam2mqtt";
  env.cameraKey = "fuzz";
  env.cameraIp = "192.0.2.1";
  env.peerIp = "192.0.2.1";
  for (const auto& ev : msg.events) {
    for (auto mode : {model::ImageMode::split, model::ImageMode::base64, model::ImageMode::none}) {
      const auto encoded = encode::encode_event(ev, env, mode);
      must_reparse(encoded.json, "event JSON");
      if (encoded.topic.rfind("cam2mqtt/fuzz/", 0) != 0) {
        fail("event topic", encoded.topic);
      }
    }
  }
  return 0;
}
