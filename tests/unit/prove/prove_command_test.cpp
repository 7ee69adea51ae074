// Tests: `iamsim prove` on whole worlds (docs/claims.md). tests/prove/leaks.yaml holds one
// bucket per subtle leak, written from the IAM and S3 guides; the KServe designs are the
// shipped ones. Every refutation prints an `iamsim can` line, which is run and must say ALLOWED.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include <unistd.h>
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

std::string read_file(const fs::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The `iamsim can` line of a refutation, as arguments (without "iamsim").
std::vector<std::string> can_words(const std::string& out) {
  std::istringstream lines(out);
  std::string can;
  for (std::string line; std::getline(lines, line);)
    if (line.starts_with("    iamsim can ")) can = line.substr(4);
  auto words = shell_words(can);
  if (!words.empty()) words.erase(words.begin());
  return words;
}

// Runs `iamsim prove WORLD CLAIM`; the verdict and the exit code must be `verdict`'s.
iamsim::test::ProcessResult prove_expecting(const std::string& world, const std::string& claim,
                                            const std::string& verdict) {
  const auto r = run_process(iamsim::test::iamsim_binary(), {"prove", world, claim}, {}, std::chrono::seconds(120));
  INFO(world << ": " << claim << "\n" << r.out << r.err);
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.out.starts_with(verdict + ": "));
  CHECK(r.exit_code == (verdict == "HOLDS" ? 0 : 1));
  return r;
}

struct ExpectedClaim {
  std::string claim, verdict, says;  // says: text the output must hold
};

// Each claim's verdict and text; each refutation replayed by `iamsim can`, which must allow it.
void expect_claims(const std::string& world, const std::vector<ExpectedClaim>& cases) {
  for (const auto& c : cases) {
    const auto r = prove_expecting(world, c.claim, c.verdict);
    CHECK(r.out.find(c.says) != std::string::npos);
    if (c.verdict != "REFUTED") continue;
    const auto replay = run_process(iamsim::test::iamsim_binary(), can_words(r.out), {}, std::chrono::seconds(60));
    INFO(replay.out << replay.err);
    CHECK(replay.out.find("ALLOWED") != std::string::npos);
  }
}

}  // namespace

