// Stage: paths. A World with every policy compiled once, and the policy layers AWS applies
// to its principals and resources, each built once: a principal's identity layer (its
// policies, its groups', its boundary), an account's SCP and RCP levels along its
// organization path, and the context keys AWS derives from an account and from the world.
// A request's PolicySet views them. Immutable and shared by every question asked of the world.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "engine/compile/policy_cache.hpp"
#include "engine/eval/policy_set.hpp"
#include "engine/eval/request.hpp"
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

  // A principal's identity-based policies (a user's with its groups', E7) and its
  // permissions boundary (E8).
  struct IdentityLayer {
    std::vector<eval::AttachedPolicy> policies;
    std::optional<eval::AttachedPolicy> boundary;
  };
  const IdentityLayer& identity_layer(const Role& role) const;
  const IdentityLayer& identity_layer(const User& user) const;
  std::span<const eval::AttachedPolicy> identity_policies(const Role& role) const {
    return identity_layer(role).policies;
  }
  std::span<const eval::AttachedPolicy> identity_policies(const User& user) const {
    return identity_layer(user).policies;
  }
  // Root first, the account last; nullopt when the account is outside the organization (X5).
  std::optional<std::span<const eval::PolicyLevel>> scp_levels(std::string_view account_id) const;
  // The names of those levels ("root", "unit ml", "account 111111111111"); empty outside.
  std::span<const std::string> level_names(std::string_view account_id) const;
  // Empty when the account is outside the organization.
  std::span<const eval::PolicyLevel> rcp_levels(std::string_view account_id) const;

  // The context keys AWS derives from an account, with their typed readings: for a caller
  // of it (aws:PrincipalAccount, aws:PrincipalIsAWSService, aws:PrincipalOrgID,
  // aws:PrincipalOrgPaths) and for a resource of it (aws:ResourceAccount, aws:ResourceOrgID,
  // aws:ResourceOrgPaths), in the order a request sets them.
  enum class KeySide { Principal, Resource };
  void add_account_keys(eval::Context& context, std::string_view account_id, KeySide side) const;
  // What every request of the world carries: aws:SecureTransport, aws:CurrentTime,
  // aws:EpochTime, aws:ViaAWSService and the world's defaults.context.
  void add_default_keys(eval::Context& context) const;

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
  void build_identity_layers();
  void build_keys();
  // The entries of add_account_keys, for an account the world may not know.
  std::vector<eval::ContextEntry> account_keys(std::string_view account_id, KeySide side) const;

  std::shared_ptr<const World> world_;
  Semantics semantics_;
  compile::PolicyCache cache_;
  std::unordered_map<const PolicyDocument*, Compiled> compiled_;
  std::map<std::string, AccountLayers, std::less<>> accounts_;
  std::unordered_map<const void*, IdentityLayer> identities_;  // by Role or User
  struct AccountKeys {
    std::vector<eval::ContextEntry> principal, resource;
  };
  std::map<std::string, AccountKeys, std::less<>> account_keys_;
  std::vector<eval::ContextEntry> default_keys_;
};

}  // namespace iamsim::model
