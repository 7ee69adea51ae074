// Stage: syntax. nlohmann's SAX parser, with a handler that keeps nothing, locates the
// first syntax error; NUL bytes are found first, since nlohmann's lexer takes one for the
// end of the input.
#include "engine/syntax/json_errors.hpp"

#include <nlohmann/json.hpp>

namespace iamsim::syntax {
namespace {

struct NullSax : nlohmann::json_sax<nlohmann::json> {
  std::string message;
  std::size_t error_position = 0;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
    message = ex.what();
    error_position = position;
    return false;
  }
};

JsonSyntaxError at(std::string_view text, std::size_t pos, int first_line, int first_column, const std::string& what) {
  int line = first_line > 0 ? first_line : 1;
  std::size_t line_start = 0;
  bool first = true;
  for (std::size_t i = 0; i < pos && i < text.size(); ++i)
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
      first = false;
    }
  const std::size_t column = pos - line_start + 1 + (first && first_column > 1 ? first_column - 1 : 0);
  return {line, static_cast<int>(column), what};
}

std::size_t utf8_length_impl(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  if (n == 2 && c < 0xC2) return 0;  // overlong
  if (n == 3) {
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0)) return 0;  // overlong, surrogate
  }
  if (n == 4) {
    const auto c1 = static_cast<unsigned char>(s[i + 1]);
    if ((c == 0xF0 && c1 < 0x90) || c > 0xF4 || (c == 0xF4 && c1 >= 0x90)) return 0;
  }
  return n;
}

}  // namespace

std::size_t utf8_sequence_length(std::string_view s, std::size_t i) { return utf8_length_impl(s, i); }

std::string printable_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  static const char hex[] = "0123456789ABCDEF";
  for (std::size_t i = 0; i < s.size();) {
    if (const std::size_t n = utf8_sequence_length(s, i)) {
      out.append(s.substr(i, n));
      i += n;
      continue;
    }
    const auto c = static_cast<unsigned char>(s[i++]);
    out += "<0x";
    out += hex[c >> 4];
    out += hex[c & 0xF];
    out += '>';
  }
  return out;
}

std::optional<JsonSyntaxError> find_json_syntax_error(std::string_view text, int first_line, int first_column) {
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF")
    return at(text, 0, first_line, first_column,
              "the text starts with a UTF-8 byte order mark, which JSON does not allow");
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '\0') {
      return at(text, i, first_line, first_column, "unexpected NUL byte (U+0000) outside a string");
    }
  }
  NullSax sax;
  if (nlohmann::json::sax_parse(text.begin(), text.end(), &sax, nlohmann::json::input_format_t::json, true))
    return std::nullopt;
  // nlohmann counts positions from 1 and prefixes "[json.exception.KIND.N] parse error at ...: ".
  const std::size_t pos = sax.error_position == 0 ? 0 : std::min(sax.error_position - 1, text.size());
  std::string msg = sax.message;
  if (msg.rfind("[json.exception.", 0) == 0)
    if (auto close = msg.find("] "); close != std::string::npos) msg = msg.substr(close + 2);
  if (msg.rfind("parse error", 0) == 0)
    if (auto colon = msg.find(": "); colon != std::string::npos) msg = msg.substr(colon + 2);
  return at(text, pos, first_line, first_column, printable_utf8(msg));
}

std::string describe_json_syntax_error(std::string_view text, int first_line, int first_column) {
  const auto e = find_json_syntax_error(text, first_line, first_column);
  if (!e) return {};
  return "line " + std::to_string(e->line) + ", column " + std::to_string(e->column) + ": " + e->what;
}

}  // namespace iamsim::syntax
