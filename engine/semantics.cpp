// Stage: shared. The switchable choices and their names.
#include "engine/semantics.hpp"

#include "engine/catalog/aws_catalog.hpp"

namespace iamsim {

const std::vector<SemanticsOption>& semantics_options() {
  static const std::vector<SemanticsOption> options = {
      {"scp_syntax", "S6", "current (default) or 2022: the older, stricter SCP language with case-sensitive actions"},
      {"resource_wildcard_crosses_colon", "RS2", "a '*' in an ARN segment may match ':' too (default false)"},
      {"notprincipal_requires_all_arns", "P7",
       "Deny+NotPrincipal exempts only principals whose account, role and session ARNs are all listed (default true)"},
      {"notprincipal_allow_excludes_any_arn", "P8",
       "Allow+NotPrincipal excludes a caller listed by any of its ARNs: account, user, role or session (default true)"},
      {"notprincipal_deny_always_denies_boundary", "P7",
       "Deny+NotPrincipal always denies principals with a permissions boundary (default true)"},
      {"bool_case_sensitive", "C10", "Bool compares \"true\"/\"false\" case-sensitively (default false)"},
      {"bool_allows_variables", "C10", "policy variables are substituted in Bool values (default true)"},
      {"account_grant_needs_identity_allow", "E5",
       "a same-account resource grant to the account alone needs an identity allow (default true)"},
      {"trust_arn_grant_suffices_same_account", "T2",
       "a same-account trust policy naming the caller's ARN suffices without identity allow (default true)"},
      {"rcp_services", "R5",
       "comma-separated services RCPs apply to (default: the services AWS's catalogue marks as supporting RCPs)"},
      {"rcp_exempt_service_linked_roles", "R5", "service-linked roles are exempt from RCPs (default true)"},
      {"rcp_principal_must_be_star", "R6",
       "an RCP Principal other than \"*\" is an error, not a warning (default false)"},
      {"action_question_mark_glob", "A1", "'?' in an action matches one character (default true)"},
      {"sse_kms_requires_tls", "B7",
       "a GET or PUT of an SSE-KMS object fails unless made over TLS (aws:SecureTransport true) (default true)"},
  };
  return options;
}

std::vector<std::string> default_rcp_services() {
  static const std::vector<std::string> services = catalog::Catalog::aws().rcp_services();
  return services;
}

namespace {

std::string set_bool(bool& field, std::string_view name, std::string_view value) {
  if (value == "true")
    field = true;
  else if (value == "false")
    field = false;
  else
    return std::string(name) + " takes true or false, not '" + std::string(value) + "'";
  return {};
}

}  // namespace

std::string set_semantics_option(Semantics& s, std::string_view name, std::string_view value) {
  if (name == "scp_syntax") {
    if (value == "current")
      s.scp_current_syntax = true;
    else if (value == "2022")
      s.scp_current_syntax = false;
    else
      return "scp_syntax takes current or 2022, not '" + std::string(value) + "'";
    return {};
  }
  if (name == "rcp_services") {
    s.rcp_services.clear();
    std::size_t start = 0;
    while (start <= value.size()) {
      auto comma = value.find(',', start);
      if (comma == std::string_view::npos) comma = value.size();
      if (comma > start) s.rcp_services.emplace_back(value.substr(start, comma - start));
      start = comma + 1;
    }
    return {};
  }
  struct Flag {
    std::string_view name;
    bool Semantics::*field;
  };
  static const Flag flags[] = {
      {"resource_wildcard_crosses_colon", &Semantics::resource_wildcard_crosses_colon},
      {"notprincipal_requires_all_arns", &Semantics::notprincipal_requires_all_arns},
      {"notprincipal_allow_excludes_any_arn", &Semantics::notprincipal_allow_excludes_any_arn},
      {"notprincipal_deny_always_denies_boundary", &Semantics::notprincipal_deny_always_denies_boundary},
      {"bool_case_sensitive", &Semantics::bool_case_sensitive},
      {"bool_allows_variables", &Semantics::bool_allows_variables},
      {"account_grant_needs_identity_allow", &Semantics::account_grant_needs_identity_allow},
      {"trust_arn_grant_suffices_same_account", &Semantics::trust_arn_grant_suffices_same_account},
      {"rcp_exempt_service_linked_roles", &Semantics::rcp_exempt_service_linked_roles},
      {"rcp_principal_must_be_star", &Semantics::rcp_principal_must_be_star},
      {"action_question_mark_glob", &Semantics::action_question_mark_glob},
      {"sse_kms_requires_tls", &Semantics::sse_kms_requires_tls},
  };
  for (const auto& f : flags)
    if (f.name == name) return set_bool(s.*(f.field), name, value);
  return "unknown semantics option '" + std::string(name) + "' (see iamsim eval --help)";
}

}  // namespace iamsim
