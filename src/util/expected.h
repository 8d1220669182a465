#pragma once
// A small Expected<T, E>: a value or an error, for failures that are part of normal operation
// (untrusted input). std::expected needs C++23 and tl-expected is not packaged in Debian 12.
#include <cassert>
#include <utility>
#include <variant>

namespace cam2mqtt::util {

template <typename E> struct Unexpected {
  E error;
};
template <typename E> Unexpected<std::decay_t<E>> unexpected(E&& e) {
  return {std::forward<E>(e)};
}

template <typename T, typename E> class Expected {
public:
  Expected(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
  template <typename G> Expected(Unexpected<G> u) : m_v(std::in_place_index<1>, E(std::move(u.error))) {}

  bool has_value() const noexcept { return m_v.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { assert(has_value()); return std::get<0>(m_v); }
  const T& value() const& { assert(has_value()); return std::get<0>(m_v); }
  T&& value() && { assert(has_value()); return std::get<0>(std::move(m_v)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  E& error() & { assert(!has_value()); return std::get<1>(m_v); }
  const E& error() const& { assert(!has_value()); return std::get<1>(m_v); }

private:
  std::variant<T, E> m_v;
};

} // namespace cam2mqtt::util
