// Stage: syntax. Hand-written readers for typed condition values; each rejects anything it
// cannot read fully, so a malformed policy value becomes an error, never a guess.
#include "engine/syntax/values.hpp"

#include <charconv>
#include <vector>

namespace iamsim::syntax {
namespace {

bool read_uint(std::string_view s, std::size_t& i, std::size_t digits_min, std::size_t digits_max, int& out) {
  std::size_t start = i;
  int v = 0;
  while (i < s.size() && i - start < digits_max && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0');
  if (i - start < digits_min) return false;
  out = v;
  return true;
}

std::optional<std::array<std::uint8_t, 4>> parse_ipv4(std::string_view s) {
  std::array<std::uint8_t, 4> out{};
  std::size_t i = 0;
  for (int part = 0; part < 4; ++part) {
    int v = 0;
    const std::size_t start = i;
    if (!read_uint(s, i, 1, 3, v) || v > 255) return std::nullopt;
    if (i - start > 1 && s[start] == '0') return std::nullopt;  // no leading zeros
    out[part] = static_cast<std::uint8_t>(v);
    if (part < 3) {
      if (i >= s.size() || s[i] != '.') return std::nullopt;
      ++i;
    }
  }
  if (i != s.size()) return std::nullopt;
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::array<std::uint8_t, 16>> parse_ipv6(std::string_view s) {
  std::vector<std::uint16_t> head, tail;
  bool seen_gap = false;
  std::size_t i = 0;
  if (s.rfind("::", 0) == 0) {
    seen_gap = true;
    i = 2;
  }
  std::optional<std::array<std::uint8_t, 4>> embedded_v4;
  while (i < s.size()) {
    auto& groups = seen_gap ? tail : head;
    // An embedded IPv4 address may end the text (::ffff:1.2.3.4).
    const auto rest = s.substr(i);
    if (rest.find('.') != std::string_view::npos && rest.find(':') == std::string_view::npos) {
      embedded_v4 = parse_ipv4(rest);
      if (!embedded_v4) return std::nullopt;
      i = s.size();
      break;
    }
    int v = 0;
    std::size_t digits = 0;
    while (i < s.size() && digits < 4 && hex_value(s[i]) >= 0) {
      v = v * 16 + hex_value(s[i++]);
      ++digits;
    }
    if (digits == 0) return std::nullopt;
    groups.push_back(static_cast<std::uint16_t>(v));
    if (i == s.size()) break;
    if (s[i] != ':') return std::nullopt;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (seen_gap) return std::nullopt;
      seen_gap = true;
      ++i;
    } else if (i == s.size()) {
      return std::nullopt;
    }
  }
  const std::size_t groups = head.size() + tail.size() + (embedded_v4 ? 2 : 0);
  if (groups > 8 || (!seen_gap && groups != 8) || (seen_gap && groups == 8)) return std::nullopt;
  std::array<std::uint8_t, 16> out{};
  std::size_t pos = 0;
  for (auto g : head) {
    out[pos++] = static_cast<std::uint8_t>(g >> 8);
    out[pos++] = static_cast<std::uint8_t>(g & 0xFF);
  }
  pos = 16 - (tail.size() * 2) - (embedded_v4 ? 4 : 0);
  for (auto g : tail) {
    out[pos++] = static_cast<std::uint8_t>(g >> 8);
    out[pos++] = static_cast<std::uint8_t>(g & 0xFF);
  }
  if (embedded_v4)
    for (auto b : *embedded_v4) out[pos++] = b;
  return out;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : days[m - 1];
}

}  // namespace

bool Cidr::contains(const Cidr& address) const {
  if (v4 != address.v4) return false;
  const int total_bits = v4 ? 32 : 128;
  const int bits = prefix < total_bits ? prefix : total_bits;
  for (int i = 0; i < bits / 8; ++i)
    if (bytes[i] != address.bytes[i]) return false;
  if (bits % 8) {
    const auto mask = static_cast<std::uint8_t>(0xFF << (8 - bits % 8));
    if ((bytes[bits / 8] & mask) != (address.bytes[bits / 8] & mask)) return false;
  }
  return true;
}

std::optional<Cidr> parse_cidr(std::string_view text) {
  Cidr out;
  const auto slash = text.find('/');
  const auto address = text.substr(0, slash);
  if (auto v4 = parse_ipv4(address)) {
    out.v4 = true;
    std::copy(v4->begin(), v4->end(), out.bytes.begin());
    out.prefix = 32;
  } else if (auto v6 = parse_ipv6(address)) {
    out.v4 = false;
    out.bytes = *v6;
    out.prefix = 128;
  } else {
    return std::nullopt;
  }
  if (slash != std::string_view::npos) {
    const auto bits = text.substr(slash + 1);
    if (bits.empty() || bits.size() > 3 || bits.find_first_not_of("0123456789") != std::string_view::npos)
      return std::nullopt;
    int prefix = 0;
    auto [ptr, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
    if (ec != std::errc() || ptr != bits.data() + bits.size() || bits.empty() || prefix < 0 ||
        prefix > (out.v4 ? 32 : 128))
      return std::nullopt;
    out.prefix = prefix;
  }
  return out;
}

std::optional<std::int64_t> parse_instant(std::string_view s) {
  if (s.empty()) return std::nullopt;
  // Epoch seconds: only digits (C9 allows them wherever a date is expected).
  if (s.find_first_not_of("0123456789") == std::string_view::npos) {
    std::int64_t secs = 0;
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), secs);
    if (ec != std::errc() || ptr != s.data() + s.size() || secs > 253402300799) return std::nullopt;
    return secs * 1000;
  }
  std::size_t i = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
  if (!read_uint(s, i, 4, 4, y) || i >= s.size() || s[i++] != '-') return std::nullopt;
  if (!read_uint(s, i, 2, 2, mo) || i >= s.size() || s[i++] != '-') return std::nullopt;
  if (!read_uint(s, i, 2, 2, d)) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) return std::nullopt;
  std::int64_t offset_minutes = 0;
  if (i < s.size()) {
    if (s[i] != 'T' && s[i] != 't') return std::nullopt;
    ++i;
    if (!read_uint(s, i, 2, 2, h) || i >= s.size() || s[i++] != ':') return std::nullopt;
    if (!read_uint(s, i, 2, 2, mi)) return std::nullopt;
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!read_uint(s, i, 2, 2, sec)) return std::nullopt;
      if (i < s.size() && s[i] == '.') {
        ++i;
        const std::size_t start = i;
        int frac = 0;
        if (!read_uint(s, i, 1, 9, frac)) return std::nullopt;
        std::size_t digits = i - start;
        while (digits > 3) {
          frac /= 10;
          --digits;
        }
        while (digits < 3) {
          frac *= 10;
          ++digits;
        }
        ms = frac;
      }
    }
    if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
    if (i < s.size()) {
      if (s[i] == 'Z' || s[i] == 'z') {
        ++i;
      } else if (s[i] == '+' || s[i] == '-') {
        const int sign = s[i++] == '-' ? -1 : 1;
        int oh = 0, om = 0;
        if (!read_uint(s, i, 2, 2, oh)) return std::nullopt;
        if (i < s.size() && s[i] == ':') ++i;
        if (!read_uint(s, i, 2, 2, om) || oh > 23 || om > 59) return std::nullopt;
        offset_minutes = sign * (oh * 60 + om);
      } else {
        return std::nullopt;
      }
    }
    if (i != s.size()) return std::nullopt;
  }
  const std::int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset_minutes * 60;
  return secs * 1000 + ms;
}

