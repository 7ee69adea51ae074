// Stage: model (load), real estates. `aws iam get-account-authorization-details` -> the
// IAM principals of one account. Documents come URL-encoded (the API) or decoded (the
// CLI); a managed policy counts at its default version; an attached policy or boundary
// the output does not hold is a warning that names it.
#include <algorithm>
#include <map>

#include "engine/syntax/arn_view.hpp"
#include "model/load/aws_names.hpp"
#include "model/load/read_exports.hpp"

namespace iamsim::model::load {
namespace {

// A boundary the export does not hold: the principal may do nothing rather than anything
// (an unknown boundary never widens access).
PolicyDocument unknown_boundary(const std::string& arn, const SourceLocation& where) {
  PolicyDocument d;
  d.name = arn + " (not in the export: allows nothing)";
  d.json_text = R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]})";
  d.origin = where;
  return d;
}

class DetailsReader {
 public:
  DetailsReader(ExportFile& f, Account& a) : f_(f), a_(a) {}

  void run() {
    const JsonAt root = f_.root();
    if (!f_.is_object(root, "get-account-authorization-details output")) return;
    if (auto truncated = f_.boolean_member(root, "IsTruncated"); truncated && *truncated) {
      f_.warning("export.truncated", root,
                 "the output is one page of several (IsTruncated): principals and policies of the other pages are "
                 "missing; let the CLI paginate (leave out --max-items)");
      a_.unseen.push_back("get-account-authorization-details is one page of several");
    }
    for (const auto& p : f_.array_member(root, "Policies")) managed_policy(p);
    for (const auto& g : f_.array_member(root, "GroupDetailList")) group(g);
    for (const auto& u : f_.array_member(root, "UserDetailList")) user(u);
    for (const auto& r : f_.array_member(root, "RoleDetailList")) role(r);
  }

 private:
  void managed_policy(const JsonAt& p) {
    if (!f_.is_object(p, "a managed policy")) return;
    auto arn = f_.string_member(p, "Arn");
    if (!arn) return;
    auto default_version = f_.string_member(p, "DefaultVersionId", false);
    for (const auto& v : f_.array_member(p, "PolicyVersionList", true)) {
      if (!f_.is_object(v, "a policy version")) continue;
      auto is_default = f_.boolean_member(v, "IsDefaultVersion");
      auto id = f_.string_member(v, "VersionId", false);
      if (!(is_default.value_or(false) || (default_version && id && *id == *default_version))) continue;
      auto doc = f_.member(v, "Document");
      if (!doc) return;
      if (auto d = f_.policy(*doc, *arn)) managed_.emplace(*arn, std::move(*d));
      return;
    }
    f_.warning("export.no-default-version", p, "managed policy " + *arn + " has no default version; left out");
  }

  std::vector<PolicyDocument> inline_policies(const JsonAt& entity, std::string_view key, const std::string& owner) {
    std::vector<PolicyDocument> out;
    for (const auto& p : f_.array_member(entity, key)) {
      if (!f_.is_object(p, "an inline policy")) continue;
      auto name = f_.string_member(p, "PolicyName");
      auto doc = f_.member(p, "PolicyDocument");
      if (!name || !doc) continue;
      if (auto d = f_.policy(*doc, owner + " inline " + *name)) out.push_back(std::move(*d));
    }
    return out;
  }

  void attached_policies(const JsonAt& entity, const std::string& owner, std::vector<PolicyDocument>& into) {
    for (const auto& p : f_.array_member(entity, "AttachedManagedPolicies")) {
      if (!f_.is_object(p, "an attached policy")) continue;
      auto arn = f_.string_member(p, "PolicyArn");
      if (!arn) continue;
      if (auto it = managed_.find(*arn); it != managed_.end()) {
        into.push_back(it->second);
        continue;
      }
      f_.warning("export.missing-policy", p,
                 owner + " has " + *arn +
                     " attached, but the output's Policies do not hold it; left out, so what it allows is not seen "
                     "(export with the AWSManagedPolicy and LocalManagedPolicy filters)");
      a_.unseen.push_back(owner + " has " + *arn + " attached, which the export does not hold");
    }
  }

  std::optional<PolicyDocument> boundary(const JsonAt& entity, const std::string& owner) {
    auto b = f_.member(entity, "PermissionsBoundary", false);
    if (!b) return std::nullopt;
    auto arn = f_.string_member(*b, "PermissionsBoundaryArn");
    if (!arn) return std::nullopt;
    if (auto it = managed_.find(*arn); it != managed_.end()) return it->second;
    f_.warning("export.missing-policy", *b,
               owner + " has the permissions boundary " + *arn +
                   ", which the output's Policies do not hold; it is taken to allow nothing");
    a_.unseen.push_back(owner + " has the permissions boundary " + *arn + ", which the export does not hold");
    return unknown_boundary(*arn, f_.at(*b));
  }

