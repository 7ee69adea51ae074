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

TEST_CASE("yaml.limit: aliases that expand a document a billion times are refused at the alias", "[model][yaml]") {
  // Nine levels of ten aliases each: a billion leaves if expanded. The budget (a million
  // nodes beyond those written) runs out inside l5, at its eighth alias of l4.
  std::string text = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 9; ++i) {
    std::string prev = "*l" + std::to_string(i - 1);
    text += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) text += (k ? ", " : "") + prev;
    text += "]\n";
  }
  auto s = parse_yaml(text);
  REQUIRE(s.error());
  CHECK(s.error()->code == "yaml.limit");
  CHECK(s.error()->line == 6);
  CHECK(s.error()->column == 45);
  CHECK(s.error()->message.find("alias *l4 (111111 nodes") == 0);
}

TEST_CASE("yaml.limit: aliases may add a million nodes, or double a large document", "[model][yaml]") {
  // Five levels: 111,111 leaves, within the constant budget; JSON of it is fine.
  std::string text = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 4; ++i) {
    text += "l" + std::to_string(i) + ": &l" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) text += (k ? ", *l" : "*l") + std::to_string(i - 1);
    text += "]\n";
  }
  auto s = parse_yaml(text);
  const YamlNode& r = root_of(s);
  CHECK(yaml_to_json(r["l4"]).json.size() > 100000);

  // 1,200,000 nodes written, repeated once by an alias: twice the document, allowed.
  std::string big = "a: &a [";
  for (int i = 0; i < 1200000; ++i) big += i ? ",1" : "1";
  big += "]\nb: *a\n";
  CHECK_FALSE(parse_yaml(big).error());
  // Repeated once more: past double the document (and past the constant), refused there.
  auto refused = parse_yaml(big + "c: *a\n");
  REQUIRE(refused.error());
  CHECK(refused.error()->code == "yaml.limit");
  CHECK(refused.error()->line == 3);
  CHECK(refused.error()->column == 4);
}

TEST_CASE("yaml.limit: nesting past 256 levels is refused where the 257th opens", "[model][yaml]") {
  CHECK_FALSE(parse_yaml(std::string(256, '[') + std::string(256, ']')).error());
  for (const char* open : {"[", "{a: "}) {
    std::string deep;
    for (int i = 0; i < 100000; ++i) deep += open;
    auto s = parse_yaml(deep);
    REQUIRE(s.error());
    CHECK(s.error()->code == "yaml.limit");
    CHECK(s.error()->message == "nested deeper than 256 levels");
    CHECK(s.error()->line == 1);
    CHECK(s.error()->column == 1 + 256 * static_cast<int>(std::string_view(open).size()));
  }
}

TEST_CASE("yaml.limit: a string longer than 8 MiB is refused at the string", "[model][yaml]") {
  auto s = parse_yaml("a: ok\nb: " + std::string((8u << 20) + 1, 'x') + "\n");
  REQUIRE(s.error());
  CHECK(s.error()->code == "yaml.limit");
  CHECK(s.error()->line == 2);
  CHECK(s.error()->column == 4);
}

TEST_CASE("yaml: a number beyond a double in a policy is an error at the number", "[model][yaml]") {
  auto s = parse_yaml("Statement:\n  - Condition: {NumericLessThan: {s3:max-keys: 1e400}}\n");
  const YamlNode& r = root_of(s);
  auto json = yaml_to_json(r);
  REQUIRE(json.error);
  CHECK(json.error->line == 2);
  CHECK(json.error->column == 48);
  CHECK(json.error->message == "the number 1e400 is out of range (beyond a double)");
  CHECK_FALSE(yaml_to_json(parse_yaml("n: 1e300\n").documents()[0][0]).error);
}
