// Stage: syntax. JSON string escaping, for every writer of JSON text: result lines and the
// JSON that YAML policy documents become.
#include "engine/syntax/json_text.hpp"

#include <cstdint>
#include <cstring>

#include "engine/syntax/json_errors.hpp"

namespace iamsim::syntax {

namespace {

// True when none of the 8 bytes at p needs a look: each is printable ASCII other than '"'
// and '\\'. Output is mostly such text, so it is skipped a word at a time (bit tricks from
// "Bit Twiddling Hacks": a byte below n, or a zero byte after an XOR, sets its high bit).
bool plain8(const char* p) {
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  const auto has_zero = [&](std::uint64_t x) { return (x - ones) & ~x & highs; };
  const std::uint64_t below_space = (v - ones * 0x20) & ~v & highs;
  return (below_space | has_zero(v ^ (ones * '"')) | has_zero(v ^ (ones * '\\')) | (v & highs)) == 0;
}

bool plain(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x20 && u < 0x80 && u != '"' && u != '\\';
}

}  // namespace

void append_json_escaped(std::string& out, std::string_view s) {
  static const char hex[] = "0123456789abcdef";
  // Most strings need no escaping at all: then one append.
  std::size_t i = 0;
  while (i + 8 <= s.size() && plain8(s.data() + i)) i += 8;
  while (i < s.size() && plain(s[i])) ++i;
  if (i == s.size()) {
    out.append(s);
    return;
  }
  // Copy runs that need no escaping in one append.
  std::size_t run = 0;
  for (; i < s.size(); ++i) {
    if (i + 8 <= s.size() && plain8(s.data() + i)) {
      i += 7;
      continue;
    }
    const auto u = static_cast<unsigned char>(s[i]);
    if (u >= 0x80) {
      // Output stays valid UTF-8 and JSON: a byte that starts no UTF-8 sequence is shown.
      if (const std::size_t n = utf8_sequence_length(s, i)) {
        i += n - 1;
        continue;
      }
      out.append(s.data() + run, i - run);
      run = i + 1;
      out += "<0x";
      out += hex[u >> 4] - ('a' - 'A') * (hex[u >> 4] >= 'a');
      out += hex[u & 0xF] - ('a' - 'A') * (hex[u & 0xF] >= 'a');
      out += '>';
      continue;
    }
    if (u >= 0x20 && u != '"' && u != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    const char ch = s[i];
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xF];
    }
  }
  out.append(s.data() + run, s.size() - run);
}

}  // namespace iamsim::syntax
