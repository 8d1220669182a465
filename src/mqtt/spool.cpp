#include "mqtt/spool.h"

#include <zlib.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <utility>

#include <spdlog/spdlog.h>

#include "util/crc32_clmul.h"

namespace cam2mqtt::mqtt {
namespace {

namespace fs = std::filesystem;

constexpr std::uint32_t k_magic = 0x51324d43;            // "CM2Q" little-endian
constexpr std::uint64_t k_ack_check = 0x6361326d71747421; // "!ttqm2ac"
constexpr std::size_t k_header = 24;
constexpr std::size_t k_max_spare_capacity = 8u * 1024 * 1024; // flush()'s kept buffer
constexpr std::uint32_t k_max_payload = 64u * 1024 * 1024;
constexpr const char* k_prefix = "seg-";
constexpr const char* k_suffix = ".log";

template <typename T> void put(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

template <typename T> T get(const char* p) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  return value;
}

std::string errno_text() { return std::strerror(errno); }

bool write_all(int fd, const char* data, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) {
        continue;
      }
      return false;
    }
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

std::string segment_name(std::uint64_t first) {
  char name[64];
  std::snprintf(name, sizeof name, "%s%016" PRIx64 "%s", k_prefix, first, k_suffix);
  return name;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

} // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) noexcept {
  // zlib's CRC-32 (same polynomial and conventions as the table loop it replaced, so spools
  // written before stay readable) is several times faster on the 100+ KB image records.
  // Whole 16-byte blocks with carry-less multiplication when the CPU has it (same value).
  const auto* p = reinterpret_cast<const Bytef*>(bytes.data());
  const std::size_t folded = util::crc32_clmul(crc, p, bytes.size());
  p += folded;
  std::size_t left = bytes.size() - folded;
  while (left > 0) {
    const auto n = static_cast<uInt>(std::min<std::size_t>(left, 1u << 30));
    crc = static_cast<std::uint32_t>(::crc32(crc, p, n));
    p += n;
    left -= n;
  }
  return crc;
}

Spool::Spool(std::string dir) : Spool(std::move(dir), Options{}) {}

