// Stage: shared. ASCII text helpers used where AWS compares case-insensitively (A1, C3):
// AWS identifiers are ASCII, and the C locale's tolower would cost a call per character.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace iamsim {

inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string ascii_lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

// Equality for the short strings of policies (services, accounts, action names): up to 16
// bytes with two overlapping 8-byte loads a side instead of a call to memcmp.
inline bool text_equal(std::string_view a, std::string_view b) {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  if (n >= 8 && n <= 16) {
    std::uint64_t a0, a1, b0, b1;
    std::memcpy(&a0, a.data(), 8);
    std::memcpy(&b0, b.data(), 8);
    std::memcpy(&a1, a.data() + n - 8, 8);
    std::memcpy(&b1, b.data() + n - 8, 8);
    return a0 == b0 && a1 == b1;
  }
  if (n < 8) {
    for (std::size_t i = 0; i < n; ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  return std::memcmp(a.data(), b.data(), n) == 0;
}

// A fast non-cryptographic hash for cache keys: four independent lanes of multiply-mix,
// 32 bytes a step. Callers compare the full text on a match, so a collision costs time,
// never correctness.
inline std::uint64_t fast_hash(std::string_view s) {
  constexpr std::uint64_t m = 0x9E3779B97F4A7C15ull;
  std::uint64_t lanes[4] = {s.size() * m, 0x243F6A8885A308D3ull, 0x13198A2E03707344ull, 0xA4093822299F31D0ull};
  std::size_t i = 0;
  for (; i + 32 <= s.size(); i += 32) {
    for (int k = 0; k < 4; ++k) {
      std::uint64_t w;
      std::memcpy(&w, s.data() + i + 8 * k, 8);
      lanes[k] = (lanes[k] ^ w) * m;
      lanes[k] ^= lanes[k] >> 29;
    }
  }
  std::uint64_t h = lanes[0] ^ (lanes[1] * 3) ^ (lanes[2] * 5) ^ (lanes[3] * 7);
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * m;
    h ^= h >> 29;
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, s.data() + i, s.size() - i);
  h = (h ^ tail) * m;
  return h ^ (h >> 32);
}

}  // namespace iamsim
