#pragma once
// Big base64 images kept out of libxml2's way.
//
// libxml2 2.9 scans element text at about five instructions a byte and copies it into its
// tree: for an NVR post with a ~200 KB overview and a crop that was the largest single cost of
// the event (bench/README.md). Before parsing, prepare_body() replaces each long run of base64
// text inside the root element by a processing instruction, <?cam2mqtt-blob N?>, and keeps a
// view of the run; XmlElement::raw_text() puts the run back where the instruction stands, so
// callers read exactly the text libxml2 would have given them.
//
// A run is cut only when that is invisible: element content (or a whole CDATA section) of at
// least k_blob_min bytes made only of the base64 alphabet, '=', ' ', '\t' and '\n' (no '\r',
// which libxml2 would normalise, no '&' or '<'), in a body whose bytes are ASCII-compatible
// (no UTF-16, UCS-4 or EBCDIC, no encoding declaration other than UTF-8, ASCII, ISO-8859 or
// windows-125x) and which has no DOCTYPE. Anything else is parsed as sent. The caller parses
// the original body again whenever the prepared one fails, so errors and their positions are
// always those of the body as sent.
//
// Also unwraps large CDATA sections without markup characters that are not base64 (libxml2 2.9
// scans CDATA one character at a time, about six times slower than plain text).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <libxml/tree.h>

namespace cam2mqtt::parse {

inline constexpr std::size_t k_blob_min = 512;
inline constexpr std::string_view k_blob_pi = "cam2mqtt-blob";

// A run cut out of a body: a view into the body as sent.
struct Blob {
  std::string_view text;
  bool compact_base64 = false; // without its leading/trailing whitespace, valid base64 (checked)
};
// The runs cut out of one body, in document order.
using BlobTable = std::vector<Blob>;

struct PreparedBody {
  std::string text; // the body with blobs replaced and large CDATA unwrapped
  BlobTable blobs;
};

// True when the first two bytes show an encoding where ' ' is the byte 0x20 (UTF-8 and the
// ASCII-compatible ones): no UTF-16, UCS-4 or EBCDIC. Shared with XmlDocument's tail padding.
bool starts_ascii_compatible(std::string_view body) noexcept;

// nullopt when there is nothing to cut or unwrap, or the body is not eligible (see above).
std::optional<PreparedBody> prepare_body(std::string_view body);

// For a child node of an element: the run a <?cam2mqtt-blob N?> instruction stands for, when
// `node` is one and its document carries a BlobTable (xmlDoc::_private, set by XmlDocument)
// holding entry N. nullopt for any other node, including such an instruction sent by a camera
// in a document without that entry.
std::optional<Blob> blob_of(const xmlNode* node) noexcept;

} // namespace cam2mqtt::parse
