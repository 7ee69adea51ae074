// Stage: model (reference). The principal-reference and one-line expectation grammar.
#include "model/reference/reference.hpp"

#include <catch2/catch.hpp>

using namespace iamsim::model;

namespace {

PrincipalRef principal(std::string_view text) {
  auto r = parse_principal_ref(text);
  INFO(r.error.display);
  REQUIRE(r);
  return *r.value;
}

ReferenceError principal_error(std::string_view text) {
  auto r = parse_principal_ref(text);
  REQUIRE_FALSE(r);
  return r.error;
}

}  // namespace

TEST_CASE("reference: sa:CLUSTER/NAMESPACE/NAME names a service account", "[model][reference]") {
  auto p = principal("sa:ml-prod/kserve/model-loader-sa");
  CHECK(p.kind == PrincipalRef::Kind::ServiceAccount);
  CHECK(p.cluster == "ml-prod");
  CHECK(p.namespace_name == "kserve");
  CHECK(p.name == "model-loader-sa");
  CHECK(p.chain.empty());
  CHECK(to_string(p) == "sa:ml-prod/kserve/model-loader-sa");
}

TEST_CASE("reference: workload:CLUSTER/NAMESPACE/NAME names a workload", "[model][reference]") {
  auto p = principal("workload:ml-prod/kserve/cross-account-model");
  CHECK(p.kind == PrincipalRef::Kind::Workload);
  CHECK(p.cluster == "ml-prod");
  CHECK(p.namespace_name == "kserve");
  CHECK(p.name == "cross-account-model");
}

TEST_CASE("K8 reference: @node:GROUP names the pod on a node group, and round-trips", "[model][reference]") {
  auto p = principal("workload:ml-prod/kserve/cross-account-model@node:general -> arn:aws:iam::111111111111:role/r");
  CHECK(p.kind == PrincipalRef::Kind::Workload);
  CHECK(p.name == "cross-account-model");
  CHECK(p.node_group == "general");
  CHECK(p.chain.size() == 1);
  CHECK(to_string(p) == "workload:ml-prod/kserve/cross-account-model@node:general -> arn:aws:iam::111111111111:role/r");
  CHECK(principal("sa:c/ns/sa@node:gpu-nodes_1").node_group == "gpu-nodes_1");
  CHECK(principal("sa:c/ns/sa").node_group.empty());
  const auto e = principal_error("sa:c/ns/sa@node:");
  CHECK(e.message.find("node group") != std::string::npos);
}

TEST_CASE("reference: user, role and assumed-role ARNs", "[model][reference]") {
  auto user = principal("arn:aws:iam::123456789012:user/alice");
  CHECK(user.kind == PrincipalRef::Kind::Arn);
  CHECK(user.arn_kind == iamsim::syntax::PrincipalArnKind::User);
  CHECK(user.account_id == "123456789012");

  auto role = principal("arn:aws:iam::123456789012:role/path/to/loader");
  CHECK(role.arn_kind == iamsim::syntax::PrincipalArnKind::Role);
  CHECK(role.arn == "arn:aws:iam::123456789012:role/path/to/loader");

  auto session = principal("arn:aws:sts::123456789012:assumed-role/loader/pod-1");
  CHECK(session.arn_kind == iamsim::syntax::PrincipalArnKind::AssumedRole);
  CHECK(session.account_id == "123456789012");

  auto gov = principal("arn:aws-us-gov:iam::123456789012:role/x");
  CHECK(gov.arn_kind == iamsim::syntax::PrincipalArnKind::Role);
}

