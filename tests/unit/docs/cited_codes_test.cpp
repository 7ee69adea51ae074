// Tests: every rule id and every code the project cites is documented in docs/ (issue 9,
// item 3). Rule ids (E8, K1, KM1, ...) cited anywhere in the sources, the tests, the corpus
// and the scenarios must each have their entry in docs/rules.md (<a id="E8">); every code in
// a string literal of the sources (a diagnostic such as "policy.effect", a reason or note such
// as "E8.boundary-without-allow" or "path.unknown-role", a lint finding id) must appear in
// docs/*.md as an anchor, a heading or in backquotes. A code that is cited but not
// documented fails the test, named with a file that cites it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace fs = std::filesystem;

namespace {

fs::path source_dir() { return fs::path(IAMSIM_SOURCE_DIR).lexically_normal(); }

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool is_word(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The rule areas of docs/rules.md.
bool is_rule_id(std::string_view token) {
  static const std::vector<std::string_view> areas = {"RS", "PV", "KM", "E", "X", "V", "S", "R",
                                                      "G",  "P",  "A",  "C", "T", "K", "B"};
  for (const auto area : areas) {
    if (!token.starts_with(area)) continue;
    const auto digits = token.substr(area.size());
    if (!digits.empty() && digits.size() <= 2 &&
        std::all_of(digits.begin(), digits.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      return true;
  }
  return false;
}

// Rule ids in any text: a word that is an area and a number, not part of a longer name
// (x86-64, v4.2, path/K1).
std::set<std::string> rule_ids_in(std::string_view text) {
  std::set<std::string> ids;
  for (std::size_t i = 0; i < text.size();) {
    if (!is_word(text[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && is_word(text[end])) ++end;
    const bool glued = i > 0 && (text[i - 1] == '-' || text[i - 1] == '.' || text[i - 1] == '/');
    const auto token = text.substr(i, end - i);
    if (!glued && is_rule_id(token)) ids.insert(std::string(token));
    i = end;
  }
  return ids;
}

// Codes in string literals: "PREFIX.kebab-name", PREFIX a code family or a rule id.
std::set<std::string> codes_in(std::string_view text) {
  static const std::set<std::string_view> families = {"eval", "json", "yaml", "policy",     "scenario",
                                                      "k8s",  "lint", "path", "expectation"};
  static const std::set<std::string_view> file_types = {"md", "yaml", "yml", "json", "cpp", "hpp", "tsv", "txt"};
  std::set<std::string> codes;
  for (std::size_t open = text.find('"'); open != std::string_view::npos; open = text.find('"', open + 1)) {
    std::size_t end = open + 1;
    while (end < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '.' || text[end] == '-'))
      ++end;
    if (end >= text.size() || text[end] != '"') continue;
    const auto literal = text.substr(open + 1, end - open - 1);
    const auto dot = literal.find('.');
    if (dot == std::string_view::npos || literal.find('.', dot + 1) != std::string_view::npos) continue;
    const auto prefix = literal.substr(0, dot), name = literal.substr(dot + 1);
    if (name.empty() || file_types.count(name) || !(families.count(prefix) || is_rule_id(prefix))) continue;
    if (!std::all_of(name.begin(), name.end(), [](char c) {
          return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-';
        }))
      continue;
    codes.insert(std::string(literal));
  }
  return codes;
}

// What docs/*.md document: anchors (<a id="X">), the first word of headings, words in backquotes.
struct Documented {
  std::set<std::string> rule_anchors;  // of docs/rules.md
  std::set<std::string> names;         // of every file
};

void add_names(std::string_view text, std::set<std::string>& anchors, std::set<std::string>& names) {
  for (auto at = text.find("<a id=\""); at != std::string_view::npos; at = text.find("<a id=\"", at + 1)) {
    const auto start = at + 7, close = text.find('"', start);
    if (close == std::string_view::npos) break;
    anchors.insert(std::string(text.substr(start, close - start)));
    names.insert(std::string(text.substr(start, close - start)));
  }
  for (auto at = text.find('`'); at != std::string_view::npos;) {
    const auto close = text.find('`', at + 1);
    if (close == std::string_view::npos) break;
    names.insert(std::string(text.substr(at + 1, close - at - 1)));
    at = text.find('`', close + 1);
  }
  std::istringstream lines{std::string(text)};
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with("#")) {
      std::istringstream words(line.substr(line.find_first_not_of('#')));
      std::string first;
      words >> first;
      names.insert(first);
    }
}

Documented read_docs(const std::map<std::string, std::string>& docs) {
  Documented d;
  std::set<std::string> ignored;
  for (const auto& [name, text] : docs) add_names(text, name == "rules.md" ? d.rule_anchors : ignored, d.names);
  return d;
}

// What a citing text lacks in the docs: "ID (cited in WHERE)" lines.
std::vector<std::string> undocumented(const Documented& docs, const std::map<std::string, std::string>& citing,
                                      const std::map<std::string, std::string>& sources) {
  std::map<std::string, std::string> missing;  // id -> first file citing it
  for (const auto& [where, text] : citing)
    for (const auto& id : rule_ids_in(text))
      if (!docs.rule_anchors.count(id)) missing.emplace("rule " + id, where);
  for (const auto& [where, text] : sources)
    for (const auto& code : codes_in(text))
      if (!docs.names.count(code)) missing.emplace("code " + code, where);
  std::vector<std::string> lines;
  for (const auto& [id, where] : missing) lines.push_back(id + " (cited in " + where + ")");
  return lines;
}

std::map<std::string, std::string> files_under(const std::vector<std::string>& dirs,
                                               const std::set<std::string>& extensions) {
  std::map<std::string, std::string> files;
  for (const auto& dir : dirs)
    for (const auto& entry : fs::recursive_directory_iterator(source_dir() / dir))
      if (entry.is_regular_file() && extensions.count(entry.path().extension().string()))
        files[fs::relative(entry.path(), source_dir()).string()] = slurp(entry.path());
  return files;
}

std::map<std::string, std::string> project_docs() {
  std::map<std::string, std::string> docs;
  for (const auto& entry : fs::directory_iterator(source_dir() / "docs"))
    if (entry.path().extension() == ".md") docs[entry.path().filename().string()] = slurp(entry.path());
  return docs;
}

}  // namespace

TEST_CASE("docs: every rule id and code cited in the project is documented in docs/", "[docs]") {
  const auto docs = read_docs(project_docs());
  const auto sources = files_under({"engine", "model", "sim-cli", "lint"}, {".cpp", ".hpp"});
  auto citing = sources;
  citing.merge(files_under({"tests/unit", "tests/fuzz"}, {".cpp", ".hpp"}));
  citing.merge(files_under({"tests/corpus", "tests/scenarios", "scenarios"}, {".yaml", ".yml", ".json"}));

  // The scan finds what it should: the test cannot pass by finding nothing.
  std::set<std::string> rules, codes;
  for (const auto& [where, text] : citing) rules.merge(rule_ids_in(text));
  for (const auto& [where, text] : sources) codes.merge(codes_in(text));
  CHECK(rules.count("E8"));
  CHECK(rules.count("KM1"));
  CHECK(codes.count("policy.effect"));
  CHECK(codes.count("E8.boundary-without-allow"));
  CHECK(codes.count("path.unknown-role"));

  const auto missing = undocumented(docs, citing, sources);
  std::string report;
  for (const auto& line : missing) report += line + "\n";
  INFO("cited but not documented in docs/*.md:\n" << report);
  CHECK(missing.empty());
}

TEST_CASE("docs: the check names a rule id or a code that the docs leave out", "[docs]") {
  const std::map<std::string, std::string> docs = {
      {"rules.md", "### <a id=\"E8\"></a>E8 Permissions boundaries\n"},
      {"diagnostics.md", "### <a id=\"policy.effect\"></a>`policy.effect` (error)\n| `E8.boundary-without-allow` |\n"},
      {"lint.md", "### policy.broad-action\n"}};
  const std::map<std::string, std::string> sources = {
      {"engine/a.cpp",
       "// E8 and x86-64 and v4.2\nerror(\"policy.effect\"); code(\"E8.boundary-without-allow\"); "
       "id(\"policy.broad-action\"); file(\"scenario.yaml\");"}};
  CHECK(undocumented(read_docs(docs), sources, sources).empty());

  auto without_rule = docs;
  without_rule["rules.md"] = "### <a id=\"E7\"></a>E7 Identity-based policies\n";
  CHECK(undocumented(read_docs(without_rule), sources, sources) ==
        std::vector<std::string>{"rule E8 (cited in engine/a.cpp)"});

  auto without_code = docs;
  without_code["diagnostics.md"] = "### <a id=\"policy.effect\"></a>`policy.effect` (error)\n";
  CHECK(undocumented(read_docs(without_code), sources, sources) ==
        std::vector<std::string>{"code E8.boundary-without-allow (cited in engine/a.cpp)"});

  auto without_finding = docs;
  without_finding.erase("lint.md");
  CHECK(undocumented(read_docs(without_finding), sources, sources) ==
        std::vector<std::string>{"code policy.broad-action (cited in engine/a.cpp)"});
}
