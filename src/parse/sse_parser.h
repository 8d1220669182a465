#pragma once
// Server-Sent Events framing (WHATWG HTML §9.2, cvedia-rt-sse.md §2), incremental and pure:
// UTF-8 BOM dropped, lines end in CRLF, LF or CR (a CRLF split across reads counts once),
// comments ignored but counted, multi-line data joined with '\n', `event` defaults to
// "message", `id` kept (unless it holds NUL), `retry` honoured when all digits, unknown fields
// ignored, an unterminated record at EOF discarded, records over a size cap skipped.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cam2mqtt::parse {

struct SseRecord {
  std::string event; // "message" when the record named none
  std::string data;
  std::string id;    // the last id seen on this connection
};

class SseParser {
public:
  explicit SseParser(std::size_t max_record = 8 * 1024 * 1024) : m_max_record(max_record) {}

  void feed(std::string_view bytes, std::vector<SseRecord>& out);
  // End of the connection: an unterminated record is dropped; the parser is ready for a new
  // connection (ids restart per connection).
  void reset();

  std::optional<std::chrono::milliseconds> retry() const noexcept { return m_retry; }
  const std::string& last_id() const noexcept { return m_last_id; }
  std::uint64_t comments() const noexcept { return m_comments; }
  std::uint64_t oversized() const noexcept { return m_oversized; }

private:
  void line(std::string_view l, std::vector<SseRecord>& out);

  std::size_t m_max_record;
  std::string m_line;
  bool m_after_cr = false;
  bool m_start = true; // BOM check pending
  bool m_too_big = false;
  std::string m_data;
  std::string m_event;
  bool m_has_data = false;
  std::string m_last_id;
  std::optional<std::chrono::milliseconds> m_retry;
  std::uint64_t m_comments = 0;
  std::uint64_t m_oversized = 0;
};

} // namespace cam2mqtt::parse
