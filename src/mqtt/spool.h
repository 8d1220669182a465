#pragma once
// The disk side of the offline buffer: an append-only log of every message publish() accepted,
// so that a crash, a SIGKILL or a stop with the broker away loses nothing that reached the
// kernel (write(2); no fsync: the guarantee is about the process dying, not the machine).
//
// Layout of the directory (mqtt.buffer.dir):
//   lock                      flock()ed while a daemon owns the directory
//   acked                     16 bytes: the watermark W (u64) and W ^ k_ack_check. Every record
//                             with seq < W is delivered (or dropped by the bound) and is never
//                             replayed.
//   seg-<first seq, hex>.log  records, in seq order:
//                             u32 magic, u32 crc32(rest), u64 seq, u32 payload_len,
//                             u16 topic_len, u8 qos, u8 retain, topic, payload
// A segment is rotated at Options::segment_bytes and unlinked once all of its records are below
// the watermark. recover() reads every segment in order and stops reading a segment at its first
// truncated or corrupt record (a write cut by a crash), with a warning. New records always go
// to a fresh segment, never after a damaged tail.
//
// Threads: append() and pending_bytes() from any thread; flush() and the rest from one thread
// at a time (the publisher's worker, or the owner before/after it runs). Never calls back.
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "mqtt/publisher.h"

namespace cam2mqtt::mqtt {

struct SpoolRecord {
  std::uint64_t seq = 0;
  OutgoingMessage msg;
};

struct SpoolRecovery {
  std::vector<SpoolRecord> records; // seq >= watermark, in order
  std::uint64_t watermark = 0;
  std::size_t segments = 0;
  std::size_t damaged = 0; // segments whose tail was truncated or corrupt
};

class Spool {
public:
  struct Options {
    std::size_t segment_bytes = 4 * 1024 * 1024;
  };

  // Creates the directory when missing and locks it. Throws std::runtime_error when it cannot
  // (permissions, or another process holds the lock).
  explicit Spool(std::string dir);
  Spool(std::string dir, Options options);
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Reads what an earlier run left; call once, before the first append(). The next seq handed
  // out by the owner must be >= next_seq() afterwards.
  SpoolRecovery recover();
  std::uint64_t next_seq() const noexcept { return m_next_seq; }

  // Encodes the record into the pending batch (memory); flush() writes it.
  void append(std::uint64_t seq, const OutgoingMessage& msg);
  std::size_t pending_bytes() const;
  // Writes the pending batch to the active segment (rotating first when it is full), records
  // `watermark` when it moved, and unlinks segments wholly below it. Write errors are logged
  // (rate-limited) and counted; the batch is then lost from disk (it is still in memory).
  void flush(std::uint64_t watermark);

  const std::string& dir() const noexcept { return m_dir; }
  std::uint64_t write_errors() const noexcept { return m_write_errors; }
  std::size_t segment_count() const noexcept { return m_segments.size(); }
  std::uint64_t disk_bytes() const noexcept;

  // One record's bytes, as appended (exposed for tests).
  static void encode(std::uint64_t seq, const OutgoingMessage& msg, std::string& out);

private:
  struct Segment {
    std::string path;
    std::uint64_t first = 0;
    std::uint64_t last = 0; // highest seq written; 0 = none
    std::uint64_t bytes = 0;
  };
  void open_segment(std::uint64_t first_seq);
  void write_watermark(std::uint64_t watermark);
  void remove_acknowledged(std::uint64_t watermark);
  void read_segment(Segment& seg, std::uint64_t watermark, SpoolRecovery& out);

  std::string m_dir;
  Options m_options;
  int m_lock_fd = -1;
  int m_ack_fd = -1;
  int m_active_fd = -1;
  std::vector<Segment> m_segments; // the last one is active when m_active_fd >= 0
  std::uint64_t m_next_seq = 1;
  std::uint64_t m_written_watermark = 0;
  std::uint64_t m_write_errors = 0;
  std::int64_t m_last_error_log = 0;

  // The flusher's buffer, swapped with m_pending at each flush and cleared after the write, so
  // m_pending starts every batch with the capacity of an earlier one instead of growing from
  // nothing (that regrowth copied every image event's bytes about once more). Touched only by
  // flush(), like m_segments.
  std::string m_spare;
  mutable std::mutex m_pending_mutex; // guards the three below
  std::string m_pending;
  std::uint64_t m_pending_first = 0;
  std::uint64_t m_pending_last = 0;
};

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0) noexcept;

} // namespace cam2mqtt::mqtt
