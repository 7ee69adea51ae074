// Stage: eval. Every policy layer that applies to one request (the layers of docs/eval-contract.md). The
// compiled policies and their sources are owned elsewhere (a compiled world, or the caller
// of an eval batch) and outlive the set and every decision made with it, so a set is cheap
// to build and to copy: it holds pointers and views, never copied names or lists. A compiled
// world builds each principal's identity layer and each account's SCP and RCP levels once,
// and every request's set views them.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/compile/compiled_policy.hpp"

namespace iamsim::eval {

// Where a policy came from, for explanations. A world names its documents ("read-models",
// "policies/bucket.json", "FullAWSAccess"); the eval contract names a policy by its place
// in the request ("identity[0]", "/policies/identity/0"), which follows from the layer,
// level and position of the statement that cites it (named_by_place).
struct PolicySource {
  std::string_view name;
  std::string_view file;     // may be empty; "builtin:NAME" for a built-in policy
  std::string_view pointer;  // the document's JSON pointer in its file, may be empty
  int line = 0;              // the document's line in its file, 0 when unknown
  bool named_by_place = false;
};

struct AttachedPolicy {
  const compile::CompiledPolicy* policy = nullptr;
  const PolicySource* source = nullptr;
};

using PolicyLevel = std::vector<AttachedPolicy>;

struct PolicySet {
  std::span<const AttachedPolicy> identity;
  std::optional<AttachedPolicy> boundary;
  std::optional<AttachedPolicy> session;
  std::optional<AttachedPolicy> resource;  // its kind follows from the request (E5, E6)
  std::optional<AttachedPolicy> vpc_endpoint;
  // One list per level, root first, the account last. Absent: not governed by SCPs.
  std::optional<std::span<const PolicyLevel>> scp;
  // Levels of the resource's account path; RCPFullAWSAccess is implied at each (R2).
  std::span<const PolicyLevel> rcp;
  // Names of the levels for explanations ("root", "unit ml", "account 111111111111"),
  // owned by whoever owns the policies; may be empty.
  std::span<const std::string> scp_level_names;
  std::span<const std::string> rcp_level_names;
};

// The same layers, owned, for a caller that assembles them itself (the eval contract, tests).
// The set it gives views it: the layers must outlive that set and stay as they are while it
// is used (moving the layers keeps the lists where they are).
struct PolicyLayers {
  std::vector<AttachedPolicy> identity;
  std::optional<AttachedPolicy> boundary;
  std::optional<AttachedPolicy> session;
  std::optional<AttachedPolicy> resource;
  std::optional<AttachedPolicy> vpc_endpoint;
  std::optional<std::vector<PolicyLevel>> scp;
  std::vector<PolicyLevel> rcp;
  std::span<const std::string> scp_level_names;
  std::span<const std::string> rcp_level_names;

  PolicySet view() const {
    PolicySet set{identity,     boundary, session,         resource,       vpc_endpoint,
                  std::nullopt, rcp,      scp_level_names, rcp_level_names};
    if (scp) set.scp = std::span<const PolicyLevel>(*scp);
    return set;
  }
  operator PolicySet() const { return view(); }  // so authorize(request, layers, semantics) reads
};

}  // namespace iamsim::eval
