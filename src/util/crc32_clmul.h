#pragma once
// CRC-32 (zlib's: reflected polynomial 0xEDB88320, pre- and post-inverted) over whole 16-byte
// blocks with carry-less multiplication (PCLMULQDQ), when the CPU has it. The spool's CRC of
// every record was ~0.66M instructions per image event with zlib's table loop.
#include <cstddef>
#include <cstdint>

namespace cam2mqtt::util {

// Folds a prefix of p[0, n) that is a multiple of 16 bytes into `crc` (a finished zlib CRC-32
// value, 0 to start) and returns its length: 0 when the CPU lacks PCLMULQDQ/SSE4.1 or n < 64.
// The caller finishes the rest with zlib's crc32().
std::size_t crc32_clmul(std::uint32_t& crc, const unsigned char* p, std::size_t n) noexcept;

} // namespace cam2mqtt::util
