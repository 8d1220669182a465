#include "parse/xml_document.h"

#include <climits>
#include <cstring>
#include <optional>
#include <string>

#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

#include "parse/xml_blobs.h"
#include "util/strings.h"

namespace cam2mqtt::parse {

namespace {

// Never NOENT, DTDLOAD, DTDATTR, XINCLUDE or HUGE (STYLE.md): entity references stay
// unexpanded reference nodes, no external subset or entity is fetched, and libxml2 keeps its
// default limits (depth 256, text node size).
constexpr int k_parse_options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS | XML_PARSE_COMPACT |
                                XML_PARSE_NOCDATA
#if LIBXML_VERSION >= 21300
                                | XML_PARSE_NO_XXE
#endif
    ;

constexpr std::size_t k_max_message = 160;

// What the structured error handler saw during one parse.
struct ErrorCollector {
  bool any = false;
  int first_code = 0;
  int first_line = 0;
  int first_column = 0;
  std::string first_message;
  bool premature_end = false;
  bool too_deep = false;
  bool entity_attack = false;
  bool bad_utf8 = false;
};

std::string one_line(const char* text) {
  std::string out;
  if (text == nullptr) {
    return out;
  }
  for (const char* p = text; *p != '\0' && out.size() < k_max_message; ++p) {
    out.push_back(*p == '\n' || *p == '\r' ? ' ' : *p);
  }
  return std::string(util::trim(util::sanitize_utf8(out)));
}

// Installed as the context's structured error handler, so libxml2 never prints to stderr.
// libxml2 passes ctxt->userData, which is the context itself for a DOM parse.
void collect_error(void* user_data, xmlErrorPtr error) {
  if (user_data == nullptr || error == nullptr || error->level < XML_ERR_ERROR) {
    return;
  }
  auto* ctxt = static_cast<xmlParserCtxt*>(user_data);
  auto* collector = static_cast<ErrorCollector*>(ctxt->_private);
  if (collector == nullptr) {
    return;
  }
  const std::string message = one_line(error->message);
  if (error->code == XML_ERR_TAG_NOT_FINISHED || message.find("Premature end") != std::string::npos) {
    collector->premature_end = true;
  }
  if (message.find("Excessive depth") != std::string::npos) {
    collector->too_deep = true;
  }
  if (message.find("not proper UTF-8") != std::string::npos) {
    collector->bad_utf8 = true;
  }
  if (error->code == XML_ERR_ENTITY_LOOP || message.find("amplification") != std::string::npos) {
    collector->entity_attack = true; // billion laughs and friends
  }
  if (!collector->any) {
    collector->any = true;
    collector->first_code = error->code;
    collector->first_line = error->line;
    collector->first_column = error->int2;
    collector->first_message = message;
  }
}

model::ParseError make_error(const ErrorCollector& errors) {
  std::string kind = "not_xml";
  if (errors.entity_attack) {
    kind = "forbidden_dtd";
  } else if (errors.too_deep) {
    kind = "too_deep";
  } else if (errors.premature_end) {
    kind = "truncated";
  }
  std::string message = "xml error";
  if (errors.any) {
    message += " " + std::to_string(errors.first_code) + " at line " + std::to_string(errors.first_line) +
               " col " + std::to_string(errors.first_column) + ": " + errors.first_message;
  }
  return {std::move(kind), std::move(message)};
}

} // namespace

namespace {

struct RawParse {
  XmlDocPtr doc;
  ErrorCollector errors;
};

RawParse parse_once(std::string_view body) {
  RawParse out;
  XmlParserCtxtPtr ctxt(xmlCreateMemoryParserCtxt(body.data(), static_cast<int>(body.size())));
  if (!ctxt) {
    return out;
  }
  ctxt->_private = &out.errors;
  if (ctxt->sax != nullptr) {
    ctxt->sax->serror = collect_error;
  }
  xmlCtxtUseOptions(ctxt.get(), k_parse_options);
  xmlParseDocument(ctxt.get());
  XmlDocPtr doc(ctxt->myDoc);
  ctxt->myDoc = nullptr;
  ctxt->_private = nullptr;
  if (ctxt->wellFormed != 0 && doc && xmlDocGetRootElement(doc.get()) != nullptr) {
    out.doc = std::move(doc);
  }
  return out;
}

} // namespace

namespace {

// libxml2 2.9 checks each attribute of a start tag against all earlier ones (and namespace
// declarations likewise): quadratic. A 200 KiB tag with 20k attributes costs seconds of CPU,
// a 5 MiB one minutes on the loop thread, so documents with an element carrying more than
// this many attributes are refused before libxml2 sees them (found by the hostile-input test;
// Viewtron elements carry at most three).
constexpr std::size_t k_max_attributes = 256;

// Counts '=' outside quotes in each start tag; comments, CDATA, PIs and DOCTYPE are skipped
// only as far as needed to find tags. Linear: memchr to each '<', then one pass to its '>'.
bool has_too_many_attributes(std::string_view body) noexcept {
  const char* p = body.data();
  const char* const end = p + body.size();
  while (p < end) {
    const auto* lt = static_cast<const char*>(std::memchr(p, '<', static_cast<std::size_t>(end - p)));
    if (lt == nullptr || lt + 1 >= end) {
      return false;
    }
    p = lt + 1;
    if (*p == '!' || *p == '?' || *p == '/') {
      continue; // not a start tag; its content holds no attributes of ours
    }
    std::size_t attributes = 0;
    char quote = 0;
    for (; p < end; ++p) {
      const char c = *p;
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '=') {
        if (++attributes > k_max_attributes) {
          return true;
        }
      } else if (c == '>' || c == '<') {
        break;
      }
    }
  }
  return false;
}

// libxml2 2.9 tries to refill its input (GROW) at nearly every token once fewer than 250 bytes
// are left, even for a memory buffer it holds whole: on a 1 KiB event that was about a tenth of
// the parse (bench/micro). Whitespace after the root element means nothing to XML, so small
// bodies are parsed with this much of it appended. Only for encodings where ' ' is the byte
// 0x20 (UTF-8 and the ASCII-compatible ones), told by the first two bytes; a UTF-16, UCS-4 or
// EBCDIC body is parsed as sent.
constexpr std::size_t k_tail_padding = 320;
constexpr std::size_t k_max_padded_body = 64 * 1024;

bool worth_padding(std::string_view body) noexcept {
  return body.size() <= k_max_padded_body && starts_ascii_compatible(body);
}

RawParse parse_padded_if_small(std::string_view body) {
  if (!worth_padding(body)) {
    return parse_once(body);
  }
  std::string padded;
  padded.reserve(body.size() + k_tail_padding);
  padded.append(body).append(k_tail_padding, ' ');
  return parse_once(padded);
}

} // namespace

