// Stage: compile. Wildcard patterns with optional policy variables, compiled once: the
// common shapes (anything, exact text, a prefix, a suffix) match without a loop over pieces.
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
      case Shape::Suffix:
        if (!icase)
          return subject.size() >= literal_.size() &&
                         text_equal(subject.substr(subject.size() - literal_.size()), literal_)
                     ? MatchResult::Match
                     : MatchResult::NoMatch;
        break;
      case Shape::General: break;
    }
    return match_slow(subject, icase, vars);
  }

  bool matches_everything() const { return shape_ == Shape::Any; }
  // The text an exact pattern (no wildcard, no variable) matches, that a prefix pattern
  // (text then '*') starts with, or that a suffix pattern ('*' then text) ends with; null
  // for other shapes.
  const std::string* exact_text() const { return shape_ == Shape::Exact ? &literal_ : nullptr; }
  const std::string* prefix_text() const { return shape_ == Shape::Prefix ? &literal_ : nullptr; }
  const std::string* suffix_text() const { return shape_ == Shape::Suffix ? &literal_ : nullptr; }
  // Whether match() walks the pattern piece by piece ('?', an inner '*', a variable), at a
  // cost that grows with the subject's length times the pattern's.
  bool needs_walk() const { return shape_ == Shape::General; }
  bool has_variables() const { return has_variables_; }
  // The pieces in order (the proof engine turns them into a regular expression).
  const std::vector<Piece>& pieces() const { return pieces_; }
  const std::string& source() const { return source_; }

 private:
  enum class Shape : std::uint8_t { Any, Exact, Prefix, Suffix, General };
  MatchResult match_slow(std::string_view subject, bool icase, const VariableSource* vars) const;
  MatchResult match_general(std::string_view subject, bool icase, const VariableSource* vars) const;

  Shape shape_ = Shape::Exact;
  bool has_variables_ = false;
  std::string literal_;  // Exact, Prefix and Suffix
  std::vector<Piece> pieces_;
  std::string source_;  // the text as written, for explanations
};

// What a request string meets among the patterns of one condition: a match, or else
// whether one pattern had a variable without value (which negated operators need, PV7).
struct AnyMatch {
  MatchResult result = MatchResult::NoMatch;
  const Pattern* unresolved = nullptr;  // Unresolved: the last pattern without its variable's value
};

// The plain path: every pattern tried in turn with Pattern::match. `walk` false skips the
// patterns that need a walk (Pattern::needs_walk); the caller must then not read a NoMatch
// as an answer about them.
AnyMatch match_each(const std::vector<Pattern>& patterns, std::string_view text, bool icase, const VariableSource* vars,
                    bool walk = true);

// The many string values of one condition, indexed so that a request value costs about its
// own length, not the number of patterns (a ForAllValues of 100,000 request values against
// 30,000 patterns). Each shape has its index:
//   exact texts       hashed;
//   prefixes "abc*"   sorted, without any that a shorter one already covers: then at most
//                     one prefix can start a value, the greatest one not above it;
//   suffixes "*abc"   the same over the reversed texts;
//   "*"               a flag.
// The others ('?', an inner '*', variables) can only be walked one by one, as match_each
// does; `walked_size` measures them for the budget of eval/conditions.cpp. The answers are
// those of match_each over the same patterns (tests/fuzz/fuzz_values.cpp checks it).
// icase (StringEqualsIgnoreCase): the patterns are lower-cased, the value is lowered once.
class StringLookup {
 public:
  static constexpr std::size_t min_patterns = 8;  // fewer are faster walked
  StringLookup(const std::vector<Pattern>& patterns, bool icase);
  AnyMatch match(std::string_view text, const VariableSource* vars, bool walk = true) const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  bool icase_ = false;
  bool any_ = false;
  std::unordered_set<std::string, Hash, std::equal_to<>> exact_;
  std::vector<std::string> prefixes_;  // sorted, no one a prefix of another
  std::vector<std::string> suffixes_;  // reversed, sorted, no one a prefix of another
  std::vector<Pattern> walked_;        // copies: the lookup outlives no copy of them
};

// Characters of the patterns match_each would walk, plus one per pattern: with the request
// values' characters, a bound of the walk's cost (eval/conditions.cpp, walk budget).
std::size_t walked_size(const std::vector<Pattern>& patterns);

}  // namespace iamsim::compile
