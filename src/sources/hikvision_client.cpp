#include "sources/hikvision_client.h"

#include <spdlog/spdlog.h>

#include "parse/hikvision_device_info.h"
#include "sources/curl_options.h"
#include "util/strings.h"

namespace cam2mqtt::sources {

namespace {
constexpr const char* k_stream_path = "/ISAPI/Event/notification/alertStream";
constexpr const char* k_device_info_path = "/ISAPI/System/deviceInfo";
constexpr int k_device_info_tries = 3;
constexpr std::size_t k_device_info_max_bytes = 64 * 1024;
constexpr timeval k_picture_wait{2, 0};
} // namespace

std::string topic_safe(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back((c == '/' || c == '+' || c == '#' || u < 0x20 || u == 0x7F) ? '_' : c);
  }
  return out.empty() ? std::string("unknown") : out;
}

std::string url_host(const std::string& url) {
  auto rest = std::string_view(url);
  rest.remove_prefix(std::min(rest.size(), rest.find("://") == std::string_view::npos ? 0 : rest.find("://") + 3));
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (!rest.empty() && rest.front() == '[') {
    return std::string(rest.substr(1, rest.find(']') - 1));
  }
  return std::string(rest.substr(0, rest.find(':')));
}

std::string hikvision_camera_key(const config::HikvisionSourceConfig& cfg, const std::string& channel) {
  std::string key = topic_safe(cfg.id.empty() ? url_host(cfg.url) : cfg.id);
  if (cfg.channels.size() > 1 && !channel.empty()) {
    key += "-ch" + topic_safe(channel);
  }
  return key;
}

HikvisionClient::HikvisionClient(event_base* base, CurlLoop& loop, const config::HikvisionSourceConfig& cfg,
                                 SourceSink sink)
    : m_base(base), m_loop(loop), m_cfg(cfg), m_sink(std::move(sink)), m_info_get(loop) {
  std::string base_url = cfg.url;
  while (!base_url.empty() && base_url.back() == '/') {
    base_url.pop_back();
  }
  m_base_url = base_url;
  m_url = base_url + k_stream_path;
  m_retry_timer.reset(evtimer_new(m_base, &HikvisionClient::on_retry, this));
  m_picture_timer.reset(evtimer_new(m_base, &HikvisionClient::on_picture_wait, this));
  if (cfg.snapshot) {
    SnapshotQueue::Settings s;
    s.base_url = m_base_url;
    s.repeat_window = cfg.event_timeout;
    m_snapshots = std::make_unique<SnapshotQueue>(
        m_loop, s, [this](CURL* e) { configure_auth(e); },
        [this](model::Message& m, const SourceCamera& c) { m_sink(m, c); });
  }
}

HikvisionClient::~HikvisionClient() {
  if (m_in_transfer && m_easy) {
    m_loop.remove(m_easy.get());
  }
}

void HikvisionClient::start() {
  connect();
}

void HikvisionClient::stop() {
  if (m_stopped) {
    return;
  }
  m_stopped = true;
  evtimer_del(m_retry_timer.get());
  if (m_in_transfer && m_easy) {
    m_loop.remove(m_easy.get());
  }
  m_in_transfer = false;
  m_info_get.cancel();
  end_of_stream(); // an alert waiting for its image parts goes without them
  if (m_snapshots) {
    m_snapshots->stop();
  }
}

// The same credentials and TLS settings for the stream and every request beside it.
void HikvisionClient::configure_auth(CURL* e) const {
  curl_easy_setopt(e, CURLOPT_HTTPAUTH, m_cfg.auth == "basic" ? CURLAUTH_BASIC : CURLAUTH_DIGEST);
  if (!m_cfg.username.empty()) {
    curl_easy_setopt(e, CURLOPT_USERNAME, m_cfg.username.c_str());
    curl_easy_setopt(e, CURLOPT_PASSWORD, m_cfg.password.c_str());
  }
  set_tls_options(e, m_cfg.verify_tls, m_cfg.ca_file);
}

