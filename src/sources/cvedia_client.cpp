#include "sources/cvedia_client.h"

#include <algorithm>
#include <spdlog/spdlog.h>

#include "sources/curl_options.h"

namespace cam2mqtt::sources {

namespace {
constexpr auto k_heartbeat_every = std::chrono::seconds(5);
constexpr std::size_t k_max_poll_body = 64 * 1024 * 1024;

std::string escape(const std::string& text) {
  char* out = curl_easy_escape(nullptr, text.c_str(), static_cast<int>(text.size()));
  std::string s = out != nullptr ? out : "";
  curl_free(out);
  return s;
}

CropJoinerSettings joiner_settings(const config::CvediaSourceConfig& cfg) {
  CropJoinerSettings s;
  s.crop_wait = cfg.crop_wait;
  // A filter without crops brings none: no event needs to wait for one.
  if (!cfg.events.empty() && std::find(cfg.events.begin(), cfg.events.end(), "crop") == cfg.events.end()) {
    s.crop_wait = std::chrono::milliseconds(0);
  }
  return s;
}
} // namespace

std::string cvedia_camera_key(const config::CvediaSourceConfig& cfg) {
  return topic_safe(cfg.id.empty() ? cfg.instance : cfg.id);
}

std::string cvedia_url(const config::CvediaSourceConfig& cfg) {
  std::string url = cfg.url;
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  url += "/v1/core/instance/" + escape(cfg.instance);
  if (cfg.mode == "poll") {
    return url + "/consume_events";
  }
  url += "/consume_events_sse";
  for (std::size_t i = 0; i < cfg.events.size(); ++i) {
    url += (i == 0 ? "?events=" : ",") + escape(cfg.events[i]);
  }
  return url;
}

CvediaClient::CvediaClient(event_base* base, CurlLoop& loop, const config::CvediaSourceConfig& cfg, SourceSink sink)
    : m_base(base), m_loop(loop), m_cfg(cfg), m_sink(std::move(sink)),
      m_camera{cvedia_camera_key(cfg), "", url_host(cfg.url)}, m_url(cvedia_url(cfg)), m_poll(cfg.mode == "poll"),
      m_poll_get(loop), m_joiner(joiner_settings(cfg)) {
  m_retry_timer.reset(evtimer_new(m_base, &CvediaClient::on_retry, this));
  m_join_timer.reset(evtimer_new(m_base, &CvediaClient::on_join_timer, this));
  m_stop_timer.reset(evtimer_new(m_base, &CvediaClient::on_stop_timer, this));
}

CvediaClient::~CvediaClient() {
  if (m_joiner.waiting() != 0) { // stop() was not called: say what is lost
    SPDLOG_WARN("sources: cvedia client closed with events waiting for their crop source={} lost={}", m_camera.key,
                m_joiner.waiting());
  }
  if (m_in_transfer && m_easy) {
    m_loop.remove(m_easy.get());
  }
}

void CvediaClient::start() {
  connect();
}

void CvediaClient::stop(std::function<void()> stopped, std::chrono::milliseconds poll_grace) {
  if (m_stopped) {
    return;
  }
  m_stopped = true;
  m_on_stopped = std::move(stopped);
  evtimer_del(m_retry_timer.get());
  evtimer_del(m_join_timer.get());
  if (m_in_transfer && m_easy) {
    m_loop.remove(m_easy.get());
  }
  m_in_transfer = false;
  if (m_poll_get.busy() && poll_grace.count() > 0) {
    // Cancelling it could lose what the server has already drained from its queue into it.
    SPDLOG_INFO("sources: cvedia stopping, waiting for the poll in flight source={} grace_ms={}", m_camera.key,
                poll_grace.count());
    const auto tv = to_timeval(poll_grace);
    evtimer_add(m_stop_timer.get(), &tv);
    return; // on_poll or on_stop_timer finishes
  }
  finish_stop();
}

void CvediaClient::finish_stop() noexcept {
  if (m_finished) {
    return;
  }
  m_finished = true;
  evtimer_del(m_stop_timer.get());
  evtimer_del(m_join_timer.get());
  try {
    if (m_poll_get.busy()) {
      SPDLOG_WARN("sources: cvedia poll still in flight at stop, cancelled; what the server had put in it is lost "
                  "source={}",
                  m_camera.key);
      m_poll_get.cancel();
    }
    std::vector<model::Event> released;
    m_joiner.release_waiting(std::chrono::steady_clock::now(), released);
    const auto crops = m_joiner.crops_held();
    m_joiner.drop_held_crops();
    if (!released.empty() || crops != 0) {
      SPDLOG_INFO("sources: cvedia stopping, events published without waiting longer for their crop source={} "
                  "count={} crops_dropped={}",
                  m_camera.key, released.size(), crops);
    }
    deliver(released);
  } catch (const std::exception& e) {
    SPDLOG_ERROR("sources: cvedia stop failed source={} error={}", m_camera.key, e.what());
  }
  if (m_on_stopped) {
    auto stopped = std::move(m_on_stopped);
    m_on_stopped = nullptr;
    stopped();
  }
}

void CvediaClient::on_stop_timer(evutil_socket_t, short, void* self) noexcept {
  static_cast<CvediaClient*>(self)->finish_stop();
}

void CvediaClient::connect() {
  ++m_connects;
  SPDLOG_DEBUG("sources: cvedia connecting source={} url={}", m_camera.key, m_url);
  if (m_poll) {
    m_poll_get.start(
        m_url, [this](CURL* e) { set_tls_options(e, m_cfg.verify_tls, m_cfg.ca_file); }, m_cfg.stall_timeout,
        k_max_poll_body, [this](HttpGet::Result& r) { on_poll(r); });
    return;
  }
  m_easy = make_curl_easy();
  CURL* e = m_easy.get();
  curl_easy_setopt(e, CURLOPT_URL, m_url.c_str());
  set_tls_options(e, m_cfg.verify_tls, m_cfg.ca_file);
  set_stall_watchdog(e, m_cfg.stall_timeout);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &CvediaClient::on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, this);
  m_sse.reset(); // ids count per connection; a half record died with the old one
  m_got_bytes = false;
  m_in_transfer = true;
  m_loop.add(e, [this](CURLcode code, long status) { on_done(code, status); });
}

