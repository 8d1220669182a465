// http.allow CIDR matching and HTTP Basic credential checks (http/access_control.h).
#include <catch2/catch.hpp>

#include "http/access_control.h"
#include "util/base64.h"

using namespace cam2mqtt::http;

TEST_CASE("allow list: IPv4 and IPv6 prefixes, single hosts, v4-mapped peers") {
  const AllowList allow({"192.168.1.0/24", "10.0.0.7", "fd00::/8", "2001:db8::1", "172.16.0.0/12"});
  CHECK(allow.allows("192.168.1.1"));
  CHECK(allow.allows("192.168.1.255"));
  CHECK_FALSE(allow.allows("192.168.2.1"));
  CHECK(allow.allows("10.0.0.7"));
  CHECK_FALSE(allow.allows("10.0.0.8"));
  CHECK(allow.allows("172.31.255.255"));
  CHECK_FALSE(allow.allows("172.32.0.0"));
  CHECK(allow.allows("fd12:3456::1"));
  CHECK_FALSE(allow.allows("fe80::1"));
  CHECK(allow.allows("2001:db8::1"));
  CHECK_FALSE(allow.allows("2001:db8::2"));
  // A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d: matched as IPv4.
  CHECK(allow.allows("::ffff:192.168.1.9"));
  CHECK_FALSE(allow.allows("::ffff:192.168.9.9"));
  // Garbage and empty peers are refused.
  CHECK_FALSE(allow.allows(""));
  CHECK_FALSE(allow.allows("not-an-ip"));
}

TEST_CASE("allow list: empty allows everyone, /0 allows a whole family") {
  CHECK(AllowList({}).allows("203.0.113.5"));
  CHECK(AllowList({}).allows(""));
  const AllowList v4_all({"0.0.0.0/0"});
  CHECK(v4_all.allows("203.0.113.5"));
  CHECK(v4_all.allows("::ffff:203.0.113.5"));
  CHECK_FALSE(v4_all.allows("2001:db8::5"));
  const AllowList v6_all({"::/0"});
  CHECK(v6_all.allows("2001:db8::5"));
  CHECK_FALSE(v6_all.allows("203.0.113.5"));
}

TEST_CASE("allow list: v4-mapped entries mean their IPv4 range; bad entries throw") {
  const AllowList mapped({"::ffff:192.168.0.0/112"});
  CHECK(mapped.allows("192.168.77.1"));
  CHECK_FALSE(mapped.allows("192.169.0.1"));
  CHECK_THROWS(AllowList({"192.168.1.0/33"}));
  CHECK_THROWS(AllowList({"nonsense"}));
  const auto odd = Cidr::parse("10.1.2.3/15");
  REQUIRE(odd);
  CHECK(odd->contains(*Cidr::parse("10.0.255.255")));
  CHECK(odd->contains(*Cidr::parse("10.1.0.0")));
  CHECK_FALSE(odd->contains(*Cidr::parse("10.2.0.0")));
}

TEST_CASE("constant-time compare is an ordinary equality") {
  CHECK(constant_time_equals("", ""));
  CHECK(constant_time_equals("secret", "secret"));
  CHECK_FALSE(constant_time_equals("secret", "secreT"));
  CHECK_FALSE(constant_time_equals("secret", "secret1"));
  CHECK_FALSE(constant_time_equals("secret1", "secret"));
  CHECK_FALSE(constant_time_equals("", "x"));
}

TEST_CASE("basic auth: exact credentials only") {
  const BasicAuth off("", "");
  CHECK_FALSE(off.enabled());
  CHECK(off.accepts(nullptr));

  const BasicAuth auth("camera", "p:ss wörd");
  const std::string good = "Basic " + cam2mqtt::util::base64_encode("camera:p:ss wörd");
  CHECK(auth.accepts(good.c_str()));
  CHECK(auth.accepts(("basic   " + cam2mqtt::util::base64_encode("camera:p:ss wörd")).c_str()));
  CHECK_FALSE(auth.accepts(nullptr));
  CHECK_FALSE(auth.accepts(""));
  CHECK_FALSE(auth.accepts("Basic"));
  CHECK_FALSE(auth.accepts("Basic !!!notbase64"));
  CHECK_FALSE(auth.accepts(("Bearer " + cam2mqtt::util::base64_encode("camera:p:ss wörd")).c_str()));
  CHECK_FALSE(auth.accepts(("Basic " + cam2mqtt::util::base64_encode("camera:p:ss word")).c_str()));
  CHECK_FALSE(auth.accepts(("Basic " + cam2mqtt::util::base64_encode("Camera:p:ss wörd")).c_str()));
  CHECK_FALSE(auth.accepts(("Basic " + cam2mqtt::util::base64_encode("camera")).c_str()));
  CHECK_FALSE(auth.accepts(("Basic " + cam2mqtt::util::base64_encode("camera:")).c_str()));
}
