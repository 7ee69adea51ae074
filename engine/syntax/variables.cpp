// Stage: syntax. The policy-variable grammar (PV1, PV4, PV5).
#include "engine/syntax/variables.hpp"

#include <boost/spirit/home/x3.hpp>

namespace iamsim::syntax {
namespace {

namespace x3 = boost::spirit::x3;

struct escape_tag;
struct variable_tag;

// ${*} ${?} ${$}
const auto escape = x3::rule<escape_tag, char>{"an escape"} = x3::lit("${") >> x3::char_("*?$") >> x3::lit('}');

// ${key} or ${key, 'default'}: the key runs to ',' or '}' and holds no spaces or quotes.
const auto key = x3::rule<struct key_tag, std::string>{"a key"} = x3::lexeme[+(x3::char_ - x3::char_(",}' \t${"))];
const auto fallback = x3::rule<struct fallback_tag, std::string>{
    "a default"} = x3::lit(',') >> *x3::lit(' ') >> x3::lit('\'') >> x3::lexeme[*(x3::char_ - '\'')] >> x3::lit('\'');

void append_text(VariableSplit& out, TextPiece::Kind kind, std::string_view text) {
  if (!out.pieces.empty() && out.pieces.back().kind == kind && kind != TextPiece::Kind::Variable) {
    out.pieces.back().text += text;
    return;
  }
  TextPiece piece;
  piece.kind = kind;
  piece.text = std::string(text);
  out.pieces.push_back(std::move(piece));
}

}  // namespace

VariableSplit split_variables(std::string_view s) {
  VariableSplit out;
  auto it = s.begin();
  const auto end = s.end();
  while (it != end) {
    if (*it == '$' && std::next(it) != end && *std::next(it) == '{') {
      auto probe = it;
      char escaped = 0;
      if (x3::parse(probe, end, escape, escaped)) {
        append_text(out, TextPiece::Kind::Escaped, std::string_view(&escaped, 1));
        it = probe;
        continue;
      }
      probe = it;
      std::string name;
      std::string dflt;
      bool has_default = false;
      const auto variable = x3::lit("${") >> key[([&](auto& ctx) { name = x3::_attr(ctx); })] >>
                            -fallback[([&](auto& ctx) {
                              dflt = x3::_attr(ctx);
                              has_default = true;
                            })] >>
                            x3::lit('}');
      if (x3::parse(probe, end, variable)) {
        TextPiece piece;
        piece.kind = TextPiece::Kind::Variable;
        piece.text = std::move(name);
        piece.has_default = has_default;
        piece.default_value = std::move(dflt);
        out.pieces.push_back(std::move(piece));
        out.has_variables = true;
        it = probe;
        continue;
      }
      if (out.malformed.empty()) {
        auto close = std::find(it, end, '}');
        out.malformed = std::string(it, close == end ? end : std::next(close));
      }
      append_text(out, TextPiece::Kind::Text, "$");
      ++it;
      continue;
    }
    auto next = std::find(std::next(it), end, '$');
    append_text(out, TextPiece::Kind::Text, std::string_view(&*it, static_cast<std::size_t>(next - it)));
    it = next;
  }
  return out;
}

}  // namespace iamsim::syntax
