// Tests: `iamsim prove` on whole worlds (docs/claims.md). tests/prove/leaks.yaml holds one
// bucket per subtle leak, written from the IAM and S3 guides; the KServe designs are the
// shipped ones. Every refutation prints an `iamsim can` line, which is run and must say ALLOWED.
#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "../cli/process.hpp"

namespace {

namespace fs = std::filesystem;
using iamsim::test::run_process;

fs::path source_dir() { return fs::path(IAMSIM_SOURCE_DIR).lexically_normal(); }

// The words of a shell line with single-quoted words, as the prove command prints them.
std::vector<std::string> shell_words(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false, any = false;
  for (char c : line) {
    if (c == '\'') {
      quoted = !quoted;
      any = true;
    } else if (c == ' ' && !quoted) {
      if (any) words.push_back(word);
      word.clear();
      any = false;
    } else {
      word += c;
      any = true;
    }
  }
  if (any) words.push_back(word);
  return words;
}

struct Case {
  std::string world, claim, verdict;
};

}  // namespace

TEST_CASE("prove: never claims on whole worlds, each refutation replayed by can", "[prove][claims]") {
  const std::string leaks = (source_dir() / "tests/prove/leaks.yaml").string();
  const std::string kserve = (source_dir() / "scenarios/kserve-cross-account").string();
  const std::vector<Case> cases = {
      {leaks, "never outside-org s3:GetObject s3://org-wildcard/*", "REFUTED"},      // C7
      {leaks, "never anonymous s3:GetObject s3://org-wildcard/*", "HOLDS"},          // C4: no org key
      {leaks, "never anonymous s3:GetObject s3://org-pinned/*", "HOLDS"},            // B5
      {leaks, "never outside-org s3:GetObject s3://org-pinned/*", "UNKNOWN"},        // 555555555555 is in the world
      {leaks, "never anonymous s3:GetObject s3://notprincipal-allow/*", "REFUTED"},  // P8
      {leaks, "never anonymous s3:GetObject s3://notprincipal-deny/*", "HOLDS"},     // P7
      {leaks, "never anonymous s3:GetObject s3://notequals-missing/*", "REFUTED"},   // C4
      {leaks, "never anonymous s3:GetObject s3://forallvalues-empty/*", "REFUTED"},  // C14
      {leaks, "never outside-org s3:GetObject s3://ifexists-vpce/*", "REFUTED"},     // C5
      {leaks, "never anonymous s3:GetObject s3://vpce-only/*", "HOLDS"},             // V1
      {leaks, "never anonymous s3:GetObject s3://ip-open/*", "UNKNOWN"},             // IpAddress not modelled
      {leaks, "never outside-org s3:GetObject s3://kms-guarded/*", "UNKNOWN"},       // the KMS hop
      {kserve + "/1-direct-grant.yaml", "never outside-org s3:GetObject s3://ml-models-prod/*", "HOLDS"},
      {kserve + "/3-pinned-trust.yaml", "never outside-org s3:GetObject* s3://ml-models-prod/models/*", "HOLDS"},
      {kserve + "/3-pinned-trust.yaml", "never anonymous s3:* s3://ml-models-prod/*", "HOLDS"},
  };
  for (const auto& c : cases) {
    INFO(c.world << ": " << c.claim);
    const auto r =
        run_process(iamsim::test::iamsim_binary(), {"prove", c.world, c.claim}, {}, std::chrono::seconds(120));
    INFO(r.out << r.err);
    REQUIRE_FALSE(r.timed_out);
    CHECK(r.out.starts_with(c.verdict + ": "));
    CHECK(r.exit_code == (c.verdict == "HOLDS" ? 0 : 1));
    if (c.verdict != "REFUTED") continue;
    std::istringstream lines(r.out);
    std::string can;
    for (std::string line; std::getline(lines, line);)
      if (line.starts_with("    iamsim can ")) can = line.substr(4);
    REQUIRE_FALSE(can.empty());
    auto words = shell_words(can);
    words.erase(words.begin());  // "iamsim"
    const auto replay = run_process(iamsim::test::iamsim_binary(), words, {}, std::chrono::seconds(60));
    INFO(replay.out << replay.err);
    CHECK(replay.exit_code == 0);
    CHECK(replay.out.find("ALLOWED") != std::string::npos);
  }
}

TEST_CASE("prove: a malformed claim is bad input that says what is wrong", "[prove][claims]") {
  const std::string world = (source_dir() / "scenarios/kserve-cross-account/1-direct-grant.yaml").string();
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"always outside-org s3:GetObject s3://ml-models-prod/*", "never SET ACTION RESOURCE"},
      {"never insiders s3:GetObject s3://ml-models-prod/*", "unknown principal set 'insiders'"},
      {"never outside-account:12 s3:GetObject s3://ml-models-prod/*", "12-digit account id"},
      {"never outside-org s3:GetObjekt s3://ml-models-prod/*", "names no S3 action"},
      {"never outside-org s3:GetObject ml-models-prod", "is not s3://BUCKET"},
      {"never outside-org s3:GetObject s3://ml-models-prod", "names no objects"},
      {"never outside-org s3:GetObject s3://no-such-bucket/*", "no bucket 'no-such-bucket'"},
  };
  for (const auto& [claim, message] : bad) {
    INFO(claim);
    const auto r = run_process(iamsim::test::iamsim_binary(), {"prove", world, claim});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(message) != std::string::npos);
  }
}
