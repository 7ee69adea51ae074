// Stage: syntax. Where and why a JSON text is malformed, for people: simdjson, which reads
// the fast path, says only what kind of error; this names the line and column.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace iamsim::syntax {

// The first syntax error of a JSON text: its line (counted from first_line), its column
// (1-based, in bytes; on the first line counted from first_column, where the text starts in
// its line) and what is wrong, with bytes that are not UTF-8 shown as <0xXX>.
struct JsonSyntaxError {
  int line = 0;
  int column = 0;
  std::string what;
};
std::optional<JsonSyntaxError> find_json_syntax_error(std::string_view text, int first_line, int first_column = 1);

// "line L, column C: what is wrong", counting as find_json_syntax_error does; "" when the text is
// well-formed JSON. Bytes that are not UTF-8 are shown as <0xXX>.
std::string describe_json_syntax_error(std::string_view text, int first_line, int first_column = 1);

// The text with every byte that is not part of a valid UTF-8 sequence replaced by <0xXX>,
// so messages quoting input stay printable and valid inside JSON.
std::string printable_utf8(std::string_view text);

// Length of the well-formed UTF-8 sequence that starts at text[i], or 0.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

}  // namespace iamsim::syntax
