// Tests: the X3 policy-variable grammar (engine/syntax/variables.hpp): ${key} (PV1),
// escapes ${*} ${?} ${$} (PV4), defaults ${key, 'x'} (PV5), and malformed "${" kept as text.
#include <catch2/catch.hpp>

#include "engine/syntax/variables.hpp"

using iamsim::syntax::split_variables;
using iamsim::syntax::TextPiece;
using Kind = iamsim::syntax::TextPiece::Kind;

namespace {

// "T(home/)V(aws:username)E(*)" : a compact picture of the pieces.
std::string shape(const iamsim::syntax::VariableSplit& split) {
  std::string out;
  for (const auto& p : split.pieces) {
    switch (p.kind) {
      case Kind::Text: out += "T(" + p.text + ")"; break;
      case Kind::Escaped: out += "E(" + p.text + ")"; break;
      case Kind::Variable: out += "V(" + p.text + (p.has_default ? "|" + p.default_value : std::string()) + ")"; break;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("PV1 ${key} is a variable piece between text pieces", "[engine][variables][PV1]") {
  const auto whole = split_variables("${aws:username}");
  CHECK(whole.has_variables);
  CHECK(whole.malformed.empty());
  REQUIRE(whole.pieces.size() == 1);
  CHECK(whole.pieces[0].kind == Kind::Variable);
  CHECK(whole.pieces[0].text == "aws:username");
  CHECK_FALSE(whole.pieces[0].has_default);

  const auto embedded = split_variables("home/${aws:username}/*");
  CHECK(shape(embedded) == "T(home/)V(aws:username)T(/*)");
  CHECK(embedded.has_variables);
}

TEST_CASE("PV1 text without variables is one text piece", "[engine][variables][PV1]") {
  const auto plain = split_variables("arn:aws:s3:::bucket/*");
  CHECK(shape(plain) == "T(arn:aws:s3:::bucket/*)");
  CHECK_FALSE(plain.has_variables);
  CHECK(plain.malformed.empty());

  // A '$' that does not start "${" is ordinary text.
  CHECK(shape(split_variables("a$b")) == "T(a$b)");
  CHECK(shape(split_variables("cost$")) == "T(cost$)");
  CHECK(split_variables("a$b").malformed.empty());
  CHECK(split_variables("").pieces.empty());
}

TEST_CASE("PV1 the key keeps its case; lower-casing is the pattern's job", "[engine][variables][PV1][C3]") {
  CHECK(shape(split_variables("${AWS:UserName}")) == "V(AWS:UserName)");
}

TEST_CASE("PV1 keys may contain '/' and ':'", "[engine][variables][PV1]") {
  CHECK(shape(split_variables("${aws:PrincipalTag/team}")) == "V(aws:PrincipalTag/team)");
  CHECK(shape(split_variables("${oidc.eks.us-east-1.amazonaws.com/id/ABC:sub}")) ==
        "V(oidc.eks.us-east-1.amazonaws.com/id/ABC:sub)");
  CHECK(shape(split_variables("${s3:prefix}")) == "V(s3:prefix)");
}

TEST_CASE("PV1 adjacent variables are separate pieces", "[engine][variables][PV1]") {
  CHECK(shape(split_variables("${a}${b}")) == "V(a)V(b)");
  CHECK(shape(split_variables("${a}-${b}")) == "V(a)T(-)V(b)");
  CHECK(shape(split_variables("x${a}${b, 'd'}y")) == "T(x)V(a)V(b|d)T(y)");
}

TEST_CASE("PV4 ${*} ${?} ${$} are escaped literal characters", "[engine][variables][PV4]") {
  CHECK(shape(split_variables("${*}")) == "E(*)");
  CHECK(shape(split_variables("${?}")) == "E(?)");
  CHECK(shape(split_variables("${$}")) == "E($)");
  CHECK(shape(split_variables("a${*}b")) == "T(a)E(*)T(b)");
  // Consecutive escapes merge into one escaped piece.
  CHECK(shape(split_variables("${*}${?}${$}")) == "E(*?$)");
  // Escapes are not variables.
  CHECK_FALSE(split_variables("${*}").has_variables);
  CHECK(split_variables("${*}").malformed.empty());
  // An escape next to a variable.
  CHECK(shape(split_variables("${$}${aws:username}")) == "E($)V(aws:username)");
}

TEST_CASE("PV5 ${key, 'default'} carries a default, with or without the space", "[engine][variables][PV5]") {
  const auto doc = split_variables("${aws:PrincipalTag/team, 'company-wide'}");
  REQUIRE(doc.pieces.size() == 1);
  CHECK(doc.pieces[0].kind == Kind::Variable);
  CHECK(doc.pieces[0].text == "aws:PrincipalTag/team");
  CHECK(doc.pieces[0].has_default);
  CHECK(doc.pieces[0].default_value == "company-wide");

  CHECK(shape(split_variables("${a,'x'}")) == "V(a|x)");
  CHECK(shape(split_variables("${a,  'x'}")) == "V(a|x)");
  // An empty default is still a default.
  const auto empty = split_variables("${a, ''}");
  REQUIRE(empty.pieces.size() == 1);
  CHECK(empty.pieces[0].has_default);
  CHECK(empty.pieces[0].default_value.empty());
  // The default may hold spaces, '/' and '}'.
  CHECK(shape(split_variables("${a, 'b c/}d'}")) == "V(a|b c/}d)");
}

TEST_CASE("PV1 malformed ${ is kept as text and reported", "[engine][variables][PV1]") {
  struct Case {
    const char* text;
    const char* pieces;
    const char* malformed;
  };
  const Case cases[] = {
      {"${", "T(${)", "${"},
      {"x${", "T(x${)", "${"},
      {"${}", "T(${})", "${}"},
      {"${a b}", "T(${a b})", "${a b}"},
      {"${aws:username", "T(${aws:username)", "${aws:username"},
      {"${a ,'x'}", "T(${a ,'x'})", "${a ,'x'}"},
      {"${a, x}", "T(${a, x})", "${a, x}"},
      {"${a, 'x}", "T(${a, 'x})", "${a, 'x}"},
      {"${'a'}", "T(${'a'})", "${'a'}"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const auto split = split_variables(c.text);
    CHECK(shape(split) == c.pieces);
    CHECK(split.malformed == c.malformed);
    CHECK_FALSE(split.has_variables);
  }
}

TEST_CASE("PV1 only the first malformed ${ is reported; good variables after it still parse",
          "[engine][variables][PV1]") {
  const auto two = split_variables("${} and ${a b}");
  CHECK(two.malformed == "${}");

  const auto mixed = split_variables("${ ${aws:username}");
  CHECK(mixed.malformed == "${ ${aws:username}");
  CHECK(mixed.has_variables);
  CHECK(shape(mixed) == "T(${ )V(aws:username)");

  const auto nested = split_variables("${${a}}");
  CHECK(shape(nested) == "T(${)V(a)T(})");
  CHECK(nested.malformed == "${${a}");
}