TEST_CASE("prove: never and only claims on whole worlds, each refutation replayed by can", "[prove][claims]") {
  const std::string leaks = (source_dir() / "tests/prove/leaks.yaml").string();
  const std::string kserve = (source_dir() / "scenarios/kserve-cross-account").string();
  const std::string estates = (source_dir() / "tests/estates/aws-cli-docs.yaml").string();
  const std::string only_loader =
      "only [sa:ml-prod/kserve/model-loader-sa, workload:ml-prod/kserve/cross-account-model, "
      "arn:aws:iam::222222222222:root] s3:GetObject s3://ml-models-prod/models/*";
  const std::vector<Case> cases = {
      {leaks, "never outside-org s3:GetObject s3://org-wildcard/*", "REFUTED"},      // C7
      {leaks, "never anonymous s3:GetObject s3://org-wildcard/*", "HOLDS"},          // C4: no org key
      {leaks, "never anonymous s3:GetObject s3://org-pinned/*", "HOLDS"},            // B5
      {leaks, "never outside-org s3:GetObject s3://org-pinned/*", "HOLDS"},          // 555555555555 has no org id
      {leaks, "never anonymous s3:GetObject s3://notprincipal-allow/*", "REFUTED"},  // P8
      {leaks, "never anonymous s3:GetObject s3://notprincipal-deny/*", "HOLDS"},     // P7
      {leaks, "never anonymous s3:GetObject s3://notequals-missing/*", "REFUTED"},   // C4
      {leaks, "never anonymous s3:GetObject s3://forallvalues-empty/*", "REFUTED"},  // C14
      {leaks, "never outside-org s3:GetObject s3://ifexists-vpce/*", "REFUTED"},     // C5
      {leaks, "never anonymous s3:GetObject s3://vpce-only/*", "HOLDS"},             // V1
      {leaks, "never anonymous s3:GetObject s3://ip-open/*", "REFUTED"},             // C12: a public range
      {leaks, "never anonymous s3:GetObject s3://time-boxed/*", "REFUTED"},          // C9: before 2027
      {leaks, "never anonymous s3:GetObject s3://time-boxed/* at 2027-06-01T00:00:00Z", "HOLDS"},
      {leaks, "never outside-org s3:GetObject s3://public-blocked/*", "HOLDS"},  // B4
      {leaks, "never outside-account:111111111111 s3:GetObject s3://public-blocked/*", "HOLDS"},
      {leaks, "never anyone s3:GetObject s3://public-blocked/*", "REFUTED"},                    // its own account
      {leaks, "never anyone s3:GetObject s3://org-pinned/*", "REFUTED"},                        // E1: a root user
      {leaks, "never anyone s3:DeleteObject s3://org-pinned/*", "HOLDS"},                       // E2: the Deny
      {leaks, "never outside-account:111111111111 s3:GetObject s3://org-pinned/*", "REFUTED"},  // 999999999999
      {leaks, "never [arn:aws:iam::555555555555:*] s3:GetObject s3://notprincipal-allow/*", "REFUTED"},  // P8, E1
      {leaks, "only [arn:aws:iam::111111111111:*] s3:GetObject s3://vpce-only/*", "REFUTED"},  // 999999999999's root
      {leaks, "only [arn:aws:iam::111111111111:*, arn:aws:iam::999999999999:root] s3:GetObject s3://vpce-only/*",
       "HOLDS"},  // V1: only the organization, through the endpoint
      {leaks, "never outside-org s3:GetObject s3://kms-guarded/*", "HOLDS"},  // KM1: the default key policy
      {kserve + "/1-direct-grant.yaml", "never outside-org s3:GetObject s3://ml-models-prod/*", "HOLDS"},
      {kserve + "/3-pinned-trust.yaml", "never outside-org s3:GetObject* s3://ml-models-prod/models/*", "HOLDS"},
      {kserve + "/3-pinned-trust.yaml", "never anonymous s3:* s3://ml-models-prod/*", "HOLDS"},
      // World principals and their paths (IRSA, chains, node roles), with `only` and references.
      {kserve + "/1-direct-grant.yaml", only_loader, "REFUTED"},  // K1: batch-reporter
      {kserve + "/2-role-chaining.yaml", only_loader, "REFUTED"},
      {kserve + "/3-pinned-trust.yaml", only_loader, "HOLDS"},
      {kserve + "/6-node-role.yaml", only_loader, "REFUTED"},  // K8: the node role
      {kserve + "/3-pinned-trust.yaml", "never sa:ml-prod/kserve/* s3:GetObject s3://ml-models-prod/*", "REFUTED"},
      {kserve + "/3-pinned-trust.yaml",
       "never [sa:ml-prod/analytics/batch-reporter] s3:GetObject s3://ml-models-prod/*", "HOLDS"},
      {kserve + "/1-direct-grant.yaml", "never outside-account:222222222222 s3:GetObject s3://ml-models-prod/*",
       "REFUTED"},
      {kserve + "/5-scp-and-rcp.yaml", "never outside-org s3:GetObject s3://ml-models-prod/*", "HOLDS"},  // R2
      // The AWS CLI documentation's get-account-authorization-details: one page, and AWS
      // managed policies it does not hold (AmazonS3FullAccess on EC2role): no proof over them.
      {estates, "never [arn:aws:iam::123456789012:role/EC2role] s3:GetObject s3://example-bucket/*", "UNKNOWN"},
      {estates, "never outside-account:123456789012 s3:* s3://example-bucket/*", "HOLDS"},  // X1: no bucket policy
      // no_public_access: B5's definition of public, Block Public Access counted (B4).
      {leaks, "no_public_access s3://org-pinned", "HOLDS"},            // pinned by aws:PrincipalOrgID
      {leaks, "no_public_access s3://org-wildcard", "REFUTED"},        // a wildcard pins nothing
      {leaks, "no_public_access s3://notprincipal-allow", "REFUTED"},  // P8
      {leaks, "no_public_access s3://public-blocked", "HOLDS"},        // RestrictPublicBuckets
      {leaks, "no_public_access s3://vpce-only", "HOLDS"},             // pinned by aws:SourceVpce
      {kserve + "/3-pinned-trust.yaml", "no_public_access s3://ml-models-prod", "HOLDS"},
  };
  for (const auto& c : cases) {
    INFO(c.world << ": " << c.claim);
    const auto r = prove_expecting(c.world, c.claim, c.verdict);
    INFO(r.out << r.err);
    if (c.verdict != "REFUTED") continue;
    if (c.claim.starts_with("no_public_access")) {  // refuted by the statement, no request
      CHECK(r.out.find(" is public: statement ") != std::string::npos);
      continue;
    }
    const auto words = can_words(r.out);
    REQUIRE_FALSE(words.empty());
    const auto replay = run_process(iamsim::test::iamsim_binary(), words, {}, std::chrono::seconds(60));
    INFO(replay.out << replay.err);
    CHECK(replay.exit_code == 0);
    CHECK(replay.out.find("ALLOWED") != std::string::npos);
  }
}

