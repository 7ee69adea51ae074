// Stage: compile. Glob matching ('*' any run, '?' one character) by the classic
// backtracking walk, with variables resolved from the request before the walk.
#include "engine/compile/pattern.hpp"

#include <algorithm>

#include <boost/container/small_vector.hpp>

#include "engine/text.hpp"

namespace iamsim::compile {
namespace {

bool equal_chars(char a, char b, bool icase) { return icase ? ascii_lower(a) == ascii_lower(b) : a == b; }

bool equal_text(std::string_view a, std::string_view b, bool icase) {
  if (a.size() != b.size()) return false;
  if (!icase) return a == b;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!equal_chars(a[i], b[i], true)) return false;
  return true;
}

}  // namespace

Pattern Pattern::from_pieces(const std::vector<syntax::TextPiece>& pieces, bool wildcards, bool question_mark,
                             bool lower) {
  Pattern p;
  auto add_literal = [&](std::string_view text) {
    if (text.empty()) return;
    if (!p.pieces_.empty() && p.pieces_.back().kind == Piece::Kind::Literal) {
      p.pieces_.back().text += lower ? ascii_lowered(text) : std::string(text);
      return;
    }
    Piece piece;
    piece.text = lower ? ascii_lowered(text) : std::string(text);
    p.pieces_.push_back(std::move(piece));
  };
  for (const auto& tp : pieces) {
    switch (tp.kind) {
      case syntax::TextPiece::Kind::Text: {
        p.source_ += tp.text;
        std::size_t start = 0;
        for (std::size_t i = 0; i < tp.text.size(); ++i) {
          const char c = tp.text[i];
          const bool star = wildcards && c == '*';
          const bool any = wildcards && question_mark && c == '?';
          if (!star && !any) continue;
          add_literal(std::string_view(tp.text).substr(start, i - start));
          Piece piece;
          piece.kind = star ? Piece::Kind::Star : Piece::Kind::AnyChar;
          // Consecutive stars are one star.
          if (!(star && !p.pieces_.empty() && p.pieces_.back().kind == Piece::Kind::Star)) p.pieces_.push_back(piece);
          start = i + 1;
        }
        add_literal(std::string_view(tp.text).substr(start));
        break;
      }
      case syntax::TextPiece::Kind::Escaped:
        p.source_ += "${" + tp.text + "}";
        add_literal(tp.text);
        break;
      case syntax::TextPiece::Kind::Variable: {
        p.source_ += "${" + tp.text + (tp.has_default ? ", '" + tp.default_value + "'" : std::string()) + "}";
        Piece piece;
        piece.kind = Piece::Kind::Variable;
        piece.text = ascii_lowered(tp.text);
        piece.has_default = tp.has_default;
        piece.default_value = tp.default_value;
        p.pieces_.push_back(std::move(piece));
        p.has_variables_ = true;
        break;
      }
    }
  }
  // Pick the shape that lets match() avoid the general walk.
  const auto& ps = p.pieces_;
  if (ps.size() == 1 && ps[0].kind == Piece::Kind::Star) {
    p.shape_ = Shape::Any;
  } else if (ps.empty() || (ps.size() == 1 && ps[0].kind == Piece::Kind::Literal)) {
    p.shape_ = Shape::Exact;
    p.literal_ = ps.empty() ? std::string() : ps[0].text;
  } else if (ps.size() == 2 && ps[0].kind == Piece::Kind::Literal && ps[1].kind == Piece::Kind::Star) {
    p.shape_ = Shape::Prefix;
    p.literal_ = ps[0].text;
  } else if (ps.size() == 2 && ps[0].kind == Piece::Kind::Star && ps[1].kind == Piece::Kind::Literal) {
    p.shape_ = Shape::Suffix;
    p.literal_ = ps[1].text;
  } else {
    p.shape_ = Shape::General;
  }
  return p;
}

Pattern Pattern::from_text(std::string_view text, bool wildcards, bool question_mark, bool lower) {
  syntax::TextPiece piece;
  piece.text = std::string(text);
  return from_pieces({piece}, wildcards, question_mark, lower);
}

MatchResult Pattern::match_slow(std::string_view subject, bool icase, const VariableSource* vars) const {
  switch (shape_) {
    case Shape::Any: return MatchResult::Match;
    case Shape::Exact: return equal_text(literal_, subject, icase) ? MatchResult::Match : MatchResult::NoMatch;
    case Shape::Prefix:
      return subject.size() >= literal_.size() && equal_text(literal_, subject.substr(0, literal_.size()), icase)
                 ? MatchResult::Match
                 : MatchResult::NoMatch;
    case Shape::Suffix:
      return subject.size() >= literal_.size() &&
                     equal_text(literal_, subject.substr(subject.size() - literal_.size()), icase)
                 ? MatchResult::Match
                 : MatchResult::NoMatch;
    case Shape::General: break;
  }
  return match_general(subject, icase, vars);
}