TEST_CASE("reference: root users, federated users and service principals (issue 8 item 12)", "[model][reference]") {
  auto root = principal("arn:aws:iam::123456789012:root");
  CHECK(root.kind == PrincipalRef::Kind::Arn);
  CHECK(root.arn_kind == iamsim::syntax::PrincipalArnKind::Root);
  CHECK(root.account_id == "123456789012");
  CHECK(to_string(root) == "arn:aws:iam::123456789012:root");

  auto federated = principal("arn:aws:sts::123456789012:federated-user/carol");
  CHECK(federated.arn_kind == iamsim::syntax::PrincipalArnKind::FederatedUser);

  auto service = principal("cloudtrail.amazonaws.com");
  CHECK(service.kind == PrincipalRef::Kind::Service);
  CHECK(service.name == "cloudtrail.amazonaws.com");
  CHECK(to_string(service) == "cloudtrail.amazonaws.com");
  CHECK(principal("pods.eks.amazonaws.com -> arn:aws:iam::123456789012:role/r").chain.size() == 1);
  CHECK_FALSE(parse_principal_ref("cloudtrail.example.com"));
  CHECK_FALSE(parse_principal_ref("arn:aws:iam::123456789012:rooted"));
}

TEST_CASE("reference: T13 session properties on a chain hop", "[model][reference]") {
  auto p = principal(
      "sa:c/n/s -> arn:aws:iam::222222222222:role/reader{external_id=abc,source_identity=alice,tags=team:ml,"
      "tags=env:prod,transitive=team,session_name=s1} -> arn:aws:iam::333333333333:role/last");
  REQUIRE(p.chain.size() == 2);
  const ChainHop& hop = p.chain[0];
  CHECK(hop.role_arn == "arn:aws:iam::222222222222:role/reader");
  CHECK(hop.external_id == "abc");
  CHECK(hop.source_identity == "alice");
  CHECK(hop.session_name == "s1");
  CHECK(hop.tags == std::map<std::string, std::string>{{"env", "prod"}, {"team", "ml"}});
  CHECK(hop.transitive == std::vector<std::string>{"team"});
  CHECK_FALSE(p.chain[1].has_properties());
  // The canonical text reads back to the same reference.
  CHECK(principal(to_string(p)) == p);
  CHECK(to_string(p) ==
        "sa:c/n/s -> arn:aws:iam::222222222222:role/reader{external_id=abc,session_name=s1,source_identity=alice,"
        "tags=env:prod,tags=team:ml,transitive=team} -> arn:aws:iam::333333333333:role/last");

  CHECK_FALSE(parse_principal_ref("anonymous -> arn:aws:iam::222222222222:role/r{external_id=a,external_id=b}"));
  CHECK_FALSE(parse_principal_ref("anonymous -> arn:aws:iam::222222222222:role/r{colour=blue}"));
  CHECK_FALSE(parse_principal_ref("anonymous -> arn:aws:iam::222222222222:role/r{tags=novalue}"));
  CHECK_FALSE(parse_principal_ref("anonymous -> arn:aws:iam::222222222222:role/r{external_id=a"));
}

TEST_CASE("reference: anonymous", "[model][reference]") {
  CHECK(principal("anonymous").kind == PrincipalRef::Kind::Anonymous);
  CHECK(principal("  anonymous  ").kind == PrincipalRef::Kind::Anonymous);
  CHECK_FALSE(parse_principal_ref("anonymously"));
}

TEST_CASE("reference: chains assume each role in turn, spaces around -> optional", "[model][reference]") {
  auto p = principal(
      "sa:ml-prod/kserve/model-loader-sa -> arn:aws:iam::222222222222:role/model-reader "
      "->arn:aws:iam::333333333333:role/x/final");
  CHECK(p.kind == PrincipalRef::Kind::ServiceAccount);
  REQUIRE(p.chain.size() == 2);
  CHECK(p.chain[0].role_arn == "arn:aws:iam::222222222222:role/model-reader");
  CHECK(p.chain[1].role_arn == "arn:aws:iam::333333333333:role/x/final");

  auto tight = principal("arn:aws:iam::111111111111:role/a-b->arn:aws:iam::222222222222:role/model-reader");
  CHECK(tight.arn == "arn:aws:iam::111111111111:role/a-b");
  REQUIRE(tight.chain.size() == 1);
  CHECK(tight.chain[0].role_arn == "arn:aws:iam::222222222222:role/model-reader");

  CHECK(parse_principal_ref(to_string(p)).value == p);
}

