#include "util/crc32_clmul.h"

#include <initializer_list>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CAM2MQTT_CRC32_CLMUL 1
#endif

namespace cam2mqtt::util {

#ifdef CAM2MQTT_CRC32_CLMUL
namespace {

// Folding with the bit-reflected constants of Intel's "Fast CRC Computation for Generic
// Polynomials Using PCLMULQDQ Instruction" (Gopal et al., 2009) for the CRC-32 polynomial,
// four 16-byte lanes at a time, then Barrett reduction; the same sequence as the Linux kernel's
// crc32-pclmul and Chromium's zlib. `state` is the inverted (running) CRC; len >= 64 and a
// multiple of 16.
__attribute__((target("pclmul,sse4.1"))) std::uint32_t fold(const unsigned char* buf, std::size_t len,
                                                             std::uint32_t state) {
  alignas(16) static const std::uint64_t k1k2[] = {0x0154442bd4, 0x01c6e41596};
  alignas(16) static const std::uint64_t k3k4[] = {0x01751997d0, 0x00ccaa009e};
  alignas(16) static const std::uint64_t k5k0[] = {0x0163cd6124, 0x0000000000};
  alignas(16) static const std::uint64_t poly[] = {0x01db710641, 0x01f7011641};
  const auto load = [](const unsigned char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); };

  __m128i x1 = load(buf + 0x00);
  __m128i x2 = load(buf + 0x10);
  __m128i x3 = load(buf + 0x20);
  __m128i x4 = load(buf + 0x30);
  x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128(static_cast<int>(state)));
  __m128i x0 = _mm_load_si128(reinterpret_cast<const __m128i*>(k1k2));
  buf += 64;
  len -= 64;
  while (len >= 64) { // four lanes folded 64 bytes forward
    const __m128i x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
    const __m128i x6 = _mm_clmulepi64_si128(x2, x0, 0x00);
    const __m128i x7 = _mm_clmulepi64_si128(x3, x0, 0x00);
    const __m128i x8 = _mm_clmulepi64_si128(x4, x0, 0x00);
    x1 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x1, x0, 0x11), x5), load(buf + 0x00));
    x2 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x2, x0, 0x11), x6), load(buf + 0x10));
    x3 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x3, x0, 0x11), x7), load(buf + 0x20));
    x4 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x4, x0, 0x11), x8), load(buf + 0x30));
    buf += 64;
    len -= 64;
  }
  // Four lanes into one, then one lane 16 bytes forward at a time.
  x0 = _mm_load_si128(reinterpret_cast<const __m128i*>(k3k4));
  for (const __m128i next : {x2, x3, x4}) {
    const __m128i x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
    x1 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x1, x0, 0x11), next), x5);
  }
  while (len >= 16) {
    const __m128i x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
    x1 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x1, x0, 0x11), load(buf)), x5);
    buf += 16;
    len -= 16;
  }
  // 128 -> 64 bits.
  __m128i x2b = _mm_clmulepi64_si128(x1, x0, 0x10);
  const __m128i low32 = _mm_setr_epi32(~0, 0, ~0, 0);
  x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), x2b);
  x0 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(k5k0));
  x2b = _mm_srli_si128(x1, 4);
  x1 = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x1, low32), x0, 0x00), x2b);
  // Barrett reduction to 32 bits.
  x0 = _mm_load_si128(reinterpret_cast<const __m128i*>(poly));
  x2b = _mm_clmulepi64_si128(_mm_and_si128(x1, low32), x0, 0x10);
  x2b = _mm_clmulepi64_si128(_mm_and_si128(x2b, low32), x0, 0x00);
  x1 = _mm_xor_si128(x1, x2b);
  return static_cast<std::uint32_t>(_mm_extract_epi32(x1, 1));
}

bool cpu_has_clmul() noexcept {
  static const bool has = __builtin_cpu_supports("pclmul") != 0 && __builtin_cpu_supports("sse4.1") != 0;
  return has;
}

} // namespace
#endif

std::size_t crc32_clmul(std::uint32_t& crc, const unsigned char* p, std::size_t n) noexcept {
#ifdef CAM2MQTT_CRC32_CLMUL
  if (n >= 64 && cpu_has_clmul()) {
    const std::size_t blocks = n & ~static_cast<std::size_t>(15);
    crc = ~fold(p, blocks, ~crc);
    return blocks;
  }
#endif
  (void)crc;
  (void)p;
  (void)n;
  return 0;
}

} // namespace cam2mqtt::util
