#include "app/ingest_pipeline.h"

#include <spdlog/spdlog.h>

#include "encode/topics.h"
#include "parse/hikvision_parser.h"
#include "parse/hikvision_stream.h"
#include "parse/viewtron_parser.h"
#include "util/strings.h"

namespace cam2mqtt::app {

encode::Envelope make_envelope(const ResolvedCamera& cam, const std::string& peer_ip,
                               const std::string& topic_prefix, std::string id,
                               util::SysMicros received_at) {
  encode::Envelope env;
  env.id = std::move(id);
  env.receivedAt = received_at;
  env.topicPrefix = topic_prefix;
  env.cameraKey = cam.key;
  env.cameraName = cam.name;
  env.cameraIp = cam.ip;
  env.peerIp = peer_ip;
  return env;
}

IngestPipeline::IngestPipeline(const config::Config& cfg, mqtt::Publisher& publisher,
                               DeviceRegistry& registry)
    : m_cfg(cfg), m_publisher(publisher), m_registry(registry), m_resolver(cfg.cameras) {}

void IngestPipeline::on_post(http::IncomingPost&& post) {
  ++m_stats.posts;
  const auto now = util::now_micros();
  // Viewtron never sends multipart bodies nor EventNotificationAlert documents.
  if (util::to_lower(post.content_type).find("multipart/") != std::string::npos ||
      parse::is_hikvision_alert(post.body)) {
    on_hikvision_push(post, now);
    return;
  }
  auto outcome = parse::parse_viewtron(post.body, parse::ParseContext{now});
  if (!outcome) {
    on_parse_error(post, outcome.error());
    return;
  }
  auto& msg = *outcome;
  for (const auto& warning : msg.warnings) {
    on_parse_error(post, warning); // the message still goes on; a part of it was dropped
  }
  const auto cam = m_resolver.resolve(msg.device, post.peer_ip);
  m_registry.touch(cam.key, cam.name, post.peer_ip, msg.device, now);
  const auto& record = m_registry.devices().at(cam.key);
  for (auto* o : m_observers) {
    o->on_camera_seen(record);
  }

  if (m_cfg.events.raw_xml && !post.body.empty()) {
    m_publisher.publish({encode::camera_topic(m_cfg.mqtt.topic_prefix, cam.key, "raw"), post.body,
                         m_cfg.mqtt.qos, false});
  }
  if (msg.kind == model::Message::Kind::heartbeat) {
    ++m_stats.heartbeats;
    SPDLOG_DEBUG("event: heartbeat camera={} peer={}", cam.key, post.peer_ip);
    return;
  }
  for (const auto& ev : msg.events) {
    if (ev.category == model::Category::traject && !m_cfg.events.traject) {
      ++m_stats.traject_skipped;
      continue;
    }
    // Events of one post may name different channels only in theory; resolve each.
    const auto ev_cam = (ev.device.channelId == msg.device.channelId && ev.device.ip == msg.device.ip)
                            ? cam
                            : m_resolver.resolve(ev.device, post.peer_ip);
    publish_event(ev, ev_cam, post.peer_ip, now);
  }
}

void IngestPipeline::publish_event(const model::Event& ev, const ResolvedCamera& cam,
                                   const std::string& peer_ip, util::SysMicros now) {
  auto env = make_envelope(cam, peer_ip, m_cfg.mqtt.topic_prefix, m_ids.next(now), now);
  auto encoded = encode::encode_event(ev, env, m_cfg.images);
  for (auto* o : m_observers) {
    o->on_event(ev, env, encoded.json);
  }
  // Images first, so a consumer reacting to the event finds the retained image already there.
  std::vector<mqtt::OutgoingMessage> messages;
  messages.reserve(encoded.images.size() + 1);
  for (auto& img : encoded.images) {
    messages.push_back({std::move(img.topic), std::move(img.bytes), m_cfg.mqtt.qos, true});
  }
  messages.push_back({std::move(encoded.topic), std::move(encoded.json), m_cfg.mqtt.qos, false});
  for (auto* o : m_observers) {
    o->before_publish(env, ev.category, messages);
  }
  for (auto& m : messages) {
    m_publisher.publish(std::move(m));
  }
  ++m_stats.events_published;
  ++m_stats.events[{std::string(model::to_string(ev.category)), cam.key}];
  SPDLOG_INFO("event: accepted camera={} category={} type={} subtype={} id={}", cam.key,
              model::to_string(ev.category), ev.eventType, ev.subtype, env.id);
}

void IngestPipeline::on_hikvision_push(const http::IncomingPost& post, util::SysMicros now) {
  for (auto& outcome : parse::parse_hikvision_payload(post.body, post.content_type, parse::ParseContext{now})) {
    if (!outcome) {
      on_parse_error(post, outcome.error());
      continue;
    }
    const auto cam = m_resolver.resolve(outcome->device, post.peer_ip);
    publish_source(*outcome, cam, post.peer_ip, now);
  }
}

void IngestPipeline::publish_source(model::Message& msg, const ResolvedCamera& cam, const std::string& peer_ip,
                                    util::SysMicros now, std::optional<std::chrono::milliseconds> event_timeout) {
  m_registry.touch(cam.key, cam.name, peer_ip, msg.device, now);
  const auto& record = m_registry.devices().at(cam.key);
  for (auto* o : m_observers) {
    o->on_camera_seen(record);
  }
  if (msg.kind == model::Message::Kind::heartbeat) {
    ++m_stats.heartbeats;
    SPDLOG_DEBUG("event: heartbeat camera={} peer={}", cam.key, peer_ip);
    return;
  }
  for (auto& ev : msg.events) {
    if (ev.category == model::Category::traject && !m_cfg.events.traject) {
      ++m_stats.traject_skipped;
      continue;
    }
    if (m_source_states.admit(cam.key, ev, now, event_timeout)) {
      publish_event(ev, cam, peer_ip, now);
    }
  }
}

void IngestPipeline::sweep_sources(util::SysMicros now) {
  for (auto& [key, ev] : m_source_states.sweep(now)) {
    ResolvedCamera cam{key, "", ev.device.ip};
    std::string peer;
    if (const auto it = m_registry.devices().find(key); it != m_registry.devices().end()) {
      cam.name = it->second.name;
      peer = it->second.peerIp;
    }
    publish_event(ev, cam, peer, now);
  }
}

void IngestPipeline::on_parse_error(const http::IncomingPost& post, const model::ParseError& err) {
  ++m_stats.parse_errors[err.kind];
  for (auto* o : m_observers) {
    o->on_parse_error(post.peer_ip, err);
  }
  std::uint64_t suppressed = 0;
  if (m_warn_limiter.allow(post.peer_ip + "/" + err.kind, suppressed)) {
    SPDLOG_WARN("event: cannot parse post peer={} kind={} bytes={} reason={} suppressed={}", post.peer_ip,
                err.kind, post.body.size(), err.message, suppressed);
  }
}

} // namespace cam2mqtt::app
