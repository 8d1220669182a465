#pragma once
// Read-only navigation over a libxml2 element, the way the reference tables are written:
// children are found by local name, case-insensitively, ignoring namespaces; text is the
// element's own character data (CDATA already merged), trimmed and made valid UTF-8.
// Entity references are skipped, never expanded. Non-owning: valid while its document lives.
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <libxml/tree.h>

namespace cam2mqtt::parse {

class XmlElement {
public:
  XmlElement() noexcept = default;
  explicit XmlElement(const xmlNode* node) noexcept : m_node(node) {}

  explicit operator bool() const noexcept { return m_node != nullptr; }

  // Local name as sent ("" for an empty handle).
  std::string_view name() const noexcept;
  bool is(std::string_view local_name) const noexcept;

  // First element child with this local name (case-insensitive); empty handle when none.
  XmlElement child(std::string_view local_name) const noexcept;
  bool has(std::string_view local_name) const noexcept { return static_cast<bool>(child(local_name)); }
  // Follows a path of child names: at({"licensePlateAttribute", "color"}).
  XmlElement at(std::initializer_list<std::string_view> path) const noexcept;

  std::vector<XmlElement> children() const;
  // Allocation-free walk: first_child(), then next_sibling() until an empty handle.
  XmlElement first_child() const noexcept;
  XmlElement next_sibling() const noexcept;
  // The real `item` children (never trusts a count attribute).
  std::vector<XmlElement> items() const;

  // Trimmed, UTF-8-sanitized text of this element ("" for an empty handle), cut at 4 KiB
  // (a hostile multi-MiB name must not be copied into every event and record).
  std::string text() const;
  // text() of the first child with this name.
  std::string child_text(std::string_view local_name) const;
  // Untouched character data, without copying when it is one text node (the usual case for
  // big base64 images). Several text nodes are concatenated into `scratch`.
  std::string_view raw_text(std::string& scratch) const;
  // True when raw_text() is one base64 run that XmlDocument already found to be valid base64
  // once its leading and trailing whitespace is trimmed (xml_blobs.h): callers may skip
  // checking it again. False when unknown.
  bool text_is_checked_base64() const noexcept;

  // Attribute by local name, case-insensitive; trimmed, sanitized, cut at 4 KiB; "" when absent.
  std::string attr(std::string_view local_name) const;

private:
  const xmlNode* m_node = nullptr;
};

} // namespace cam2mqtt::parse
