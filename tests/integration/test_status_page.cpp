// The status page at GET / in a real browser (Debian's headless Chromium): after a plate event
// with a real JPEG the page shows the camera, the plate and a thumbnail that decodes; a camera
// name holding <script> is shown as text. A screenshot is kept under
// <build>/test-output/status_page/ for humans.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "daemon_test_support.h"
#include "support/daemon_process.h"
#include "support/mosquitto_broker.h"
#include "support/mqtt_collector.h"
#include "test_status_support.h"

using namespace std::chrono_literals;
using namespace cam2mqtt::testing;
using cam2mqtt::test::RawClient;
namespace fs = std::filesystem;

namespace {
// A real 64x32 baseline JPEG (rendered by Chromium), so the browser has something to decode.
constexpr const char* k_jpeg_base64 =
    "/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABhY3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAABUAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAAAAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9YWVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAMZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAgAEADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAAAAUG/8QAGBABAAMBAAAAAAAAAAAAAAAAABVjouH/xAAaAQABBQEAAAAAAAAAAAAAAAAAAgMEBQcG/8QAKBEAAQEECAcAAAAAAAAAAAAAAAIBBRESBBMWMVFTotIHFCFBRILC/9oADAMBAAIRAxEAPwDLAKE1cAAA0LPNCk0fuZhxH8b3+QAkGYE6Ntz0jbc9UQ3UowOotm+s/SjaTo23PSNtz1RBUowC2b6z9KNpOjbc9UQKShibireT5pr0l5xc0sYdGMvhG5jMGAAoqz//2Q==";

// Counts the pixels of a Chromium screenshot (8-bit RGB/RGBA PNG) near one colour; stdlib only.
constexpr const char* k_count_pixels = R"PY(
import struct, sys, zlib
def pixels(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and ctype in (2, 6) and interlace == 0, (depth, ctype, interlace)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, prev, out = zlib.decompress(idat), w * bpp, bytearray(w * bpp), []
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out.append(line); prev = line
    return w, h, bpp, out
w, h, bpp, rows = pixels(sys.argv[1])
r, g, b = (int(x) for x in sys.argv[2].split(","))
n = sum(1 for row in rows for x in range(w)
        if abs(row[x * bpp] - r) < 24 and abs(row[x * bpp + 1] - g) < 24 and abs(row[x * bpp + 2] - b) < 24)
print(n)
)PY";

const char* chromium() {
  return "/usr/bin/chromium";
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs headless Chromium with a fresh profile; returns stdout (the DOM for --dump-dom).
std::string run_chromium(const fs::path& work, const std::string& args, const std::string& url) {
  static int n = 0;
  const auto profile = work / ("profile" + std::to_string(++n));
  const auto out = work / ("out" + std::to_string(n) + ".txt");
  const auto err = work / ("err" + std::to_string(n) + ".txt");
  const std::string cmd = std::string("timeout 90 ") + chromium() +
                          " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
                          " --disable-background-networking --disable-component-update --disable-sync"
                          " --user-data-dir=" + profile.string() + " " + args + " '" + url + "' > " + out.string() +
                          " 2> " + err.string();
  const int rc = run_shell(cmd);
  INFO("chromium stderr: " << read_file(err));
  CHECK(rc == 0);
  return read_file(out);
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}
} // namespace

TEST_CASE("the status page shows camera, plate and a decodable thumbnail in headless Chromium") {
  MosquittoBroker::skip_if_unavailable();
  if (access(chromium(), X_OK) != 0) {
    FAIL("Debian's chromium is needed: apt install chromium");
  }
  MosquittoBroker broker;
  DaemonProcess daemon(broker.url(), "cameras:\n  list:\n    - ip: 127.0.0.1\n      id: gate\n"
                                     "      name: \"<script>document.title='pwned'</script>Gate & Yard\"\n");
  MqttCollector sub(broker.port(), "cam2mqtt/#");
  daemon.start();
  INFO(daemon.log());

  auto body = fixture("ipc_v1/lpr_single_item.xml");
  const std::string placeholder = "/9j/2wBDAAEB/9k=";
  body.replace(body.find(placeholder), placeholder.size(), k_jpeg_base64);
  auto client = RawClient::connect("127.0.0.1", daemon.http_port());
  REQUIRE(client);
  REQUIRE(post(*client, body) == 200);
  REQUIRE(sub.wait_for_topic("cam2mqtt/gate/lpr", 10s));

  const std::string url = "http://127.0.0.1:" + std::to_string(daemon.http_port()) + "/";
  const auto page = http_get(daemon.http_port(), "/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->header("content-type") == "text/html; charset=utf-8");
  CHECK(contains(page->body, std::string("data:image/jpeg;base64,") + k_jpeg_base64));

  const fs::path out_dir = test_output_dir("status_page");
  char tmpl[] = "/tmp/cam2mqtt-chromium.XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  const fs::path work(tmpl);

  // 1. The DOM as Chromium parsed it: camera, plate, and the hostile name as text, no script.
  const auto dom = run_chromium(work, "--dump-dom", url);
  std::ofstream(out_dir / "status_page.dom.html") << dom;
  {
    INFO(dom);
    CHECK(contains(dom, "KLM456"));
    CHECK(contains(dom, "<td>gate</td>"));
    CHECK(contains(dom, "<td>127.0.0.1</td>"));
    CHECK(contains(dom, "&lt;script&gt;document.title='pwned'&lt;/script&gt;Gate &amp; Yard"));
    CHECK_FALSE(contains(dom, "<script"));
    CHECK(contains(dom, "<title>cam2mqtt</title>")); // the injected script did not run
  }

  // 2. The thumbnail's data: URI, exactly as the page has it, decodes in the browser. (The
  // status page allows no script, and a file:// page may not read an http:// frame, so the
  // check runs on a page of its own.)
  const auto src_at = dom.find("src=\"data:image/jpeg;base64,");
  REQUIRE(src_at != std::string::npos);
  const auto src = dom.substr(src_at + 5, dom.find('"', src_at + 5) - (src_at + 5));
  const auto probe = work / "probe.html";
  std::ofstream(probe) << "<!DOCTYPE html><html><body><div id=\"result\">pending</div><img id=\"t\" src=\"" << src
                       << "\"><script>window.addEventListener('load', function () { var i = document.getElementById('t');"
                          " document.getElementById('result').textContent = 'decoded=' + i.complete + ':' +"
                          " i.naturalWidth + 'x' + i.naturalHeight; });</script></body></html>";
  const auto probed = run_chromium(work, "--virtual-time-budget=5000 --dump-dom", "file://" + probe.string());
  CHECK(contains(probed, "decoded=true:64x32"));

  // 3. A screenshot for humans, in which the thumbnail really is drawn: the JPEG is a red block
  // on green, and nothing else on the page is that red.
  const auto png = fs::path(out_dir) / "status_page.png";
  fs::remove(png);
  run_chromium(work, "--window-size=1200,900 --screenshot=" + png.string(), url);
  REQUIRE(fs::exists(png));
  const auto script = work / "count_pixels.py";
  std::ofstream(script) << k_count_pixels;
  const auto counted = work / "count.txt";
  REQUIRE(run_shell("/usr/bin/python3 " + script.string() + " " + png.string() + " 204,51,51 > " + counted.string()) == 0);
  const auto red = std::stoi(read_file(counted));
  INFO("screenshot: " << png.string());
  CHECK(red > 400); // the 40x20 red area of the thumbnail (800 px, minus JPEG blur at the edges)
  fs::remove_all(work);
}
