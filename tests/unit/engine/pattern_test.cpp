// Tests: wildcard patterns with variables (engine/compile/pattern.hpp): the Any, Exact,
// Prefix, Suffix and General shapes, '*' and '?' (A1, RS1, C7), backtracking, case rules, and
// variables resolved from a VariableSource (PV3, PV4, PV5).
#include <catch2/catch.hpp>

#include <cctype>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "engine/compile/pattern.hpp"
#include "engine/syntax/variables.hpp"
#include "tests/unit/engine/engine_test_support.hpp"

using iamsim::compile::AnyMatch;
using iamsim::compile::match_each;
using iamsim::compile::MatchResult;
using iamsim::compile::Pattern;
using iamsim::compile::StringLookup;
using iamsim::compile::VariableSource;

namespace {

// Variables from a map; records the keys it was asked for.
class MapSource final : public VariableSource {
 public:
  std::map<std::string, std::string, std::less<>> values;
  mutable std::vector<std::string> asked;

  std::optional<std::string_view> variable(std::string_view lower_key) const override {
    asked.emplace_back(lower_key);
    auto it = values.find(lower_key);
    if (it == values.end()) return std::nullopt;
    return std::string_view(it->second);
  }
};

// A case-sensitive glob with '*' and '?' (resource parts, StringLike).
Pattern glob(std::string_view text) { return Pattern::from_text(text, true, true, false); }

// A glob whose text may hold ${...} (Version 2012-10-17).
Pattern with_variables(std::string_view text, bool wildcards = true, bool lower = false) {
  return Pattern::from_pieces(iamsim::syntax::split_variables(text).pieces, wildcards, true, lower);
}

MatchResult match(const Pattern& p, std::string_view subject, const VariableSource* vars = nullptr) {
  return p.match(subject, false, vars);
}

}  // namespace

TEST_CASE("A2 a lone '*' is the Any shape and matches everything, even empty text", "[engine][pattern][A2][RS2]") {
  const Pattern any = glob("*");
  CHECK(any.matches_everything());
  CHECK(match(any, "") == MatchResult::Match);
  CHECK(match(any, "s3:GetObject") == MatchResult::Match);
  // Consecutive stars collapse into one.
  CHECK(glob("***").matches_everything());
  CHECK_FALSE(glob("a*").matches_everything());
  CHECK_FALSE(glob("?").matches_everything());
}

TEST_CASE("RS3 the Exact shape compares the whole text, case-sensitively", "[engine][pattern][RS3]") {
  const Pattern exact = glob("data-bucket/key");
  CHECK(match(exact, "data-bucket/key") == MatchResult::Match);
  CHECK(match(exact, "data-bucket/key2") == MatchResult::NoMatch);
  CHECK(match(exact, "data-bucket/ke") == MatchResult::NoMatch);
  CHECK(match(exact, "Data-bucket/key") == MatchResult::NoMatch);
  CHECK(match(exact, "") == MatchResult::NoMatch);

  const Pattern empty = glob("");
  CHECK(match(empty, "") == MatchResult::Match);
  CHECK(match(empty, "a") == MatchResult::NoMatch);
}

TEST_CASE("A1 the Prefix shape: literal text then '*'", "[engine][pattern][A1]") {
  const Pattern prefix = glob("s3:Get*");
  CHECK(match(prefix, "s3:Get") == MatchResult::Match);
  CHECK(match(prefix, "s3:GetObject") == MatchResult::Match);
  CHECK(match(prefix, "s3:Ge") == MatchResult::NoMatch);
  CHECK(match(prefix, "s3:PutObject") == MatchResult::NoMatch);
  CHECK(match(prefix, "s3:getObject") == MatchResult::NoMatch);
}

TEST_CASE("C7 the Suffix shape: '*' then literal text", "[engine][pattern][C7]") {
  const Pattern suffix = glob("*-prod");
  CHECK(match(suffix, "-prod") == MatchResult::Match);
  CHECK(match(suffix, "team-a-prod") == MatchResult::Match);
  CHECK(match(suffix, "prod") == MatchResult::NoMatch);
  CHECK(match(suffix, "team-a-prod2") == MatchResult::NoMatch);
  CHECK(match(suffix, "team-a-Prod") == MatchResult::NoMatch);
  CHECK(suffix.match("TEAM-PROD", true, nullptr) == MatchResult::Match);
  REQUIRE(suffix.suffix_text());
  CHECK(*suffix.suffix_text() == "-prod");
  CHECK_FALSE(suffix.needs_walk());
  CHECK(glob("*a*").needs_walk());
  CHECK(glob("a?").needs_walk());
}

