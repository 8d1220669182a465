// CPU per parse_viewtron() and per encode_event() call on one body file, the two pure steps of
// the daemon's per-event path. Thread CPU time (CLOCK_THREAD_CPUTIME_ID), so a busy machine
// disturbs it less than wall time; best of ROUNDS rounds of N calls each.
//
// Usage: build-bench/bench/micro/parse_encode_bench FILE... [--n N] [--rounds R]
// Built with -DCAM2MQTT_BUILD_BENCH=ON (bench/run.sh does not need it).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "encode/event_json.h"
#include "parse/viewtron_parser.h"

namespace {

double thread_cpu_ns() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

std::string read_file(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path);
    std::exit(2);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

template <class F> double best_us_per_call(int rounds, int n, F&& f) {
  double best = 1e300;
  for (int r = 0; r < rounds; ++r) {
    const double t0 = thread_cpu_ns();
    for (int i = 0; i < n; ++i) {
      f();
    }
    best = std::min(best, (thread_cpu_ns() - t0) / 1000.0 / n);
  }
  return best;
}

} // namespace

int main(int argc, char** argv) {
  using namespace cam2mqtt;
  int n = 5000;
  int rounds = 5;
  std::vector<const char*> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--n" && i + 1 < argc) {
      n = std::atoi(argv[++i]);
    } else if (a == "--rounds" && i + 1 < argc) {
      rounds = std::atoi(argv[++i]);
    } else {
      files.push_back(argv[i]);
    }
  }
  if (files.empty() || n <= 0 || rounds <= 0) {
    std::fprintf(stderr, "usage: %s FILE... [--n N] [--rounds R]\n", argv[0]);
    return 2;
  }
  const parse::ParseContext ctx{util::SysMicros{std::chrono::microseconds{1732300000123456}}};
  encode::Envelope env;
  env.id = "bench-1";
  env.receivedAt = ctx.receivedAt;
  env.topicPrefix = "cam2mqtt";
  env.cameraKey = "bench_front_door";
  env.cameraName = "Bench Front Door";
  env.cameraIp = env.peerIp = "192.168.77.10";
  std::printf("%-40s %8s %12s %12s %12s\n", "file", "bytes", "parse us", "encode us", "events");
  for (const char* path : files) {
    const std::string body = read_file(path);
    const auto outcome = parse::parse_viewtron(body, ctx);
    if (!outcome) {
      std::printf("%-40s %8zu  parse error: %s\n", path, body.size(), outcome.error().message.c_str());
      continue;
    }
    const double parse_us = best_us_per_call(rounds, n, [&] {
      auto o = parse::parse_viewtron(body, ctx);
      if (!o) {
        std::abort();
      }
    });
    double encode_us = 0;
    if (!outcome->events.empty()) {
      encode_us = best_us_per_call(rounds, n, [&] {
        for (const auto& ev : outcome->events) {
          auto e = encode::encode_event(ev, env, model::ImageMode::split);
          if (e.json.empty()) {
            std::abort();
          }
        }
      });
    }
    std::printf("%-40s %8zu %12.2f %12.2f %12zu\n", path, body.size(), parse_us, encode_us, outcome->events.size());
  }
  return 0;
}
