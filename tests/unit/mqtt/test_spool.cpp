// The disk spool: records survive a reopen, the watermark hides what was delivered, acknowledged
// segments are removed, a damaged tail is skipped with the records before it kept, and a second
// owner of the directory is refused.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "mqtt/spool.h"
#include "util/crc32_clmul.h"

namespace fs = std::filesystem;
using cam2mqtt::mqtt::OutgoingMessage;
using cam2mqtt::mqtt::Spool;

namespace {
struct TempDir {
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "cam2mqtt-spool.XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string path;
};

OutgoingMessage msg(int i, std::size_t extra = 0) {
  return OutgoingMessage{"cam/" + std::to_string(i % 3) + "/motion",
                         "{\"n\":" + std::to_string(i) + "}" + std::string(extra, ' '), 1, i % 2 == 0};
}

std::vector<std::string> segments(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().rfind("seg-", 0) == 0) {
      out.push_back(e.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}
} // namespace

TEST_CASE("spool records survive a reopen, in order, with topic, qos and retain", "[mqtt][spool]") {
  TempDir dir;
  {
    Spool spool(dir.path);
    CHECK(spool.recover().records.empty());
    CHECK(spool.next_seq() == 1);
    for (int i = 1; i <= 50; ++i) {
      spool.append(static_cast<std::uint64_t>(i), msg(i));
    }
    spool.flush(1);
  }
  Spool again(dir.path);
  const auto rec = again.recover();
  REQUIRE(rec.records.size() == 50);
  CHECK(rec.damaged == 0);
  for (int i = 1; i <= 50; ++i) {
    const auto& r = rec.records[static_cast<std::size_t>(i - 1)];
    CHECK(r.seq == static_cast<std::uint64_t>(i));
    CHECK(r.msg.topic == msg(i).topic);
    CHECK(r.msg.payload == msg(i).payload);
    CHECK(r.msg.retain == msg(i).retain);
    CHECK(r.msg.qos == 1);
  }
  CHECK(again.next_seq() == 51);
}

TEST_CASE("spool watermark hides delivered records and a later flush removes old segments", "[mqtt][spool]") {
  TempDir dir;
  {
    Spool spool(dir.path, Spool::Options{1000}); // tiny segments: one per flush of >1000 bytes
    spool.recover();
    std::uint64_t seq = 1;
    for (int batch = 0; batch < 5; ++batch) {
      for (int i = 0; i < 20; ++i, ++seq) {
        spool.append(seq, msg(static_cast<int>(seq), 40));
      }
      spool.flush(1);
    }
    CHECK(segments(dir.path).size() == 5);
    spool.flush(61); // records 1..60 delivered: the first three segments go
    CHECK(segments(dir.path).size() == 2);
  }
  Spool again(dir.path);
  const auto rec = again.recover();
  CHECK(rec.watermark == 61);
  REQUIRE(rec.records.size() == 40);
  CHECK(rec.records.front().seq == 61);
  CHECK(rec.records.back().seq == 100);
  CHECK(again.next_seq() == 101);
}

TEST_CASE("spool keeps the records before a truncated or corrupt tail", "[mqtt][spool]") {
  TempDir dir;
  {
    Spool spool(dir.path);
    spool.recover();
    for (int i = 1; i <= 10; ++i) {
      spool.append(static_cast<std::uint64_t>(i), msg(i));
    }
    spool.flush(1);
  }
  const auto seg = segments(dir.path).at(0);
  SECTION("truncated mid-record") {
    fs::resize_file(seg, fs::file_size(seg) - 5);
    Spool again(dir.path);
    const auto rec = again.recover();
    CHECK(rec.records.size() == 9);
    CHECK(rec.damaged == 1);
    // New records go to a fresh segment after the ones read.
    CHECK(again.next_seq() == 10);
  }
  SECTION("a flipped byte in the last record") {
    std::string bytes(static_cast<std::size_t>(fs::file_size(seg)), '\0');
    {
      std::ifstream in(seg, std::ios::binary);
      in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    bytes[bytes.size() - 2] ^= 0x55;
    std::ofstream(seg, std::ios::binary | std::ios::trunc) << bytes;
    Spool again(dir.path);
    const auto rec = again.recover();
    CHECK(rec.records.size() == 9);
    CHECK(rec.damaged == 1);
  }
  SECTION("garbage appended") {
    std::ofstream(seg, std::ios::binary | std::ios::app) << "garbage!garbage!garbage!garbage!";
    Spool again(dir.path);
    CHECK(again.recover().records.size() == 10);
  }
}

TEST_CASE("after recovery new records go to a new segment and both are replayed next time", "[mqtt][spool]") {
  TempDir dir;
  {
    Spool spool(dir.path);
    spool.recover();
    spool.append(1, msg(1));
    spool.append(2, msg(2));
    spool.flush(1);
  }
  {
    Spool spool(dir.path);
    CHECK(spool.recover().records.size() == 2);
    spool.append(3, msg(3));
    spool.flush(2); // record 1 delivered
  }
  Spool spool(dir.path);
  const auto rec = spool.recover();
  REQUIRE(rec.records.size() == 2);
  CHECK(rec.records[0].seq == 2);
  CHECK(rec.records[1].seq == 3);
}

TEST_CASE("a second owner of the spool directory is refused", "[mqtt][spool]") {
  TempDir dir;
  Spool first(dir.path);
  CHECK_THROWS_WITH(Spool(dir.path), Catch::Contains("in use by another process"));
}

TEST_CASE("an unusable spool directory is a startup error", "[mqtt][spool]") {
  TempDir dir;
  const auto file = dir.path + "/file";
  std::ofstream(file) << "x";
  CHECK_THROWS(Spool(file + "/sub"));
}

TEST_CASE("crc32 matches the standard check value", "[mqtt][spool]") {
  CHECK(cam2mqtt::mqtt::crc32("123456789") == 0xCBF43926u);
}

TEST_CASE("crc32 with carry-less multiplication equals zlib's at every length and offset", "[mqtt][spool]") {
  std::string data;
  std::uint32_t x = 12345;
  for (int i = 0; i < 70000; ++i) {
    x = x * 1103515245u + 12345u;
    data.push_back(static_cast<char>(x >> 23));
  }
  const auto zlib_crc = [](std::string_view s, std::uint32_t crc) {
    return static_cast<std::uint32_t>(::crc32(crc, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
  };
  for (std::size_t len = 0; len < 300; ++len) {
    for (std::size_t off : {0u, 1u, 7u, 15u}) {
      const std::string_view s(data.data() + off, len);
      INFO("len " << len << " offset " << off);
      REQUIRE(cam2mqtt::mqtt::crc32(s) == zlib_crc(s, 0));
      REQUIRE(cam2mqtt::mqtt::crc32(s, 0xDEADBEEF) == zlib_crc(s, 0xDEADBEEF)); // continuing a CRC
    }
  }
  for (std::size_t len : {4096u, 65535u, 65536u, 69999u}) {
    const std::string_view s(data.data() + 1, len);
    REQUIRE(cam2mqtt::mqtt::crc32(s) == zlib_crc(s, 0));
  }
  std::size_t clmul_bytes = 0;
  std::uint32_t crc = 0;
  clmul_bytes = cam2mqtt::util::crc32_clmul(crc, reinterpret_cast<const unsigned char*>(data.data()), 1000);
#if defined(__x86_64__)
  if (__builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1")) {
    CHECK(clmul_bytes == 992); // whole blocks: the comparisons above went through the fold
  }
#endif
  CHECK((clmul_bytes == 992 || clmul_bytes == 0));
}