TEST_CASE("RS1 '*' matches any run of characters, including none", "[engine][pattern][RS1]") {
  const Pattern p = glob("a*b");
  CHECK(match(p, "ab") == MatchResult::Match);
  CHECK(match(p, "aXb") == MatchResult::Match);
  CHECK(match(p, "aX/Y:Zb") == MatchResult::Match);
  CHECK(match(p, "a") == MatchResult::NoMatch);
  CHECK(match(p, "b") == MatchResult::NoMatch);
  CHECK(match(p, "aXbY") == MatchResult::NoMatch);

  const Pattern suffix = glob("*object");
  CHECK(match(suffix, "object") == MatchResult::Match);
  CHECK(match(suffix, "getobject") == MatchResult::Match);
  CHECK(match(suffix, "objects") == MatchResult::NoMatch);
}

TEST_CASE("RS1 '?' matches exactly one character", "[engine][pattern][RS1]") {
  const Pattern p = glob("a?c");
  CHECK(match(p, "abc") == MatchResult::Match);
  CHECK(match(p, "a/c") == MatchResult::Match);
  CHECK(match(p, "ac") == MatchResult::NoMatch);
  CHECK(match(p, "abbc") == MatchResult::NoMatch);

  const Pattern three = glob("???");
  CHECK(match(three, "abc") == MatchResult::Match);
  CHECK(match(three, "ab") == MatchResult::NoMatch);
  CHECK(match(three, "abcd") == MatchResult::NoMatch);
  CHECK(match(glob("?"), "") == MatchResult::NoMatch);
}

TEST_CASE("RS1 several stars in one pattern", "[engine][pattern][RS1]") {
  const Pattern p = glob("*a*b*");
  CHECK(match(p, "ab") == MatchResult::Match);
  CHECK(match(p, "xaybz") == MatchResult::Match);
  CHECK(match(p, "ba") == MatchResult::NoMatch);
  CHECK(match(glob("a**b"), "aXYb") == MatchResult::Match);
  CHECK(match(glob("a**b"), "aXY") == MatchResult::NoMatch);
}

TEST_CASE("RS1 backtracking: a later star retries after an earlier partial match", "[engine][pattern][RS1]") {
  CHECK(match(glob("a*b*c"), "aXbYbZc") == MatchResult::Match);
  CHECK(match(glob("a*b*c"), "aXbYbZ") == MatchResult::NoMatch);
  CHECK(match(glob("a*b*c"), "abc") == MatchResult::Match);
  CHECK(match(glob("*ab"), "aab") == MatchResult::Match);
  CHECK(match(glob("a*aab"), "aaab") == MatchResult::Match);
  CHECK(match(glob("a*aab"), "aab") == MatchResult::NoMatch);
  CHECK(match(glob("*abc*abd"), "abcabcabd") == MatchResult::Match);
  CHECK(match(glob("*abc*abd"), "abcabcabe") == MatchResult::NoMatch);
  CHECK(match(glob("a*?c"), "abc") == MatchResult::Match);
  CHECK(match(glob("a*?c"), "ac") == MatchResult::NoMatch);
  CHECK(match(glob("*?*?*"), "ab") == MatchResult::Match);
  CHECK(match(glob("*?*?*"), "a") == MatchResult::NoMatch);
}

TEST_CASE("RS1 inside the resource part '*' crosses '/'", "[engine][pattern][RS1]") {
  const Pattern p = glob("bucket/*/test/*");
  CHECK(match(p, "bucket/1/2/test/3/x") == MatchResult::Match);
  CHECK(match(p, "bucket//test/x") == MatchResult::Match);
  CHECK(match(p, "bucket/test/x") == MatchResult::NoMatch);
}

TEST_CASE("C7 without wildcards '*' and '?' are literal characters", "[engine][pattern][C7]") {
  const Pattern literal = Pattern::from_text("a*b?", false, false, false);
  CHECK(match(literal, "a*b?") == MatchResult::Match);
  CHECK(match(literal, "aXbY") == MatchResult::NoMatch);

  // question_mark=false: '?' is literal, '*' still a wildcard (A1 switch).
  const Pattern no_question = Pattern::from_text("s3:Get?*", true, false, false);
  CHECK(match(no_question, "s3:Get?Object") == MatchResult::Match);
  CHECK(match(no_question, "s3:GetXObject") == MatchResult::NoMatch);
}

