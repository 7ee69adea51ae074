// Tests: the data-driven corpus (tests/corpus/**.json). Each case file is one eval request
// with the rule it checks and what must come out, and is its own Catch2 test case, named
// "corpus: <section>/<file>" and tagged with its rule ("[E5]"); see tests/corpus/README.md.
// A case asserts the decision and, optionally, why: the reasons' codes, the determining
// statements, the warnings' codes and the missing context keys. A key the runner does not
// know is a failure, so a misspelt assertion cannot pass unchecked.
#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/text.hpp"
#include "sim-cli/eval/eval_batch.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path corpus_root() { return fs::path(IAMSIM_SOURCE_DIR) / "tests" / "corpus"; }

std::vector<fs::path> corpus_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(corpus_root()))
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// The request's raw text: G1 cases hold duplicate keys, which a DOM would merge.
std::string raw_request(const std::string& text) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '{' || c == '[')
      ++depth;
    else if (c == '}' || c == ']')
      --depth;
    else if (c == '"') {
      if (depth == 1 && text.compare(i, 9, "\"request\"") == 0) {
        std::size_t start = text.find('{', i + 9);
        int d = 0;
        bool s = false;
        for (std::size_t j = start; j < text.size(); ++j) {
          const char k = text[j];
          if (s) {
            if (k == '\\')
              ++j;
            else if (k == '"')
              s = false;
          } else if (k == '"')
            s = true;
          else if (k == '{' || k == '[')
            ++d;
          else if ((k == '}' || k == ']') && --d == 0)
            return text.substr(start, j + 1 - start);
        }
      }
      in_string = true;
    }
  }
  return {};
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Keys a case may hold, and keys its "expect" may hold.
const std::set<std::string> case_keys = {"rule", "description", "semantics", "request", "expect"};
const std::set<std::string> expect_keys = {"decision", "blocked_by",  "layers",
                                           "error",    "pointer",     "reasons",
                                           "warnings", "determining", "missing_context_keys"};
// Fields a "determining" entry may name; each named field must equal the result's.
const std::set<std::string> determining_keys = {"layer", "policy", "index", "statement", "effect", "level"};

std::string unknown_keys(const json& object, const std::set<std::string>& allowed, const std::string& where) {
  std::string out;
  for (const auto& [key, value] : object.items())
    if (!allowed.count(key)) out += "unknown key \"" + key + "\" in " + where + "\n";
  return out;
}

