// Stage: shared by syntax, compile and eval. The choices where AWS's documentation leaves
// room (docs/rules.md, "Choices where AWS leaves room"). Defaults are the project's documented choices;
// every uncertain (P/U) rule is a switch here, settable with --semantics KEY=VALUE.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace iamsim {

// R5: the services AWS's service catalogue marks as supporting RCPs (engine/catalog).
std::vector<std::string> default_rcp_services();

struct Semantics {
  // S6: "current" SCP language (Allow with Condition/NotAction/Resource, actions
  // case-insensitive) or the 2022 one (false here means "2022").
  bool scp_current_syntax = true;
  // RS2: a '*' ending an ARN segment may match beyond ':' (newer docs only).
  bool resource_wildcard_crosses_colon = false;
  // P7: Deny+NotPrincipal exempts a role session only if the account, the role ARN and the
  // session ARN are all listed (a user: the user ARN and the account). false: a principal
  // whose own ARN (user, role or session) is listed is exempt.
  bool notprincipal_requires_all_arns = true;
  // P8 (U): Allow+NotPrincipal excludes a caller named by any of its ARNs (account, user,
  // role, session). false: the caller is excluded by the test P7 uses for exemption.
  bool notprincipal_allow_excludes_any_arn = true;
  // P7 (newer docs): Deny+NotPrincipal always denies principals that have a boundary.
  bool notprincipal_deny_always_denies_boundary = true;
  // C10: "True" vs "true" in Bool, and whether ${...} works in Bool.
  bool bool_case_sensitive = false;
  bool bool_allows_variables = true;
  // E5, docs/rules.md choice 3: a same-account grant to the account alone needs identity allow.
  bool account_grant_needs_identity_allow = true;
  // T2, docs/rules.md choice 5: same-account trust naming the caller's ARN suffices alone.
  bool trust_arn_grant_suffices_same_account = true;
  // R5: the services RCPs apply to (the catalogue's list), and the service-linked-role
  // exemption (U).
  std::vector<std::string> rcp_services = default_rcp_services();
  bool rcp_exempt_service_linked_roles = true;
  // R6 (U): an RCP Principal must be exactly "*": false makes it a warning only.
  bool rcp_principal_must_be_star = false;
  // A1 (U): '?' in an IAM action is a single-character glob (else a literal '?').
  bool action_question_mark_glob = true;
  // B7 (U): a GET or PUT of an SSE-KMS object over plain HTTP fails (the S3 guide asks for TLS;
  // its API reference for TLS or SigV4). false: TLS is not required.
  bool sse_kms_requires_tls = true;
};

struct SemanticsOption {
  std::string_view name;
  std::string_view rule;
  std::string_view meaning;
};

// Every switch, for --help and for the README.
const std::vector<SemanticsOption>& semantics_options();

// Sets one switch from text ("true"/"false", a comma list, or "current"/"2022").
// Returns an error message, or empty on success.
std::string set_semantics_option(Semantics& s, std::string_view name, std::string_view value);

}  // namespace iamsim