TEST_CASE("C7 icase matching compares characters case-insensitively", "[engine][pattern][C7]") {
  const Pattern exact = Pattern::from_text("AbC", false, false, true);
  CHECK(exact.match("abc", true, nullptr) == MatchResult::Match);
  CHECK(exact.match("ABC", true, nullptr) == MatchResult::Match);
  CHECK(exact.match("abd", true, nullptr) == MatchResult::NoMatch);

  const Pattern general = Pattern::from_text("A*C", true, true, true);
  CHECK(general.match("axc", true, nullptr) == MatchResult::Match);
  CHECK(general.match("AXYC", true, nullptr) == MatchResult::Match);
  CHECK(general.match("AXYD", true, nullptr) == MatchResult::NoMatch);

  const Pattern prefix = Pattern::from_text("S3:Get*", true, true, true);
  CHECK(prefix.match("s3:getobject", true, nullptr) == MatchResult::Match);
  CHECK(prefix.match("S3:GETOBJECT", true, nullptr) == MatchResult::Match);

  // Without icase the same text is case-sensitive.
  const Pattern sensitive = Pattern::from_text("AbC", false, false, false);
  CHECK(sensitive.match("abc", false, nullptr) == MatchResult::NoMatch);
  CHECK(sensitive.match("AbC", false, nullptr) == MatchResult::Match);
}

TEST_CASE("A1 actions: a lower-cased pattern against a lower-cased action", "[engine][pattern][A1]") {
  const Pattern p = Pattern::from_text("iam:*AccessKey*", true, true, true);
  CHECK(match(p, "iam:listaccesskeys") == MatchResult::Match);
  CHECK(match(p, "iam:createaccesskey") == MatchResult::Match);
  CHECK(match(p, "iam:listusers") == MatchResult::NoMatch);
  // The literal text was lower-cased at compile time.
  CHECK(match(Pattern::from_text("IAM:ListAccessKeys", true, true, true), "iam:listaccesskeys") == MatchResult::Match);
  // The source keeps the text as written.
  CHECK(p.source() == "iam:*AccessKey*");
}

TEST_CASE("PV3 variables are resolved from the VariableSource with lower-cased keys", "[engine][pattern][PV3][C3]") {
  MapSource vars;
  vars.values["aws:username"] = "alice";
  const Pattern p = with_variables("home/${AWS:UserName}/*");
  CHECK(p.has_variables());
  CHECK(match(p, "home/alice/notes.txt", &vars) == MatchResult::Match);
  CHECK(match(p, "home/bob/notes.txt", &vars) == MatchResult::NoMatch);
  CHECK(match(p, "home/alice", &vars) == MatchResult::NoMatch);
  REQUIRE_FALSE(vars.asked.empty());
  CHECK(vars.asked.front() == "aws:username");

  // Variables alone, and adjacent.
  vars.values["aws:principaltag/team"] = "ml";
  CHECK(match(with_variables("${aws:username}"), "alice", &vars) == MatchResult::Match);
  CHECK(match(with_variables("${aws:username}${aws:PrincipalTag/team}"), "aliceml", &vars) == MatchResult::Match);
  CHECK(match(with_variables("${aws:username}${aws:PrincipalTag/team}"), "alice-ml", &vars) == MatchResult::NoMatch);
}

TEST_CASE("PV3 a variable without a value gives Unresolved", "[engine][pattern][PV3]") {
  MapSource empty;
  const Pattern p = with_variables("home/${aws:username}/*");
  CHECK(match(p, "home/alice/x", &empty) == MatchResult::Unresolved);
  // Even for a subject that could never match, and with no source at all.
  CHECK(match(p, "elsewhere", &empty) == MatchResult::Unresolved);
  CHECK(match(p, "home/alice/x", nullptr) == MatchResult::Unresolved);
}

TEST_CASE("PV5 a variable's default is used only when the key has no value", "[engine][pattern][PV5]") {
  const Pattern p = with_variables("team/${aws:PrincipalTag/team, 'company-wide'}/*");
  MapSource none;
  CHECK(match(p, "team/company-wide/doc", &none) == MatchResult::Match);
  CHECK(match(p, "team/ml/doc", &none) == MatchResult::NoMatch);

  MapSource ml;
  ml.values["aws:principaltag/team"] = "ml";
  CHECK(match(p, "team/ml/doc", &ml) == MatchResult::Match);
  CHECK(match(p, "team/company-wide/doc", &ml) == MatchResult::NoMatch);
  CHECK(p.source() == "team/${aws:PrincipalTag/team, 'company-wide'}/*");
}

TEST_CASE("PV3 an empty variable value between stars matches nothing extra", "[engine][pattern][PV3]") {
  MapSource vars;
  vars.values["x"] = "";
  const Pattern p = with_variables("a*${x}*b");
  CHECK(match(p, "ab", &vars) == MatchResult::Match);
  CHECK(match(p, "aZZb", &vars) == MatchResult::Match);
  CHECK(match(p, "ba", &vars) == MatchResult::NoMatch);
}

TEST_CASE("PV3 variable values compare case-insensitively under icase", "[engine][pattern][PV3][C7]") {
  MapSource vars;
  vars.values["aws:username"] = "Alice";
  const Pattern p = with_variables("${aws:username}", false, true);
  CHECK(p.match("alice", true, &vars) == MatchResult::Match);
  CHECK(p.match("ALICE", true, &vars) == MatchResult::Match);
  CHECK(p.match("alice", false, &vars) == MatchResult::NoMatch);
  CHECK(p.match("bob", true, &vars) == MatchResult::NoMatch);
}

