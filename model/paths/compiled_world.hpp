// Stage: paths. A World with every policy compiled once, and the policy layers AWS applies
// to its principals and resources: identity policies and boundaries, SCP levels along an
// account's organization path, RCP levels, resource policies. Immutable and shared by
// every question asked of the world.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "engine/compile/policy_cache.hpp"
#include "engine/eval/policy_set.hpp"
#include "model/world.hpp"

namespace iamsim::model {

class CompiledWorld {
 public:
  // Compiles every policy document of the world; errors name the document's origin. Returns
  // nullptr when any policy is invalid.
  static std::shared_ptr<const CompiledWorld> compile(std::shared_ptr<const World> world, const Semantics& semantics,
                                                      Diagnostics& diagnostics);

  const World& world() const { return *world_; }
  const Semantics& semantics() const { return semantics_; }

  // The compiled document with its source (name, file, pointer), both owned here.
  eval::AttachedPolicy attach(const PolicyDocument& document) const;
  // Warnings the compiler found in a document (size quotas, missing Version, ...).
  const std::vector<Diagnostic>& warnings_of(const PolicyDocument& document) const;

  std::vector<eval::AttachedPolicy> identity_policies(const Role& role) const;
  std::vector<eval::AttachedPolicy> identity_policies(const User& user) const;  // with its groups' (E7)
  // Root first, the account last; nullopt when the account is outside the organization (X5).
  const std::optional<std::vector<eval::PolicyLevel>>& scp_levels(std::string_view account_id) const;
  // The names of those levels ("root", "unit ml", "account 111111111111"); empty outside.
  std::span<const std::string> level_names(std::string_view account_id) const;
  // Empty when the account is outside the organization.
  const std::vector<eval::PolicyLevel>& rcp_levels(std::string_view account_id) const;

 private:
  CompiledWorld(std::shared_ptr<const World> world, const Semantics& semantics)
      : world_(std::move(world)), semantics_(semantics), cache_(semantics_) {}

  struct Compiled {
    std::shared_ptr<const compile::CachedPolicy> cached;
    eval::PolicySource source;  // views into the document
  };
  // The organization's layers of one account, built once.
  struct AccountLayers {
    std::optional<std::vector<eval::PolicyLevel>> scp;
    std::vector<eval::PolicyLevel> rcp;
    std::vector<std::string> level_names;
  };
  const AccountLayers* account_layers(std::string_view account_id) const;
  void build_account_layers();

  std::shared_ptr<const World> world_;
  Semantics semantics_;
  compile::PolicyCache cache_;
  std::unordered_map<const PolicyDocument*, Compiled> compiled_;
  std::map<std::string, AccountLayers, std::less<>> accounts_;
};

}  // namespace iamsim::model