TEST_CASE("reference: a chain link must be a role ARN", "[model][reference]") {
  auto e = principal_error("sa:c/n/s -> arn:aws:iam::222222222222:user/bob");
  CHECK(e.column == 13);
  CHECK(e.message == "expected a role ARN (arn:aws:iam::ACCOUNT:role/NAME)");
}

TEST_CASE("reference: an error names the column and draws a caret", "[model][reference]") {
  auto e = principal_error("sa:ml-prod/kserve");
  CHECK(e.column == 18);
  CHECK(e.message == "expected '/' and a service account name");
  CHECK(e.display ==
        "expected '/' and a service account name\n"
        "  sa:ml-prod/kserve\n"
        "                   ^");

  auto unknown = principal_error("pod:ml-prod/kserve/x");
  CHECK(unknown.column == 1);
  CHECK(unknown.message == "expected 'sa:', 'workload:', an ARN, a service principal or 'anonymous'");

  auto account = principal_error("arn:aws:iam::12345:role/x");
  CHECK(account.column == 14);
  CHECK(account.message == "expected a 12-digit account id and ':'");

  auto kind = principal_error("arn:aws:iam::123456789012:group/x");
  CHECK(kind.column == 27);
  CHECK(kind.message == "expected 'user/NAME', 'role/NAME' or 'root'");

  auto trailing = principal_error("anonymous extra");
  CHECK(trailing.column == 11);
  CHECK(trailing.message == "expected the end of the text");
}

TEST_CASE("reference: s3:// resources become S3 ARNs", "[model][reference]") {
  CHECK(parse_resource("s3://ml-models-prod").value == "arn:aws:s3:::ml-models-prod");
  CHECK(parse_resource("s3://ml-models-prod/models/flowers/saved_model.pb").value ==
        "arn:aws:s3:::ml-models-prod/models/flowers/saved_model.pb");
  CHECK(parse_resource("s3://b.with-dots/a key with spaces").value == "arn:aws:s3:::b.with-dots/a key with spaces");
  CHECK(parse_resource(" arn:aws:kms:us-east-1:222222222222:key/1234 ").value ==
        "arn:aws:kms:us-east-1:222222222222:key/1234");
  CHECK(parse_resource("arn:aws:s3:::bucket/*").value == "arn:aws:s3:::bucket/*");
  CHECK(parse_resource("*").value == "*");
}

TEST_CASE("reference: bad resources point at the column", "[model][reference]") {
  auto upper = parse_resource("s3://Bucket/x");
  REQUIRE_FALSE(upper);
  CHECK(upper.error.column == 6);
  auto arn = parse_resource("arn:aws:s3:us-east-1");
  REQUIRE_FALSE(arn);
  CHECK(arn.error.column == 12);
  CHECK(arn.error.message == "expected a region (or nothing) and ':'");
  auto other = parse_resource("https://example.com/x");
  REQUIRE_FALSE(other);
  CHECK(other.error.column == 1);
  CHECK(other.error.message == "expected a resource: an ARN, 's3://BUCKET[/KEY]' or '*'");
}

TEST_CASE("reference: actions are service:Action", "[model][reference]") {
  CHECK(parse_action("s3:GetObject").value == "s3:GetObject");
  CHECK(parse_action("sts:AssumeRoleWithWebIdentity").value == "sts:AssumeRoleWithWebIdentity");
  CHECK_FALSE(parse_action("s3:Get*"));
  CHECK_FALSE(parse_action("GetObject"));
}

