// Tests: the synthetic world generator (bench/genworld.cpp, IAMSIM_GENWORLD). Generated
// worlds load and every expectation holds in the real iamsim (IAMSIM_BINARY); every kind of
// expectation appears, with precise outcomes; the deciding layer iamsim names is the one the
// generator built to decide; and a seed always gives the same files.
#include <catch2/catch.hpp>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

#ifdef IAMSIM_GENWORLD

namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "iamsim-genworld-test-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error(std::string("mkdtemp: ") + std::strerror(errno));
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct Run {
  int exit_code = -1;
  std::string out, err;
};

// Runs a program with its output in files (a large output never blocks on a pipe).
Run run(const std::string& program, const std::vector<std::string>& args) {
  TempDir tmp;
  const std::string out_path = (tmp.path() / "out").string(), err_path = (tmp.path() / "err").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<std::string> argv_strings = {program};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawn_error = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawn_error != 0) throw std::runtime_error("cannot run " + program + ": " + std::strerror(spawn_error));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  Run r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out_path);
  r.err = slurp(err_path);
  return r;
}

Run generate(const fs::path& out, int accounts, int service_accounts, int expectations, int seed,
             const std::string& emit = "yaml") {
  return run(IAMSIM_GENWORLD, {"--accounts", std::to_string(accounts), "--service-accounts",
                               std::to_string(service_accounts), "--expectations", std::to_string(expectations),
                               "--seed", std::to_string(seed), "--out", out.string(), "--emit", emit});
}

// The results of `check --format json` without what names the files: each expectation's
// name, outcome, pass and reason, in order.
std::vector<std::string> check_results(const std::string& json_text) {
  const auto results = nlohmann::json::parse(json_text);
  std::vector<std::string> out;
  for (const auto& file : results["files"])
    for (const auto& e : file["expectations"])
      out.push_back(e["name"].get<std::string>() + " | " + e["decision"].dump() + " | " + e["passed"].dump());
  return out;
}

// Every file under `root`, by relative path.
std::map<std::string, std::string> tree(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root))
    if (entry.is_regular_file()) files[fs::relative(entry.path(), root).string()] = slurp(entry.path());
  return files;
}

// The kind of the expectation on each line of world.yaml: one-line expectations end in
// "  # KIND"; long ones start with `- name: "KIND: ...`.
std::map<int, std::string> kinds_by_line(const std::string& world) {
  std::map<int, std::string> kinds;
  std::istringstream in(world);
  std::string line;
  bool in_expectations = false;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line == "expectations:") {
      in_expectations = true;
      continue;
    }
    if (!in_expectations) continue;
    if (line.rfind("  - name: \"", 0) == 0) {
      kinds[n] = line.substr(11, line.find(':', 11) - 11);
    } else if (line.rfind("  - ", 0) == 0) {
      auto hash = line.rfind("  # ");
      if (hash != std::string::npos) kinds[n] = line.substr(hash + 4);
    }
  }
  return kinds;
}

// What iamsim's reason must name for kinds decided by one known statement or hop.
const std::map<std::string, std::vector<std::string>>& deciding_text() {
  static const std::map<std::string, std::vector<std::string>> texts = {
      {"scp-deny-delete", {"scp", "ProtectProductionData"}},              // S3
      {"scp-deny-key-deletion", {"scp", "ProtectKmsKeys"}},               // S3
      {"scp-sandbox-perimeter", {"scp", "SandboxKeepsToItsOwnData"}},     // S3
      {"rcp-outside-principal", {"rcp", "EnforceOrgIdentities"}},         // R3, X5
      {"kms-key-policy-not-granting", {"kms:"}},                          // KM1, B7
      {"kms-identity-not-granting", {"kms:"}},                            // KM2, KM3
      {"kms-direct-call-deny", {"kms:Decrypt"}},                          // KM5
      {"irsa-wrong-sub", {"web identity"}},                               // K1, T7
      {"irsa-missing-oidc-provider", {"web identity", "OIDC provider"}},  // T6
      {"irsa-audience-mismatch", {"web identity"}},                       // T7
      {"pod-identity-no-tagsession", {"sts:TagSession"}},                 // T8
      {"pod-identity-bad-external-id", {"sts:AssumeRole"}},               // K7, T11
      {"chained-role-deny", {"sts:AssumeRole"}},                          // T1, T2
      {"bucket-policy-not-granting", {"s3:"}},                            // X1
      {"identity-not-granting", {"s3:"}},                                 // E7
  };
  return texts;
}

}  // namespace

