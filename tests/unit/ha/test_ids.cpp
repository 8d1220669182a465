#include <catch2/catch.hpp>

#include "ha/ids.h"

using namespace cam2mqtt;

TEST_CASE("ids keep only characters Home Assistant accepts in discovery topics") {
  CHECK(ha::sanitize_id("192.168.0.60-ch2") == "192_168_0_60-ch2");
  CHECK(ha::sanitize_id("a:b c/d+e#f") == "a_b_c_d_e_f");
  CHECK(ha::sanitize_id("\xC3\xA9t\xC3\xA9") == "__t__");
  CHECK(ha::sanitize_id("") == "unknown");
  CHECK(ha::node_id("driveway") == "cam2mqtt_driveway");
  CHECK(ha::unique_id("192.168.1.10", "plate") == "cam2mqtt_192_168_1_10_plate");
}

TEST_CASE("camelCase alarm names become entity keys and names") {
  CHECK(ha::snake_case("perimeterAlarm") == "perimeter_alarm");
  CHECK(ha::snake_case("vfdAlarm") == "vfd_alarm");
  CHECK(ha::sentence_case("perimeterAlarm") == "Perimeter alarm");
  CHECK(ha::sentence_case("person") == "Person");
}

TEST_CASE("devices are identified by MAC, else serial, NVR channels by the NVR's plus the channel") {
  model::DeviceRecord rec;
  rec.cameraKey = "192.168.1.10";
  CHECK(ha::hardware_device_id(rec).empty());
  rec.identity.serial = "NF40D099BCM0";
  CHECK(ha::hardware_device_id(rec) == "cam2mqtt_vt_sn_NF40D099BCM0");
  rec.identity.mac = "58:5b:69:5a:84:bb";
  CHECK(ha::hardware_device_id(rec) == "cam2mqtt_vt_585b695a84bb");
  CHECK(!ha::is_nvr_channel(rec));

  model::DeviceRecord ch;
  ch.cameraKey = "192.168.0.60-ch2";
  ch.peerIp = "192.168.1.10";
  ch.identity.channelId = "2";
  ch.identity.ip = "192.168.0.60";
  CHECK(ha::is_nvr_channel(ch));
  CHECK(ha::hardware_device_id(ch).empty());
  CHECK(ha::nvr_device_id(ch) == "cam2mqtt_nvr_192_168_0_60");
  ch.identity.mac = "00:18:ae:12:34:56";
  CHECK(ha::hardware_device_id(ch) == "cam2mqtt_vt_0018ae123456_ch2");
  CHECK(ha::nvr_device_id(ch) == "cam2mqtt_vt_0018ae123456");
}
