// Tests: the data-driven corpus (tests/corpus/**.json). Each case is one eval request with
// the rule it checks and what must come out; see tests/corpus/README.md.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/text.hpp"
#include "sim-cli/eval/eval_batch.hpp"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::vector<fs::path> corpus_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(IAMSIM_SOURCE_DIR) / "tests" / "corpus"))
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

// Returns "" when the case holds, else what differs.
std::string run_case(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  const json c = json::parse(text.str());
  for (const char* field : {"rule", "description", "request", "expect"})
    if (!c.contains(field)) return std::string("case lacks \"") + field + "\"";
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
  const auto result = iamsim::cli::evaluate_one(raw_request(text.str()), settings);
  const json& expect = c["expect"];
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
  if (!result.ok) {
    std::string all;
    for (const auto& d : result.diagnostics.items()) all += iamsim::format_diagnostic(d) + "\n";
    return "expected a decision, got errors:\n" + all;
  }
  const json out = json::parse(result.output);
  std::string diff;
  if (out["decision"] != expect["decision"])
    diff += "decision " + out["decision"].dump() + " != expected " + expect["decision"].dump() + "\n";
  if (expect.contains("blocked_by")) {
    auto got = out["blocked_by"].get<std::vector<std::string>>();
    auto want = expect["blocked_by"].get<std::vector<std::string>>();
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    if (got != want) diff += "blocked_by " + json(got).dump() + " != expected " + json(want).dump() + "\n";
  }
  if (expect.contains("layers"))
    for (const auto& [layer, value] : expect["layers"].items())
      if (out["layers"][layer] != value)
        diff += "layer " + layer + " " + out["layers"][layer].dump() + " != expected " + value.dump() + "\n";
  if (!diff.empty()) diff += "output: " + result.output;
  return diff;
}

}  // namespace

TEST_CASE("corpus: every case decides as its rule says", "[corpus]") {
  const auto files = corpus_files();
  REQUIRE(files.size() >= 150);
  std::size_t failures = 0;
  for (const auto& file : files) {
    const std::string diff = run_case(file);
    if (!diff.empty()) {
      ++failures;
      UNSCOPED_INFO(fs::relative(file, IAMSIM_SOURCE_DIR).string() << ":\n" << diff);
    }
  }
  CHECK(failures == 0);
}