TEST_CASE("genworld: generated worlds pass iamsim check, with every kind of expectation", "[genworld]") {
  for (int seed : {1, 2, 3}) {
    DYNAMIC_SECTION("seed " << seed) {
      TempDir dir;
      const Run g = generate(dir.path(), 6, 60, 300, seed);
      INFO(g.out << g.err);
      REQUIRE(g.exit_code == 0);

      const auto summary = nlohmann::json::parse(slurp(dir.path() / "genworld-summary.json"));
      CHECK(summary["expectations"]["total"] == 300);
      CHECK(summary["world"]["accounts"] == 6);
      CHECK(summary["world"]["service_accounts"] == 60);
      const auto& by_kind = summary["expectations"]["by_kind"];
      REQUIRE(by_kind.size() >= 30);
      // The kinds the generator was asked for by name.
      for (const char* kind :
           {"irsa-pinned-allow", "irsa-wrong-sub", "no-credentials", "irsa-missing-oidc-provider",
            "irsa-audience-mismatch", "bucket-policy-not-granting", "identity-not-granting", "scp-deny-delete",
            "scp-deny-key-deletion", "rcp-outside-principal", "kms-key-policy-not-granting",
            "pod-identity-target-role-allow", "pod-identity-tags-disabled", "chained-role-allow",
            "irsa-cross-account-provider-allow", "workload-default-sa", "s3-star-delete-allow"})
        CHECK(by_kind.contains(kind));

      const std::string world = slurp(dir.path() / "world.yaml");
      const auto kinds = kinds_by_line(world);
      CHECK(kinds.size() == 300);
      std::map<std::string, int> seen;
      for (const auto& [line, kind] : kinds) ++seen[kind];
      for (const auto& [kind, count] : by_kind.items()) {
        INFO("kind " << kind);
        CHECK(count.get<int>() > 0);
        CHECK(seen[kind] == count.get<int>());
      }
      // Precise outcomes only: never the bare `deny`.
      CHECK(world.find("\n  - deny ") == std::string::npos);
      CHECK(world.find("expect: deny\n") == std::string::npos);
      CHECK(summary["expectations"]["by_outcome"]["allow"] > 0);
      CHECK(summary["expectations"]["by_outcome"]["explicit_deny"] > 0);
      CHECK(summary["expectations"]["by_outcome"]["implicit_deny"] > 0);
      CHECK(world.find("\n    expect: ") != std::string::npos);  // some in the long form

      const Run check = run(IAMSIM_BINARY, {"check", dir.path().string()});
      INFO(check.out.substr(0, 4000) << check.err.substr(0, 4000));
      CHECK(check.exit_code == 0);
      CHECK(check.out.find("300 passed, 0 failed") != std::string::npos);

      // The reason iamsim gives names the layer (and statement) the generator built to decide.
      const Run json = run(IAMSIM_BINARY, {"check", "--format", "json", dir.path().string()});
      REQUIRE(json.exit_code == 0);
      const auto results = nlohmann::json::parse(json.out);
      REQUIRE(results["files"].size() == 1);
      int checked = 0;
      for (const auto& e : results["files"][0]["expectations"]) {
        const int line = e["line"].get<int>();
        auto kind = kinds.find(line);
        INFO("world.yaml line " << line << ": " << e.dump());
        REQUIRE(kind != kinds.end());
        CHECK(e["passed"] == true);
        auto texts = deciding_text().find(kind->second);
        if (texts == deciding_text().end()) continue;
        for (const auto& text : texts->second) CHECK(e["reason"].get<std::string>().find(text) != std::string::npos);
        ++checked;
      }
      CHECK(checked > 0);
    }
  }
}

