// Stage: syntax. The typed values of conditions: IP addresses and CIDRs (C12), instants
// (C9), numbers (C8), booleans (C10) and base64 (C11). Parsed once: policy values at
// compile time, request values when the request is built.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace iamsim::syntax {

// An IPv4 or IPv6 network; a bare address is a /32 or /128 (C12).
struct Cidr {
  std::array<std::uint8_t, 16> bytes{};
  bool v4 = true;
  int prefix = 32;

  bool contains(const Cidr& address) const;
};

std::optional<Cidr> parse_cidr(std::string_view text);

// Milliseconds since the epoch, from W3C ISO 8601 ("2020-01-01", "2020-01-01T00:00:01Z",
// with fractions or offsets) or from epoch seconds (C9).
std::optional<std::int64_t> parse_instant(std::string_view text);

// An integer or decimal (C8).
std::optional<double> parse_number(std::string_view text);

// "true"/"false"; case-insensitively unless case_sensitive (C10).
std::optional<bool> parse_bool(std::string_view text, bool case_sensitive);

std::optional<std::string> decode_base64(std::string_view text);

}  // namespace iamsim::syntax