TEST_CASE("PV4 escaped pieces are literal even where wildcards are active", "[engine][pattern][PV4]") {
  const Pattern star = with_variables("a${*}b");
  CHECK_FALSE(star.has_variables());
  CHECK(match(star, "a*b") == MatchResult::Match);
  CHECK(match(star, "aXb") == MatchResult::NoMatch);

  const Pattern question = with_variables("file${?}");
  CHECK(match(question, "file?") == MatchResult::Match);
  CHECK(match(question, "fileX") == MatchResult::NoMatch);

  // An escaped '*' followed by a real '*'.
  const Pattern mixed = with_variables("${*}*");
  CHECK(match(mixed, "*anything") == MatchResult::Match);
  CHECK(match(mixed, "*") == MatchResult::Match);
  CHECK(match(mixed, "xanything") == MatchResult::NoMatch);

  CHECK(match(with_variables("${$}{x}"), "${x}") == MatchResult::Match);
  CHECK(star.source() == "a${*}b");
}

// ---------------------------------------------------------------------------------------
// The lookup of many patterns against the plain path (every pattern tried in turn)

namespace {

// A random text over a small alphabet, so that patterns and values meet often; patterns
// also get '*', '?' and variables (one of which has no value).
std::string random_text(std::mt19937& rng, bool pattern) {
  static const std::vector<std::string> pattern_parts = {"a", "b",    "ab",      "*",           "*",
                                                         "?", "${v}", "${none}", "${none, 'b'}"};
  static const std::vector<std::string> value_parts = {"a", "b", "ab", "x", "?", "*"};
  const auto& parts = pattern ? pattern_parts : value_parts;
  std::string out;
  const int n = std::uniform_int_distribution<int>(0, 5)(rng);
  for (int i = 0; i < n; ++i) out += parts[std::uniform_int_distribution<std::size_t>(0, parts.size() - 1)(rng)];
  return out;
}

}  // namespace

TEST_CASE("C7 C14 the lookup of many patterns answers as every pattern tried in turn, on random patterns",
          "[engine][pattern][C7][C14]") {
  std::mt19937 rng(13);
  MapSource vars;
  vars.values["v"] = "ab";
  int matched = 0, unresolved = 0;
  for (int round = 0; round < 3000; ++round) {
    const bool icase = round % 3 == 2;  // StringEqualsIgnoreCase: no wildcards, lower-cased
    std::vector<Pattern> patterns;
    const int n = std::uniform_int_distribution<int>(1, 24)(rng);
    for (int i = 0; i < n; ++i) patterns.push_back(with_variables(random_text(rng, true), !icase, icase));
    const StringLookup lookup(patterns, icase);
    for (int k = 0; k < 8; ++k) {
      std::string value = random_text(rng, false);
      if (icase && k % 2)
        for (char& c : value) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      INFO("round " << round << " value \"" << value << "\"");
      const AnyMatch plain = match_each(patterns, value, icase, &vars);
      const AnyMatch fast = lookup.match(value, &vars);
      REQUIRE(fast.result == plain.result);
      if (plain.result == MatchResult::Unresolved) {
        REQUIRE(fast.unresolved);
        CHECK(fast.unresolved->source() == plain.unresolved->source());
        ++unresolved;
      }
      matched += plain.result == MatchResult::Match;
      // Without the walk, a match is still a match, and nothing else is claimed.
      const AnyMatch looked_up = lookup.match(value, &vars, false);
      if (looked_up.result == MatchResult::Match) CHECK(plain.result == MatchResult::Match);
      CHECK(looked_up.result != MatchResult::Unresolved);
      CHECK(looked_up.result == match_each(patterns, value, icase, &vars, false).result);
    }
  }
  // The random cases reach every answer.
  CHECK(matched > 1000);
  CHECK(unresolved > 100);
}

TEST_CASE("C7 the lookup keeps only the shortest of nested prefixes and suffixes", "[engine][pattern][C7]") {
  std::vector<Pattern> patterns;
  for (const char* p : {"team-*", "team-data-*", "te*", "zeta*", "*-prod", "*a-prod", "*d", "x?y"})
    patterns.push_back(glob(p));
  const StringLookup lookup(patterns, false);
  for (const char* yes : {"te", "team-x", "tea", "zeta-1", "a-prod", "prod", "d", "xzy"})
    CHECK(lookup.match(yes, nullptr).result == MatchResult::Match);
  for (const char* no : {"t", "zet", "a-pro", "x", "xy", "", "Team-x"})
    CHECK(lookup.match(no, nullptr).result == MatchResult::NoMatch);
}
