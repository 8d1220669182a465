#include "parse/xml_element.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include "parse/libxml_handles.h"
#include "parse/xml_blobs.h"
#include "util/strings.h"

namespace cam2mqtt::parse {

namespace {

bool is_element(const xmlNode* n) noexcept {
  return n->type == XML_ELEMENT_NODE;
}

bool is_text(const xmlNode* n) noexcept {
  return n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE;
}

std::string_view view(const xmlChar* s) noexcept {
  return s == nullptr ? std::string_view() : std::string_view(as_chars(s));
}

// libxml2 keeps "p:name" as the name when prefix p is not declared; namespaces are ignored.
std::string_view local(const xmlChar* s) noexcept {
  std::string_view name = view(s);
  if (std::memchr(name.data(), ':', name.size()) == nullptr) { // the usual case, in one SIMD scan
    return name;
  }
  return name.substr(name.rfind(':') + 1);
}

} // namespace

std::string_view XmlElement::name() const noexcept {
  return m_node == nullptr ? std::string_view() : local(m_node->name);
}

bool XmlElement::is(std::string_view local_name) const noexcept {
  return m_node != nullptr && util::iequals(name(), local_name);
}

XmlElement XmlElement::child(std::string_view local_name) const noexcept {
  if (m_node == nullptr) {
    return {};
  }
  for (const xmlNode* c = m_node->children; c != nullptr; c = c->next) {
    if (is_element(c) && util::iequals(local(c->name), local_name)) {
      return XmlElement(c);
    }
  }
  return {};
}

XmlElement XmlElement::at(std::initializer_list<std::string_view> path) const noexcept {
  XmlElement e = *this;
  for (auto step : path) {
    e = e.child(step);
    if (!e) {
      break;
    }
  }
  return e;
}

std::vector<XmlElement> XmlElement::children() const {
  std::vector<XmlElement> out;
  if (m_node == nullptr) {
    return out;
  }
  for (const xmlNode* c = m_node->children; c != nullptr; c = c->next) {
    if (is_element(c)) {
      out.emplace_back(c);
    }
  }
  return out;
}

namespace {
const xmlNode* element_from(const xmlNode* n) noexcept {
  while (n != nullptr && !is_element(n)) {
    n = n->next;
  }
  return n;
}
} // namespace

XmlElement XmlElement::first_child() const noexcept {
  return XmlElement(m_node == nullptr ? nullptr : element_from(m_node->children));
}

XmlElement XmlElement::next_sibling() const noexcept {
  return XmlElement(m_node == nullptr ? nullptr : element_from(m_node->next));
}

std::vector<XmlElement> XmlElement::items() const {
  std::vector<XmlElement> out;
  if (m_node == nullptr) {
    return out;
  }
  for (const xmlNode* c = m_node->children; c != nullptr; c = c->next) {
    if (is_element(c) && util::iequals(local(c->name), "item")) {
      out.emplace_back(c);
    }
  }
  return out;
}

namespace {
// A piece of an element's character data: a text or CDATA child, or a base64 run cut out
// before parsing (xml_blobs.h) where its instruction stands.
std::optional<std::string_view> text_piece(const xmlNode* n) noexcept {
  if (is_text(n)) {
    return view(n->content);
  }
  if (n->type != XML_PI_NODE) {
    return std::nullopt;
  }
  const auto blob = blob_of(n);
  return blob ? std::optional<std::string_view>(blob->text) : std::nullopt;
}
} // namespace

std::string_view XmlElement::raw_text(std::string& scratch) const {
  if (m_node == nullptr) {
    return {};
  }
  std::optional<std::string_view> only;
  std::size_t count = 0;
  for (const xmlNode* c = m_node->children; c != nullptr; c = c->next) {
    if (auto piece = text_piece(c)) {
      only = piece;
      ++count;
    }
  }
  if (count == 0) {
    return {};
  }
  if (count == 1) {
    return *only;
  }
  scratch.clear();
  for (const xmlNode* c = m_node->children; c != nullptr; c = c->next) {
    if (auto piece = text_piece(c)) {
      scratch.append(*piece);
    }
  }
  return scratch;
}

bool XmlElement::text_is_checked_base64() const noexcept {
  if (m_node == nullptr) {
    return false;
  }
  std::optional<Blob> only;
  std::size_t pieces = 0;
  for (const xmlNode* c = m_node->children; c != nullptr; c = c->next) {
    if (is_text(c)) {
      ++pieces;
    } else if (c->type == XML_PI_NODE) {
      if (auto blob = blob_of(c)) {
        only = blob;
        ++pieces;
      }
    }
  }
  return pieces == 1 && only && only->compact_base64;
}

namespace {
// Field text longer than this is cut (names, plates, times are a few dozen bytes). Without a
// cap a 4 MiB deviceName travelled into every event, the device record, discovery and the
// status page: ~200 MiB resident for one hostile post (found by test_hostile_input).
constexpr std::size_t k_max_text = 4096;

std::string capped(std::string_view text) {
  return util::sanitize_utf8(text.substr(0, std::min(text.size(), k_max_text)));
}
} // namespace

std::string XmlElement::text() const {
  std::string scratch;
  return capped(util::trim(raw_text(scratch)));
}

std::string XmlElement::child_text(std::string_view local_name) const {
  return child(local_name).text();
}

std::string XmlElement::attr(std::string_view local_name) const {
  if (m_node == nullptr) {
    return {};
  }
  for (const xmlAttr* a = m_node->properties; a != nullptr; a = a->next) {
    if (!util::iequals(local(a->name), local_name)) {
      continue;
    }
    std::string value;
    for (const xmlNode* c = a->children; c != nullptr; c = c->next) {
      if (is_text(c)) {
        value.append(view(c->content));
      }
    }
    return capped(util::trim(value));
  }
  return {};
}

} // namespace cam2mqtt::parse
