// Stage: report. JSON string escaping.
#include "sim-cli/render/json_writer.hpp"

#include "engine/syntax/json_errors.hpp"

namespace iamsim::cli {

void append_json_string(std::string& out, std::string_view s) {
  static const char hex[] = "0123456789abcdef";
  out += '"';
  // Copy runs that need no escaping in one append.
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto u = static_cast<unsigned char>(s[i]);
    if (u >= 0x80) {
      // Output stays valid UTF-8 and JSON: a byte that starts no UTF-8 sequence is shown.
      if (const std::size_t n = syntax::utf8_sequence_length(s, i)) {
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
  out += '"';
}

}  // namespace iamsim::cli
