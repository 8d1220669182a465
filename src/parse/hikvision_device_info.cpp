#include "parse/hikvision_device_info.h"

#include "parse/viewtron_fields.h" // finish_identity
#include "parse/xml_document.h"

namespace cam2mqtt::parse {

util::Expected<model::DeviceIdentity, model::ParseError> parse_hikvision_device_info(std::string_view xml) {
  auto doc = XmlDocument::parse(xml);
  if (!doc) {
    return util::unexpected(doc.error());
  }
  const XmlElement root = doc->root();
  if (!root.is("DeviceInfo")) {
    return util::unexpected(model::ParseError{"unknown_root", "expected DeviceInfo, got " + std::string(root.name())});
  }
  model::DeviceIdentity id;
  id.manufacturer = "Hikvision";
  id.name = root.child_text("deviceName");
  id.model = root.child_text("model");
  id.serial = root.child_text("serialNumber");
  id.macRaw = root.child_text("macAddress");
  finish_identity(id);
  return id;
}

} // namespace cam2mqtt::parse
