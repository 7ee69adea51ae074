// Stage: model (load). Every malformed scenario in tests/scenarios-bad/ fails with its
// stable code at its file:line:col. Each file says what it expects on its first line:
// `# expect: CODE LINE:COL [FILE relative to tests/scenarios-bad]`.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "model/load/scenario_loader.hpp"

using namespace iamsim;
using namespace iamsim::model;

namespace {

namespace fs = std::filesystem;
const fs::path bad_dir = fs::path(IAMSIM_SOURCE_DIR) / "tests/scenarios-bad";

struct Expected {
  std::string code;
  int line = 0;
  int column = 0;
  fs::path file;
};

Expected read_expectation(const fs::path& scenario) {
  std::ifstream in(scenario);
  std::string first;
  std::getline(in, first);
  std::istringstream words(first);
  std::string hash, tag, where, file;
  Expected e;
  words >> hash >> tag >> e.code >> where >> file;
  REQUIRE(tag == "expect:");
  auto colon = where.find(':');
  e.line = std::stoi(where.substr(0, colon));
  e.column = std::stoi(where.substr(colon + 1));
  e.file = file.empty() ? scenario : bad_dir / file;
  return e;
}

std::vector<fs::path> bad_scenarios() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(bad_dir))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_CASE("scenario: each malformed file gives its code at its line and column", "[model][scenario][bad]") {
  auto files = bad_scenarios();
  REQUIRE(files.size() >= 20);
  for (const auto& file : files) {
    Expected want = read_expectation(file);
    auto load = load_world(file);
    std::string got;
    for (const auto& d : load.diagnostics.items()) got += format_diagnostic(d) + "\n";
    INFO(file.filename().string() << " expects " << want.code << " at " << want.line << ":" << want.column << "\ngot:\n"
                                  << got);
    CHECK_FALSE(load.ok());
    bool found = false;
    int errors = 0;
    for (const auto& d : load.diagnostics.items()) {
      if (d.severity != Severity::Error) continue;
      ++errors;
      found = found || (d.code == want.code && d.where.line == want.line && d.where.column == want.column &&
                        fs::path(d.where.file).lexically_normal() == want.file.lexically_normal());
    }
    CHECK(found);
    CHECK(errors == 1);  // one mistake, one error: no cascades
  }
}

TEST_CASE("scenario: the malformed files cover every error kind", "[model][scenario][bad]") {
  std::set<std::string> covered;
  for (const auto& file : bad_scenarios()) covered.insert(read_expectation(file).code);
  for (const char* code : {"scenario.unknown-field",
                           "scenario.wrong-type",
                           "scenario.unknown-policy",
                           "scenario.duplicate-account",
                           "scenario.duplicate-role",
                           "scenario.duplicate-bucket",
                           "scenario.duplicate-cluster",
                           "scenario.missing-file",
                           "scenario.bad-arn",
                           "scenario.unknown-cluster",
                           "scenario.unknown-bucket",
                           "scenario.unknown-role",
                           "scenario.unknown-key",
                           "scenario.undeclared-account",
                           "scenario.account-in-tree-twice",
                           "scenario.bad-account-id",
                           "scenario.bad-expectation",
                           "scenario.bad-principal",
                           "scenario.missing-field",
                           "yaml.syntax",
                           "k8s.missing-name"}) {
    INFO(code);
    CHECK(covered.count(code));
  }
}

TEST_CASE("scenario: unknown field lists the allowed ones", "[model][scenario][bad]") {
  auto load = load_world(bad_dir / "unknown-field.yaml");
  REQUIRE_FALSE(load.diagnostics.items().empty());
  const auto& d = load.diagnostics.items()[0];
  CHECK(d.message ==
        "unknown field 'polices' in a role; allowed: name, path, trust, policies, boundary, tags, "
        "service_linked, unique_id, description");
  CHECK(format_diagnostic(d).ends_with(
      "unknown-field.yaml:9:9: error[scenario.unknown-field]: unknown field 'polices' in a role; "
      "allowed: name, path, trust, policies, boundary, tags, service_linked, unique_id, "
      "description"));
}

TEST_CASE("scenario: a one-line expectation that does not parse shows a caret", "[model][scenario][bad]") {
  auto load = load_world(bad_dir / "bad-expectation.yaml");
  REQUIRE(load.diagnostics.items().size() == 1);
  CHECK(load.diagnostics.items()[0].message ==
        "this expectation does not parse: expected '/' and a service account name\n"
        "  deny sa:ml-prod/kserve s3:GetObject s3://ml-models-prod/x\n"
        "                        ^");
}
