// Stage: eval. One request: who (the principal, parsed from its ARN), what (the action),
// on what (the resource ARN, pre-split), and the condition context with each value's
// typed readings computed once, so conditions never parse while evaluating.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/compile/pattern.hpp"
#include "engine/syntax/values.hpp"

namespace iamsim::eval {

enum class PrincipalKind {
  User,           // arn:aws:iam::A:user/NAME
  RoleSession,    // arn:aws:sts::A:assumed-role/ROLE/SESSION, or a role ARN (session unknown)
  FederatedUser,  // arn:aws:sts::A:federated-user/NAME
  Root,           // arn:aws:iam::A:root or the account id
  Anonymous,
  Service,      // pods.eks.amazonaws.com
  WebIdentity,  // an OIDC provider ARN or a built-in IdP, calling AssumeRoleWithWebIdentity
  Saml,         // a SAML provider ARN, calling AssumeRoleWithSAML
};

struct Principal {
  PrincipalKind kind = PrincipalKind::Anonymous;
  std::string arn;  // the caller's own ARN (session ARN for sessions); provider or service name
  std::string partition = "aws";
  std::string account;   // empty for anonymous, services and identity providers
  std::string name;      // user name, role name, federated user name
  std::string role_arn;  // sessions: arn:aws:iam::A:role/NAME (T5)
  std::string session_name;
  bool session_known = false;  // false when the principal was given as a role ARN
  // P1: role_arn carries the role's path. An assumed-role ARN does not: its role_arn is
  // then role/NAME and the true path is unknown.
  bool role_path_known = false;
  std::string unique_id;  // AIDA.../AROA..., when known
  bool management_account = false;
  bool service_linked_role = false;
  bool has_boundary = false;

  // Signed IAM principals: their own account's identity policies count (E7).
  bool is_iam() const {
    return kind == PrincipalKind::User || kind == PrincipalKind::RoleSession || kind == PrincipalKind::FederatedUser ||
           kind == PrincipalKind::Root;
  }
  bool is_session() const { return kind == PrincipalKind::RoleSession || kind == PrincipalKind::FederatedUser; }
};

// Reads the principal forms of docs/eval-contract.md; nullopt with a message otherwise.
std::optional<Principal> parse_principal(std::string_view text, std::string& error);

struct ContextValue {
  std::string text;
  std::optional<double> number;
  std::optional<std::int64_t> instant;
  std::optional<syntax::Cidr> ip;
};

struct ContextEntry {
  std::string key;   // lower-cased: keys are case-insensitive (C3)
  std::string name;  // as given
  std::vector<ContextValue> values;
  bool multivalued = false;  // given as an array
};

class Context {
 public:
  // Replaces any entry with the same key.
  void set(std::string_view name, std::vector<std::string> values, bool multivalued);
  void set(std::string_view name, std::string value) { set(name, std::vector<std::string>{std::move(value)}, false); }
  // An entry built before, with its typed readings (a compiled world's keys, built once).
  void set(ContextEntry entry);
  const ContextEntry* find(std::string_view lower_key) const;
  // Is there an entry for this key in any case (C3)? Compares without a lower-cased copy.
  bool has(std::string_view name) const;
  const std::vector<ContextEntry>& entries() const { return entries_; }

 private:
  std::vector<ContextEntry> entries_;
};

// The kind of resource policy a request meets (docs/eval-contract.md): a role trust policy
// for sts:AssumeRole* (and TagSession, SetSourceIdentity) on a role, a key policy for kms:*
// on a key, otherwise an ordinary resource policy.
enum class ResourcePolicyKind { Ordinary, RoleTrust, KmsKey };

class Request final : public compile::VariableSource {
 public:
  Principal principal;
  std::string action;                              // as given
  std::string action_lower;                        // A1: actions compare case-insensitively
  std::string resource;                            // an ARN
  std::array<std::string_view, 6> resource_parts;  // views into resource
  std::string_view resource_head;                  // "aws:s3:::": parts 1-4, each with its colon
  bool resource_is_arn = false;
  std::string resource_account;
  bool resource_in_management_account = false;  // R4
  bool resource_is_aws_managed_key = false;     // R5
  Context context;

  Request() = default;
  Request(const Request& other) { *this = other; }
  Request& operator=(const Request& other);

  void set_action(std::string_view a);
  void set_resource(std::string_view arn);
  // Fills the keys iamsim can derive when absent: aws:PrincipalArn, aws:PrincipalAccount,
  // aws:userid, aws:username, aws:ResourceAccount, aws:PrincipalIsAWSService (docs/rules.md, condition keys).
  void fill_derived_keys();

  std::optional<std::string_view> variable(std::string_view lower_key) const override;
  std::string_view action_service() const { return std::string_view(action_lower).substr(0, action_lower.find(':')); }
  // Kept up to date by set_action and set_resource, like the facts below.
  ResourcePolicyKind policy_kind() const { return policy_kind_; }
  // X6: the resource is in AWS's own namespace (account field "aws", as in AWS managed
  // policies): no account owns it, so the request is never cross-account.
  bool resource_owned_by_aws() const { return resource_owned_by_aws_; }
  // T12: sts:GetCallerIdentity needs no permission and cannot be denied.
  bool needs_no_permission() const { return needs_no_permission_; }
  // T14: a write to a role AWS manages (path /aws-reserved/, or a service-linked role's
  // trust and attachments), which IAM refuses whatever the policies say.
  bool modifies_unmodifiable_role() const { return modifies_unmodifiable_role_; }
  // KM6: an alias operation on an alias under alias/aws/, the prefix reserved for AWS
  // managed keys, which AWS refuses whatever the policies say.
  bool modifies_reserved_alias() const { return modifies_reserved_alias_; }

 private:
  void update_request_facts();
  ResourcePolicyKind policy_kind_ = ResourcePolicyKind::Ordinary;
  bool resource_owned_by_aws_ = false;
  bool needs_no_permission_ = false;
  bool modifies_unmodifiable_role_ = false;
  bool modifies_reserved_alias_ = false;
};

}  // namespace iamsim::eval
