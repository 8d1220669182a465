// What durability costs: QoS 1 publish throughput and recovery after a broker outage for
//   paho-mem    raw paho.mqtt.cpp 1.2, no persistence (the library's ceiling)
//   paho-file   raw paho, its own offline buffer + default file persistence (one file per message)
//   ours-mem    PahoPublisher, cfg.buffer.dir = "" (our bounded queue, memory only)
//   ours-spool  PahoPublisher with the disk spool (what the daemon runs)
// Usage: persistence_bench MODE PORT N SIZE throughput|recovery WORKDIR [BROKER_START_CMD]
// throughput: broker up; publish N messages of SIZE bytes as fast as publish() takes them and
//             report msg/s until the last one is acknowledged.
// recovery:   broker down; publish N; then run BROKER_START_CMD (starts the broker) and report
//             the ms from broker start to the last acknowledgement.
// One line of output: MODE test N SIZE value unit [extra].
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

#include <mqtt/async_client.h>
#include <spdlog/spdlog.h>

#include "mqtt/paho_publisher.h"

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

struct Counter : public mqtt::iaction_listener {
  std::atomic<long> done{0};
  void on_success(const mqtt::token&) override { ++done; }
  void on_failure(const mqtt::token&) override { ++done; }
};

int run_paho(bool file, int port, long n, std::size_t size, bool recovery, const std::string& work,
             const std::string& start_cmd) {
  mqtt::create_options co(MQTTVERSION_3_1_1);
  co.set_send_while_disconnected(true, true);
  co.set_max_buffered_messages(static_cast<int>(n + 10));
  co.set_restore_messages(true);
  const std::string uri = "tcp://127.0.0.1:" + std::to_string(port);
  const std::string id = std::string("bench-") + (file ? "file" : "mem");
  auto cli = file ? std::make_unique<mqtt::async_client>(uri, id, co, work + "/paho")
                  : std::make_unique<mqtt::async_client>(uri, id, co, nullptr);
  auto opts = mqtt::connect_options_builder().clean_session(false).finalize();
  Counter counter;
  const std::string payload(size, 'x');
  auto publish_all = [&] {
    for (long i = 0; i < n; ++i) {
      while (true) {
        try {
          cli->publish(mqtt::make_message("bench/x", payload, 1, false), nullptr, counter);
          break;
        } catch (const mqtt::exception&) {
          std::this_thread::sleep_for(100us);
        }
      }
    }
  };
  auto wait_done = [&] {
    while (counter.done < n) {
      std::this_thread::sleep_for(1ms);
    }
  };
  if (!recovery) {
    cli->connect(opts)->wait();
    const auto t0 = Clock::now();
    publish_all();
    wait_done();
    const double ms = ms_since(t0);
    std::printf("%s throughput %ld %zu %.0f msg/s\n", file ? "paho-file" : "paho-mem", n, size, n / (ms / 1000));
  } else {
    try {
      cli->connect(opts)->wait_for(2s);
    } catch (const mqtt::exception&) {
    }
    publish_all();
    const auto t0 = Clock::now();
    if (std::system(start_cmd.c_str()) != 0) {
      return 2;
    }
    while (!cli->is_connected()) { // Paho does not retry a failed first connect: poll as we do
      try {
        cli->connect(opts)->wait_for(1s);
      } catch (const mqtt::exception&) {
        std::this_thread::sleep_for(100ms);
      }
    }
    const double connect_ms = ms_since(t0);
    wait_done();
    std::printf("%s recovery %ld %zu %.0f ms (connected after %.0f ms)\n", file ? "paho-file" : "paho-mem", n,
                size, ms_since(t0), connect_ms);
  }
  cli->disconnect()->wait();
  return 0;
}

int run_ours(bool spool, int port, long n, std::size_t size, bool recovery, const std::string& work,
             const std::string& start_cmd) {
  cam2mqtt::config::MqttConfig cfg;
  cfg.url = "tcp://127.0.0.1:" + std::to_string(port);
  cfg.client_id = std::string("bench-ours-") + (spool ? "spool" : "mem");
  cfg.buffer.max_messages = static_cast<std::size_t>(n) + 10;
  cfg.buffer.max_bytes = static_cast<std::size_t>(n) * (size + 64) + (1 << 20);
  cfg.buffer.dir = spool ? work + "/spool" : "";
  std::atomic<bool> up{false};
  cam2mqtt::mqtt::PahoPublisher pub(cfg, [&](cam2mqtt::mqtt::MqttEvent ev) {
    if (ev.kind == cam2mqtt::mqtt::MqttEvent::Kind::connected) {
      up = true;
    }
  });
  const auto& stats = pub.stats();
  const std::string payload(size, 'x');
  auto publish_all = [&] {
    for (long i = 0; i < n; ++i) {
      pub.publish({"bench/x", payload, 1, false});
    }
  };
  // delivered also counts the retained bridge "online": wait for n + 1.
  auto wait_done = [&] {
    while (stats.delivered < static_cast<std::uint64_t>(n) + 1) {
      std::this_thread::sleep_for(1ms);
    }
  };
  const char* name = spool ? "ours-spool" : "ours-mem";
  pub.start();
  if (!recovery) {
    while (!up) {
      std::this_thread::sleep_for(1ms);
    }
    const auto t0 = Clock::now();
    publish_all();
    const double publish_ms = ms_since(t0);
    wait_done();
    const double ms = ms_since(t0);
    std::printf("%s throughput %ld %zu %.0f msg/s (publish() calls %.0f/s)\n", name, n, size, n / (ms / 1000),
                n / (publish_ms / 1000));
  } else {
    publish_all();
    std::this_thread::sleep_for(300ms); // the spool flush, as in a real outage
    const auto t0 = Clock::now();
    if (std::system(start_cmd.c_str()) != 0) {
      return 2;
    }
    while (!up) {
      std::this_thread::sleep_for(1ms);
    }
    const double connect_ms = ms_since(t0);
    wait_done();
    std::printf("%s recovery %ld %zu %.0f ms (connected after %.0f ms)\n", name, n, size, ms_since(t0),
                connect_ms);
  }
  pub.stop(5s);
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 7) {
    std::fprintf(stderr, "usage: %s paho-mem|paho-file|ours-mem|ours-spool PORT N SIZE throughput|recovery WORKDIR [START_CMD]\n",
                 argv[0]);
    return 2;
  }
  spdlog::set_level(spdlog::level::err); // connect-failed warnings are expected in recovery runs
  const std::string mode = argv[1];
  const int port = std::atoi(argv[2]);
  const long n = std::atol(argv[3]);
  const auto size = static_cast<std::size_t>(std::atol(argv[4]));
  const bool recovery = std::strcmp(argv[5], "recovery") == 0;
  const std::string work = argv[6];
  const std::string start_cmd = argc > 7 ? argv[7] : "";
  if (mode == "paho-mem" || mode == "paho-file") {
    return run_paho(mode == "paho-file", port, n, size, recovery, work, start_cmd);
  }
  return run_ours(mode == "ours-spool", port, n, size, recovery, work, start_cmd);
}
