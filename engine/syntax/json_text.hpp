// Stage: syntax. Strings escaped for JSON text per RFC 8259.
#pragma once

#include <string>
#include <string_view>

namespace iamsim::syntax {

// s escaped as the inside of a JSON string, without the quotes: for strings written in
// pieces. Each piece must be whole UTF-8 (no sequence split between pieces). A byte that
// starts no UTF-8 sequence is shown as <0xNN>, so the output stays valid.
void append_json_escaped(std::string& out, std::string_view s);

inline void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  append_json_escaped(out, s);
  out += '"';
}

}  // namespace iamsim::syntax