MatchResult Pattern::match_general(std::string_view subject, bool icase, const VariableSource* vars) const {
  // Resolve variables first: a variable without a value (and no default) matches nothing
  // (PV3, RS4); the caller decides what that means for its operator.
  boost::container::small_vector<std::string_view, 8> text(pieces_.size());
  for (std::size_t i = 0; i < pieces_.size(); ++i) {
    const Piece& piece = pieces_[i];
    if (piece.kind == Piece::Kind::Literal) {
      text[i] = piece.text;
    } else if (piece.kind == Piece::Kind::Variable) {
      std::optional<std::string_view> value = vars ? vars->variable(piece.text) : std::nullopt;
      if (!value) {
        if (!piece.has_default) return MatchResult::Unresolved;
        value = piece.default_value;
      }
      text[i] = *value;
    }
  }
  // A cursor walks pattern units: literal/variable characters, '?' and '*'.
  struct Cursor {
    std::size_t piece = 0, offset = 0;
  };
  const std::size_t count = pieces_.size();
  auto normalize = [&](Cursor c) {
    while (c.piece < count &&
           (pieces_[c.piece].kind == Piece::Kind::Literal || pieces_[c.piece].kind == Piece::Kind::Variable) &&
           c.offset >= text[c.piece].size()) {
      ++c.piece;
      c.offset = 0;
    }
    return c;
  };
  auto advance = [&](Cursor c) {
    const auto kind = pieces_[c.piece].kind;
    if (kind == Piece::Kind::Star || kind == Piece::Kind::AnyChar) {
      ++c.piece;
      c.offset = 0;
    } else {
      ++c.offset;
    }
    return normalize(c);
  };
  Cursor p = normalize({});
  Cursor star_next{};
  bool have_star = false;
  std::size_t s = 0, star_s = 0;
  while (s < subject.size()) {
    if (p.piece < count) {
      const auto kind = pieces_[p.piece].kind;
      if (kind == Piece::Kind::AnyChar || ((kind == Piece::Kind::Literal || kind == Piece::Kind::Variable) &&
                                           equal_chars(text[p.piece][p.offset], subject[s], icase))) {
        p = advance(p);
        ++s;
        continue;
      }
      if (kind == Piece::Kind::Star) {
        have_star = true;
        star_next = advance(p);
        p = star_next;
        star_s = s;
        continue;
      }
    }
    if (!have_star) return MatchResult::NoMatch;
    p = star_next;
    s = ++star_s;
  }
  while (p.piece < count && pieces_[p.piece].kind == Piece::Kind::Star) p = advance(p);
  return p.piece == count ? MatchResult::Match : MatchResult::NoMatch;
}

AnyMatch match_each(const std::vector<Pattern>& patterns, std::string_view text, bool icase, const VariableSource* vars,
                    bool walk) {
  AnyMatch out;
  for (const auto& p : patterns) {
    if (!walk && p.needs_walk()) continue;
    const MatchResult m = p.match(text, icase, vars);
    if (m == MatchResult::Match) return {MatchResult::Match, nullptr};
    if (m == MatchResult::Unresolved) out = {MatchResult::Unresolved, &p};
  }
  return out;
}

std::size_t walked_size(const std::vector<Pattern>& patterns) {
  std::size_t n = 0;
  for (const auto& p : patterns)
    if (p.needs_walk()) n += p.source().size() + 1;
  return n;
}

namespace {

// Sorts `texts` and drops every text that starts with another one: what remains is
// prefix-free, and a value starts with one of them if and only if it starts with the
// greatest one not above it (every text between a prefix and the value starts with it).
void keep_shortest_prefixes(std::vector<std::string>& texts) {
  std::sort(texts.begin(), texts.end());
  std::size_t kept = 0;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    // Sorted and prefix-free so far: only the last kept text can be a prefix of this one.
    if (kept > 0 && texts[i].starts_with(texts[kept - 1])) continue;
    if (kept != i) texts[kept] = std::move(texts[i]);
    ++kept;
  }
  texts.resize(kept);
}

bool starts_with_one_of(const std::vector<std::string>& sorted_prefixes, std::string_view text) {
  auto it = std::upper_bound(sorted_prefixes.begin(), sorted_prefixes.end(), text,
                             [](std::string_view t, const std::string& p) { return t < p; });
  return it != sorted_prefixes.begin() && text.starts_with(*std::prev(it));
}

}  // namespace

StringLookup::StringLookup(const std::vector<Pattern>& patterns, bool icase) : icase_(icase) {
  for (const auto& p : patterns) {
    if (p.matches_everything()) {
      any_ = true;
    } else if (const std::string* exact = p.exact_text()) {
      exact_.insert(*exact);
    } else if (const std::string* prefix = p.prefix_text()) {
      prefixes_.push_back(*prefix);
    } else if (const std::string* suffix = p.suffix_text()) {
      suffixes_.emplace_back(suffix->rbegin(), suffix->rend());
    } else {
      walked_.push_back(p);
    }
  }
  keep_shortest_prefixes(prefixes_);
  keep_shortest_prefixes(suffixes_);
}

AnyMatch StringLookup::match(std::string_view text, const VariableSource* vars, bool walk) const {
  if (any_) return {MatchResult::Match, nullptr};
  // Patterns of icase operators are lower-cased (Pattern::from_pieces); the value is too.
  std::string lowered;
  if (icase_) {
    lowered = ascii_lowered(text);
    text = lowered;
  }
  if (exact_.find(text) != exact_.end() || starts_with_one_of(prefixes_, text)) return {MatchResult::Match, nullptr};
  if (!suffixes_.empty() && starts_with_one_of(suffixes_, std::string(text.rbegin(), text.rend())))
    return {MatchResult::Match, nullptr};
  if (!walk) return {};
  return match_each(walked_, text, icase_, vars);
}

}  // namespace iamsim::compile
