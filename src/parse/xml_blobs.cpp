#include "parse/xml_blobs.h"

#include <array>
#include <charconv>
#include <cstring>

#include "parse/libxml_handles.h"
#include "util/base64.h"
#include "util/strings.h" // starts_with_icase

namespace cam2mqtt::parse {

namespace {

constexpr std::string_view k_cdata_open = "<![CDATA[";
constexpr std::string_view k_cdata_close = "]]>";

// What libxml2 would keep byte for byte as element text: base64 and the whitespace it does not
// normalise.
constexpr std::array<bool, 256> k_blob_bytes = [] {
  std::array<bool, 256> t{};
  for (int c = 'A'; c <= 'Z'; ++c) {
    t[static_cast<std::size_t>(c)] = true;
  }
  for (int c = 'a'; c <= 'z'; ++c) {
    t[static_cast<std::size_t>(c)] = true;
  }
  for (int c = '0'; c <= '9'; ++c) {
    t[static_cast<std::size_t>(c)] = true;
  }
  for (char c : {'+', '/', '=', ' ', '\t', '\n'}) {
    t[static_cast<unsigned char>(c)] = true;
  }
  return t;
}();

// Whether `s` can be cut; sets `compact` when its core is valid base64.
bool is_blob_text(std::string_view s, bool& compact) noexcept {
  compact = false;
  if (s.size() < k_blob_min) {
    return false;
  }
  const auto edge = [](char c) { return c == ' ' || c == '\t' || c == '\n'; };
  std::size_t first = 0;
  std::size_t last = s.size();
  while (first < last && edge(s[first])) {
    ++first;
  }
  while (last > first && edge(s[last - 1])) {
    --last;
  }
  if (first == last) {
    return false; // blank: libxml2 may drop it (NOBLANKS), so leave it to libxml2
  }
  // The usual image: one line of base64, maybe with whitespace around it (SIMD check).
  if (util::is_compact_base64(s.substr(first, last - first))) {
    compact = true;
    return true;
  }
  bool ok = true;
  for (char c : s) {
    ok &= k_blob_bytes[static_cast<unsigned char>(c)];
  }
  return ok;
}

bool has_markup_chars(std::string_view s) noexcept {
  for (char c : {'<', '>', '&', ']'}) {
    if (std::memchr(s.data(), c, s.size()) != nullptr) { // SIMD in glibc
      return true;
    }
  }
  return false;
}

// ' ' is the byte 0x20 (UTF-8 and the ASCII-compatible encodings), told by the first two bytes,
// and no declared encoding could give ASCII bytes another meaning.
bool ascii_compatible(std::string_view body) noexcept {
  if (!starts_ascii_compatible(body)) {
    return false;
  }
  const auto decl = body.find("<?xml");
  if (decl == std::string_view::npos || decl > 8) {
    return true;
  }
  const auto decl_end = body.find("?>", decl);
  const std::string_view head = body.substr(decl, decl_end == std::string_view::npos ? 0 : decl_end - decl);
  const auto enc = head.find("encoding");
  if (enc == std::string_view::npos) {
    return true;
  }
  const auto quote = head.find_first_of("\"'", enc);
  if (quote == std::string_view::npos) {
    return false;
  }
  const std::string_view name = head.substr(quote + 1);
  for (std::string_view ok : {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-", "iso8859-", "latin1", "windows-125"}) {
    if (util::starts_with_icase(name, ok)) {
      return true;
    }
  }
  return false;
}

// One replacement in the body: [begin, end) becomes the blob instruction for `blob`, or, for an
// unwrapped CDATA section, its content [content_begin, end - 3).
struct Cut {
  std::size_t begin;
  std::size_t end;
  bool unwrap;
  std::size_t blob;
};

// Finds the runs to cut: tags are followed (quote-aware) only far enough to know the element
// depth, so that text outside the root, in comments, processing instructions or attribute
// values is never touched. nullopt when the body has a DOCTYPE or other <! markup.
std::optional<std::vector<Cut>> find_cuts(std::string_view body, BlobTable& blobs) {
  std::vector<Cut> cuts;
  std::size_t pos = 0;
  long depth = 0;
  const std::size_t n = body.size();
  while (pos < n) {
    const std::size_t lt = body.find('<', pos);
    const std::size_t text_end = lt == std::string_view::npos ? n : lt;
    bool compact = false;
    if (depth > 0 && text_end - pos >= k_blob_min && is_blob_text(body.substr(pos, text_end - pos), compact)) {
      cuts.push_back({pos, text_end, false, blobs.size()});
      blobs.push_back({body.substr(pos, text_end - pos), compact});
    }
    if (lt == std::string_view::npos) {
      break;
    }
    const std::string_view rest = body.substr(lt);
    std::size_t end = std::string_view::npos;
    if (rest.starts_with(k_cdata_open)) {
      const std::size_t start = lt + k_cdata_open.size();
      end = body.find(k_cdata_close, start);
      if (end == std::string_view::npos) {
        break;
      }
      const std::string_view content = body.substr(start, end - start);
      end += k_cdata_close.size();
      if (depth > 0 && is_blob_text(content, compact)) {
        cuts.push_back({lt, end, false, blobs.size()});
        blobs.push_back({content, compact});
      } else if (depth > 0 && content.size() >= k_blob_min && !has_markup_chars(content)) {
        cuts.push_back({lt, end, true, 0});
      }
    } else if (rest.starts_with("<!--")) {
      end = body.find("-->", lt + 4);
      end = end == std::string_view::npos ? end : end + 3;
    } else if (rest.starts_with("<?")) {
      end = body.find("?>", lt + 2);
      end = end == std::string_view::npos ? end : end + 2;
    } else if (rest.starts_with("<!")) {
      return std::nullopt; // DOCTYPE (internal subsets can hold '<' in quotes): parse as sent
    } else if (rest.starts_with("</")) {
      end = body.find('>', lt);
      end = end == std::string_view::npos ? end : end + 1;
      --depth;
    } else {
      char quote = 0;
      std::size_t p = lt + 1;
      for (; p < n; ++p) {
        const char c = body[p];
        if (quote != 0) {
          quote = c == quote ? 0 : quote;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '>' || c == '<') {
          break;
        }
      }
      if (p >= n) {
        break;
      }
      if (body[p] == '<') { // broken tag: libxml2 will say so; go on from the '<'
        pos = p;
        continue;
      }
      depth += body[p - 1] == '/' ? 0 : 1;
      end = p + 1;
    }
    if (end == std::string_view::npos) {
      break;
    }
    pos = end;
  }
  return cuts;
}

// Any stretch of k_blob_min bytes without a '<'? Saves the tag walk on small events.
bool has_long_run(std::string_view body) noexcept {
  const char* p = body.data();
  const char* const end = p + body.size();
  while (static_cast<std::size_t>(end - p) >= k_blob_min) {
    const auto* lt = static_cast<const char*>(std::memchr(p, '<', static_cast<std::size_t>(end - p)));
    const char* const run_end = lt == nullptr ? end : lt;
    if (static_cast<std::size_t>(run_end - p) >= k_blob_min) {
      return true;
    }
    if (lt == nullptr) {
      return false;
    }
    p = lt + 1;
  }
  return false;
}

} // namespace

bool starts_ascii_compatible(std::string_view body) noexcept {
  if (body.size() < 2 || body[1] == '\0') {
    return false;
  }
  const auto first = static_cast<unsigned char>(body[0]);
  return first == '<' || first == ' ' || first == '\t' || first == '\r' || first == '\n' || first == 0xEF;
}

std::optional<PreparedBody> prepare_body(std::string_view body) {
  if (body.size() < k_blob_min || !has_long_run(body) || !ascii_compatible(body)) {
    return std::nullopt;
  }
  PreparedBody out;
  const auto cuts = find_cuts(body, out.blobs);
  if (!cuts || cuts->empty()) {
    return std::nullopt;
  }
  std::size_t size = body.size();
  for (const Cut& c : *cuts) {
    size -= c.end - c.begin;
    size += c.unwrap ? c.end - c.begin - k_cdata_open.size() - k_cdata_close.size() : k_blob_pi.size() + 26;
  }
  out.text.reserve(size);
  std::size_t copied = 0;
  for (const Cut& c : *cuts) {
    out.text.append(body.substr(copied, c.begin - copied));
    if (c.unwrap) {
      out.text.append(body.substr(c.begin + k_cdata_open.size(), c.end - c.begin - k_cdata_open.size() - k_cdata_close.size()));
    } else {
      out.text.append("<?").append(k_blob_pi).append(" ").append(std::to_string(c.blob)).append("?>");
    }
    copied = c.end;
  }
  out.text.append(body.substr(copied));
  return out;
}

std::optional<Blob> blob_of(const xmlNode* node) noexcept {
  if (node == nullptr || node->type != XML_PI_NODE || node->doc == nullptr || node->doc->_private == nullptr ||
      node->name == nullptr || node->content == nullptr || std::string_view(as_chars(node->name)) != k_blob_pi) {
    return std::nullopt;
  }
  const std::string_view index_text = as_chars(node->content);
  std::size_t index = 0;
  const auto [ptr, ec] = std::from_chars(index_text.data(), index_text.data() + index_text.size(), index);
  const auto* table = static_cast<const BlobTable*>(node->doc->_private);
  if (ec != std::errc() || ptr != index_text.data() + index_text.size() || index >= table->size()) {
    return std::nullopt;
  }
  return (*table)[index];
}

} // namespace cam2mqtt::parse
