// Stage: report. Escaping control characters for text output.
#include "sim-cli/render/terminal_text.hpp"

#include "engine/syntax/json_errors.hpp"

namespace iamsim::cli {
namespace {

bool needs_care(unsigned char c) { return (c < 0x20 && c != '\n' && c != '\t') || c >= 0x7F; }

void append_escape(std::string& out, unsigned code) {
  static const char hex[] = "0123456789ABCDEF";
  out += "\\u00";
  out += hex[(code >> 4) & 0xF];
  out += hex[code & 0xF];
}

}  // namespace

std::string terminal_safe(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && !needs_care(static_cast<unsigned char>(text[i]))) ++i;
  if (i == text.size()) return std::string(text);  // the common case: plain ASCII
  const std::string utf8 = syntax::printable_utf8(text);
  std::string out;
  out.reserve(utf8.size() + 16);
  for (std::size_t k = 0; k < utf8.size(); ++k) {
    const auto c = static_cast<unsigned char>(utf8[k]);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
      append_escape(out, c);
    } else if (c == 0xC2 && k + 1 < utf8.size() && static_cast<unsigned char>(utf8[k + 1]) < 0xA0) {
      append_escape(out, static_cast<unsigned char>(utf8[k + 1]));  // U+0080..U+009F
      ++k;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace iamsim::cli