void HikvisionClient::connect() {
  m_easy = make_curl_easy();
  CURL* e = m_easy.get();
  curl_easy_setopt(e, CURLOPT_URL, m_url.c_str());
  configure_auth(e);
  set_stall_watchdog(e, m_cfg.stall_timeout);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &HikvisionClient::on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &HikvisionClient::on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, this);
  m_content_type.clear();
  m_parser.reset();
  m_decoder = parse::HikvisionPartDecoder();
  m_got_bytes = false;
  m_in_transfer = true;
  ++m_connects;
  SPDLOG_DEBUG("sources: hikvision connecting source={} url={}", hikvision_camera_key(m_cfg, ""), m_url);
  m_loop.add(e, [this](CURLcode code, long status) { on_done(code, status); });
}

size_t HikvisionClient::on_header(char* data, size_t size, size_t n, void* self) noexcept {
  auto* c = static_cast<HikvisionClient*>(self);
  const std::string_view line(data, size * n);
  if (util::starts_with_icase(line, "content-type:")) {
    c->m_content_type = std::string(util::trim(line.substr(13)));
  }
  return size * n;
}

size_t HikvisionClient::on_body(char* data, size_t size, size_t n, void* self) noexcept {
  auto* c = static_cast<HikvisionClient*>(self);
  try {
    long status = 0;
    curl_easy_getinfo(c->m_easy.get(), CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) {
      return size * n; // a 401 page between challenge and answer
    }
    if (!c->m_got_bytes) {
      c->m_got_bytes = true;
      c->m_backoff.connected(std::chrono::steady_clock::now());
      SPDLOG_INFO("sources: hikvision stream open source={}", hikvision_camera_key(c->m_cfg, ""));
      if (!c->m_info_known && c->m_info_tries < k_device_info_tries && !c->m_info_get.busy()) {
        c->fetch_device_info();
      }
    }
    if (!c->m_parser) {
      auto boundary = parse::multipart_boundary(c->m_content_type);
      c->m_parser = std::make_unique<parse::MultipartParser>(boundary.empty() ? "boundary" : boundary);
    }
    std::vector<parse::MultipartPart> parts;
    c->m_parser->feed(std::string_view(data, size * n), parts);
    std::vector<model::ParseOutcome> outcomes;
    const parse::ParseContext ctx{util::now_micros()};
    for (const auto& p : parts) {
      c->m_decoder.on_part(p, ctx, outcomes);
    }
    c->deliver(outcomes);
    if (!c->m_decoder.waiting()) {
      evtimer_del(c->m_picture_timer.get());
    } else if (evtimer_pending(c->m_picture_timer.get(), nullptr) == 0) {
      evtimer_add(c->m_picture_timer.get(), &k_picture_wait);
    }
  } catch (const std::exception& e) {
    SPDLOG_WARN("sources: hikvision body handling failed error={}", e.what());
  }
  return size * n;
}

void HikvisionClient::deliver(std::vector<model::ParseOutcome>& outcomes) {
  for (auto& o : outcomes) {
    if (!o) {
      SPDLOG_WARN("sources: hikvision part not decoded kind={} reason={}", o.error().kind, o.error().message);
      continue;
    }
    if (o->kind == model::Message::Kind::heartbeat) {
      SourceCamera cam{hikvision_camera_key(m_cfg, ""), o->device.name, url_host(m_cfg.url)};
      o->device.channelId.clear();
      m_sink(*o, cam);
      continue;
    }
    for (auto& ev : o->events) {
      const std::string ch = ev.device.channelId; // a copy: `ev` is moved below
      if (!m_cfg.channels.empty() && !ch.empty() &&
          std::find(m_cfg.channels.begin(), m_cfg.channels.end(), std::atoi(ch.c_str())) == m_cfg.channels.end()) {
        continue;
      }
      model::Message one;
      one.device = ev.device;
      if (m_cfg.channels.size() <= 1) {
        one.device.channelId.clear(); // one camera per key: not an NVR channel (the payload keeps it)
      }
      one.events.push_back(std::move(ev));
      SourceCamera cam{hikvision_camera_key(m_cfg, ch), one.device.name, url_host(m_cfg.url)};
      if (m_snapshots) {
        m_snapshots->push(std::move(one), std::move(cam), util::now_micros());
      } else {
        m_sink(one, cam);
      }
    }
  }
}

