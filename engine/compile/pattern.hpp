// Stage: compile. Wildcard patterns with optional policy variables, compiled once: the
// common shapes (anything, exact text, a prefix) match without a loop over pieces.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "engine/syntax/variables.hpp"
#include "engine/text.hpp"

namespace iamsim::compile {

// Where a pattern's ${key} values come from (the request); keys arrive lower-cased.
class VariableSource {
 public:
  virtual ~VariableSource() = default;
  virtual std::optional<std::string_view> variable(std::string_view lower_key) const = 0;
};

enum class MatchResult : std::uint8_t { NoMatch, Match, Unresolved };

class Pattern {
 public:
  struct Piece {
    enum class Kind : std::uint8_t { Literal, Star, AnyChar, Variable };
    Kind kind = Kind::Literal;
    std::string text;  // Literal: the characters; Variable: the lower-cased key
    bool has_default = false;
    std::string default_value;
  };

  Pattern() = default;
  // wildcards: '*' and '?' in Text pieces are wildcards (Like operators, ARNs, actions).
  // question_mark: whether '?' is a wildcard. lower: lower-case literal text (for
  // case-insensitive matching against a lower-cased subject).
  static Pattern from_pieces(const std::vector<syntax::TextPiece>& pieces, bool wildcards, bool question_mark,
                             bool lower);
  static Pattern from_text(std::string_view text, bool wildcards, bool question_mark, bool lower);

  // icase compares characters case-insensitively (StringEqualsIgnoreCase). The common
  // shapes are decided inline: this runs for every statement of every decision.
  MatchResult match(std::string_view subject, bool icase, const VariableSource* vars) const {
    switch (shape_) {
      case Shape::Any: return MatchResult::Match;
      case Shape::Exact:
        if (!icase) return text_equal(literal_, subject) ? MatchResult::Match : MatchResult::NoMatch;
        break;
      case Shape::Prefix:
        if (!icase)
          return subject.size() >= literal_.size() && text_equal(subject.substr(0, literal_.size()), literal_)
                     ? MatchResult::Match
                     : MatchResult::NoMatch;
        break;
      case Shape::General: break;
    }
    return match_slow(subject, icase, vars);
  }

  bool matches_everything() const { return shape_ == Shape::Any; }
  // The text an exact pattern (no wildcard, no variable) matches, or that a prefix pattern
  // (text then '*') starts with; null for other shapes.
  const std::string* exact_text() const { return shape_ == Shape::Exact ? &literal_ : nullptr; }
  const std::string* prefix_text() const { return shape_ == Shape::Prefix ? &literal_ : nullptr; }
  bool has_variables() const { return has_variables_; }
  const std::string& source() const { return source_; }

 private:
  enum class Shape : std::uint8_t { Any, Exact, Prefix, General };
  MatchResult match_slow(std::string_view subject, bool icase, const VariableSource* vars) const;
  MatchResult match_general(std::string_view subject, bool icase, const VariableSource* vars) const;

  Shape shape_ = Shape::Exact;
  bool has_variables_ = false;
  std::string literal_;  // Exact and Prefix
  std::vector<Piece> pieces_;
  std::string source_;  // the text as written, for explanations
};

// Many string values of one condition, for lookup rather than a walk over each (a
// ForAllValues of 100,000 request values against 30,000 patterns): exact texts hashed,
// prefixes hashed by length; the other patterns are still tried one by one. Case-sensitive
// operators only (StringEquals, StringLike and their negations).
class StringLookup {
 public:
  static constexpr std::size_t min_patterns = 8;  // fewer are faster walked
  explicit StringLookup(const std::vector<Pattern>& patterns);
  bool matches(std::string_view text, const VariableSource* vars) const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Set = std::unordered_set<std::string, Hash, std::equal_to<>>;
  bool any_ = false;
  Set exact_, prefixes_;
  std::vector<std::size_t> prefix_lengths_;  // distinct, ascending
  std::vector<Pattern> others_;              // copies: the lookup outlives no copy of them
};

}  // namespace iamsim::compile