TEST_CASE(
    "prove: role chains (T1-T3 and T11): chains of several roles are followed, and a hop opens with the external id it "
    "passes",
    "[prove][claims]") {
  const std::string chains = (source_dir() / "tests/prove/chains.yaml").string();
  const std::vector<ExpectedClaim> cases = {
      // vendor-bot -> hop -> reader: two roles, the first trust asking an external id (T11).
      {"never outside-org s3:GetObject s3://chained/*", "REFUTED", "role/hop{external_id=vendor-7731} -> "},
      // MFA is a key of the call that a path cannot carry: open, so not followed, so unknown.
      {"never outside-org s3:GetObject s3://mfa-chained/*", "UNKNOWN",
       "the hop into arn:aws:iam::222222222222:role/mfa-hop is refused with the world's defaults and allowed "
       "with another context of the call (aws:MultiFactorAuthPresent=true"},
      // The caller's own policy does not allow the hop: no context opens it.
      {"never outside-org s3:GetObject s3://closed-chain/*", "HOLDS", ""},
      {"only [arn:aws:iam::111111111111:*] s3:GetObject s3://closed-chain/*", "HOLDS", ""},
      // Seven roles from vendor-bot to the bucket: beyond the longest chain followed.
      {"never outside-org s3:GetObject s3://deep/*", "UNKNOWN", "through more roles before it are not followed"},
      // A trust naming an account (T3): that account's users with sts:AssumeRole are followed.
      {"never [arn:aws:iam::222222222222:user/dev] s3:GetObject s3://account-trust/*", "REFUTED",
       "user/dev -> arn:aws:iam::111111111111:role/acct-reader"},
      // and so are the roles of that account, reached by others: vendor-bot through hop.
      {"never [arn:aws:iam::666666666666:*] s3:GetObject s3://account-trust/*", "REFUTED",
       "role/hop{external_id=vendor-7731} -> arn:aws:iam::111111111111:role/acct-reader"},
  };
  expect_claims(chains, cases);
}

TEST_CASE("prove: a claim that holds names what keeps each case out: a Deny, or the grant that is missing",
          "[prove][claims]") {
  // What keeps each case out of a claim that holds: the Deny, or the grant that is missing.
  auto r = prove_expecting((source_dir() / "tests/prove/leaks.yaml").string(),
                           "never anyone s3:DeleteObject s3://org-pinned/*", "HOLDS");
  CHECK(r.out.find("Deny statement \"NoDeletes\" of inline policy at ") != std::string::npos);
  // B5: the bucket grants only its organization, and the endpoint only the organization too.
  r = prove_expecting((source_dir() / "tests/prove/leaks.yaml").string(),
                      "never outside-org s3:GetObject s3://org-pinned/*", "HOLDS");
  CHECK(r.out.find("the bucket policy of org-pinned grants none of it to: ") != std::string::npos);
  CHECK(r.out.find("the VPC endpoint policy grants none of it to: arn:aws:iam::555555555555:root") !=
        std::string::npos);
  r = prove_expecting((source_dir() / "scenarios/kserve-cross-account/5-scp-and-rcp.yaml").string(),
                      "never outside-org s3:GetObject s3://ml-models-prod/*", "HOLDS");
  CHECK(r.out.find("Deny statement \"OnlyOurOrganization\" of policies/org-only-rcp.json keeps out") !=
        std::string::npos);
}

