// Stage: shared (data). ARN forms against ARNs and Resource patterns: both sides become
// small automata, and the text is admitted when their product reaches the end of both.
#include "engine/catalog/arn_format.hpp"

#include <cstdint>
#include <vector>

namespace iamsim::catalog {
namespace {

enum : std::uint8_t { no_colon = 1, no_slash = 2 };

// One piece of an ARN form: a character, or a placeholder for one or more characters
// other than those `excluded` names.
struct FormPiece {
  bool placeholder = false;
  char c = 0;
  std::uint8_t excluded = 0;
};

// One piece of the text: a character, `?` (any one) or `*` / ${...} (any run, even empty).
struct TextPiece {
  enum class Kind : std::uint8_t { Char, AnyOne, AnyRun } kind = Kind::Char;
  char c = 0;
};

std::vector<FormPiece> form_pieces(std::string_view format) {
  std::vector<FormPiece> out;
  int field = 0;  // 0 "arn", 1 partition, 2 service, 3 region, 4 account, 5 the resource part
  std::size_t resource_start = std::string_view::npos;
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format.compare(i, 2, "${") == 0) {
      const auto close = format.find('}', i);
      if (close != std::string_view::npos) {
        FormPiece p;
        p.placeholder = true;
        if (field < 5) {
          p.excluded = no_colon;
        } else {
          const bool last = close + 1 == format.size();
          if (last && i == resource_start)
            p.excluded = no_colon | no_slash;  // the whole resource part: a plain name
          else if (!last)
            p.excluded = no_colon;
        }
        out.push_back(p);
        i = close;
        continue;
      }
    }
    out.push_back({false, format[i], 0});
    if (format[i] == ':' && field < 5 && ++field == 5) resource_start = i + 1;
  }
  return out;
}

std::vector<TextPiece> text_pieces(std::string_view text, bool pattern) {
  std::vector<TextPiece> out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (pattern) {
      if (text[i] == '*') {
        out.push_back({TextPiece::Kind::AnyRun, 0});
        continue;
      }
      if (text[i] == '?') {
        out.push_back({TextPiece::Kind::AnyOne, 0});
        continue;
      }
      if (text.compare(i, 2, "${") == 0) {
        const auto close = text.find('}', i);
        if (close != std::string_view::npos) {
          out.push_back({TextPiece::Kind::AnyRun, 0});
          i = close;
          continue;
        }
      }
    }
    out.push_back({TextPiece::Kind::Char, text[i]});
  }
  return out;
}

bool allowed(const FormPiece& f, char c) {
  if (!f.placeholder) return f.c == c;
  if (c == ':' && (f.excluded & no_colon)) return false;
  if (c == '/' && (f.excluded & no_slash)) return false;
  return true;
}

}  // namespace

bool arn_format_admits(std::string_view format, std::string_view text, bool pattern) {
  const auto form = form_pieces(format);
  const auto pieces = text_pieces(text, pattern);
  const std::size_t n = pieces.size(), m = form.size();
  // A state: the text piece i, the form piece j, and whether the placeholder at j has taken
  // a character yet (inside).
  auto index = [m](std::size_t i, std::size_t j, bool inside) { return (i * (m + 1) + j) * 2 + inside; };
  std::vector<bool> seen((n + 1) * (m + 1) * 2, false);
  struct State {
    std::size_t i, j;
    bool inside;
  };
  std::vector<State> work;
  auto visit = [&](std::size_t i, std::size_t j, bool inside) {
    if (seen[index(i, j, inside)]) return;
    seen[index(i, j, inside)] = true;
    work.push_back({i, j, inside});
  };
  visit(0, 0, false);
  while (!work.empty()) {
    const State s = work.back();
    work.pop_back();
    if (s.i == n && s.j == m) return true;
    if (s.i < n && pieces[s.i].kind == TextPiece::Kind::AnyRun) visit(s.i + 1, s.j, s.inside);  // the run ends
    if (s.inside) visit(s.i, s.j + 1, false);                                                   // the placeholder ends
    if (s.i >= n || s.j >= m) continue;
    // One character that both sides take.
    const TextPiece& t = pieces[s.i];
    const FormPiece& f = form[s.j];
    const bool fits = t.kind != TextPiece::Kind::Char || allowed(f, t.c);
    if (!fits) continue;
    const std::size_t next_i = t.kind == TextPiece::Kind::AnyRun ? s.i : s.i + 1;
    if (f.placeholder)
      visit(next_i, s.j, true);
    else
      visit(next_i, s.j + 1, false);
  }
  return false;
}

}  // namespace iamsim::catalog