size_t CvediaClient::on_body(char* data, size_t size, size_t n, void* self) noexcept {
  auto* c = static_cast<CvediaClient*>(self);
  try {
    long status = 0;
    curl_easy_getinfo(c->m_easy.get(), CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) {
      return size * n; // an error page
    }
    if (!c->m_got_bytes) {
      c->m_got_bytes = true;
      c->m_backoff.connected(std::chrono::steady_clock::now());
      SPDLOG_INFO("sources: cvedia stream open source={} instance={}", c->m_camera.key, c->m_cfg.instance);
      c->heartbeat(true);
    }
    c->on_bytes(std::string_view(data, size * n));
  } catch (const std::exception& e) {
    SPDLOG_WARN("sources: cvedia body handling failed source={} error={}", c->m_camera.key, e.what());
  }
  return size * n;
}

void CvediaClient::on_bytes(std::string_view bytes) {
  std::vector<parse::SseRecord> records;
  const auto oversized = m_sse.oversized();
  m_sse.feed(bytes, records);
  if (m_sse.oversized() != oversized) {
    SPDLOG_WARN("sources: cvedia record over the size cap skipped source={} total={}", m_camera.key,
                m_sse.oversized());
  }
  for (const auto& r : records) {
    for (const auto& item : parse::unwrap_cvedia_data(r.event, r.data)) {
      handle(item);
    }
  }
  heartbeat(false); // any byte, comment or record is liveness
}

bool CvediaClient::wanted(const std::string& name) const {
  return m_cfg.events.empty() || name.empty() || name == "message" ||
         std::find(m_cfg.events.begin(), m_cfg.events.end(), name) != m_cfg.events.end();
}

void CvediaClient::handle(const parse::SseRecord& record) {
  if (!wanted(record.event)) { // polling has no server-side filter
    return;
  }
  auto rec = parse::decode_cvedia_record(record.event, record.data, parse::ParseContext{util::now_micros()});
  if (!rec) {
    ++m_bad_records;
    std::uint64_t suppressed = 0;
    if (m_warn_limiter.allow(rec.error().kind, suppressed)) {
      SPDLOG_WARN("sources: cvedia record not decoded source={} kind={} reason={} total={} suppressed={}",
                  m_camera.key, rec.error().kind, rec.error().message, m_bad_records, suppressed);
    }
    return;
  }
  if (rec->kind == parse::CvediaRecord::Kind::liveness) {
    return;
  }
  std::vector<model::Event> released;
  m_joiner.on_record(std::move(*rec), std::chrono::steady_clock::now(), released);
  deliver(released);
}

void CvediaClient::deliver(std::vector<model::Event>& events) {
  for (auto& ev : events) {
    model::Message one;
    one.device = ev.device;
    one.events.push_back(std::move(ev));
    m_sink(one, m_camera);
  }
  arm_join_timer();
}

