// mqtt: the broker connection, credentials, TLS, topics and the offline buffer.
#include "config/network_syntax.h"
#include "config/secrets.h"
#include "config/sections.h"
#include "config/topic_syntax.h"

namespace cam2mqtt::config {
namespace {

void read_tls(MapReader& r, const LoadContext& ctx, TlsConfig& tls) {
  read_readable_file(r, "ca_file", ctx.base_dir, tls.ca_file);
  read_readable_file(r, "cert_file", ctx.base_dir, tls.cert_file);
  read_readable_file(r, "key_file", ctx.base_dir, tls.key_file);
  r.boolean("verify", tls.verify);
  if (!tls.key_file.empty() && tls.cert_file.empty()) {
    r.error("cert_file", "is required when key_file is set");
  }
}

void read_buffer(MapReader& r, const LoadContext& ctx, BufferConfig& buffer) {
  std::int64_t messages = static_cast<std::int64_t>(buffer.max_messages);
  if (r.integer("max_messages", messages, 1, 100000000)) {
    buffer.max_messages = static_cast<std::size_t>(messages);
  }
  std::uint64_t bytes = buffer.max_bytes;
  if (r.size("max_bytes", bytes, 1024 * 1024, 1024ULL * 1024 * 1024 * 1024)) {
    buffer.max_bytes = static_cast<std::size_t>(bytes);
  }
  std::string dir;
  if (r.string("dir", dir, [](const std::string& text) { return text.empty() ? "must not be empty" : ""; })) {
    buffer.dir = resolve_path(ctx.base_dir, dir);
  }
}

std::string check_client_id(const std::string& text) {
  if (text.find_first_of("+#/") != std::string::npos) {
    return "must not contain '/', '+' or '#'";
  }
  return text.size() > 256 ? "is too long (at most 256 bytes)" : "";
}

} // namespace

void read_mqtt(MapReader& r, const LoadContext& ctx, Config& cfg) {
  MqttConfig& mqtt = cfg.mqtt;
  r.string("url", mqtt.url, [](const std::string& text) { return check_mqtt_url(text); });
  r.string("client_id", mqtt.client_id, check_client_id);
  r.string("username", mqtt.username);
  read_password(r, ctx.base_dir, mqtt.password, mqtt.password_file);

  MapReader tls = r.section("tls");
  read_tls(tls, ctx, mqtt.tls);
  tls.finish();
  if (mqtt.tls != TlsConfig{} && !scheme_uses_tls(url_scheme(mqtt.url))) {
    r.warning("tls", "has no effect with a " + std::string(url_scheme(mqtt.url)) +
                         ":// url (use ssl://, mqtts:// or wss://)");
  }

  std::int64_t qos = mqtt.qos;
  if (r.integer("qos", qos, 0, 2)) {
    mqtt.qos = static_cast<int>(qos);
  }
  r.string("topic_prefix", mqtt.topic_prefix, [](const std::string& text) { return check_topic_prefix(text); });
  if (r.duration("keepalive", mqtt.keepalive, Seconds(0)) && mqtt.keepalive > Seconds(65535)) {
    r.error("keepalive", "must be at most 65535s (MQTT limit), got " + std::to_string(mqtt.keepalive.count()) + "s");
  }

  MapReader buffer = r.section("buffer");
  read_buffer(buffer, ctx, mqtt.buffer);
  buffer.finish();
}

} // namespace cam2mqtt::config
