#include <catch2/catch.hpp>

#include "app/camera_resolver.h"

using namespace cam2mqtt;

namespace {
model::DeviceIdentity nvr(std::string ip, std::string channel, std::string name = "Office") {
  model::DeviceIdentity id;
  id.ip = std::move(ip);
  id.channelId = std::move(channel);
  id.name = std::move(name);
  return id;
}
} // namespace

TEST_CASE("key falls back from configured id to reported IP to peer") {
  config::CamerasConfig cfg;
  cfg.list.push_back({"192.168.1.108", "", "Driveway", "driveway"});
  app::CameraResolver r(cfg);

  model::DeviceIdentity ipc; // IPC smart posts report no IP
  auto c = r.resolve(ipc, "192.168.1.108");
  CHECK(c.key == "driveway");
  CHECK(c.name == "Driveway");
  CHECK(c.ip == "192.168.1.108");

  c = r.resolve(ipc, "10.0.0.9");
  CHECK(c.key == "10.0.0.9");
  CHECK(c.name.empty());

  c = r.resolve(nvr("192.168.1.50", "2"), "192.168.1.50");
  CHECK(c.key == "192.168.1.50-ch2");
  CHECK(c.name == "Office");
}

TEST_CASE("channel entries match exactly; channel-less entries get the suffix") {
  config::CamerasConfig cfg;
  cfg.list.push_back({"192.168.1.50", "3", "Gate", "gate"});
  cfg.list.push_back({"192.168.1.50", "", "", "nvr"});
  app::CameraResolver r(cfg);
  CHECK(r.resolve(nvr("192.168.1.50", "3"), "192.168.1.50").key == "gate");
  CHECK(r.resolve(nvr("192.168.1.50", "3"), "192.168.1.50").name == "Gate");
  CHECK(r.resolve(nvr("192.168.1.50", "1"), "192.168.1.50").key == "nvr-ch1");
  CHECK(r.resolve(nvr("192.168.1.50", "1"), "192.168.1.50").name == "Office");
}

TEST_CASE("a channel entry without an id keeps the channel suffix") {
  config::CamerasConfig cfg;
  cfg.list.push_back({"192.168.1.50", "3", "Gate", ""});
  cfg.list.push_back({"192.168.1.50", "4", "Yard", ""});
  app::CameraResolver r(cfg);
  CHECK(r.resolve(nvr("192.168.1.50", "3"), "192.168.1.50").key == "192.168.1.50-ch3");
  CHECK(r.resolve(nvr("192.168.1.50", "4"), "192.168.1.50").key == "192.168.1.50-ch4");
  CHECK(r.resolve(nvr("192.168.1.50", "4"), "192.168.1.50").name == "Yard");
}

TEST_CASE("device text can never inject topic levels or wildcards") {
  config::CamerasConfig cfg;
  app::CameraResolver r(cfg);
  CHECK(r.resolve(nvr("1.2.3.4/#", "1/+"), "peer").key == "1.2.3.4__-ch1__");
  CHECK(app::topic_level("") == "unknown");
  CHECK(app::topic_level(std::string("a\0b", 3)) == "a_b");
}