// The codes of a list of {"code": ...} objects, sorted.
std::vector<std::string> codes_of(const json& list) {
  std::vector<std::string> out;
  for (const auto& item : list) out.push_back(item.at("code").get<std::string>());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> sorted_strings(const json& list) {
  auto out = list.get<std::vector<std::string>>();
  std::sort(out.begin(), out.end());
  return out;
}

// Each expected statement matches a distinct determining statement of the result (on the
// fields it names), and there are as many of each.
std::string check_determining(const json& want, const json& got) {
  std::string diff;
  for (const auto& w : want) diff += unknown_keys(w, determining_keys, "an expected determining statement");
  if (!diff.empty()) return diff;
  if (want.size() != got.size())
    return "determining has " + std::to_string(got.size()) + " statements, expected " + std::to_string(want.size()) +
           "\n";
  std::vector<bool> used(got.size(), false);
  for (const auto& w : want) {
    bool found = false;
    for (std::size_t i = 0; i < got.size() && !found; ++i) {
      if (used[i]) continue;
      bool all = true;
      for (const auto& [key, value] : w.items()) all = all && got[i].contains(key) && got[i][key] == value;
      if (all) used[i] = found = true;
    }
    if (!found) diff += "no determining statement matches " + w.dump() + "\n";
  }
  return diff;
}

// Returns "" when the case holds, else what differs.
std::string run_case(const fs::path& file) {
  const std::string text = read_text(file);
  const json c = json::parse(text);
  std::string problems = unknown_keys(c, case_keys, "the case");
  for (const char* field : {"rule", "description", "request", "expect"})
    if (!c.contains(field)) problems += std::string("case lacks \"") + field + "\"\n";
  if (!problems.empty()) return problems;
  const json& expect = c["expect"];
  problems = unknown_keys(expect, expect_keys, "\"expect\"");
  if (!problems.empty()) return problems;
  if (c["request"].value("id", "") != file.stem().string())
    return "the request's id is not the file name without .json\n";

  iamsim::cli::EvalSettings settings;
  if (c.contains("semantics"))
    for (const auto& [key, value] : c["semantics"].items()) {
      std::string v;
      if (value.is_boolean())
        v = value.get<bool>() ? "true" : "false";
      else if (value.is_string())
        v = value.get<std::string>();
      else if (value.is_array())
        for (const auto& item : value) v += (v.empty() ? "" : ",") + item.get<std::string>();
      if (auto err = iamsim::set_semantics_option(settings.semantics, key, v); !err.empty()) return err;
    }
  const auto result = iamsim::cli::evaluate_one(raw_request(text), settings);
  if (expect.contains("error")) {
    if (result.ok)
      return "expected an error containing \"" + expect["error"].get<std::string>() + "\", got " + result.output;
    std::string all;
    bool pointer_found = !expect.contains("pointer");
    for (const auto& d : result.diagnostics.items()) {
      if (d.severity != iamsim::Severity::Error) continue;
      all += iamsim::format_diagnostic(d) + "\n";
      // The reported pointer is the expected one or lies inside it.
      if (expect.contains("pointer") && d.where.pointer.rfind(expect["pointer"].get<std::string>(), 0) == 0)
        pointer_found = true;
    }
    if (iamsim::ascii_lowered(all).find(iamsim::ascii_lowered(expect["error"].get<std::string>())) == std::string::npos)
      return "error does not mention \"" + expect["error"].get<std::string>() + "\":\n" + all;
    if (!pointer_found) return "no error at " + expect["pointer"].get<std::string>() + ":\n" + all;
    return "";
  }
  if (!expect.contains("decision")) return "\"expect\" has neither \"decision\" nor \"error\"\n";
  if (!result.ok) {
    std::string all;
    for (const auto& d : result.diagnostics.items()) all += iamsim::format_diagnostic(d) + "\n";
    return "expected a decision, got errors:\n" + all;
  }
  const json out = json::parse(result.output);
  std::string diff;
  if (out["decision"] != expect["decision"])
    diff += "decision " + out["decision"].dump() + " != expected " + expect["decision"].dump() + "\n";
  if (expect.contains("blocked_by") && sorted_strings(out["blocked_by"]) != sorted_strings(expect["blocked_by"]))
    diff += "blocked_by " + out["blocked_by"].dump() + " != expected " + expect["blocked_by"].dump() + "\n";
  if (expect.contains("layers"))
    for (const auto& [layer, value] : expect["layers"].items())
      if (out["layers"][layer] != value)
        diff += "layer " + layer + " " + out["layers"][layer].dump() + " != expected " + value.dump() + "\n";
  if (expect.contains("reasons") && codes_of(out["reasons"]) != sorted_strings(expect["reasons"]))
    diff += "reasons " + json(codes_of(out["reasons"])).dump() + " != expected " + expect["reasons"].dump() + "\n";
  if (expect.contains("warnings") && codes_of(out["warnings"]) != sorted_strings(expect["warnings"]))
    diff += "warnings " + json(codes_of(out["warnings"])).dump() + " != expected " + expect["warnings"].dump() + "\n";
  if (expect.contains("missing_context_keys") && out["missing_context_keys"] != expect["missing_context_keys"])
    diff += "missing_context_keys " + out["missing_context_keys"].dump() + " != expected " +
            expect["missing_context_keys"].dump() + "\n";
  if (expect.contains("determining")) diff += check_determining(expect["determining"], out["determining"]);
  if (!diff.empty()) diff += "output: " + result.output;
  return diff;
}

void run_corpus_case(const fs::path& file) {
  INFO("corpus case " << fs::relative(file, IAMSIM_SOURCE_DIR).string());
  const std::string diff = run_case(file);
  if (!diff.empty()) FAIL(diff);
}

// Registers one test case per corpus file before Catch2 starts, as the golden tests do.
struct CorpusInvoker : Catch::ITestInvoker {
  explicit CorpusInvoker(fs::path f) : file(std::move(f)) {}
  void invoke() const override { run_corpus_case(file); }
  fs::path file;
};

struct CorpusRegistrar {
  CorpusRegistrar() {
    static std::deque<std::string> strings;  // NameAndTags holds references
    std::vector<fs::path> files;
    try {
      files = corpus_files();
    } catch (const std::exception&) {
      return;  // reported by the completeness test below
    }
    for (const auto& f : files) {
      std::string rule = "corpus";
      try {
        rule = json::parse(read_text(f)).value("rule", "corpus");
      } catch (const std::exception&) {
        // A case that is not JSON fails when it runs.
      }
      const std::string& name =
          strings.emplace_back("corpus: " + fs::relative(f, corpus_root()).replace_extension().generic_string());
      const std::string& tags = strings.emplace_back("[corpus][" + rule + "]");
      Catch::AutoReg(new CorpusInvoker(f), CATCH_INTERNAL_LINEINFO, Catch::StringRef(),
                     Catch::NameAndTags{Catch::StringRef(name), Catch::StringRef(tags)});
    }
  }
};
const CorpusRegistrar corpus_registrar;

}  // namespace

TEST_CASE("corpus: the corpus is there, and every implicit deny says why", "[corpus]") {
  const auto files = corpus_files();
  REQUIRE(files.size() >= 400);
  for (const auto& f : files) {
    INFO(fs::relative(f, IAMSIM_SOURCE_DIR).string());
    const json c = json::parse(read_text(f));
    if (c["expect"].value("decision", "") == "implicit_deny") CHECK(c["expect"].contains("reasons"));
  }
}