TEST_CASE("prove: SSE-KMS (B7 and B8): an object needs the S3 call and the KMS call it makes, searched together",
          "[prove][claims]") {
  const std::string kms = (source_dir() / "tests/prove/kms.yaml").string();
  const std::vector<ExpectedClaim> cases = {
      {"never outside-org s3:GetObject s3://via-s3-open/*", "REFUTED", ""},  // kms:ViaService alone pins nothing
      {"never anonymous s3:GetObject s3://via-s3-open/*", "HOLDS", "an anonymous request cannot read or write them"},
      {"never outside-org s3:GetObject s3://caller-pinned/*", "HOLDS",
       "refuses the KMS call S3 makes for every request the S3 policies allow"},  // kms:CallerAccount
      {"never outside-org s3:GetObject s3://context-prefix/*", "REFUTED", "arn:aws:s3:::context-prefix/public/"},
      {"never outside-org s3:GetObject s3://context-prefix/private/*", "HOLDS", ""},
      {"never outside-org s3:GetObject s3://mfa-key/*", "REFUTED", "aws:MultiFactorAuthPresent=true"},
      {"never outside-org s3:GetObject s3://mfa-conflict/*", "HOLDS", ""},  // one value for both calls
      {"never outside-org s3:GetObject s3://ip-key/*", "HOLDS", ""},        // SourceIp does not reach KMS
      {"never outside-org s3:ListBucket* s3://ip-key/*", "HOLDS", ""},
      {"only [arn:aws:iam::111111111111:*] s3:GetObject s3://caller-pinned/*", "HOLDS", ""},
  };
  expect_claims(kms, cases);
  // The motivating case: design 4's second key serves only its own account's IAM, so the
  // encrypted models stay with the storage account whatever the bucket policy grants.
  prove_expecting((source_dir() / "scenarios/kserve-cross-account/4-sse-kms.yaml").string(),
                  "never [sa:ml-prod/*] s3:GetObject s3://ml-models-encrypted/*", "HOLDS");
}

TEST_CASE("B7: an SSE-KMS object over plain HTTP fails unless the switch sse_kms_requires_tls is off", "[cli]") {
  const std::string world = (source_dir() / "tests/scenarios/sse-kms/sse-kms.yaml").string();
  const std::vector<std::string> http = {"can",
                                         world,
                                         "arn:aws:iam::111111111111:role/app",
                                         "s3:GetObject",
                                         "s3://kms-public/models/m.bin",
                                         "--context",
                                         "aws:SecureTransport=false"};
  auto r = run_process(iamsim::test::iamsim_binary(), http);
  CHECK(r.out.starts_with("DENIED"));
  CHECK(r.out.find("B7.without-tls") != std::string::npos);
  auto off = http;
  off.insert(off.end(), {"--semantics", "sse_kms_requires_tls=false"});
  r = run_process(iamsim::test::iamsim_binary(), off);
  CHECK(r.out.starts_with("ALLOWED"));
}

TEST_CASE("prove: a malformed claim is bad input that says what is wrong", "[prove][claims]") {
  const std::string world = (source_dir() / "scenarios/kserve-cross-account/1-direct-grant.yaml").string();
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"always outside-org s3:GetObject s3://ml-models-prod/*", "never PRINCIPALS ACTION RESOURCE"},
      {"never insiders s3:GetObject s3://ml-models-prod/*", "unknown principals 'insiders'"},
      {"only [sa:ml-prod/kserve/model-loader-sa s3:GetObject s3://ml-models-prod/*", "no closing ']'"},
      {"only [] s3:GetObject s3://ml-models-prod/*", "list of principals is empty"},
      {"only [sa:ml-prod] s3:GetObject s3://ml-models-prod/*", "is not a principal reference"},
      {"never anyone s3:GetObject s3://ml-models-prod/* at yesterday", "not an ISO 8601 instant"},
      {"never anyone s3:GetObject", "names an ACTION and a RESOURCE"},
      {"no_public_access s3://ml-models-prod/models/", "about a whole bucket"},
      {"no_public_access ml-models-prod", "is not s3://BUCKET"},
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