std::optional<double> parse_number(std::string_view s) {
  // [+-]digits[.digits] or [+-].digits: no exponents, infinities or NaN (C8).
  std::size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
  const std::size_t int_start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  const std::size_t int_digits = i - int_start;
  std::size_t frac_digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    const std::size_t frac_start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    frac_digits = i - frac_start;
  }
  if (i != s.size() || int_digits + frac_digits == 0) return std::nullopt;
  double v = 0;
  const char* first = s.data();
  if (*first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, s.data() + s.size(), v, std::chars_format::fixed);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<bool> parse_bool(std::string_view s, bool case_sensitive) {
  auto equals = [&](std::string_view word) {
    if (s.size() != word.size()) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      if (!case_sensitive && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != word[i]) return false;
    }
    return true;
  };
  if (equals("true")) return true;
  if (equals("false")) return false;
  return std::nullopt;
}

std::optional<std::string> decode_base64(std::string_view s) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (s.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(s.size() / 4 * 3);
  for (std::size_t i = 0; i < s.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int j = 0; j < 4; ++j) {
      const char c = s[i + j];
      if (c == '=' && i + 4 == s.size() && j >= 2) {
        v[j] = 0;
        ++pad;
      } else {
        if (pad) return std::nullopt;
        v[j] = value(c);
        if (v[j] < 0) return std::nullopt;
      }
    }
    const std::uint32_t triple = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    out += static_cast<char>((triple >> 16) & 0xFF);
    if (pad < 2) out += static_cast<char>((triple >> 8) & 0xFF);
    if (pad < 1) out += static_cast<char>(triple & 0xFF);
  }
  return out;
}

}  // namespace iamsim::syntax
