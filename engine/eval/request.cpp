// Stage: eval. Building a request: principal forms, the resource's parts, and the context
// with typed readings.
#include "engine/eval/request.hpp"

#include <algorithm>
#include <initializer_list>

#include "engine/syntax/arn.hpp"
#include "engine/syntax/arn_kind.hpp"
#include "engine/text.hpp"

namespace iamsim::eval {

using syntax::is_account_id;

std::optional<Principal> parse_principal(std::string_view text, std::string& error) {
  Principal p;
  if (text == "anonymous" || text == "*") {
    p.kind = PrincipalKind::Anonymous;
    p.arn = "anonymous";
    return p;
  }
  if (is_account_id(text)) {
    p.kind = PrincipalKind::Root;
    p.account = std::string(text);
    p.arn = "arn:aws:iam::" + p.account + ":root";
    return p;
  }
  if (text.rfind("arn:", 0) != 0) {
    // A service principal (P1, K5) or a built-in web identity provider (T7).
    if (text == "cognito-identity.amazonaws.com" || text == "www.amazon.com" || text == "graph.facebook.com" ||
        text == "accounts.google.com") {
      p.kind = PrincipalKind::WebIdentity;
    } else if (text.find('.') != std::string_view::npos && text.find_first_of(" /:") == std::string_view::npos) {
      p.kind = PrincipalKind::Service;
    } else {
      error = "\"" + std::string(text) +
              "\" is not a principal: expected an ARN, an account id, anonymous, or a service principal";
      return std::nullopt;
    }
    p.arn = std::string(text);
    p.name = p.arn;
    return p;
  }
  syntax::ArnError arn_error;
  auto arn = syntax::parse_arn(text, &arn_error);
  if (!arn) {
    error = arn_error.message + "\n" + syntax::caret_line(text, arn_error.column);
    return std::nullopt;
  }
  p.partition = arn->partition;
  p.account = arn->account;
  p.arn = std::string(text);
  const std::string_view res = arn->resource;
  if (!is_account_id(p.account)) {
    error = "the principal ARN \"" + std::string(text) + "\" needs a 12-digit account id";
    return std::nullopt;
  }
  // Every name part must be non-empty: user/, assumed-role//s are no principals.
  const bool empty_name = (!res.empty() && res.back() == '/') || res.find("//") != std::string_view::npos;
  if (empty_name) {
    error = "the principal ARN \"" + std::string(text) + "\" has an empty name";
    return std::nullopt;
  }
  const auto named = syntax::principal_arn(*arn);
  if (!named) {
    error = "\"" + std::string(text) +
            "\" is not a principal: expected a user, role, assumed-role, federated-user, root, oidc-provider or "
            "saml-provider ARN";
    return std::nullopt;
  }
  using syntax::PrincipalArnKind;
  switch (named->kind) {
    case PrincipalArnKind::Root: p.kind = PrincipalKind::Root; break;
    case PrincipalArnKind::User:
      p.kind = PrincipalKind::User;
      p.name = named->name;
      break;
    case PrincipalArnKind::Role:
      p.kind = PrincipalKind::RoleSession;  // a role ARN stands for a session of the role
      p.name = named->name;
      p.role_arn = p.arn;
      p.role_path_known = true;
      p.session_known = false;
      break;
    case PrincipalArnKind::AssumedRole:
      if (named->session.empty()) {
        error = "an assumed-role ARN names a role and a session: assumed-role/ROLE/SESSION";
        return std::nullopt;
      }
      p.kind = PrincipalKind::RoleSession;
      p.name = named->name;
      p.session_name = named->session;
      p.session_known = true;
      p.role_arn = "arn:" + p.partition + ":iam::" + p.account + ":role/" + p.name;
      break;
    case PrincipalArnKind::FederatedUser:
      p.kind = PrincipalKind::FederatedUser;
      p.name = named->name;
      break;
    case PrincipalArnKind::OidcProvider:
    case PrincipalArnKind::SamlProvider:
      p.kind = named->kind == PrincipalArnKind::OidcProvider ? PrincipalKind::WebIdentity : PrincipalKind::Saml;
      p.account.clear();  // the caller is unsigned (T6); the provider lives in the role's account
      p.name = p.arn;
      break;
  }
  return p;
}

void Context::set(std::string_view name, std::vector<std::string> values, bool multivalued) {
  ContextEntry entry;
  entry.key = ascii_lowered(name);
  entry.name = std::string(name);
  entry.multivalued = multivalued;
  for (auto& text : values) {
    ContextValue v;
    v.number = syntax::parse_number(text);
    v.instant = syntax::parse_instant(text);
    v.ip = syntax::parse_cidr(text);
    v.text = std::move(text);
    entry.values.push_back(std::move(v));
  }
  set(std::move(entry));
}

void Context::set(ContextEntry entry) {
  for (auto& existing : entries_)
    if (existing.key == entry.key) {
      existing = std::move(entry);
      return;
    }
  entries_.push_back(std::move(entry));
}

const ContextEntry* Context::find(std::string_view lower_key) const {
  for (const auto& e : entries_)
    if (e.key == lower_key) return &e;
  return nullptr;
}

bool Context::has(std::string_view name) const {
  for (const auto& e : entries_)
    if (e.key.size() == name.size() &&
        std::equal(name.begin(), name.end(), e.key.begin(), [](char a, char lower) { return ascii_lower(a) == lower; }))
      return true;
  return false;
}

Request& Request::operator=(const Request& other) {
  if (this == &other) return *this;
  principal = other.principal;
  action = other.action;
  action_lower = other.action_lower;
  resource_account = other.resource_account;
  resource_in_management_account = other.resource_in_management_account;
  resource_is_aws_managed_key = other.resource_is_aws_managed_key;
  context = other.context;
  set_resource(other.resource);  // re-point the part views at our own string
  return *this;
}

void Request::set_action(std::string_view a) {
  action = std::string(a);
  action_lower = ascii_lowered(a);
  update_request_facts();
}

namespace {

bool one_of(std::string_view a, std::initializer_list<std::string_view> names) {
  for (std::string_view n : names)
    if (a == n) return true;
  return false;
}

// KM6: alias operations on an alias ARN are governed by IAM alone; every other kms action
// on a kms ARN names a key (an alias there stands for its target key) and meets its policy.
bool alias_operation(std::string_view a) {
  return one_of(a, {"kms:createalias", "kms:deletealias", "kms:updatealias"});
}

// T14: what IAM refuses on roles it manages. Roles under /aws-reserved/ (IAM Identity
// Center) take no change at all; a service-linked role (/aws-service-role/) no change to
// its trust policy, its policies, its boundary, nor DeleteRole (DeleteServiceLinkedRole is
// the way, and its description may change).
bool reserved_role_write(std::string_view a) {
  return one_of(
      a, {"iam:attachrolepolicy", "iam:createrole", "iam:deleterole", "iam:deleterolepermissionsboundary",
          "iam:deleterolepolicy", "iam:detachrolepolicy", "iam:putrolepermissionsboundary", "iam:putrolepolicy",
          "iam:tagrole", "iam:untagrole", "iam:updateassumerolepolicy", "iam:updaterole", "iam:updateroledescription"});
}
bool service_linked_role_write(std::string_view a) {
  return one_of(
      a, {"iam:attachrolepolicy", "iam:deleterole", "iam:deleterolepermissionsboundary", "iam:deleterolepolicy",
          "iam:detachrolepolicy", "iam:putrolepermissionsboundary", "iam:putrolepolicy", "iam:updateassumerolepolicy"});
}

}  // namespace

void Request::update_request_facts() {
  const std::string_view a = action_lower;
  const auto& p = resource_parts;
  const auto kind = resource_is_arn ? syntax::resource_arn_kind(syntax::ArnView{p[1], p[2], p[3], p[4], p[5]})
                                    : syntax::ResourceArnKind::Other;
  const bool iam_role = kind == syntax::ResourceArnKind::IamRole;
  const bool on_alias = kind == syntax::ResourceArnKind::KmsAlias && alias_operation(a);
  if (iam_role && (a == "sts:assumerole" || a == "sts:assumerolewithwebidentity" || a == "sts:assumerolewithsaml" ||
                   a == "sts:tagsession" || a == "sts:setsourceidentity"))
    policy_kind_ = ResourcePolicyKind::RoleTrust;
  else if (action_service() == "kms" && resource_is_arn && resource_parts[2] == "kms" && !on_alias)
    policy_kind_ = ResourcePolicyKind::KmsKey;
  else
    policy_kind_ = ResourcePolicyKind::Ordinary;
  modifies_reserved_alias_ = on_alias && resource_parts[5].starts_with("alias/aws/");
  resource_owned_by_aws_ = resource_is_arn && syntax::is_aws_namespace(resource_parts[4]);
  needs_no_permission_ = a == "sts:getcalleridentity";
  const std::string_view role_path = iam_role ? resource_parts[5] : std::string_view();
  modifies_unmodifiable_role_ = (role_path.starts_with("role/aws-reserved/") && reserved_role_write(a)) ||
                                (role_path.starts_with("role/aws-service-role/") && service_linked_role_write(a));
}

void Request::set_resource(std::string_view arn) {
  resource = std::string(arn);
  resource_is_arn = resource.rfind("arn:", 0) == 0 && syntax::split_arn_parts(resource, resource_parts);
  if (!resource_is_arn) resource_parts = {};
  resource_head = resource_is_arn ? std::string_view(resource).substr(
                                        4, static_cast<std::size_t>(resource_parts[5].data() - resource.data() - 4))
                                  : std::string_view();
  update_request_facts();
}

void Request::fill_derived_keys() {
  auto fill = [&](std::string_view key, const std::string& value) {
    if (!context.has(key) && !value.empty()) context.set(key, value);
  };
  const Principal& p = principal;
  switch (p.kind) {
    case PrincipalKind::User:
      fill("aws:PrincipalArn", p.arn);
      fill("aws:username", p.name);
      fill("aws:userid", p.unique_id);
      break;
    case PrincipalKind::RoleSession:
      fill("aws:PrincipalArn", p.role_arn);  // T5: the role ARN, never the session ARN
      if (!p.unique_id.empty() && p.session_known) fill("aws:userid", p.unique_id + ":" + p.session_name);
      break;
    case PrincipalKind::FederatedUser: fill("aws:PrincipalArn", p.arn); break;
    case PrincipalKind::Root:
      fill("aws:PrincipalArn", "arn:" + p.partition + ":iam::" + p.account + ":root");
      fill("aws:userid", p.account);
      break;
    case PrincipalKind::Anonymous:
      fill("aws:PrincipalAccount", "anonymous");
      fill("aws:userid", "anonymous");
      break;
    case PrincipalKind::Service:
      fill("aws:PrincipalServiceName", p.arn);
      fill("aws:PrincipalIsAWSService", "true");
      break;
    case PrincipalKind::WebIdentity:
    case PrincipalKind::Saml: break;
  }
  if (p.is_iam()) {
    fill("aws:PrincipalAccount", p.account);
    fill("aws:PrincipalIsAWSService", "false");
  }
  fill("aws:ResourceAccount", resource_account);
}

std::optional<std::string_view> Request::variable(std::string_view lower_key) const {
  const ContextEntry* e = context.find(lower_key);
  if (!e || e->values.size() != 1 || e->multivalued) return std::nullopt;
  return std::string_view(e->values[0].text);
}

}  // namespace iamsim::eval