Spool::Spool(std::string dir, Options options) : m_dir(std::move(dir)), m_options(options) {
  std::error_code ec;
  fs::create_directories(m_dir, ec);
  if (ec) {
    throw std::runtime_error("spool: cannot create dir=" + m_dir + ": " + ec.message());
  }
  const std::string lock_path = m_dir + "/lock";
  m_lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (m_lock_fd < 0) {
    throw std::runtime_error("spool: cannot open " + lock_path + ": " + errno_text());
  }
  if (::flock(m_lock_fd, LOCK_EX | LOCK_NB) != 0) {
    const auto why = errno == EWOULDBLOCK ? std::string("in use by another process") : errno_text();
    ::close(m_lock_fd);
    throw std::runtime_error("spool: cannot lock dir=" + m_dir + ": " + why);
  }
  const std::string ack_path = m_dir + "/acked";
  m_ack_fd = ::open(ack_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (m_ack_fd < 0) {
    const auto why = errno_text();
    ::close(m_lock_fd);
    throw std::runtime_error("spool: cannot open " + ack_path + ": " + why);
  }
}

Spool::~Spool() {
  for (int fd : {m_active_fd, m_ack_fd, m_lock_fd}) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
}

void Spool::encode(std::uint64_t seq, const OutgoingMessage& msg, std::string& out) {
  const auto topic_len = static_cast<std::uint16_t>(std::min<std::size_t>(msg.topic.size(), 0xFFFF));
  const auto payload_len = static_cast<std::uint32_t>(msg.payload.size());
  const std::size_t start = out.size();
  put<std::uint32_t>(out, k_magic);
  put<std::uint32_t>(out, 0); // crc, filled below
  put<std::uint64_t>(out, seq);
  put<std::uint32_t>(out, payload_len);
  put<std::uint16_t>(out, topic_len);
  put<std::uint8_t>(out, static_cast<std::uint8_t>(msg.qos));
  put<std::uint8_t>(out, msg.retain ? 1 : 0);
  out.append(msg.topic, 0, topic_len);
  out.append(msg.payload);
  const std::uint32_t crc = crc32(std::string_view(out).substr(start + 8));
  std::memcpy(out.data() + start + 4, &crc, sizeof crc);
}

void Spool::read_segment(Segment& seg, std::uint64_t watermark, SpoolRecovery& out) {
  std::string data;
  {
    std::error_code ec;
    const auto size = fs::file_size(seg.path, ec);
    std::ifstream in(seg.path, std::ios::binary);
    if (!ec && in) {
      data.resize(static_cast<std::size_t>(size));
      in.read(data.data(), static_cast<std::streamsize>(data.size()));
      data.resize(static_cast<std::size_t>(in.gcount()));
    }
  }
  seg.bytes = data.size();
  std::size_t pos = 0;
  std::uint64_t last_seq = out.records.empty() ? 0 : out.records.back().seq;
  while (pos < data.size()) {
    const char* p = data.data() + pos;
    const std::size_t left = data.size() - pos;
    const char* problem = nullptr;
    std::uint32_t payload_len = 0;
    std::uint16_t topic_len = 0;
    if (left < k_header) {
      problem = "truncated header";
    } else if (get<std::uint32_t>(p) != k_magic) {
      problem = "bad magic";
    } else {
      payload_len = get<std::uint32_t>(p + 16);
      topic_len = get<std::uint16_t>(p + 20);
      if (payload_len > k_max_payload) {
        problem = "bad length";
      } else if (left < k_header + topic_len + payload_len) {
        problem = "truncated record";
      } else if (crc32(std::string_view(p + 8, k_header - 8 + topic_len + payload_len)) !=
                 get<std::uint32_t>(p + 4)) {
        problem = "bad checksum";
      }
    }
    if (problem != nullptr) {
      ++out.damaged;
      SPDLOG_WARN("spool: ignoring the rest of a segment file={} offset={} bytes_ignored={} reason={}",
                  seg.path, pos, left, problem);
      break;
    }
    const auto seq = get<std::uint64_t>(p + 8);
    seg.last = std::max(seg.last, seq);
    if (seq >= watermark && seq > last_seq) {
      SpoolRecord rec;
      rec.seq = seq;
      rec.msg.qos = get<std::uint8_t>(p + 22);
      rec.msg.retain = get<std::uint8_t>(p + 23) != 0;
      rec.msg.topic.assign(p + k_header, topic_len);
      rec.msg.payload.assign(p + k_header + topic_len, payload_len);
      out.records.push_back(std::move(rec));
      last_seq = seq;
    }
    m_next_seq = std::max(m_next_seq, seq + 1);
    pos += k_header + topic_len + payload_len;
  }
}

SpoolRecovery Spool::recover() {
  SpoolRecovery out;
  std::array<std::uint64_t, 2> ack{};
  if (::pread(m_ack_fd, ack.data(), sizeof ack, 0) == static_cast<ssize_t>(sizeof ack) &&
      (ack[0] ^ k_ack_check) == ack[1]) {
    out.watermark = ack[0];
  }
  m_written_watermark = out.watermark;
  m_next_seq = std::max<std::uint64_t>(out.watermark, 1);

  std::vector<Segment> found;
  for (const auto& entry : fs::directory_iterator(m_dir)) {
    const auto name = entry.path().filename().string();
    if (name.rfind(k_prefix, 0) != 0 || name.size() < 8 ||
        name.compare(name.size() - 4, 4, k_suffix) != 0) {
      continue;
    }
    Segment seg;
    seg.path = entry.path().string();
    seg.first = std::strtoull(name.c_str() + 4, nullptr, 16);
    found.push_back(std::move(seg));
  }
  std::sort(found.begin(), found.end(), [](const Segment& a, const Segment& b) { return a.first < b.first; });
  for (auto& seg : found) {
    read_segment(seg, out.watermark, out);
  }
  out.segments = found.size();
  m_segments = std::move(found);
  remove_acknowledged(out.watermark);
  return out;
}

void Spool::append(std::uint64_t seq, const OutgoingMessage& msg) {
  std::lock_guard lock(m_pending_mutex);
  if (m_pending.empty()) {
    m_pending_first = seq;
  }
  m_pending_last = seq;
  encode(seq, msg, m_pending);
}

std::size_t Spool::pending_bytes() const {
  std::lock_guard lock(m_pending_mutex);
  return m_pending.size();
}

std::uint64_t Spool::disk_bytes() const noexcept {
  std::uint64_t n = 0;
  for (const auto& seg : m_segments) {
    n += seg.bytes;
  }
  return n;
}

void Spool::open_segment(std::uint64_t first_seq) {
  if (m_active_fd >= 0) {
    ::close(m_active_fd);
    m_active_fd = -1;
  }
  Segment seg;
  seg.first = first_seq;
  seg.path = m_dir + "/" + segment_name(first_seq);
  // O_TRUNC: a leftover file of that name can only hold records we already read (or garbage).
  m_active_fd = ::open(seg.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
  if (m_active_fd < 0) {
    throw std::runtime_error("cannot open " + seg.path + ": " + errno_text());
  }
  m_segments.erase(std::remove_if(m_segments.begin(), m_segments.end(),
                                  [&](const Segment& s) { return s.path == seg.path; }),
                   m_segments.end());
  m_segments.push_back(std::move(seg));
}

void Spool::flush(std::uint64_t watermark) {
  std::string& batch = m_spare;
  batch.clear();
  if (batch.capacity() > k_max_spare_capacity) {
    std::string().swap(batch); // do not keep a burst's memory for good
  }
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  {
    std::lock_guard lock(m_pending_mutex);
    batch.swap(m_pending);
    first = m_pending_first;
    last = m_pending_last;
  }
  if (!batch.empty()) {
    try {
      if (m_active_fd < 0 || m_segments.back().bytes >= m_options.segment_bytes) {
        open_segment(first);
      }
      auto& seg = m_segments.back();
      if (!write_all(m_active_fd, batch.data(), batch.size())) {
        throw std::runtime_error("write " + seg.path + ": " + errno_text());
      }
      seg.bytes += batch.size();
      seg.last = last;
      m_next_seq = std::max(m_next_seq, last + 1);
    } catch (const std::exception& e) {
      ++m_write_errors;
      const auto now = now_ms();
      if (m_last_error_log == 0 || now - m_last_error_log >= 5000) {
        m_last_error_log = now;
        SPDLOG_ERROR("spool: cannot write the offline buffer dir={} error={} write_errors={}", m_dir,
                     e.what(), m_write_errors);
      }
      if (m_active_fd >= 0) {
        ::close(m_active_fd); // a possibly partial record: start a fresh segment next time
        m_active_fd = -1;
      }
    }
  }
  if (watermark != m_written_watermark) {
    write_watermark(watermark);
    remove_acknowledged(watermark);
  }
}

void Spool::write_watermark(std::uint64_t watermark) {
  const std::array<std::uint64_t, 2> ack{watermark, watermark ^ k_ack_check};
  if (::pwrite(m_ack_fd, ack.data(), sizeof ack, 0) != static_cast<ssize_t>(sizeof ack)) {
    ++m_write_errors;
    SPDLOG_ERROR("spool: cannot write {}/acked error={}", m_dir, errno_text());
    return;
  }
  m_written_watermark = watermark;
}

void Spool::remove_acknowledged(std::uint64_t watermark) {
  const bool has_active = m_active_fd >= 0;
  for (std::size_t i = 0; i < m_segments.size();) {
    const bool active = has_active && i + 1 == m_segments.size();
    auto& seg = m_segments[i];
    // Every record of the segment is below the watermark (an empty one holds nothing).
    if (!active && (seg.last < watermark || seg.last == 0)) {
      if (::unlink(seg.path.c_str()) != 0 && errno != ENOENT) {
        SPDLOG_WARN("spool: cannot remove {} error={}", seg.path, errno_text());
      }
      m_segments.erase(m_segments.begin() + static_cast<std::ptrdiff_t>(i));
      continue;
    }
    ++i;
  }
}

} // namespace cam2mqtt::mqtt
