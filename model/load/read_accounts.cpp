// Stage: model (load), reading. An account: its id, SCPs and RCPs, its IAM groups, users,
// roles and OIDC providers; its resources and clusters through their own readers.
#include <algorithm>

#include "model/load/aws_names.hpp"
#include "model/load/scenario_reader.hpp"

namespace iamsim::model::load {
namespace {

// The name and path of a user, group or role; false when either is unusable.
bool name_and_path(FieldReader& in, const Fields& f, const YamlNode& n, std::string_view what, std::size_t max,
                   std::string& name, std::string& path) {
  if (!in.require(f, n, "name", what)) return false;
  auto s = in.text(f["name"], std::string(what) + " name");
  if (!s) return false;
  if (!is_iam_name(*s, max)) {
    in.error("scenario.bad-name", f["name"],
             "'" + *s + "' is not an IAM name (1-" + std::to_string(max) + " of A-Z a-z 0-9 +=,.@_-)");
    return false;
  }
  name = *s;
  if (f.has("path")) {
    auto p = in.text(f["path"], "path");
    if (!p) return false;
    if (!is_iam_path(*p)) {
      in.error("scenario.bad-path", f["path"], "an IAM path starts and ends with '/', found '" + *p + "'");
      return false;
    }
    path = *p;
  }
  return true;
}

void read_group(ScenarioReader& r, const YamlNode& n, Account& a) {
  FieldReader& in = r.in;
  if (!in.is_map(n, "a group")) return;
  Fields f(in, n, "a group", {"name", "path", "policies"});
  Group g;
  if (!name_and_path(in, f, n, "a group", 128, g.name, g.path)) return;
  if (std::any_of(a.groups.begin(), a.groups.end(), [&](const Group& o) { return o.name == g.name; })) {
    in.error("scenario.duplicate-group", f["name"], "group '" + g.name + "' is declared twice in account " + a.id);
    return;
  }
  g.account_id = a.id;
  g.arn = "arn:aws:iam::" + a.id + ":group" + g.path + g.name;
  g.policies = read_policies(r, f["policies"], "policies");
  g.where = in.at(n);
  a.groups.push_back(std::move(g));
}

void read_user(ScenarioReader& r, const YamlNode& n, Account& a) {
  FieldReader& in = r.in;
  if (!in.is_map(n, "a user")) return;
  Fields f(in, n, "a user", {"name", "path", "policies", "groups", "boundary", "tags", "unique_id"});
  User u;
  if (!name_and_path(in, f, n, "a user", 64, u.name, u.path)) return;
  if (std::any_of(a.users.begin(), a.users.end(), [&](const User& o) { return o.name == u.name; })) {
    in.error("scenario.duplicate-user", f["name"], "user '" + u.name + "' is declared twice in account " + a.id);
    return;
  }
  u.account_id = a.id;
  u.arn = "arn:aws:iam::" + a.id + ":user" + u.path + u.name;
  u.policies = read_policies(r, f["policies"], "policies");
  Unbound::UserGroups groups{r.world.accounts.size(), a.users.size(), {}};
  for (const auto& g : in.list(f["groups"], "groups"))
    if (in.text(g, "a group name")) groups.names.push_back(&g);
  u.boundary = read_optional_policy(r, f, "boundary");
  u.tags = in.tags(f["tags"], "tags");
  u.unique_id = derive_unique_id("AIDA", u.arn);
  if (f.has("unique_id"))
    if (auto id = in.text(f["unique_id"], "unique_id")) u.unique_id = *id;
  u.where = in.at(n);
  a.users.push_back(std::move(u));
  if (!groups.names.empty()) r.unbound.user_groups.push_back(std::move(groups));
}

void read_role(ScenarioReader& r, const YamlNode& n, Account& a) {
  FieldReader& in = r.in;
  if (!in.is_map(n, "a role")) return;
  Fields f(in, n, "a role",
           {"name", "path", "trust", "policies", "boundary", "tags", "service_linked", "unique_id", "description"});
  Role role;
  if (!name_and_path(in, f, n, "a role", 64, role.name, role.path)) return;
  if (std::any_of(a.roles.begin(), a.roles.end(), [&](const Role& o) { return o.name == role.name; })) {
    in.error("scenario.duplicate-role", f["name"], "role '" + role.name + "' is declared twice in account " + a.id);
    return;
  }
  role.account_id = a.id;
  role.arn = "arn:aws:iam::" + a.id + ":role" + role.path + role.name;
  if (!in.require(f, n, "trust", "a role")) return;
  auto trust = read_policy(r, f["trust"], "trust");
  if (!trust) return;
  role.trust = std::move(*trust);
  role.policies = read_policies(r, f["policies"], "policies");
  role.boundary = read_optional_policy(r, f, "boundary");
  role.tags = in.tags(f["tags"], "tags");
  role.service_linked = role.path.starts_with("/aws-service-role/");
  if (f.has("service_linked"))
    if (auto b = in.boolean(f["service_linked"], "service_linked")) role.service_linked = *b || role.service_linked;
  role.unique_id = derive_unique_id("AROA", role.arn);
  if (f.has("unique_id"))
    if (auto id = in.text(f["unique_id"], "unique_id")) role.unique_id = *id;
  role.where = in.at(n);
  a.roles.push_back(std::move(role));
}

void read_oidc_provider(ScenarioReader& r, const YamlNode& n, Account& a) {
  FieldReader& in = r.in;
  if (!in.is_map(n, "an OIDC provider")) return;
  Fields f(in, n, "an OIDC provider", {"url", "client_ids"});
  if (!in.require(f, n, "url", "an OIDC provider")) return;
  auto url = in.text(f["url"], "url");
  if (!url) return;
  if (!url->starts_with("https://") || url->size() <= 8) {
    in.error("scenario.bad-value", f["url"], "an OIDC provider url starts with https://, found '" + *url + "'");
    return;
  }
  OidcProvider p;
  p.url = *url;
  while (p.url.ends_with("/")) p.url.pop_back();
  p.account_id = a.id;
  p.arn = "arn:aws:iam::" + a.id + ":oidc-provider/" + p.url.substr(8);
  if (std::any_of(a.oidc_providers.begin(), a.oidc_providers.end(),
                  [&](const OidcProvider& o) { return o.url == p.url; })) {
    in.error("scenario.duplicate-oidc-provider", f["url"], "account " + a.id + " has two OIDC providers for " + p.url);
    return;
  }
  p.client_ids = in.strings(f["client_ids"], "client_ids");
  p.where = in.at(n);
  a.oidc_providers.push_back(std::move(p));
}

}  // namespace

void read_account(ScenarioReader& r, const YamlNode& n) {
  FieldReader& in = r.in;
  if (!in.is_map(n, "an account")) return;
  Fields f(in, n, "an account",
           {"id", "name", "scps", "rcps", "users", "groups", "roles", "oidc_providers", "clusters", "buckets",
            "kms_keys", "vpc_endpoints", "public_access_block"});
  if (!in.require(f, n, "id", "an account")) return;
  auto id = in.account_id(f["id"], "account id");
  if (!id) return;
  if (auto it = r.accounts_seen.find(*id); it != r.accounts_seen.end()) {
    in.error("scenario.duplicate-account", f["id"],
             "account " + *id + " is declared twice (first at " + where_text(it->second) + ")");
    return;
  }
  r.accounts_seen.emplace(*id, in.at(f["id"]));
  Account a;
  a.id = *id;
  a.where = in.at(n);
  if (f.has("name"))
    if (auto name = in.text(f["name"], "account name")) a.name = *name;
  a.scps = read_policies(r, f["scps"], "scps");
  a.rcps = read_policies(r, f["rcps"], "rcps");
  if (f.given("scps")) r.accounts_with_scps.insert(a.id);
  if (f.has("public_access_block")) a.public_access_block = read_public_access_block(in, f["public_access_block"]);
  for (const auto& g : in.list(f["groups"], "groups")) read_group(r, g, a);
  for (const auto& u : in.list(f["users"], "users")) read_user(r, u, a);
  for (const auto& role : in.list(f["roles"], "roles")) read_role(r, role, a);
  for (const auto& p : in.list(f["oidc_providers"], "oidc_providers")) read_oidc_provider(r, p, a);
  for (const auto& k : in.list(f["kms_keys"], "kms_keys")) read_kms_key(r, k, a);
  for (const auto& b : in.list(f["buckets"], "buckets")) read_bucket(r, b, a);
  for (const auto& e : in.list(f["vpc_endpoints"], "vpc_endpoints")) read_vpc_endpoint(r, e, a);
  for (const auto& c : in.list(f["clusters"], "clusters")) read_cluster(r, c, a);
  r.world.accounts.push_back(std::move(a));
}

}  // namespace iamsim::model::load
