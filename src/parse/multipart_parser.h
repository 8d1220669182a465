#pragma once
// Incremental multipart parser for Hikvision alertStream bodies and push-mode form-data
// (hikvision-isapi.md §2.3-§2.4). Pure and byte-oriented: bodies may be JPEG or non-UTF-8, and
// input may be split anywhere (inside delimiters, headers or bodies) across feed() calls.
//
// Rules: preamble up to the first "--<boundary>" line (trailing spaces allowed); "--<boundary>--"
// closes the body; a delimiter where a header is expected is a stray boundary and is skipped;
// with a sane Content-Length exactly that many bytes are read and CR/LF up to the next delimiter
// skipped (anything else: resync by scanning for the delimiter, counted); without one the body
// runs to the next "\r\n--<boundary>" (bare "\n" too). A bad part never stops the parser.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cam2mqtt::parse {

struct MultipartPart {
  std::string content_type; // as sent, "" when missing
  std::string disposition;  // Content-Disposition, "" when missing
  std::string body;
};

struct MultipartStats {
  std::uint64_t parts = 0;
  std::uint64_t stray_boundaries = 0;
  std::uint64_t resyncs = 0;   // bytes skipped where a delimiter was expected
  std::uint64_t oversized = 0; // parts dropped for exceeding max_part
};

// The boundary of a multipart Content-Type header ("multipart/mixed; boundary=boundary"):
// quotes and a leading "--" stripped; "boundary" when a multipart type names none; "" when the
// type is not multipart/*.
std::string multipart_boundary(std::string_view content_type);

class MultipartParser {
public:
  explicit MultipartParser(std::string boundary, std::size_t max_part = 8 * 1024 * 1024);

  // Appends every part completed by these bytes to `out`.
  void feed(std::string_view bytes, std::vector<MultipartPart>& out);
  // End of input: a part still open (no Content-Length, no closing delimiter) is delivered when
  // it has a body; anything else pending is dropped.
  void finish(std::vector<MultipartPart>& out);

  // True after "--<boundary>--" until the next opening delimiter.
  bool closed() const noexcept { return m_closed; }
  const MultipartStats& stats() const noexcept { return m_stats; }

private:
  enum class State { preamble, headers, body_sized, body_scan, after_sized };
  enum class Delim { none, open, close };

  Delim delimiter(std::string_view line) const;
  bool step(std::vector<MultipartPart>& out); // false when more input is needed
  bool read_line(std::string_view& line);
  void header(std::string_view line);
  void deliver(std::string body, std::vector<MultipartPart>& out);
  void compact();

  std::string m_dash_boundary; // "--" + boundary
  std::size_t m_max_part;
  std::string m_buf;
  std::size_t m_pos = 0;      // consumed up to here
  std::size_t m_scan_from = 0; // body_scan: no delimiter before this offset
  State m_state = State::preamble;
  bool m_closed = false;
  bool m_skipping = false; // preamble after a part: non-empty lines count as a resync
  MultipartPart m_part;
  std::size_t m_length = 0;
  bool m_has_length = false;
  MultipartStats m_stats;
};

} // namespace cam2mqtt::parse
