// Bench: synthetic world generator. A small deterministic random source: xoshiro256** seeded
// through splitmix64, with its own integer and choice helpers, so a seed gives the same world
// on every standard library (std::uniform_int_distribution is not specified bit for bit).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace genworld {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    std::uint64_t x = seed;
    for (auto& s : state_) s = splitmix(x);
  }

  // An independent stream for one part of the generator, so parts do not shift each other.
  Rng fork(std::uint64_t salt) const { return Rng(state_[0] ^ (salt * 0x9E3779B97F4A7C15ull) ^ state_[3]); }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n); 0 when n is 0.
  std::uint64_t below(std::uint64_t n) {
    if (n == 0) return 0;
    const std::uint64_t threshold = (0 - n) % n;
    for (;;) {
      const std::uint64_t r = next();
      if (r >= threshold) return r % n;
    }
  }

  // Uniform in [lo, hi].
  int range(int lo, int hi) {
    if (hi <= lo) return lo;
    return lo + static_cast<int>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }

  // True with probability percent/100 (integer arithmetic only).
  bool percent(int p) { return static_cast<int>(below(100)) < p; }

  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(below(v.size()))];
  }

  // An index chosen with the given integer weights (all zero: index 0).
  std::size_t weighted(const std::vector<int>& weights) {
    long total = 0;
    for (int w : weights) total += w > 0 ? w : 0;
    if (total <= 0) return 0;
    long r = static_cast<long>(below(static_cast<std::uint64_t>(total)));
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (weights[i] <= 0) continue;
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return weights.size() - 1;
  }

  template <class T>
  void shuffle(std::vector<T>& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[static_cast<std::size_t>(below(i))]);
  }

  std::string hex(std::size_t n, bool upper) {
    static const char* lower_digits = "0123456789abcdef";
    static const char* upper_digits = "0123456789ABCDEF";
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += (upper ? upper_digits : lower_digits)[below(16)];
    return s;
  }

  std::string digits(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('0' + below(10));
    return s;
  }

  std::string lower_alnum(std::size_t n) {
    static const char* chars = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += chars[below(36)];
    return s;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::uint64_t state_[4];
};

}  // namespace genworld
