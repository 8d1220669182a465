#pragma once
// The daemon's configuration as plain values. Filled and validated by load_config() (the only
// user of yaml-cpp); immutable after startup and shared by const reference.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/image_mode.h"

namespace cam2mqtt::config {

using Seconds = std::chrono::seconds;

// Optional HTTP Basic credentials cameras must send (http.auth); empty username = off.
struct HttpAuthConfig {
  std::string username;
  std::string password;      // from password or password_file
  std::string password_file; // resolved path the password came from; "" = inline or none
  bool operator==(const HttpAuthConfig&) const = default;
};

struct HttpConfig {
  std::string listen_host = "0.0.0.0";
  std::uint16_t listen_port = 5050;
  Seconds keepalive_timeout{60};
  Seconds header_timeout{65};
  std::size_t max_body_size = 5 * 1024 * 1024;
  int max_connections = 1024;
  std::vector<std::string> allow; // CIDR list; empty = everyone
  HttpAuthConfig auth;
  bool operator==(const HttpConfig&) const = default;
};

struct TlsConfig {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  bool verify = true;
  bool operator==(const TlsConfig&) const = default;
};

struct BufferConfig {
  std::size_t max_messages = 100000;
  std::size_t max_bytes = 256 * 1024 * 1024;
  std::string dir = "/var/lib/cam2mqtt/buffer";
  bool operator==(const BufferConfig&) const = default;
};

struct MqttConfig {
  std::string url = "tcp://127.0.0.1:1883";
  std::string client_id;  // default: "cam2mqtt-<hostname>"
  std::string username;
  std::string password;   // from password or password_file
  std::string password_file; // resolved path the password came from; "" = inline or none
  TlsConfig tls;
  int qos = 1;
  std::string topic_prefix = "cam2mqtt";
  Seconds keepalive{30};
  BufferConfig buffer;
  bool operator==(const MqttConfig&) const = default;
};

struct CameraEntry {
  std::string ip;      // matched against the reported IP, then the TCP peer
  std::string channel; // optional NVR channel; "" = any channel of that IP
  std::string name;    // overrides the name the device reports
  std::string id;      // camera key; "" = derived from the IP
  bool operator==(const CameraEntry&) const = default;
};

struct CamerasConfig {
  Seconds offline_after{90};
  std::vector<CameraEntry> list;
  bool operator==(const CamerasConfig&) const = default;
};

struct EventsConfig {
  bool traject = false;
  bool raw_xml = false;
  bool operator==(const EventsConfig&) const = default;
};

struct HomeAssistantConfig {
  bool enabled = true;
  std::string discovery_prefix = "homeassistant";
  Seconds off_delay{30};
  bool operator==(const HomeAssistantConfig&) const = default;
};

// sources.hikvision[]: one ISAPI alertStream per camera or NVR.
struct HikvisionSourceConfig {
  std::string id;   // camera key; "" = the URL's host
  std::string url;  // http(s)://host[:port], the device's base URL
  std::string username;
  std::string password;      // from password or password_file
  std::string password_file; // resolved path the password came from; "" = inline or none
  std::string auth = "digest"; // digest | basic (never a silent downgrade)
  std::vector<int> channels;   // only these channels; empty = all
  bool snapshot = false;       // fetch a picture for events that bring none
  Seconds stall_timeout{60};   // no bytes for this long: reconnect
  std::chrono::milliseconds event_timeout{5000}; // an active event without repeats ends after this
  bool verify_tls = true;
  std::string ca_file;
  bool operator==(const HikvisionSourceConfig&) const = default;
};

// sources.cvedia[]: one CVEDIA-RT instance.
struct CvediaSourceConfig {
  std::string id;       // camera key; "" = the instance id
  std::string url;      // http(s)://host:3546
  std::string instance; // instance id (UUID)
  std::vector<std::string> events; // the ?events= filter; empty = everything
  std::string mode = "sse";        // sse | poll
  std::chrono::milliseconds poll_interval{1000};
  std::chrono::milliseconds crop_wait{1000};
  Seconds stall_timeout{90};
  bool verify_tls = true;
  std::string ca_file;
  bool operator==(const CvediaSourceConfig&) const = default;
};

struct SourcesConfig {
  std::vector<HikvisionSourceConfig> hikvision;
  std::vector<CvediaSourceConfig> cvedia;
  bool operator==(const SourcesConfig&) const = default;
};

struct LogConfig {
  std::string level = "info"; // trace | debug | info | warn | error | critical | off
  bool operator==(const LogConfig&) const = default;
};

struct Config {
  std::string file; // where it was loaded from ("" for defaults)
  // Non-fatal findings (e.g. an inline password), formatted like ConfigError diagnostics;
  // the app logs each one at warn after setting up the logger.
  std::vector<std::string> warnings;
  HttpConfig http;
  MqttConfig mqtt;
  model::ImageMode images = model::ImageMode::split;
  CamerasConfig cameras;
  EventsConfig events;
  HomeAssistantConfig homeassistant;
  SourcesConfig sources;
  LogConfig log;
  bool operator==(const Config&) const = default;
};

// Thrown by load_config(); each diagnostic is "FILE:LINE:COL: key.path: message".
class ConfigError : public std::runtime_error {
public:
  explicit ConfigError(std::vector<std::string> diagnostics);
  const std::vector<std::string>& diagnostics() const noexcept { return m_diagnostics; }

private:
  std::vector<std::string> m_diagnostics;
};

// Loads and validates the YAML file; throws ConfigError listing every problem found. An empty
// file gives all defaults. An unset mqtt.client_id becomes "cam2mqtt-<hostname>".
Config load_config(const std::string& path);
// Same, from text. `file` names the source in diagnostics, and its directory is the base for
// relative paths (password_file, tls files, buffer.dir), as for a real file.
Config load_config_from_string(const std::string& yaml, const std::string& file);

} // namespace cam2mqtt::config
