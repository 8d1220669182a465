#pragma once
// RAII for libxml2 handles (STYLE.md "RAII for C handles"). The only header besides
// xml_document/xml_element that includes <libxml/...>; everything above them sees model types.
#include <memory>
#include <string>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlmemory.h>

namespace cam2mqtt::parse {

struct XmlDocDeleter {
  void operator()(xmlDoc* doc) const noexcept { xmlFreeDoc(doc); }
};
struct XmlParserCtxtDeleter {
  void operator()(xmlParserCtxt* ctxt) const noexcept { xmlFreeParserCtxt(ctxt); }
};
struct XmlCharDeleter {
  void operator()(xmlChar* p) const noexcept { xmlFree(p); }
};

using XmlDocPtr = std::unique_ptr<xmlDoc, XmlDocDeleter>;
using XmlParserCtxtPtr = std::unique_ptr<xmlParserCtxt, XmlParserCtxtDeleter>;
using XmlCharPtr = std::unique_ptr<xmlChar, XmlCharDeleter>;

// Non-owning xmlChar* -> std::string view helpers (libxml strings are UTF-8, NUL-terminated).
inline const char* as_chars(const xmlChar* s) noexcept {
  return reinterpret_cast<const char*>(s);
}
inline const xmlChar* as_xml_chars(const char* s) noexcept {
  return reinterpret_cast<const xmlChar*>(s);
}

// Takes ownership of a libxml-allocated string, copies it and frees it with xmlFree.
inline std::string take_xml_string(xmlChar* s) {
  const XmlCharPtr owned(s);
  return owned ? std::string(as_chars(owned.get())) : std::string();
}

} // namespace cam2mqtt::parse
