// Stage: prove. The claim `never SET ACTION RESOURCE` (docs/claims.md): no request of the
// principals of SET, with any context, on any object under RESOURCE, is allowed. This version
// decides it for the callers from outside the world (every account id, user, role session,
// root user, and the anonymous caller) on S3 objects; a set that also holds principals of the
// world is refuted by an outsider's request or else "unknown", never "holds".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/paths/compiled_world.hpp"
#include "prove/encode/outsider_search.hpp"

namespace iamsim::prove {

struct NeverClaim {
  enum class Set { OutsideOrg, OutsideAccount, Anonymous, Anyone } set = Set::OutsideOrg;
  std::string account;               // OutsideAccount
  std::vector<std::string> actions;  // the catalogue's actions the claim's action pattern covers
  std::string bucket;
  std::string key_glob = "*";
  std::string text;  // as written
};

// "never outside-org s3:GetObject s3://BUCKET/models/*"; nullopt with `error` otherwise.
std::optional<NeverClaim> parse_never_claim(std::string_view text, std::string& error);

// One case the claim was decided on: a form of caller, an action and where it comes from.
struct ClaimCase {
  std::string description;  // "an IAM user, s3:GetObject, from the internet"
  Search search;
};

struct ClaimResult {
  enum class Verdict { Holds, Refuted, Unknown } verdict = Verdict::Unknown;
  std::vector<ClaimCase> cases;
  std::vector<std::string> unknown_reasons;  // why not "holds"
  std::vector<std::string> holds_because;    // what keeps every outsider out, when it holds
  std::optional<eval::Request> witness;      // Refuted: a request authorize allows
  eval::Decision witness_decision;           // and its decision (the statements that let it in)
  std::string witness_description;
};

// `world` must hold the claim's bucket (error otherwise, exit 2 for the caller).
std::optional<ClaimResult> decide_never_claim(const NeverClaim& claim, const model::CompiledWorld& world,
                                              std::string& error);

}  // namespace iamsim::prove
