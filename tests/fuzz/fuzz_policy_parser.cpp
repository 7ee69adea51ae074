// Fuzz target: arbitrary bytes as a policy document of every PolicyKind, under the default
// semantics and under every switch flipped. A document that compiles is then evaluated in
// the layer its kind belongs to, so patterns and conditions run on fuzzed input too.
// Invariants: a policy compiles exactly when there is no error; every diagnostic formats;
// a decision is self-consistent.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/compile/compiled_policy.hpp"
#include "engine/diagnostic.hpp"
#include "engine/eval/authorize.hpp"
#include "engine/eval/explain.hpp"
#include "engine/semantics.hpp"
#include "engine/text.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

using namespace iamsim;
using syntax::PolicyKind;

const PolicyKind kinds[] = {PolicyKind::Identity, PolicyKind::Boundary,  PolicyKind::Session,
                            PolicyKind::Resource, PolicyKind::RoleTrust, PolicyKind::KmsKey,
                            PolicyKind::Scp,      PolicyKind::Rcp,       PolicyKind::VpcEndpoint};

Semantics flipped() {
  Semantics s;
  s.scp_current_syntax = false;
  s.resource_wildcard_crosses_colon = true;
  s.notprincipal_requires_all_arns = false;
  s.notprincipal_deny_always_denies_boundary = false;
  s.bool_case_sensitive = true;
  s.bool_allows_variables = false;
  s.account_grant_needs_identity_allow = false;
  s.trust_arn_grant_suffices_same_account = false;
  s.rcp_exempt_service_linked_roles = false;
  s.rcp_principal_must_be_star = true;
  s.action_question_mark_glob = false;
  return s;
}

eval::Request make_request(PolicyKind kind) {
  eval::Request r;
  std::string error;
  r.principal = *eval::parse_principal("arn:aws:sts::111111111111:assumed-role/app/s1", error);
  r.principal.unique_id = "AROADBQP57FF2AEXAMPLE";
  r.principal.has_boundary = true;
  if (kind == PolicyKind::RoleTrust) {
    r.set_action("sts:AssumeRole");
    r.set_resource("arn:aws:iam::111111111111:role/target");
  } else if (kind == PolicyKind::KmsKey) {
    r.set_action("kms:Decrypt");
    r.set_resource("arn:aws:kms:us-east-1:111111111111:key/k1");
  } else {
    r.set_action("s3:GetObject");
    r.set_resource("arn:aws:s3:::data-bucket/home/s1/notes.txt");
  }
  r.resource_account = "111111111111";
  r.context.set("aws:SourceIp", "10.1.2.3");
  r.context.set("aws:CurrentTime", "2024-05-01T12:00:00Z");
  r.context.set("aws:EpochTime", "1714564800");
  r.context.set("aws:SecureTransport", "true");
  r.context.set("s3:max-keys", "lots");  // unreadable as a number: the safe side runs
  r.context.set("s3:prefix", "home/s1/");
  r.context.set("aws:PrincipalTag/team", "ml");
  r.context.set("aws:SourceArn", "arn:aws:sqs:us-east-1:111111111111:queue:x");
  r.context.set("aws:TagKeys", {"env", "team", ""}, true);
  r.fill_derived_keys();
  return r;
}

void evaluate(const compile::CompiledPolicy& policy, PolicyKind kind, const Semantics& semantics) {
  static const eval::Request requests[] = {make_request(PolicyKind::Identity), make_request(PolicyKind::RoleTrust),
                                           make_request(PolicyKind::KmsKey)};
  const eval::Request& r = kind == PolicyKind::RoleTrust ? requests[1]
                           : kind == PolicyKind::KmsKey  ? requests[2]
                                                         : requests[0];
  static const eval::PolicySource source{"fuzzed", "fuzz.json", "/policy", 0, false};
  eval::AttachedPolicy attached{&policy, &source};
  eval::PolicyLayers ps;
  switch (kind) {
    case PolicyKind::Identity: ps.identity.push_back(attached); break;
    case PolicyKind::Boundary: ps.boundary = attached; break;
    case PolicyKind::Session: ps.session = attached; break;
    case PolicyKind::Resource:
    case PolicyKind::RoleTrust:
    case PolicyKind::KmsKey: ps.resource = attached; break;
    case PolicyKind::Scp: ps.scp.emplace(std::vector<eval::PolicyLevel>{{attached}}); break;
    case PolicyKind::Rcp: ps.rcp.push_back({attached}); break;
    case PolicyKind::VpcEndpoint: ps.vpc_endpoint = attached; break;
  }
  // The fixed-head shortcut of resource matching agrees with matching part by part.
  for (const auto& st : policy.statements) {
    compile::CompiledStatement plain = st;
    for (auto& p : plain.resources) p.fixed_head = false;
    FUZZ_CHECK(eval::resource_matches(st, r, semantics) == eval::resource_matches(plain, r, semantics));
  }
  const eval::Decision d = eval::authorize(r, ps, semantics);
  if (d.outcome == eval::Outcome::Allow) FUZZ_CHECK(d.blocked_by == 0);
  if (d.outcome == eval::Outcome::ExplicitDeny) FUZZ_CHECK(!d.determining.empty());
  if (d.outcome == eval::Outcome::ImplicitDeny) FUZZ_CHECK(!d.reasons.empty());
  for (const auto& ref : d.determining) {
    FUZZ_CHECK(ref.policy == &policy && ref.source == &source);
    FUZZ_CHECK(ref.statement < ref.policy->statements.size());
  }
  // Every reason and warning has its text; a near miss names a condition of its statement.
  for (const auto& why : d.reasons) {
    FUZZ_CHECK(!eval::message(why, r).empty());
    if (why.near_miss) FUZZ_CHECK(why.condition < why.near_miss.compiled().conditions.size());
  }
  for (const auto& w : d.warnings) FUZZ_CHECK(!eval::message(w).empty());
  for (std::size_t i = 1; i < d.missing_context_keys.size(); ++i)
    FUZZ_CHECK(ascii_lowered(d.missing_context_keys[i - 1]) < ascii_lowered(d.missing_context_keys[i]));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const Semantics semantics[] = {Semantics{}, flipped()};
  for (const Semantics& s : semantics) {
    for (PolicyKind kind : kinds) {
      Diagnostics diags;
      SourceLocation origin;
      origin.file = "fuzz.json";
      origin.pointer = "/policy";
      const auto policy = compile::compile_policy_text(text, kind, s, origin, diags);
      FUZZ_CHECK((policy == nullptr) == diags.has_errors());
      for (const auto& d : diags.items()) {
        FUZZ_CHECK(!d.code.empty());
        FUZZ_CHECK(d.where.pointer.rfind("/policy", 0) == 0 || d.where.pointer.empty());
        (void)format_diagnostic(d);
      }
      if (policy) {
        FUZZ_CHECK(policy->kind == kind);
        evaluate(*policy, kind, s);
      }
    }
  }
  return 0;
}
