#include "config/secrets.h"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

namespace cam2mqtt::config {

std::string resolve_path(const std::filesystem::path& base_dir, const std::string& path) {
  if (path.empty() || std::filesystem::path(path).is_absolute()) {
    return path;
  }
  return (base_dir / path).lexically_normal().string();
}

std::string read_file(const std::string& path, std::string& out) {
  // POSIX calls rather than iostreams: errno is reliable, and a directory fails at read().
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return std::strerror(errno);
  }
  std::string content;
  std::array<char, 4096> buffer{};
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      const int error = errno;
      ::close(fd);
      return std::strerror(error);
    }
    if (n == 0) {
      break;
    }
    content.append(buffer.data(), static_cast<std::size_t>(n));
  }
  ::close(fd);
  out = std::move(content);
  return "";
}

void read_password(MapReader& r, const std::filesystem::path& base_dir, std::string& password,
                   std::string& password_file) {
  const bool inline_given = r.has("password");
  std::string file;
  if (r.string("password_file", file) && !file.empty()) {
    if (inline_given) {
      r.error("password_file", "give either password or password_file, not both");
      return;
    }
    const std::string resolved = resolve_path(base_dir, file);
    std::string secret;
    if (const std::string problem = read_file(resolved, secret); !problem.empty()) {
      r.error("password_file", "cannot read \"" + resolved + "\": " + problem);
      return;
    }
    if (!secret.empty() && secret.back() == '\n') {
      secret.pop_back();
      if (!secret.empty() && secret.back() == '\r') {
        secret.pop_back();
      }
    }
    if (secret.empty()) {
      r.error("password_file", "\"" + resolved + "\" is empty");
      return;
    }
    password = std::move(secret);
    password_file = resolved;
    return;
  }
  if (inline_given && r.string("password", password) && !password.empty()) {
    r.warning("password", "inline password; prefer password_file so the secret stays out of the config");
  }
}

void read_readable_file(MapReader& r, std::string_view key, const std::filesystem::path& base_dir,
                        std::string& out) {
  std::string path;
  if (!r.string(key, path) || path.empty()) {
    return;
  }
  const std::string resolved = resolve_path(base_dir, path);
  std::string content;
  if (const std::string problem = read_file(resolved, content); !problem.empty()) {
    r.error(key, "cannot read \"" + resolved + "\": " + problem);
    return;
  }
  out = resolved;
}

} // namespace cam2mqtt::config
