// Stage: eval. Every policy layer that applies to one request (the layers of docs/eval-contract.md). The
// compiled policies are owned elsewhere (a world, or an eval batch) and outlive the set.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/compile/compiled_policy.hpp"

namespace iamsim::eval {

struct AttachedPolicy {
  const compile::CompiledPolicy* policy = nullptr;
  std::string name;       // "identity[0]", "read-models", "FullAWSAccess"
  std::string pointer;    // where the document is in its input (JSON pointer), may be empty
  std::string_view file;  // the file it came from (owned by the caller), may be empty
};

struct PolicySet {
  std::vector<AttachedPolicy> identity;
  std::optional<AttachedPolicy> boundary;
  std::optional<AttachedPolicy> session;
  std::optional<AttachedPolicy> resource;  // its kind follows from the request (E5, E6)
  std::optional<AttachedPolicy> vpc_endpoint;
  // One list per level, root first, the account last. Absent: not governed by SCPs.
  std::optional<std::vector<std::vector<AttachedPolicy>>> scp;
  // Levels of the resource's account path; RCPFullAWSAccess is implied at each (R2).
  std::vector<std::vector<AttachedPolicy>> rcp;
  // Names for levels in explanations ("root", "ou ml", "account 111111111111"), optional.
  std::vector<std::string> scp_level_names;
  std::vector<std::string> rcp_level_names;
};

}  // namespace iamsim::eval
