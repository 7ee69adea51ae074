// Stage: syntax. Policy variables inside a string (PV1, PV4, PV5): ${key}, ${key, 'default'}
// and the escapes ${*} ${?} ${$}, parsed by a Boost.Spirit X3 grammar into pieces.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace iamsim::syntax {

struct TextPiece {
  enum class Kind {
    Text,      // ordinary characters; '*' and '?' are wildcards where the operator allows
    Escaped,   // from ${*} ${?} ${$}: always the literal character
    Variable,  // ${key} or ${key, 'default'}
  };
  Kind kind = Kind::Text;
  std::string text;          // Text/Escaped: the characters; Variable: the key as written
  bool has_default = false;  // Variable only
  std::string default_value;
};

struct VariableSplit {
  std::vector<TextPiece> pieces;
  bool has_variables = false;
  // "${" that does not start a well-formed variable is kept as text; this names the first.
  std::string malformed;
};

// Splits s into text, escapes and variables. Call only where variables are active
// (Version 2012-10-17); elsewhere the whole string is one Text piece (G3).
VariableSplit split_variables(std::string_view s);

}  // namespace iamsim::syntax
