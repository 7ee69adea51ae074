// Stage: model (load). The YAML node tree: kinds, positions, aliases and errors.
#include "model/load/yaml_document.hpp"

#include <catch2/catch.hpp>

#include "model/load/yaml_support.hpp"

using namespace iamsim::model::load;

namespace {

const YamlNode& root_of(const YamlStream& s) {
  REQUIRE_FALSE(s.error());
  REQUIRE(s.documents().size() == 1);
  return *s.documents()[0];
}

}  // namespace

TEST_CASE("yaml: plain null forms are null, quoted ones are strings", "[model][yaml]") {
  auto s = parse_yaml("a: ~\nb: null\nc:\nd: 'null'\ne: NULL\nf: !!str ~\ng: !!null x\n");
  const YamlNode& r = root_of(s);
  for (auto key : {"a", "b", "c", "e", "g"}) {
    INFO(key);
    CHECK(r[key].is_null());
    CHECK_FALSE(r[key].present());
  }
  CHECK(r["d"].is_scalar());
  CHECK(r["d"].quoted());
  CHECK(r["d"].scalar() == "null");
  CHECK(r["f"].is_scalar());
  CHECK(r["f"].scalar() == "~");
  CHECK_FALSE(r["missing"].defined());
  CHECK(r["missing"].line() == 0);
  CHECK_FALSE(r["a"]["deeper"].defined());
}

TEST_CASE("yaml: block and quoted scalars are quoted, plain ones are not", "[model][yaml]") {
  auto s = parse_yaml("a: 12\nb: \"12\"\nc: |\n  text\nd: >\n  folded\n");
  const YamlNode& r = root_of(s);
  CHECK_FALSE(r["a"].quoted());
  CHECK(r["b"].quoted());
  CHECK(r["c"].quoted());
  CHECK(r["c"].scalar() == "text\n");
  CHECK(r["d"].quoted());
}

TEST_CASE("yaml: nodes know their 1-based line and column", "[model][yaml]") {
  auto s = parse_yaml("accounts:\n  - id: \"1\"\n    name: x\n  - [a, b]\n");
  const YamlNode& r = root_of(s);
  const YamlNode& accounts = r["accounts"];
  REQUIRE(accounts.is_sequence());
  std::vector<const YamlNode*> items;
  for (const YamlNode& item : accounts.items()) items.push_back(&item);
  REQUIRE(items.size() == 2);
  CHECK(items[0]->line() == 2);
  CHECK(items[0]->column() == 5);  // the mapping starts at its first key
  CHECK((*items[0])["id"].line() == 2);
  CHECK((*items[0])["id"].column() == 9);  // at the opening quote
  CHECK((*items[0])["name"].line() == 3);
  CHECK(items[1]->is_sequence());
  CHECK(items[1]->column() == 5);
}

TEST_CASE("yaml: mapping entries keep their order and the first of a repeated key wins", "[model][yaml]") {
  auto s = parse_yaml("{z: 1, a: 2, z: 3}");
  const YamlNode& r = root_of(s);
  REQUIRE(r.entries().size() == 3);
  CHECK(r.entries()[0].first->scalar() == "z");
  CHECK(r.entries()[1].first->scalar() == "a");
  CHECK(r["z"].scalar() == "1");
}

TEST_CASE("yaml: an alias is the anchored node, shared", "[model][yaml]") {
  auto s = parse_yaml("base: &b {x: 1}\nuse: *b\n");
  const YamlNode& r = root_of(s);
  CHECK(&r["base"] == &r["use"]);
  CHECK(r["use"]["x"].scalar() == "1");
}

TEST_CASE("yaml: an alias to an unknown or unfinished anchor is an error", "[model][yaml]") {
  auto unknown = parse_yaml("a: *nowhere\n");
  REQUIRE(unknown.error());
  CHECK(unknown.error()->line == 1);
  CHECK(unknown.error()->column == 4);
  CHECK(unknown.error()->message.find("nowhere") != std::string::npos);
  auto inside = parse_yaml("a: &x [1, *x]\n");
  REQUIRE(inside.error());
  CHECK(inside.error()->column == 11);
}

TEST_CASE("yaml: every document of a stream, empty ones as null", "[model][yaml]") {
  auto s = parse_yaml("a: 1\n---\n---\nb: 2\n");
  REQUIRE_FALSE(s.error());
  REQUIRE(s.documents().size() == 3);
  CHECK(s.documents()[0]->is_map());
  CHECK(s.documents()[1]->is_null());
  CHECK((*s.documents()[2])["b"].scalar() == "2");
  CHECK(parse_yaml("").documents().empty());
}

TEST_CASE("yaml: syntax errors and bad bytes name their line and column", "[model][yaml]") {
  auto bad_indent = parse_yaml("a:\n  - 1\n - 2\n");
  REQUIRE(bad_indent.error());
  CHECK(bad_indent.error()->line == 3);

  auto bad_utf8 = parse_yaml("a: 1\nb: \"\xff\"\n");
  REQUIRE(bad_utf8.error());
  CHECK(bad_utf8.error()->line == 2);
  CHECK(bad_utf8.error()->column == 5);
  CHECK(bad_utf8.error()->message.find("UTF-8") != std::string::npos);

  auto nul = parse_yaml(std::string_view("a: 1\nb: x\0y\n", 12));
  REQUIRE(nul.error());
  CHECK(nul.error()->line == 2);
  CHECK(nul.error()->column == 5);
}

TEST_CASE("yaml: JSON of a document that aliases expand beyond any policy is an error", "[model][yaml]") {
  // Nine levels of ten aliases each: a billion leaves if expanded.
  std::string text = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 9; ++i) {
    std::string prev = "*l" + std::to_string(i - 1);
    text += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) text += (k ? ", " : "") + prev;
    text += "]\n";
  }
  auto s = parse_yaml(text);
  const YamlNode& r = root_of(s);
  auto json = yaml_to_json(r["l9"]);
  REQUIRE(json.error);
  CHECK(json.error->message.find("too large") != std::string::npos);
  CHECK(yaml_to_json(r["l1"]).json.size() > 100);
}
