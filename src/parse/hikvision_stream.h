#pragma once
// Multipart parts of a Hikvision alertStream (or a push-mode form-data POST) -> messages, with
// image parts attached to the alert they belong to (hikvision-isapi.md §2.4-§2.5). Pure: time
// comes in as arguments.
#include <cstdint>
#include <string_view>
#include <vector>

#include "model/parse_result.h"
#include "parse/multipart_parser.h"
#include "parse/viewtron_parser.h" // ParseContext

namespace cam2mqtt::parse {

struct HikvisionStreamStats {
  std::uint64_t images_attached = 0;
  std::uint64_t images_orphaned = 0; // an image part with no alert waiting for it
  std::uint64_t unknown_parts = 0;   // neither XML nor an image (JSON alerts included)
};

class HikvisionPartDecoder {
public:
  // `attach_any_image`: push-mode form-data, where every image of the POST belongs to its alert;
  // on a stream only alerts announcing binary pictures wait for image parts.
  explicit HikvisionPartDecoder(bool attach_any_image = false) : m_attach_any(attach_any_image) {}

  // Decodes one part; finished messages (and parse errors) are appended to `out`.
  void on_part(const MultipartPart& part, const ParseContext& ctx, std::vector<model::ParseOutcome>& out);
  // Emits the alert still waiting for pictures (its wait is over, or the stream ended).
  void flush(std::vector<model::ParseOutcome>& out);
  bool waiting() const noexcept { return m_pending.has_value(); }
  const HikvisionStreamStats& stats() const noexcept { return m_stats; }

private:
  void attach(const MultipartPart& part);

  bool m_attach_any;
  std::optional<model::Message> m_pending;
  int m_pictures_left = 0;
  HikvisionStreamStats m_stats;
};

// A whole saved or POSTed payload: multipart (by Content-Type, or a body starting with a
// "--boundary" line) or one plain XML document. Returns one outcome per alert part.
std::vector<model::ParseOutcome> parse_hikvision_payload(std::string_view body, std::string_view content_type,
                                                         const ParseContext& ctx);

// True for image part types: image/jpeg, image/jpg, image/png (case-insensitive).
bool is_image_part(std::string_view content_type) noexcept;

} // namespace cam2mqtt::parse