// The stream is over (ended, failed or stopped): a part still open and the alert waiting for its
// pictures are delivered as they are.
void HikvisionClient::end_of_stream() {
  if (!m_parser) {
    return;
  }
  std::vector<parse::MultipartPart> parts;
  m_parser->finish(parts);
  m_parser.reset();
  std::vector<model::ParseOutcome> outcomes;
  const parse::ParseContext ctx{util::now_micros()};
  for (const auto& p : parts) {
    m_decoder.on_part(p, ctx, outcomes);
  }
  m_decoder.flush(outcomes);
  deliver(outcomes);
  evtimer_del(m_picture_timer.get());
}

void HikvisionClient::on_done(CURLcode code, long status) {
  m_in_transfer = false;
  end_of_stream();
  const double unit = std::uniform_real_distribution<double>(0.0, 1.0)(m_rng);
  m_backoff.disconnected(std::chrono::steady_clock::now());
  const auto key = hikvision_camera_key(m_cfg, "");
  if (status == 401 || status == 403) {
    const auto delay = m_backoff.auth_failure_delay(unit);
    SPDLOG_ERROR("sources: hikvision credentials refused source={} status={} retry_in_ms={} "
                 "(check username/password_file and the user's notify right)",
                 key, status, delay.count());
    schedule(delay);
    return;
  }
  const auto delay = m_backoff.next_delay(unit);
  if (code == CURLE_OPERATION_TIMEDOUT) {
    SPDLOG_WARN("sources: hikvision stream stalled source={} stall_timeout={}s retry_in_ms={}", key,
                m_cfg.stall_timeout.count(), delay.count());
  } else if (code != CURLE_OK || status != 200) {
    SPDLOG_WARN("sources: hikvision stream failed source={} status={} error={} retry_in_ms={}", key, status,
                curl_easy_strerror(code), delay.count());
  } else {
    SPDLOG_INFO("sources: hikvision stream ended source={} retry_in_ms={}", key, delay.count());
  }
  schedule(delay);
}

void HikvisionClient::fetch_device_info() {
  ++m_info_tries;
  m_info_get.start(
      m_base_url + k_device_info_path, [this](CURL* e) { configure_auth(e); }, std::chrono::seconds(10),
      k_device_info_max_bytes, [this](HttpGet::Result& r) { on_device_info(r); });
}

void HikvisionClient::on_device_info(HttpGet::Result& r) {
  const auto key = hikvision_camera_key(m_cfg, "");
  if (!r.ok()) {
    SPDLOG_DEBUG("sources: hikvision device info unavailable source={} status={} error={}", key, r.status,
                 r.too_large ? "too large" : curl_easy_strerror(r.code));
    return;
  }
  auto id = parse::parse_hikvision_device_info(r.body);
  if (!id) {
    SPDLOG_DEBUG("sources: hikvision device info not decoded source={} reason={}", key, id.error().message);
    return;
  }
  m_info_known = true;
  SPDLOG_INFO("sources: hikvision device source={} model={} serial={}", key, id->model, id->serial);
  model::Message msg;
  msg.kind = model::Message::Kind::heartbeat;
  msg.device = std::move(*id);
  m_sink(msg, SourceCamera{key, "", url_host(m_cfg.url)});
}

void HikvisionClient::schedule(std::chrono::milliseconds delay) {
  const auto tv = to_timeval(delay);
  evtimer_add(m_retry_timer.get(), &tv);
}

void HikvisionClient::on_picture_wait(evutil_socket_t, short, void* self) noexcept {
  auto* c = static_cast<HikvisionClient*>(self);
  try {
    std::vector<model::ParseOutcome> outcomes;
    c->m_decoder.flush(outcomes); // the pictures did not come: the alert goes without them
    c->deliver(outcomes);
  } catch (const std::exception& e) {
    SPDLOG_WARN("sources: hikvision picture wait failed error={}", e.what());
  }
}

void HikvisionClient::on_retry(evutil_socket_t, short, void* self) noexcept {
  try {
    auto* c = static_cast<HikvisionClient*>(self);
    if (!c->m_stopped) {
      c->connect();
    }
  } catch (const std::exception& e) {
    SPDLOG_ERROR("sources: hikvision reconnect failed error={}", e.what());
  }
}

} // namespace cam2mqtt::sources