TEST_CASE("genworld: the same seed writes the same files; another seed another world", "[genworld]") {
  TempDir a, b, c;
  REQUIRE(generate(a.path(), 8, 120, 400, 42).exit_code == 0);
  REQUIRE(generate(b.path(), 8, 120, 400, 42).exit_code == 0);
  REQUIRE(generate(c.path(), 8, 120, 400, 43).exit_code == 0);
  const auto first = tree(a.path()), second = tree(b.path()), other = tree(c.path());
  REQUIRE(first.size() > 5);
  CHECK(first.count("world.yaml"));
  CHECK(first.count("genworld-summary.json"));
  std::set<std::string> names_a, names_b;
  for (const auto& [name, text] : first) names_a.insert(name);
  for (const auto& [name, text] : second) names_b.insert(name);
  CHECK(names_a == names_b);
  for (const auto& [name, text] : first) {
    INFO(name);
    auto it = second.find(name);
    REQUIRE(it != second.end());
    CHECK(it->second == text);  // byte for byte
  }
  CHECK(other.at("world.yaml") != first.at("world.yaml"));

  // Generating again into the same folder replaces the world, leaving nothing stale.
  REQUIRE(generate(a.path(), 8, 120, 400, 43).exit_code == 0);
  CHECK(tree(a.path()) == other);
}

// Issue 10, item 5: the same world written as AWS CLI and kubectl outputs (docs/exports.md)
// and read back through the export readers is the world of the scenario: every expectation
// passes, with the same outcomes, and the access matrices are the same.
namespace {

void round_trip(int accounts, int service_accounts, int expectations, const std::string& matrix_resource) {
  TempDir yaml, exports;
  const Run gy = generate(yaml.path(), accounts, service_accounts, expectations, 7);
  const Run ge = generate(exports.path(), accounts, service_accounts, expectations, 7, "exports");
  INFO(gy.err << ge.err);
  REQUIRE(gy.exit_code == 0);
  REQUIRE(ge.exit_code == 0);
  CHECK(fs::is_directory(exports.path() / "export" / "organizations"));
  CHECK(fs::is_directory(exports.path() / "export" / "accounts"));
  CHECK(!fs::exists(exports.path() / "policies"));  // nothing of the scenario layout

  const Run cy = run(IAMSIM_BINARY, {"check", "--format", "json", (yaml.path() / "world.yaml").string()});
  const Run ce = run(IAMSIM_BINARY, {"check", "--format", "json", (exports.path() / "world.yaml").string()});
  INFO(ce.err.substr(0, 4000));
  REQUIRE(cy.exit_code == 0);
  REQUIRE(ce.exit_code == 0);
  CHECK(ce.err.find("warning") == std::string::npos);  // the export lacks nothing
  const auto from_yaml = check_results(cy.out), from_exports = check_results(ce.out);
  REQUIRE(from_yaml.size() == static_cast<std::size_t>(expectations));
  CHECK(from_exports == from_yaml);

  const Run text = run(IAMSIM_BINARY, {"check", (exports.path() / "world.yaml").string()});
  CHECK(text.out.find(std::to_string(expectations) + " passed, 0 failed") != std::string::npos);
  auto matrix = [&](const fs::path& world) {
    std::vector<std::string> args = {"matrix", world.string()};
    if (!matrix_resource.empty()) args.insert(args.begin() + 1, {"--resource", matrix_resource});
    const Run m = run(IAMSIM_BINARY, args);
    INFO(m.err.substr(0, 2000));
    REQUIRE(m.exit_code == 0);
    return m.out;
  };
  const std::string my = matrix(yaml.path() / "world.yaml"), me = matrix(exports.path() / "world.yaml");
  CHECK(my.size() > 1000);
  CHECK(me == my);
}

}  // namespace

TEST_CASE("genworld: --emit exports round-trips through the export readers", "[genworld][exports]") {
  round_trip(6, 60, 300, "");
}

// The 1x world of bench/README.md; long under the sanitizers, so [huge].
TEST_CASE("genworld: --emit exports round-trips through the export readers at 1x", "[genworld][exports][huge]") {
  round_trip(12, 1250, 6250, "datasets");
}

TEST_CASE("genworld: bad arguments exit 2 with a message", "[genworld]") {
  TempDir dir;
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"--accounts", "3", "--out", dir.path().string()},
                                             {"--accounts", "many", "--out", dir.path().string()},
                                             {"--service-accounts", "10"},
                                             {"--what", "1", "--out", dir.path().string()},
                                             {"--emit", "terraform", "--out", dir.path().string()}}) {
    const Run r = run(IAMSIM_GENWORLD, args);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("iamsim-genworld:") != std::string::npos);
  }
  CHECK(run(IAMSIM_GENWORLD, {"--help"}).exit_code == 0);
}

#else

TEST_CASE("genworld: skipped, the generator is not built", "[genworld]") {
  WARN("IAMSIM_GENWORLD is not defined (bench/ not built): the generator tests did not run");
}

#endif