TEST_CASE("check: claims are expectations, in text, JUnit and SARIF, and a bad claim is bad input", "[prove][claims]") {
  // A copy of design 1 whose refuted claim is expected to hold: check must fail it.
  const fs::path dir = fs::temp_directory_path() / ("iamsim-claims-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(source_dir() / "scenarios/kserve-cross-account", dir, fs::copy_options::recursive);
  const fs::path design = dir / "1-direct-grant.yaml";
  std::string text;
  {
    std::ifstream in(design);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  const auto flip = text.find("    expect: refuted");
  REQUIRE(flip != std::string::npos);
  std::string flipped = text;
  flipped.replace(flip, 19, "    expect: holds");
  std::ofstream(design) << flipped;
  const fs::path junit = dir / "junit.xml";
  auto r = run_process(iamsim::test::iamsim_binary(), {"check", design.string(), "--junit", junit.string()}, {},
                       std::chrono::seconds(120));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("expected holds, got refuted: sa:ml-prod/analytics/batch-reporter") != std::string::npos);
  std::ifstream xml(junit);
  const std::string report((std::istreambuf_iterator<char>(xml)), {});
  CHECK(report.find("message=\"expected holds, got refuted\"") != std::string::npos);
  r = run_process(iamsim::test::iamsim_binary(), {"check", design.string(), "--format", "sarif"}, {},
                  std::chrono::seconds(120));
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("bucket-policy.json") != std::string::npos);  // at the statement that let it in
  // A claim that does not parse stops the run before anything is decided.
  std::ofstream(design) << text + "  - never insiders s3:GetObject s3://ml-models-prod/*\n";
  r = run_process(iamsim::test::iamsim_binary(), {"check", design.string()}, {}, std::chrono::seconds(120));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("error[scenario.bad-claim]") != std::string::npos);
  std::ofstream(design) << text + "  - never anyone s3:GetObject s3://no-such-bucket/*\n";
  r = run_process(iamsim::test::iamsim_binary(), {"check", design.string()}, {}, std::chrono::seconds(120));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("no bucket 'no-such-bucket'") != std::string::npos);
  // no_new_access in a scenario file: its worlds are read against the file's folder, and a
  // world that does not load or a missing `new:` is bad input.
  const std::vector<std::pair<std::string, std::string>> bad_new_access = {
      {"  - no_new_access: {old: 3-pinned-trust.yaml}\n", "no_new_access needs `new:`"},
      {"  - no_new_access: {old: missing.yaml, new: 3-pinned-trust.yaml}\n", "does not load"},
      {"  - no_new_access: [1-direct-grant.yaml]\n", "no_new_access"},
      {"  - {no_new_access: {old: a.yaml, new: b.yaml}, claim: never anonymous s3:* s3://ml-models-prod/*}\n",
       "either `claim: TEXT` or `no_new_access"},
  };
  for (const auto& [line, message] : bad_new_access) {
    INFO(line);
    std::ofstream(design) << text + line;
    r = run_process(iamsim::test::iamsim_binary(), {"check", design.string()}, {}, std::chrono::seconds(120));
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(message) != std::string::npos);
  }
  std::ofstream(design)
      << text +
             "  - name: back to the unpinned trust\n    no_new_access: {old: 3-pinned-trust.yaml, new: "
             "1-direct-grant.yaml, action: s3:GetObject, resource: s3://ml-models-prod/*}\n";
  r = run_process(iamsim::test::iamsim_binary(), {"check", design.string()}, {}, std::chrono::seconds(120));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("expected holds, got refuted: sa:ml-prod/analytics/batch-reporter") != std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("prove: no_new_access compares two worlds or two policies, each refutation replayed on both",
          "[prove][claims]") {
  // Copies of the leak world that widen, narrow or add access.
  const fs::path dir = fs::temp_directory_path() / ("iamsim-new-access-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string leaks = read_file(source_dir() / "tests/prove/leaks.yaml");
  auto variant = [&](const std::string& name, const std::string& from, const std::string& to) {
    std::string text = leaks;
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    std::ofstream(dir / name) << text;
  };
  std::ofstream(dir / "old.yaml") << leaks;
  variant("wider-ip.yaml", "\"203.0.113.0/24\"", "\"203.0.113.0/23\"");
  variant("narrower-ip.yaml", "\"203.0.113.0/24\"", "\"203.0.113.0/25\"");
  variant("new-bucket.yaml", "      - name: ip-open\n",
          "      - name: fresh-public\n"
          "        policy: {document: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: \"*\", "
          "Action: s3:GetObject, Resource: \"arn:aws:s3:::fresh-public/*\"}]}}\n"
          "      - name: ip-open\n");
  variant("other-endpoint.yaml", "      - id: vpce-0a1b2c3d4e5f60000\n", "      - id: vpce-0ffffffffffff0000\n");
  // Design 6's node trust (ec2.amazonaws.com) as it is, reformatted, and with a condition
  // added: the same start under a changed trust is not compared (unknown, never holds).
  std::ofstream(dir / "node-trust-reformatted.json")
      << R"({"Statement": [{"Action": "sts:AssumeRole", "Principal": {"Service": "ec2.amazonaws.com"},)"
         R"( "Effect": "Allow"}], "Version": "2012-10-17"})";
  std::ofstream(dir / "node-trust-conditioned.json")
      << R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},)"
         R"( "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"aws:SourceAccount": "222222222222"}}}]})";
  const std::string old_world = (dir / "old.yaml").string();
  const std::string kserve = (source_dir() / "scenarios/kserve-cross-account").string();
  const std::string design3 = kserve + "/3-pinned-trust.yaml";
  struct NewAccessCase {
    std::string world, claim, verdict, context;  // context: text the refutation's --context must hold
  };
  const std::vector<NewAccessCase> cases = {
      // C12: only the added half of the range is new access; the search must find an address in it.
      {old_world, "no_new_access old.yaml wider-ip.yaml s3:GetObject s3://ip-open/*", "REFUTED", "203.0.112."},
      {old_world, "no_new_access old.yaml narrower-ip.yaml s3:GetObject s3://ip-open/*", "HOLDS", ""},
      {old_world, "no_new_access wider-ip.yaml old.yaml s3:GetObject s3://ip-open/*", "HOLDS", ""},
      {old_world, "no_new_access old.yaml old.yaml s3:* s3://org-*/*", "HOLDS", ""},
      {old_world, "no_new_access old.yaml new-bucket.yaml s3:GetObject s3://fresh-*/*", "REFUTED", ""},
      {old_world, "no_new_access old.yaml new-bucket.yaml s3:GetObject s3://ip-open/*", "HOLDS", ""},
      // An encrypted bucket: what its key decrypts is not compared.
      {old_world, "no_new_access old.yaml old.yaml s3:GetObject s3://kms-guarded/*", "UNKNOWN", ""},
      // The KServe designs: pinning the trust removed access and added none; the way back
      // lets batch-reporter in (K1), through the path design 3 did not have.
      {design3, "no_new_access 1-direct-grant.yaml 3-pinned-trust.yaml", "HOLDS", ""},
      {design3, "no_new_access 3-pinned-trust.yaml 1-direct-grant.yaml s3:GetObject s3://ml-models-prod/*", "REFUTED",
       ""},
      {design3, "no_new_access 3-pinned-trust.yaml 1-direct-grant.yaml", "REFUTED", ""},  // s3:* lets the loader write
      // The policy form: design 3's own world with one file in another's place.
      {design3, "no_new_access policies/loader-trust-pinned-sub.json policies/loader-trust-policy.json", "REFUTED", ""},
      {design3, "no_new_access policies/loader-read-only-policy.json policies/loader-role-policy.json", "REFUTED", ""},
      {kserve + "/1-direct-grant.yaml",
       "no_new_access policies/loader-role-policy.json policies/loader-read-only-policy.json", "HOLDS", ""},
      {kserve + "/6-node-role.yaml",
       "no_new_access policies/eks-node-trust-policy.json " + (dir / "node-trust-reformatted.json").string(), "HOLDS",
       ""},
      {kserve + "/6-node-role.yaml",
       "no_new_access policies/eks-node-trust-policy.json " + (dir / "node-trust-conditioned.json").string(), "UNKNOWN",
       ""},
      // The endpoint whose policy kept outsiders out is gone from the new world.
      {old_world, "no_new_access old.yaml other-endpoint.yaml s3:GetObject s3://vpce-only/*", "UNKNOWN", ""},
  };
  for (const auto& c : cases) {
    INFO(c.world << ": " << c.claim);
    const auto r = prove_expecting(c.world, c.claim, c.verdict);
    INFO(r.out << r.err);
    if (c.verdict != "REFUTED") continue;
    CHECK(r.out.find("  and denied before: ") != std::string::npos);
    auto words = can_words(r.out);
    REQUIRE(words.size() > 2);
    if (!c.context.empty()) CHECK(r.out.find("aws:SourceIp=" + c.context) != std::string::npos);
    // NEW allows the request; for two worlds, OLD (the same line on it) does not.
    auto replay = run_process(iamsim::test::iamsim_binary(), words, {}, std::chrono::seconds(60));
    INFO(replay.out << replay.err);
    if (c.claim.find(".json") != std::string::npos) {
      CHECK(r.out.find(" in place of ") != std::string::npos);
      continue;  // the can line names design 3, where NEW's policy is not in place
    }
    CHECK(replay.out.find("ALLOWED") != std::string::npos);
    const auto claim_words = shell_words(c.claim);
    words[1] = (fs::path(c.world).parent_path() / claim_words[1]).string();
    replay = run_process(iamsim::test::iamsim_binary(), words, {}, std::chrono::seconds(60));
    INFO(replay.out << replay.err);
    CHECK(replay.out.find("ALLOWED") == std::string::npos);
    CHECK(replay.exit_code != 0);
  }
  // The unknown ones say why.
  auto r = prove_expecting(
      kserve + "/6-node-role.yaml",
      "no_new_access policies/eks-node-trust-policy.json " + (dir / "node-trust-conditioned.json").string(), "UNKNOWN");
  CHECK(r.out.find("its trust changed: who it admits is not compared with the old world") != std::string::npos);
  r = prove_expecting(old_world, "no_new_access old.yaml other-endpoint.yaml s3:GetObject s3://vpce-only/*", "UNKNOWN");
  CHECK(r.out.find("VPC endpoint vpce-0a1b2c3d4e5f60000 is in the old world only") != std::string::npos);
  // Bad input: exit 2, saying what is wrong.
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"no_new_access old.yaml", "names two worlds"},
      {"no_new_access old.yaml wider-ip.yaml s3:GetObject", "names two worlds"},
      {"no_new_access old.yaml missing.yaml", "does not load"},
      {"no_new_access old.yaml policy.json", "not one of each"},
      {"no_new_access unused.json other.json", "cannot read policy file 'other.json'"},
  };
  for (const auto& [claim, message] : bad) {
    INFO(claim);
    const auto refused = run_process(iamsim::test::iamsim_binary(), {"prove", old_world, claim});
    INFO(refused.err);
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find(message) != std::string::npos);
  }
  std::ofstream(dir / "unused.json") << "{}";
  std::ofstream(dir / "other.json") << "{}";
  r = run_process(iamsim::test::iamsim_binary(), {"prove", old_world, "no_new_access unused.json other.json"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("the world uses no policy file 'unused.json'") != std::string::npos);
  fs::remove_all(dir);
}
