#include <catch2/catch.hpp>

#include "encode/topics.h"

using namespace cam2mqtt;

TEST_CASE("topic names follow PRODUCT.md") {
  CHECK(encode::bridge_state_topic("cam2mqtt") == "cam2mqtt/bridge/state");
  CHECK(encode::camera_topic("cam2mqtt", "driveway", "availability") == "cam2mqtt/driveway/availability");
  CHECK(encode::category_topic("p", "192.168.1.108-ch2", model::Category::lpr) == "p/192.168.1.108-ch2/lpr");
  CHECK(encode::image_topic("p", "c", model::Category::face, "target") == "p/c/face/image/target");
}
