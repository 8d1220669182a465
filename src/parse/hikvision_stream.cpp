#include "parse/hikvision_stream.h"

#include "parse/hikvision_parser.h"
#include "util/base64.h"
#include "util/strings.h"

namespace cam2mqtt::parse {

namespace {

std::string_view media_type(std::string_view content_type) {
  return util::trim(content_type.substr(0, content_type.find(';')));
}

bool is_xml_part(const MultipartPart& part) {
  const auto type = media_type(part.content_type);
  if (type.empty()) {
    return true; // missing type: EventNotificationAlert (§2.4)
  }
  return util::iequals(type, "application/xml") || util::iequals(type, "text/xml") ||
         (util::iequals(type, "text/plain") && is_hikvision_alert(part.body));
}

bool names_plate(std::string_view disposition) {
  return util::to_lower(disposition).find("plate") != std::string::npos;
}

} // namespace

bool is_image_part(std::string_view content_type) noexcept {
  const auto type = media_type(content_type);
  return util::iequals(type, "image/jpeg") || util::iequals(type, "image/jpg") || util::iequals(type, "image/png");
}

void HikvisionPartDecoder::attach(const MultipartPart& part) {
  if (!m_pending || m_pending->events.empty()) {
    ++m_stats.images_orphaned;
    return;
  }
  model::Image img{util::base64_encode(part.body), 0, 0};
  model::Event& ev = m_pending->events.front();
  // Detection pictures are the scene (source); a plate picture is the target.
  if (names_plate(part.disposition) && !ev.targetImage) {
    ev.targetImage = std::move(img);
  } else if (!ev.sourceImage) {
    ev.sourceImage = std::move(img);
  } else if (!ev.targetImage) {
    ev.targetImage = std::move(img);
  } else {
    ++m_stats.images_orphaned;
    return;
  }
  ++m_stats.images_attached;
}

void HikvisionPartDecoder::on_part(const MultipartPart& part, const ParseContext& ctx,
                                   std::vector<model::ParseOutcome>& out) {
  if (is_image_part(part.content_type)) {
    attach(part);
    if (m_pending && !m_attach_any && --m_pictures_left <= 0) {
      flush(out);
    }
    return;
  }
  if (!is_xml_part(part)) {
    ++m_stats.unknown_parts;
    return;
  }
  flush(out); // a new alert: the previous one gets no more pictures
  HikvisionXmlInfo info;
  auto outcome = parse_hikvision_xml(part.body, ctx, &info);
  if (!outcome) {
    out.push_back(std::move(outcome));
    return;
  }
  if (outcome->kind == model::Message::Kind::events && (m_attach_any || info.binary_pictures > 0)) {
    m_pending = std::move(*outcome);
    m_pictures_left = info.binary_pictures;
    return;
  }
  out.push_back(std::move(outcome));
}

void HikvisionPartDecoder::flush(std::vector<model::ParseOutcome>& out) {
  if (m_pending) {
    out.emplace_back(std::move(*m_pending));
    m_pending.reset();
  }
  m_pictures_left = 0;
}

std::vector<model::ParseOutcome> parse_hikvision_payload(std::string_view body, std::string_view content_type,
                                                         const ParseContext& ctx) {
  std::vector<model::ParseOutcome> out;
  std::string boundary = multipart_boundary(content_type);
  const auto trimmed = util::trim(body);
  if (boundary.empty() && !trimmed.empty() && trimmed.front() != '<') {
    // A saved stream: the first "--<boundary>" line within the first few KiB names it.
    const auto head = trimmed.substr(0, 4096);
    const auto at = head.rfind("--", 0) == 0 ? 0 : head.find("\n--");
    if (at != std::string_view::npos) {
      const auto start = at == 0 ? 2 : at + 3;
      auto first = trimmed.substr(start, trimmed.find('\n', start) - start);
      while (!first.empty() && (first.back() == '\r' || first.back() == ' ')) {
        first.remove_suffix(1);
      }
      boundary = std::string(first);
    }
  }
  if (boundary.empty()) {
    out.push_back(parse_hikvision_xml(body, ctx));
    return out;
  }
  const bool form_data = util::to_lower(content_type).find("form-data") != std::string::npos;
  MultipartParser parser(boundary);
  HikvisionPartDecoder decoder(form_data);
  std::vector<MultipartPart> parts;
  parser.feed(body, parts);
  parser.finish(parts);
  for (const auto& part : parts) {
    decoder.on_part(part, ctx, out);
  }
  decoder.flush(out);
  if (out.empty()) {
    out.push_back(util::unexpected(model::ParseError{"unknown_message", "multipart body without an EventNotificationAlert part"}));
  }
  return out;
}

} // namespace cam2mqtt::parse