  // Name, path and ARN of a user, group or role, the ARN checked against the account.
  bool identity(const JsonAt& entity, std::string_view name_key, std::string_view kind, std::string& name,
                std::string& path, std::string& arn) {
    auto n = f_.string_member(entity, name_key);
    auto a = f_.string_member(entity, "Arn");
    if (!n || !a) return false;
    name = *n;
    path = f_.string_member(entity, "Path", false).value_or("/");
    if (!is_iam_path(path)) {
      f_.error("export.bad-value", entity, "an IAM path starts and ends with '/', found '" + path + "'");
      return false;
    }
    const std::string expected = "arn:aws:iam::" + a_.id + ":" + std::string(kind) + path + name;
    const auto parts = syntax::split_arn(*a);
    if (!parts || parts->account != a_.id) {
      f_.error("export.wrong-account", entity,
               "'" + *a + "' is not a " + std::string(kind) + " of account " + a_.id +
                   " (each account folder holds its own account's export)");
      return false;
    }
    arn = *a;
    if (arn != expected && !arn.starts_with("arn:aws-"))
      f_.warning("export.bad-value", entity, "Arn " + arn + " does not match path and name (" + expected + ")");
    return true;
  }

  void group(const JsonAt& g) {
    if (!f_.is_object(g, "a group")) return;
    Group out;
    if (!identity(g, "GroupName", "group", out.name, out.path, out.arn)) return;
    out.account_id = a_.id;
    out.policies = inline_policies(g, "GroupPolicyList", "group " + out.name);
    attached_policies(g, "group " + out.name, out.policies);
    out.where = f_.at(g);
    a_.groups.push_back(std::move(out));
  }

  void user(const JsonAt& u) {
    if (!f_.is_object(u, "a user")) return;
    User out;
    if (!identity(u, "UserName", "user", out.name, out.path, out.arn)) return;
    out.account_id = a_.id;
    const std::string owner = "user " + out.name;
    out.policies = inline_policies(u, "UserPolicyList", owner);
    attached_policies(u, owner, out.policies);
    for (const auto& g : f_.array_member(u, "GroupList")) {
      auto name = f_.string(g, "a group name");
      if (!name) continue;
      const bool known =
          std::any_of(a_.groups.begin(), a_.groups.end(), [&](const Group& o) { return o.name == *name; });
      if (known)
        out.groups.push_back(*name);
      else
        f_.warning("export.missing-group", g,
                   owner + " is in group " + *name + ", which the output's GroupDetailList does not hold; left out");
    }
    out.boundary = boundary(u, owner);
    if (auto t = f_.member(u, "Tags", false)) out.tags = f_.tags(*t);
    out.unique_id = f_.string_member(u, "UserId", false).value_or(derive_unique_id("AIDA", out.arn));
    out.where = f_.at(u);
    a_.users.push_back(std::move(out));
  }

  void role(const JsonAt& r) {
    if (!f_.is_object(r, "a role")) return;
    Role out;
    if (!identity(r, "RoleName", "role", out.name, out.path, out.arn)) return;
    out.account_id = a_.id;
    const std::string owner = "role " + out.name;
    auto trust = f_.member(r, "AssumeRolePolicyDocument");
    if (!trust) return;
    auto doc = f_.policy(*trust, owner + " trust policy");
    if (!doc) return;
    out.trust = std::move(*doc);
    out.policies = inline_policies(r, "RolePolicyList", owner);
    attached_policies(r, owner, out.policies);
    out.boundary = boundary(r, owner);
    if (auto t = f_.member(r, "Tags", false)) out.tags = f_.tags(*t);
    out.service_linked = out.path.starts_with("/aws-service-role/");
    out.unique_id = f_.string_member(r, "RoleId", false).value_or(derive_unique_id("AROA", out.arn));
    // Instance profiles carry the role to EC2 (and so to nodes); each must hold this role.
    for (const auto& p : f_.array_member(r, "InstanceProfileList")) {
      if (!f_.is_object(p, "an instance profile")) continue;
      bool holds = false;
      for (const auto& held : f_.array_member(p, "Roles"))
        if (held->is_object() && held->value("Arn", "") == out.arn) holds = true;
      if (!holds) f_.warning("export.bad-value", p, "instance profile of " + owner + " does not list the role");
    }
    out.where = f_.at(r);
    a_.roles.push_back(std::move(out));
  }

  ExportFile& f_;
  Account& a_;
  std::map<std::string, PolicyDocument> managed_;
};

}  // namespace

void read_authorization_details(ExportFile& file, Account& a) { DetailsReader(file, a).run(); }

}  // namespace iamsim::model::load
