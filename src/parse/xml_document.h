#pragma once
// One parsed XML document: libxml2 with the hardened option set, errors collected into a
// model::ParseError instead of going to stderr.
#include <concepts>
#include <memory>
#include <string>
#include <string_view>

#include "model/parse_result.h"
#include "parse/libxml_handles.h"
#include "parse/xml_blobs.h"
#include "parse/xml_element.h"
#include "util/expected.h"

namespace cam2mqtt::parse {

class XmlDocument;
using XmlDocumentOutcome = util::Expected<XmlDocument, model::ParseError>;

class XmlDocument {
public:
  // Parses `body` with XML_PARSE_NONET | NOERROR | NOWARNING | NOCDATA (and NO_XXE where
  // libxml2 has it), never NOENT / DTDLOAD / DTDATTR / XINCLUDE / HUGE: entities are never
  // expanded, nothing is read from disk or network, depth stays at libxml2's default limit.
  // Error kinds: not_xml, truncated (input ended early), too_deep, too_large (also: an element
  // with more than 256 attributes, which libxml2 2.9 checks quadratically), forbidden_dtd
  // (entity loop / amplification detected by libxml2).
  //
  // Long base64 runs are not copied into the tree (xml_blobs.h): the document refers to them
  // in `body`, so `body` must outlive the document and every XmlElement taken from it.
  static XmlDocumentOutcome parse(std::string_view body);
  template <class S>
    requires std::same_as<S, std::string>
  static XmlDocumentOutcome parse(S&& temporary) = delete; // would leave the document dangling

  XmlElement root() const noexcept;
  // True when the document has a DOCTYPE declaring entities (or parameter entities).
  bool declares_entities() const noexcept;
  // The underlying document, for tests and diagnostics.
  const xmlDoc* get() const noexcept { return m_doc.get(); }

private:
  XmlDocument(XmlDocPtr doc, std::unique_ptr<BlobTable> blobs) noexcept;
  XmlDocPtr m_doc;
  std::unique_ptr<BlobTable> m_blobs; // runs cut out before parsing; m_doc->_private points here
};

} // namespace cam2mqtt::parse
