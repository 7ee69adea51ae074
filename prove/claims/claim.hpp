// Stage: prove. The claims `never PRINCIPALS ACTION RESOURCE` and `only PRINCIPALS ACTION
// RESOURCE` (docs/claims.md), over S3 objects: no request of the principals of the set (for
// `only`, of every principal outside the list), with any context, on any object under the
// pattern, is allowed. The principals are the callers from outside the world (every account
// id, user, role session, root user, and the anonymous caller) and the world's starting
// principals with their paths (users, root users, service accounts and workloads, roles
// that services, outsiders or unpinned web identities may assume).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/paths/access.hpp"
#include "model/queries/who_can.hpp"
#include "prove/encode/request_search.hpp"

namespace iamsim::prove {

struct Claim {
  // NoPublicAccess: the bucket's policies and ACLs grant no one outside its account unless
  // pinned (B5), Block Public Access counted (B4); only `bucket` is used.
  // NoNewAccess: `new_world` allows no request on the objects that `old_world` denies; the
  // request ranges over every caller (`anyone`), the bucket may be a pattern.
  enum class Kind { Never, Only, NoPublicAccess, NoNewAccess } kind = Kind::Never;
  // `never`'s set; `only` lists its principals (Listed).
  enum class Set { OutsideOrg, OutsideAccount, Anonymous, Anyone, Listed } set = Set::OutsideOrg;
  std::string account;                  // OutsideAccount
  std::vector<std::string> principals;  // Listed: references, '*' a wildcard ("sa:ml-prod/kserve/*")
  std::vector<std::string> actions;     // the catalogue's actions the claim's action pattern covers
  std::string bucket;
  std::string key_glob = "*";
  std::optional<std::string> at;     // `at TIME`: aws:CurrentTime is that instant
  std::string old_world, new_world;  // NoNewAccess, as written: scenario files, or policy files
  std::string text;                  // as written
};

// "never outside-org s3:GetObject s3://BUCKET/models/*", "only [sa:c/ns/a, arn:...] s3:Get* ...";
// nullopt with `error` otherwise.
std::optional<Claim> parse_claim(std::string_view text, std::string& error);

// One case the claim was decided on: a caller (a form of outsider, or a path of the world),
// an action and where the request comes from.
struct ClaimCase {
  std::string description;  // "an IAM user of an account outside the world, s3:GetObject, from the internet"
  Search search;
  double seconds = 0;  // the solver's time on it
};

struct ClaimResult {
  enum class Verdict { Holds, Refuted, Unknown } verdict = Verdict::Unknown;
  std::vector<ClaimCase> cases;
  std::vector<std::string> unknown_reasons;  // why not "holds"
  std::vector<std::string> holds_because;    // what keeps the set out, when it holds
  std::optional<eval::Request> witness;      // Refuted: a request authorize allows
  eval::Decision witness_decision;           // and its decision (the statements that let it in)
  std::string witness_description;
  std::string witness_principal;         // the principal as `iamsim can` takes it (a reference, a chain)
  model::Context witness_context;        // the context `iamsim can` takes for it, on top of the world's
  bool witness_outsider = false;         // its identity side is assumed (E7.outsider-identity-assumed)
  std::string witness_baseline_refusal;  // no_new_access: why the old world denies it
  // The world the `iamsim can` line names when it is not the claim's (no_new_access: NEW),
  // and what that line cannot say (NEW is a policy in OLD's place).
  std::string witness_world, witness_world_note;
  double seconds = 0;  // how long deciding it took
  // no_public_access refuted: what makes the bucket public, and the statements that do.
  std::vector<std::string> public_because;
  std::vector<eval::StatementRef> public_statements;
};

// The resolver's world must hold the claim's bucket (error otherwise, exit 2 for the caller).
// `index` is the world's principals (model::PrincipalIndex, over the same resolver), built once
// for many claims; the first form builds its own.
std::optional<ClaimResult> decide_claim(const Claim& claim, const model::AccessResolver& resolver, std::string& error);
std::optional<ClaimResult> decide_claim(const Claim& claim, const model::PrincipalIndex& index, std::string& error);

// no_new_access: every bucket of the new world the claim's pattern names, compared with the
// same bucket of the old (a bucket only the new world has: everything it allows is new).
ClaimResult decide_no_new_access(const Claim& claim, const model::AccessResolver& old_world,
                                 const model::PrincipalIndex& new_world);

}  // namespace iamsim::prove
