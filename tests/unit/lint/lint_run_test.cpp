// Tests: `iamsim lint` over whole inputs (lint/lint.hpp): the KServe case's real findings and
// nothing more, path-proven findings with their paths, suppressions counted, policy files
// shared by scenarios reported once; and docs/lint.md documents every finding id the code
// reports.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "lint/lint.hpp"
#include "lint/rules.hpp"

namespace fs = std::filesystem;
using iamsim::lint::Finding;
using iamsim::lint::LintReport;

namespace {

const fs::path source_dir = IAMSIM_SOURCE_DIR;

LintReport lint_paths(std::vector<fs::path> paths, std::vector<iamsim::lint::Suppression> ignores = {}) {
  return iamsim::lint::run_lint(iamsim::lint::read_lint_inputs(paths), std::move(ignores), iamsim::Semantics{});
}

std::set<std::string> rule_and_file(const std::vector<Finding>& findings) {
  std::set<std::string> out;
  for (const auto& f : findings) out.insert(f.rule + " " + fs::path(f.where.file).filename().string());
  return out;
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("K1 B7 lint: the KServe case's findings, and nothing spurious", "[lint][K1][B7]") {
  const auto report = lint_paths({source_dir / "scenarios"});
  INFO(report.problems.items().size());
  CHECK(report.problems.empty());
  CHECK(report.files == 7);
  const std::set<std::string> expected = {
      "world.web-identity-no-sub loader-trust-policy.json",   // the :aud-only trust (designs 1, 2, 4, 5)
      "policy.broad-action bucket-policy.json",               // s3:* on the bucket's objects
      "policy.broad-action loader-role-policy.json",          // s3:* in the loader's role policy
      "policy.broad-action 5-scp-and-rcp.yaml",               // s3:* in design 5's inline bucket policy
      "world.kms-key-blocks-reader 4-sse-kms.yaml",           // the default key policy blocks the loader
      "world.irsa-trust-mismatch more-serviceaccounts.yaml",  // design 3 pins :sub; batch-reporter keeps the annotation
      "world.node-role-reachable 6-node-role.yaml",           // IMDSv1 on the node group, S3 reads on the node role
  };
  CHECK(rule_and_file(report.findings) == expected);

  for (const auto& f : report.findings) {
    INFO(f.rule + " " + f.where.file);
    CHECK(f.where.line > 0);
    CHECK(f.where.column > 0);
    if (f.rule == "world.web-identity-no-sub") {
      // Proven by the two annotated service accounts whose pods get in today.
      REQUIRE(f.evidence.size() == 2);
      CHECK(f.evidence[0].principal == "sa:ml-prod/kserve/model-loader-sa");
      CHECK(f.evidence[1].principal == "sa:ml-prod/analytics/batch-reporter");
      CHECK(f.evidence[1].access.allowed());
      CHECK(f.world.find("1-direct-grant.yaml") != std::string::npos);
      CHECK(f.world.find("3-pinned-trust.yaml") == std::string::npos);
      CHECK(f.where.pointer == "/Statement/0");
    }
    if (f.rule == "world.node-role-reachable") {
      // K8: proven by the pods without a role of their own (and batch-reporter, whose IRSA
      // fails), each through the node's instance metadata; 7-node-role-closed.yaml has none.
      CHECK(f.resource == "arn:aws:iam::111111111111:role/eks-node");
      CHECK(f.world.find("7-node-role-closed.yaml") == std::string::npos);
      bool kserve_default = false;
      for (const auto& e : f.evidence) {
        kserve_default |= e.principal == "sa:ml-prod/kserve/default@node:general";
        CHECK(e.principal != "sa:ml-prod/kserve/model-loader-sa@node:general");  // its IRSA role reads too
        CHECK(e.access.allowed());
        CHECK(e.access.hops.front().kind == iamsim::model::HopKind::InstanceMetadata);
      }
      CHECK(kserve_default);
    }
    if (f.rule == "world.kms-key-blocks-reader") {
      CHECK(f.resource == "arn:aws:kms:us-east-1:222222222222:key/2222bbbb-2222-4bbb-8bbb-222222222222");
      bool loader = false;
      for (const auto& e : f.evidence) {
        loader |= e.principal == "sa:ml-prod/kserve/model-loader-sa";
        CHECK(e.access.deciding_hop()->kind == iamsim::model::HopKind::Kms);
      }
      CHECK(loader);
    }
  }
}

TEST_CASE("lint: suppressions leave findings out and are counted", "[lint]") {
  std::string error;
  auto ignore = iamsim::lint::parse_suppression("policy.broad-action@arn:aws:s3:::ml-models-*", error);
  REQUIRE(ignore);
  auto unused = iamsim::lint::parse_suppression("policy.public-resource-policy", error);
  REQUIRE(unused);
  const auto report = lint_paths({source_dir / "scenarios"}, {*ignore, *unused});
  CHECK(report.suppressed.size() == 2);  // the bucket policy file and design 5's inline one
  REQUIRE(report.suppressions.size() == 2);
  CHECK(report.suppressions[0].matched == 2);
  CHECK(report.suppressions[1].matched == 0);
  for (const auto& f : report.findings)
    CHECK_FALSE((f.rule == "policy.broad-action" && f.resource.starts_with("arn:aws:s3:::")));
  CHECK_FALSE(iamsim::lint::parse_suppression("policy.no-such-check", error));
  CHECK(error.find("unknown finding id") != std::string::npos);
}

TEST_CASE("lint: a bare policy file is linted as its guessed kind; a policy a scenario uses is not read twice",
          "[lint]") {
  const fs::path dir = fs::temp_directory_path() / "iamsim-lint-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "bucket.json")
      << R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::docs/*"}]})";
  std::ofstream(dir / "notes.json") << R"({"not": "a policy"})";
  const auto report = lint_paths({dir});
  CHECK(report.files == 1);
  REQUIRE(report.findings.size() == 1);
  CHECK(report.findings[0].rule == "policy.public-resource-policy");
  CHECK(report.findings[0].where.line == 1);
  const auto named = lint_paths({dir / "notes.json"});
  CHECK(named.problems.has_errors());  // named on purpose, but neither a scenario nor a policy
  fs::remove_all(dir);

  // scenarios/ holds the policy files its scenarios use: each finding once.
  const auto kserve = lint_paths({source_dir / "scenarios"});
  std::size_t bucket_policy = 0;
  for (const auto& f : kserve.findings) bucket_policy += f.where.file.ends_with("policies/bucket-policy.json");
  CHECK(bucket_policy == 1);
}

TEST_CASE("lint: docs/lint.md documents every finding id, and the code reports only those", "[lint][docs]") {
  const std::string docs = read(source_dir / "docs" / "lint.md");
  std::set<std::string> documented;
  const std::regex heading(R"(^### ([a-z]+\.[a-z0-9-]+)\s*$)", std::regex::multiline);
  for (auto it = std::sregex_iterator(docs.begin(), docs.end(), heading); it != std::sregex_iterator(); ++it)
    documented.insert((*it)[1]);
  std::set<std::string> table;
  for (const auto& r : iamsim::lint::rules()) table.insert(std::string(r.id));
  CHECK(documented == table);
  // Every id string in lint's sources is a rule of the table (and so documented).
  const std::regex id(R"re("((policy|world|expectation)\.[a-z0-9-]+)")re");
  for (const auto& entry : fs::directory_iterator(source_dir / "lint")) {
    const std::string text = read(entry.path());
    for (auto it = std::sregex_iterator(text.begin(), text.end(), id); it != std::sregex_iterator(); ++it) {
      INFO(entry.path().filename().string() + ": " + (*it)[1].str());
      CHECK(table.count((*it)[1]) == 1);
    }
  }
}