TEST_CASE("reference: one-line expectations", "[model][reference]") {
  auto r = parse_expectation_line(
      "deny sa:ml-prod/kserve/default s3:GetObject "
      "s3://ml-models-prod/models/flowers/saved_model.pb");
  INFO(r.error.display);
  REQUIRE(r);
  CHECK(r.value->expect == Expect::Deny);
  CHECK(r.value->principal.kind == PrincipalRef::Kind::ServiceAccount);
  CHECK(r.value->principal.name == "default");
  CHECK(r.value->action == "s3:GetObject");
  CHECK(r.value->resource_arn == "arn:aws:s3:::ml-models-prod/models/flowers/saved_model.pb");

  for (auto [word, expect] : {std::pair{"allow", Expect::Allow},
                              {"explicit_deny", Expect::ExplicitDeny},
                              {"implicit_deny", Expect::ImplicitDeny}}) {
    auto line = parse_expectation_line(std::string(word) + " anonymous s3:ListBucket arn:aws:s3:::b");
    REQUIRE(line);
    CHECK(line.value->expect == expect);
  }

  auto chained = parse_expectation_line(
      "allow sa:ml-prod/kserve/model-loader-sa->arn:aws:iam::222222222222:role/model-reader  "
      "s3:GetObject s3://ml-models-prod/x");
  REQUIRE(chained);
  CHECK(chained.value->principal.chain.size() == 1);
  CHECK(to_string(*chained.value) ==
        "allow sa:ml-prod/kserve/model-loader-sa -> arn:aws:iam::222222222222:role/model-reader "
        "s3:GetObject arn:aws:s3:::ml-models-prod/x");
}

TEST_CASE("reference: one-line expectation errors carry a caret", "[model][reference]") {
  auto word = parse_expectation_line("allowed anonymous s3:GetObject s3://bucket/x");
  REQUIRE_FALSE(word);
  CHECK(word.error.column == 1);
  CHECK(word.error.message == "expected 'allow', 'deny', 'explicit_deny' or 'implicit_deny'");

  auto sa = parse_expectation_line("deny sa:ml-prod/kserve s3:GetObject s3://bucket/x");
  REQUIRE_FALSE(sa);
  CHECK(sa.error.column == 23);
  CHECK(sa.error.display ==
        "expected '/' and a service account name\n"
        "  deny sa:ml-prod/kserve s3:GetObject s3://bucket/x\n"
        "                        ^");

  auto action = parse_expectation_line("allow anonymous GetObject s3://bucket/x");
  REQUIRE_FALSE(action);
  CHECK(action.error.column == 17);
  CHECK(action.error.message == "expected an action like s3:GetObject");

  auto missing = parse_expectation_line("allow anonymous s3:GetObject");
  REQUIRE_FALSE(missing);
  CHECK(missing.error.column == 29);

  auto extra = parse_expectation_line("allow anonymous s3:GetObject s3://bucket/x y");
  REQUIRE_FALSE(extra);
  CHECK(extra.error.column == 44);
  CHECK(extra.error.message == "expected the end of the text");
}

TEST_CASE("reference: every cut of a valid line fails cleanly or parses", "[model][reference]") {
  const std::string line =
      "allow sa:ml-prod/kserve/model-loader-sa -> arn:aws:iam::222222222222:role/model-reader "
      "s3:GetObject s3://ml-models-prod/models/flowers/saved_model.pb";
  for (std::size_t cut = 0; cut <= line.size(); ++cut) {
    auto r = parse_expectation_line(line.substr(0, cut));
    if (!r) {
      CHECK(r.error.column >= 1);
      CHECK(r.error.column <= static_cast<int>(cut) + 1);
      CHECK(r.error.display.find('^') != std::string::npos);
    }
    auto p = parse_principal_ref(line.substr(6, cut));
    if (!p) CHECK(p.error.column >= 1);
  }
}

TEST_CASE("reference: a byte above 0x7f is an error at it, not a crash of the character classes",
          "[model][reference]") {
  // Found by fuzz_yaml: x3's alnum on such a byte called <cctype> outside its domain.
  for (const std::string text : {"arn:aws:iam::111111111111:role/r\xc3\xa9", "sa:c\x85/ns/name", "s3:Get\xffObject",
                                 "allow arn:aws:iam::111111111111:user/u s3:GetObject s3://b\xe2\x80\x8b/k"}) {
    INFO(text);
    CHECK_FALSE(parse_principal_ref(text));
    CHECK_FALSE(parse_action(text));
    CHECK_FALSE(parse_expectation_line(text));
  }
}