XmlDocument::XmlDocument(XmlDocPtr doc, std::unique_ptr<BlobTable> blobs) noexcept
    : m_doc(std::move(doc)), m_blobs(std::move(blobs)) {
  m_doc->_private = m_blobs.get(); // read by blob_of() when XmlElement reads text
}

XmlDocumentOutcome XmlDocument::parse(std::string_view body) {
  // libxml2 takes an int size; the UTF-8 repair below may triple a body. (The HTTP layer caps
  // bodies at a few MiB long before this matters.)
  if (body.size() > static_cast<std::size_t>(INT_MAX / 4)) {
    return util::unexpected(model::ParseError{"too_large", "body larger than libxml2 can take"});
  }
  if (has_too_many_attributes(body)) {
    return util::unexpected(model::ParseError{
        "too_large", "an element has more than " + std::to_string(k_max_attributes) + " attributes"});
  }
  RawParse result;
  std::optional<PreparedBody> prepared = prepare_body(body);
  if (prepared) {
    result = parse_padded_if_small(prepared->text);
    if (result.doc) {
      return XmlDocument(std::move(result.doc), std::make_unique<BlobTable>(std::move(prepared->blobs)));
    }
  }
  // Nothing to prepare, or the prepared body failed: the body as sent, so that an error names
  // its real position.
  result = parse_padded_if_small(body);
  if (!result.doc && worth_padding(body)) {
    result = parse_once(body);
  }
  if (!result.doc && result.errors.bad_utf8) {
    // Device and plate names are user/OCR text (§8.20): replace broken UTF-8 by U+FFFD and
    // try once more rather than lose the event. Costs a copy only on this failure path.
    const std::string repaired = util::sanitize_utf8(body);
    result = parse_once(repaired);
  }
  if (!result.doc) {
    return util::unexpected(make_error(result.errors));
  }
  return XmlDocument(std::move(result.doc), nullptr);
}

XmlElement XmlDocument::root() const noexcept {
  return XmlElement(xmlDocGetRootElement(m_doc.get()));
}

bool XmlDocument::declares_entities() const noexcept {
  for (const xmlDtd* dtd : {m_doc->intSubset, m_doc->extSubset}) {
    if (dtd != nullptr && (dtd->entities != nullptr || dtd->pentities != nullptr)) {
      return true;
    }
  }
  return false;
}

} // namespace cam2mqtt::parse