void CvediaClient::heartbeat(bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - m_last_heartbeat < k_heartbeat_every) {
    return;
  }
  m_last_heartbeat = now;
  model::Message hb;
  hb.kind = model::Message::Kind::heartbeat;
  hb.device.deviceNo = m_cfg.instance;
  hb.device.model = "CVEDIA-RT";
  hb.device.deviceType = "CVEDIA-RT";
  hb.device.manufacturer = "CVEDIA";
  m_sink(hb, m_camera);
}

void CvediaClient::arm_join_timer() {
  const auto next = m_joiner.next_deadline();
  if (!next || m_stopped) {
    evtimer_del(m_join_timer.get());
    return;
  }
  const auto wait = std::max(std::chrono::steady_clock::duration::zero(), *next - std::chrono::steady_clock::now());
  const auto tv = to_timeval(std::chrono::duration_cast<std::chrono::microseconds>(wait));
  evtimer_add(m_join_timer.get(), &tv);
}

void CvediaClient::on_join_timer(evutil_socket_t, short, void* self) noexcept {
  auto* c = static_cast<CvediaClient*>(self);
  try {
    std::vector<model::Event> released;
    c->m_joiner.expire(std::chrono::steady_clock::now(), released);
    c->deliver(released);
  } catch (const std::exception& e) {
    SPDLOG_ERROR("sources: cvedia crop join failed source={} error={}", c->m_camera.key, e.what());
  }
}

void CvediaClient::on_poll(HttpGet::Result& r) {
  if (r.code == CURLE_OK && (r.status == 200 || r.status == 204) && !r.too_large) {
    if (r.status == 200) { // a JSON array of {dataType, jsonObject}, drained from the server's queue
      for (const auto& item : parse::unwrap_cvedia_data("", r.body)) {
        handle(item);
      }
    }
    if (m_stopped) { // the poll stop() waited for
      finish_stop();
      return;
    }
    heartbeat(false);
    m_backoff = Backoff(Backoff::Settings{}); // healthy: the next failure starts at 1 s again
    schedule(m_cfg.poll_interval);
    return;
  }
  if (r.too_large) {
    SPDLOG_WARN("sources: cvedia poll response over {} bytes source={}", k_max_poll_body, m_camera.key);
  }
  if (m_stopped) {
    SPDLOG_WARN("sources: cvedia poll failed while stopping source={} status={} error={}", m_camera.key, r.status,
                curl_easy_strerror(r.code));
    finish_stop();
    return;
  }
  on_done(r.code, r.status);
}

void CvediaClient::on_done(CURLcode code, long status) {
  m_in_transfer = false;
  const double unit = std::uniform_real_distribution<double>(0.0, 1.0)(m_rng);
  m_backoff.disconnected(std::chrono::steady_clock::now());
  if (!m_poll && m_got_bytes && m_sse.retry()) {
    m_backoff.server_retry(std::max(*m_sse.retry(), std::chrono::milliseconds(100)));
  }
  if (status == 404 || status == 409) {
    const auto delay = m_backoff.auth_failure_delay(unit);
    SPDLOG_WARN("sources: cvedia instance unknown or not running source={} instance={} status={} retry_in_ms={}",
                m_camera.key, m_cfg.instance, status, delay.count());
    schedule(delay);
    return;
  }
  const auto delay = m_backoff.next_delay(unit);
  if (code == CURLE_OPERATION_TIMEDOUT) {
    SPDLOG_WARN("sources: cvedia {} stalled source={} stall_timeout={}s retry_in_ms={}", m_poll ? "poll" : "stream",
                m_camera.key, m_cfg.stall_timeout.count(), delay.count());
  } else if (code != CURLE_OK || status != 200) {
    SPDLOG_WARN("sources: cvedia {} failed source={} status={} error={} retry_in_ms={}", m_poll ? "poll" : "stream",
                m_camera.key, status, curl_easy_strerror(code), delay.count());
  } else {
    SPDLOG_INFO("sources: cvedia stream ended source={} retry_in_ms={}", m_camera.key, delay.count());
  }
  schedule(delay);
}

void CvediaClient::schedule(std::chrono::milliseconds delay) {
  const auto tv = to_timeval(delay);
  evtimer_add(m_retry_timer.get(), &tv);
}

void CvediaClient::on_retry(evutil_socket_t, short, void* self) noexcept {
  try {
    auto* c = static_cast<CvediaClient*>(self);
    if (!c->m_stopped) {
      c->connect();
    }
  } catch (const std::exception& e) {
    SPDLOG_ERROR("sources: cvedia reconnect failed error={}", e.what());
  }
}

} // namespace cam2mqtt::sources
