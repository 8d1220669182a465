#include <catch2/catch.hpp>

#include "app/cli.h"

using namespace cam2mqtt::app;

TEST_CASE("command line modes") {
  CHECK(parse_command_line({}).mode == CommandLine::Mode::run);
  CHECK(parse_command_line({}).config_file == "/etc/cam2mqtt/cam2mqtt.yaml");
  auto cl = parse_command_line({"--check-config", "-c", "x.yaml"});
  CHECK(cl.mode == CommandLine::Mode::check_config);
  CHECK(cl.config_file == "x.yaml");
  cl = parse_command_line({"parse", "--images", "base64", "a.xml", "b.xml"});
  CHECK(cl.mode == CommandLine::Mode::parse);
  CHECK(cl.images == cam2mqtt::model::ImageMode::base64);
  CHECK(cl.files == std::vector<std::string>{"a.xml", "b.xml"});
  CHECK(parse_command_line({"--version"}).mode == CommandLine::Mode::version);
}

TEST_CASE("bad command lines are usage errors") {
  CHECK_THROWS_AS(parse_command_line({"-c"}), UsageError);
  CHECK_THROWS_AS(parse_command_line({"--bogus"}), UsageError);
  CHECK_THROWS_AS(parse_command_line({"parse"}), UsageError);
  CHECK_THROWS_AS(parse_command_line({"parse", "--images", "jpeg", "a.xml"}), UsageError);
}
