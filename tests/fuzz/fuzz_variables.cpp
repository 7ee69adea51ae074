// Fuzz target: arbitrary bytes as text with policy variables, then as wildcard patterns.
// Invariants: the pieces are well-formed; a glob always matches its own text (each '*'
// and '?' can match itself), case-insensitively too; a literal pattern matches only its
// own text; variables resolve from a source built from the input. The text's lines, as
// the patterns of one condition, give the subject the same answer through the lookup
// (compile::StringLookup) as through the plain path that tries each in turn.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/compile/pattern.hpp"
#include "engine/syntax/variables.hpp"
#include "engine/text.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using namespace iamsim;

// Every key resolves to the same value, except keys starting with 'x', which have none.
class Source final : public compile::VariableSource {
 public:
  explicit Source(std::string_view value) : value_(value) {}
  std::optional<std::string_view> variable(std::string_view lower_key) const override {
    if (!lower_key.empty() && lower_key[0] == 'x') return std::nullopt;
    return value_;
  }

 private:
  std::string_view value_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // "pattern\0subject": the subject defaults to the pattern text itself.
  const auto nul = input.find('\0');
  const std::string_view text = input.substr(0, nul);
  const std::string_view subject = nul == std::string_view::npos ? text : input.substr(nul + 1);

  const auto split = syntax::split_variables(text);
  bool any_variable = false;
  for (const auto& p : split.pieces) {
    FUZZ_CHECK(!p.text.empty());
    if (p.kind == syntax::TextPiece::Kind::Variable) {
      any_variable = true;
      FUZZ_CHECK(p.text.find_first_of(",}' \t${") == std::string::npos);
      if (!p.has_default) FUZZ_CHECK(p.default_value.empty());
    }
    if (p.kind == syntax::TextPiece::Kind::Escaped) FUZZ_CHECK(p.text.find_first_not_of("*?$") == std::string::npos);
  }
  FUZZ_CHECK(any_variable == split.has_variables);
  if (!split.malformed.empty())
    FUZZ_CHECK(split.malformed.rfind("${", 0) == 0 && text.find(split.malformed) != std::string_view::npos);

  // Plain globs: each matches its own text.
  const auto glob = compile::Pattern::from_text(text, true, true, false);
  FUZZ_CHECK(glob.match(text, false, nullptr) == compile::MatchResult::Match);
  const auto lower = compile::Pattern::from_text(text, true, true, true);
  FUZZ_CHECK(lower.match(ascii_lowered(text), true, nullptr) == compile::MatchResult::Match);
  FUZZ_CHECK(lower.match(text, true, nullptr) == compile::MatchResult::Match);
  const auto no_question = compile::Pattern::from_text(text, true, false, false);
  FUZZ_CHECK(no_question.match(text, false, nullptr) == compile::MatchResult::Match);
  const auto literal = compile::Pattern::from_text(text, false, false, false);
  FUZZ_CHECK((literal.match(subject, false, nullptr) == compile::MatchResult::Match) == (subject == text));
  if (glob.matches_everything()) FUZZ_CHECK(glob.match(subject, false, nullptr) == compile::MatchResult::Match);
  (void)glob.match(subject, true, nullptr);

  // With variables: never Unresolved when every variable has a value or a default.
  const Source source(subject);
  const auto with_vars = compile::Pattern::from_pieces(split.pieces, true, true, false);
  const auto result = with_vars.match(subject, false, &source);
  bool unresolvable = false;
  for (const auto& p : split.pieces)
    if (p.kind == syntax::TextPiece::Kind::Variable && !p.has_default && ascii_lower(p.text[0]) == 'x')
      unresolvable = true;
  if (!unresolvable) FUZZ_CHECK(result != compile::MatchResult::Unresolved);
  if (!split.has_variables) FUZZ_CHECK(result == with_vars.match(subject, false, nullptr));
  (void)with_vars.source();

  // The lookup against the plain path: each line a pattern, as StringLike and as
  // StringEqualsIgnoreCase; with the walk and without (then a match must be a real one).
  for (const bool icase : {false, true}) {
    std::vector<compile::Pattern> patterns;
    for (std::size_t start = 0; start <= text.size();) {
      const std::size_t end = std::min(text.find('\n', start), text.size());
      patterns.push_back(compile::Pattern::from_pieces(syntax::split_variables(text.substr(start, end - start)).pieces,
                                                       !icase, true, icase));
      start = end + 1;
    }
    const compile::StringLookup lookup(patterns, icase);
    const auto plain = compile::match_each(patterns, subject, icase, &source);
    const auto fast = lookup.match(subject, &source);
    FUZZ_CHECK(fast.result == plain.result);
    if (plain.result == compile::MatchResult::Unresolved)
      FUZZ_CHECK(fast.unresolved && fast.unresolved->source() == plain.unresolved->source());
    const auto looked_up = lookup.match(subject, &source, false);
    FUZZ_CHECK(looked_up.result == compile::match_each(patterns, subject, icase, &source, false).result);
  }
  return 0;
}
