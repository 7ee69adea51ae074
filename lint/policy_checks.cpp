// Stage: lint. The checks of one policy document, on its AST (each element keeps its JSON
// pointer) and AWS's service catalogue.
#include "lint/policy_checks.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "engine/catalog/arn_format.hpp"
#include "engine/catalog/aws_catalog.hpp"
#include "engine/compile/compiled_policy.hpp"
#include "engine/compile/pattern.hpp"
#include "engine/syntax/arn_kind.hpp"
#include "engine/syntax/parse_policy.hpp"
#include "engine/syntax/values.hpp"
#include "engine/text.hpp"
#include "lint/rules.hpp"
#include "model/paths/s3_public.hpp"

namespace iamsim::lint {
namespace {

using catalog::Catalog;
using catalog::KeyType;
using syntax::ConditionAst;
using syntax::Effect;
using syntax::PolicyKind;
using syntax::StatementAst;

bool has_wildcard(std::string_view s) { return s.find_first_of("*?") != std::string_view::npos; }

bool icase_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

// Does an action pattern of a policy cover this action (A1)?
bool covers(std::string_view pattern, std::string_view action) {
  return compile::Pattern::from_text(pattern, true, true, true).match(action, true, nullptr) ==
         compile::MatchResult::Match;
}

// The operator without ForAllValues:/ForAnyValue: and IfExists.
struct Operator {
  std::string_view base;
  std::string_view qualifier;  // "ForAllValues", "ForAnyValue" or ""
  bool if_exists = false;
};

Operator split_operator(std::string_view op) {
  Operator out;
  for (std::string_view q : {"ForAllValues:", "ForAnyValue:"})
    if (op.size() > q.size() && icase_equal(op.substr(0, q.size()), q)) {
      out.qualifier = q.substr(0, q.size() - 1);
      op.remove_prefix(q.size());
    }
  if (op.size() > 8 && op.ends_with("IfExists")) {
    out.if_exists = true;
    op.remove_suffix(8);
  }
  out.base = op;
  return out;
}

enum class Family { String, Numeric, Date, Bool, Binary, Ip, Arn, Null, Unknown };

Family family_of(std::string_view base) {
  if (base.starts_with("String")) return Family::String;
  if (base.starts_with("Numeric")) return Family::Numeric;
  if (base.starts_with("Date")) return Family::Date;
  if (base == "Bool") return Family::Bool;
  if (base == "BinaryEquals") return Family::Binary;
  if (base == "IpAddress" || base == "NotIpAddress") return Family::Ip;
  if (base.starts_with("Arn")) return Family::Arn;
  if (base == "Null") return Family::Null;
  return Family::Unknown;
}

bool fits(Family f, const catalog::ConditionKey& key) {
  switch (f) {
    case Family::Null:
    case Family::Unknown: return true;
    case Family::String: return key.type != KeyType::IpAddress && key.type != KeyType::Date;
    case Family::Numeric: return key.type == KeyType::Numeric || icase_equal(key.name, "aws:EpochTime");
    case Family::Date: return key.type == KeyType::Date;
    case Family::Bool: return key.type == KeyType::Bool;
    case Family::Binary: return key.type == KeyType::Binary;
    case Family::Ip: return key.type == KeyType::IpAddress;
    case Family::Arn: return key.type == KeyType::Arn || key.type == KeyType::String;
  }
  return true;
}

std::string_view operator_for(KeyType type) {
  switch (type) {
    case KeyType::String: return "a String operator (StringEquals, StringLike...)";
    case KeyType::Arn: return "ArnEquals or ArnLike";
    case KeyType::Numeric: return "a Numeric operator (NumericLessThan...)";
    case KeyType::Date: return "a Date operator (DateGreaterThan...)";
    case KeyType::Bool: return "Bool";
    case KeyType::IpAddress: return "IpAddress or NotIpAddress";
    case KeyType::Binary: return "BinaryEquals";
  }
  return "";
}

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string join(const std::vector<std::string>& items, std::string_view separator = ", ") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : std::string(separator)) + i;
  return out;
}

class PolicyChecker {
 public:
  // compiled: the same policy compiled, or null when it has errors.
  PolicyChecker(const syntax::PolicyAst& ast, const compile::CompiledPolicy* compiled, const PolicyContext& ctx,
                std::vector<Finding>& out)
      : ast_(ast), compiled_(compiled), ctx_(ctx), out_(out), catalog_(Catalog::aws()) {}

  void run() {
    version_variables();
    for (const auto& st : ast_.statements) {
      actions(st);
      resource_types(st);
      if (st.effect == Effect::Allow && st.not_resource)
        add("policy.notresource-allow", st.pointer + "/NotResource",
            "Allow with NotResource grants the actions on every resource but those listed, in every account");
      if (st.effect == Effect::Allow) {
        broad_action(st);
        pass_role(st);
        public_grant(st);
        foreign_trust(st);
      }
      for (const auto& c : st.conditions) condition(c);
    }
  }

  bool version_variables_found = false;

 private:
  void add(std::string_view rule, std::string pointer, std::string message, std::string fix = {},
           std::string subject = {}) {
    Finding f;
    f.rule = std::string(rule);
    f.level = find_rule(rule)->level;
    f.where.pointer = std::move(pointer);
    f.message = std::move(message);
    f.fix = fix.empty() ? std::string(find_rule(rule)->fix) : std::move(fix);
    f.resource = ctx_.owner_arn;
    f.subject = std::move(subject);
    out_.push_back(std::move(f));
  }

  // G3, PV1: ${...} is literal text without Version 2012-10-17.
  void version_variables() {
    if (ast_.has_version && ast_.version == "2012-10-17") return;
    for (const auto& st : ast_.statements) {
      for (const auto& r : st.resources)
        if (r.value.find("${") != std::string::npos) return flag_variable(r);
      for (const auto& c : st.conditions)
        for (const auto& v : c.values)
          if (v.value.find("${") != std::string::npos) return flag_variable(v);
    }
  }
  void flag_variable(const syntax::Located& v) {
    version_variables_found = true;
    const std::string version = ast_.has_version ? "Version " + ast_.version : "no Version";
    add("policy.version-variables", v.pointer,
        in_quotes(v.value) + " holds a policy variable, but the policy has " + version +
            ": AWS reads ${...} as literal text (G3, PV1)");
  }

  // A1: every action (or pattern) must name something AWS has.
  void actions(const StatementAst& st) {
    for (const auto& a : st.actions) {
      if (a.value == "*") continue;
      const auto colon = a.value.find(':');
      if (colon == std::string::npos) continue;  // the parser reports it
      if (!catalog_.expand(a.value).empty()) continue;
      const std::string service(a.value.substr(0, colon));
      std::string message, fix;
      if (!has_wildcard(service) && !catalog_.find_service(service)) {
        const std::string close = catalog_.closest_service(service);
        message = "unknown service prefix " + in_quotes(service) + " in " + in_quotes(a.value);
        if (!close.empty()) fix = "Did you mean " + in_quotes(close) + "? ";
      } else if (has_wildcard(a.value)) {
        message = in_quotes(a.value) + " matches no action AWS has";
      } else {
        message = "unknown action " + in_quotes(a.value);
        const std::string close = catalog_.closest_action(a.value);
        if (!close.empty()) fix = "Did you mean " + in_quotes(close) + "? ";
      }
      add("policy.unknown-action", a.pointer, message + " (" + catalog_.source() + ")",
          fix + "Use the action's exact name, as the Service Authorization Reference lists it.", a.value);
    }
  }

  // B1, RS6: an action must have a resource type that one of the statement's resources can
  // be. Patterns whose service is a wildcard are not judged.
  void resource_types(const StatementAst& st) {
    if (st.not_action || !st.has_resource || st.not_resource) return;
    for (const auto& r : st.resources)
      if (r.value == "*") return;
    for (const auto& a : st.actions) {
      const auto colon = a.value.find(':');
      if (colon == std::string::npos || has_wildcard(a.value.substr(0, colon))) continue;
      const auto expanded = catalog_.expand(a.value);
      if (expanded.empty()) continue;
      bool applies = false;
      for (const catalog::Action* action : expanded) {
        for (const auto* type : action->resource_types) {
          for (auto form : type->formats)
            for (const auto& r : st.resources)
              if (catalog::arn_format_admits(form, r.value, true)) applies = true;
          if (applies) break;
        }
        if (applies) break;
      }
      if (applies) continue;
      std::vector<std::string> resources;
      for (const auto& r : st.resources) resources.push_back(r.value);
      std::string message;
      std::string fix;
      if (expanded.size() == 1) {
        const catalog::Action& action = *expanded.front();
        if (action.resource_types.empty()) {
          message = action.full_name() + " takes Resource \"*\" only (RS6); the statement names " + join(resources);
          fix = "Give " + action.full_name() + " a statement with \"Resource\": \"*\".";
        } else {
          std::vector<std::string> forms;
          for (const auto* type : catalog::plainest_first(action))
            forms.push_back(std::string(type->name) + " (" + join({type->formats.begin(), type->formats.end()}) + ")");
          message = action.full_name() + " applies to " + join(forms, " or ") +
                    ", and none of the statement's resources is one: " + join(resources);
          fix = "Add the ARN form " + action.full_name() + " applies to, for example " +
                std::string(catalog::plainest_first(action).front()->formats.front()) + ".";
        }
      } else {
        message = "none of the " + std::to_string(expanded.size()) + " actions " + in_quotes(a.value) +
                  " covers applies to the statement's resources: " + join(resources);
      }
      add("policy.resource-type-mismatch", a.pointer, message, fix, a.value);
    }
  }

  // Allow "*" or SERVICE:*, in the policies that grant to workloads.
  void broad_action(const StatementAst& st) {
    if (st.not_action) return;
    if (ctx_.kind != PolicyKind::Identity && ctx_.kind != PolicyKind::Resource) return;
    for (const auto& a : st.actions) {
      const auto colon = a.value.find(':');
      const bool everything = a.value == "*" || a.value == "*:*";
      const bool whole_service =
          colon != std::string::npos && a.value.substr(colon + 1) == "*" && !has_wildcard(a.value.substr(0, colon));
      if (!everything && !whole_service) continue;
      const auto expanded = catalog_.expand(a.value);
      std::size_t writes = 0, permissions = 0;
      for (const auto* x : expanded) {
        writes += x->has_level(catalog::AccessLevel::Write);
        permissions += x->has_level(catalog::AccessLevel::PermissionsManagement);
      }
      std::string message =
          in_quotes(a.value) + " allows " +
          (everything ? "every action of every service" : "every action of " + a.value.substr(0, colon)) + ": " +
          std::to_string(expanded.size()) + " actions, " + std::to_string(writes) + " of them writes and " +
          std::to_string(permissions) + " permissions management";
      std::vector<std::string> used;
      bool only_reads = true;
      for (const auto& u : ctx_.used_actions)
        if (covers(a.value, u)) {
          used.push_back(u);
          const auto* known = catalog_.find_action(u);
          if (!known || !(known->has_level(catalog::AccessLevel::Read) || known->has_level(catalog::AccessLevel::List)))
            only_reads = false;
        }
      std::string fix = "List the actions the principal needs";
      if (!used.empty()) {
        fix += ": the scenario's allow expectations use " + join(used);
        if (only_reads) message += "; the scenario's expectations use only reads";
      }
      add("policy.broad-action", a.pointer, message, fix + ".", a.value);
    }
  }

  void pass_role(const StatementAst& st) {
    if (st.not_action || ctx_.kind != PolicyKind::Identity) return;
    bool passes = false;
    for (const auto& a : st.actions) {
      const auto colon = a.value.find(':');
      if (colon != std::string::npos && icase_equal(a.value.substr(0, colon), "iam") && covers(a.value, "iam:PassRole"))
        passes = true;
    }
    if (!passes) return;
    const syntax::Located* any = nullptr;
    if (!st.has_resource || st.not_resource) return;
    for (const auto& r : st.resources) {
      if (r.value == "*") any = &r;
      const auto arn = syntax::split_arn(r.value);
      if (arn && (arn->service == "iam" || arn->service == "*") &&
          (arn->resource == "*" || arn->resource == "role/*" || arn->resource == "role*"))
        any = &r;
    }
    if (!any) return;
    add("policy.passrole-any-role", any->pointer,
        "iam:PassRole on " + in_quotes(any->value) +
            " lets the principal hand any role to a service, and so act "
            "with that role's permissions");
  }

  // B5: Allow to everyone, not pinned by a condition.
  void public_grant(const StatementAst& st) {
    if (ctx_.kind != PolicyKind::Resource && ctx_.kind != PolicyKind::KmsKey && ctx_.kind != PolicyKind::RoleTrust)
      return;
    if (!st.principal.present || st.principal.negated) return;
    const syntax::PrincipalEntry* open = nullptr;
    for (const auto& e : st.principal.entries) {
      if (e.type == "AWS" && e.value.value == "*") open = &e;
      if (ctx_.kind == PolicyKind::Resource && e.type == "Federated" &&
          e.value.value.find(":oidc-provider/") == std::string::npos &&
          e.value.value.find(":saml-provider/") == std::string::npos)
        open = &e;
    }
    if (!open || !compiled_) return;  // a policy with errors has its finding already
    // B5's own test (model/paths/s3_public.hpp), with the key policy's caller account; lint
    // does not know whether a bucket policy is an access point's, so takes the strict rule.
    for (const auto& cst : compiled_->statements)
      if (cst.index == st.index)
        for (const auto& c : cst.conditions)
          if (model::pins_caller(c, {.access_point = true, .kms_caller_account = true})) return;
    const std::string what = ctx_.kind == PolicyKind::RoleTrust ? "anyone can assume the role"
                             : ctx_.kind == PolicyKind::KmsKey  ? "anyone may use the key"
                                                                : "the resource is public (B5)";
    add("policy.public-resource-policy", open->value.pointer,
        "the statement allows " +
            (open->value.value == "*" ? std::string("every principal (\"*\")") : in_quotes(open->value.value)) +
            " with no condition that pins the caller to fixed values: " + what);
  }

  // T1, T11: a whole foreign account may assume the role, with no external id or org check.
  void foreign_trust(const StatementAst& st) {
    if (ctx_.kind != PolicyKind::RoleTrust || ctx_.owner_account.empty()) return;
    if (!st.principal.present || st.principal.negated) return;
    bool assume = false;
    for (const auto& a : st.actions) assume |= covers(a.value, "sts:AssumeRole");
    if (!assume || st.not_action) return;
    for (const auto& c : st.conditions) {
      const std::string key = ascii_lowered(c.key);
      if (key == "sts:externalid" || key == "aws:principalorgid" || key == "aws:principalorgpaths" ||
          key == "aws:principalarn")
        return;
    }
    for (const auto& e : st.principal.entries) {
      if (e.type != "AWS") continue;
      std::string account;
      const std::string& v = e.value.value;
      if (syntax::is_account_id(v)) account = v;
      if (const auto arn = syntax::split_arn(v))
        if (const auto who = syntax::principal_arn(*arn); who && who->kind == syntax::PrincipalArnKind::Root)
          account = std::string(arn->account);
      if (account.empty() || account == ctx_.owner_account) continue;
      add("policy.trust-foreign-account", e.value.pointer,
          "every principal that account " + account + " allows may assume this role of account " + ctx_.owner_account +
              ": the trust names the whole account and requires neither sts:ExternalId nor "
              "aws:PrincipalOrgID",
          {}, account);
    }
  }

  void condition(const ConditionAst& c) {
    const Operator op = split_operator(c.op);
    const Family family = family_of(op.base);
    const catalog::ConditionKey* key = catalog_.find_condition_key(c.key);
    if (!key) {
      std::string fix;
      const std::string close = catalog_.closest_condition_key(c.key);
      if (!close.empty()) fix = "Did you mean " + in_quotes(close) + "? ";
      add("policy.unknown-condition-key", c.pointer,
          "unknown condition key " + in_quotes(c.key) + ": no AWS service or global key has it (" + catalog_.source() +
              ")",
          fix + "Use the key's exact name.", c.key);
    } else {
      if (!fits(family, *key))
        add("policy.operator-type-mismatch", c.pointer,
            std::string(op.base) + " on " + c.key + ", whose values are of type " +
                std::string(catalog::to_string(key->type)) + ": the comparison never matches as intended",
            "Use " + std::string(operator_for(key->type)) + " for " + c.key + ".", c.key);
      if (!op.qualifier.empty() && key->global && !key->multivalued)
        add("policy.set-operator-single-valued", c.pointer,
            std::string(op.qualifier) + ": on " + c.key + ", which has a single value" +
                (op.qualifier == "ForAllValues" ? ": it also holds when the request lacks the key (C14)" : " (C14)"),
            "Write " + std::string(op.base) + (op.if_exists ? "IfExists" : "") + " without " +
                std::string(op.qualifier) + ":.",
            c.key);
    }
    const bool equals = op.base == "StringEquals" || op.base == "StringNotEquals" ||
                        op.base == "StringEqualsIgnoreCase" || op.base == "StringNotEqualsIgnoreCase" ||
                        op.base == "ArnEquals" || op.base == "ArnNotEquals";
    if (equals)
      for (const auto& v : c.values)
        if (v.value.find('*') != std::string::npos && v.value.find("${") == std::string::npos) {
          const std::string like = family == Family::Arn ? "ArnLike" : "StringLike";
          add("policy.wildcard-without-like", v.pointer,
              std::string(op.base) + " compares " + in_quotes(v.value) + " literally: '*' is a wildcard only with " +
                  like,
              "Use " + like +
                  (op.base.find("Not") != std::string_view::npos
                       ? " (negated: " + std::string(family == Family::Arn ? "ArnNotLike" : "StringNotLike") + ")"
                       : "") +
                  ", or remove the '*'.",
              c.key);
          break;
        }
  }

  const syntax::PolicyAst& ast_;
  const compile::CompiledPolicy* compiled_;
  const PolicyContext& ctx_;
  std::vector<Finding>& out_;
  const Catalog& catalog_;
};

// A diagnostic of the parser or compiler as a finding of its own rule, or of the general
// policy.invalid / policy.warning.
Finding from_diagnostic(const Diagnostic& d, const PolicyContext& ctx) {
  Finding f;
  const Rule* rule = d.severity == Severity::Error ? find_rule("policy.invalid") : find_rule(d.code);
  if (!rule || rule->id.starts_with("world.") || rule->id.starts_with("expectation."))
    rule = find_rule(d.severity == Severity::Error ? "policy.invalid" : "policy.warning");
  f.rule = std::string(rule->id);
  f.level = rule->level;
  f.where.pointer = d.where.pointer;
  f.message = d.message;
  if (rule->id == "policy.invalid" || rule->id == "policy.warning") f.message += " [" + d.code + "]";
  f.fix = std::string(rule->fix);
  f.resource = ctx.owner_arn;
  f.subject = d.code;
  return f;
}

}  // namespace

std::vector<Finding> check_policy(std::string_view text, const PolicyContext& context, const Semantics& semantics) {
  std::vector<Finding> out;
  Diagnostics diagnostics;
  auto ast = syntax::parse_policy_text(text, context.kind, semantics, SourceLocation{}, diagnostics);
  std::shared_ptr<const compile::CompiledPolicy> compiled;
  if (ast) {
    compile::check_policy_size(context.kind, ast->text_size, ast->non_whitespace_chars, SourceLocation{}, diagnostics);
    compiled = compile::compile_policy(*ast, semantics, SourceLocation{}, diagnostics);
  }
  for (const auto& d : diagnostics.items()) out.push_back(from_diagnostic(d, context));
  if (!ast) return out;
  PolicyChecker checker(*ast, compiled.get(), context, out);
  checker.run();
  // A policy variable under the old language says more than "no Version".
  if (checker.version_variables_found)
    std::erase_if(out, [](const Finding& f) { return f.rule == "policy.no-version"; });
  return out;
}

syntax::PolicyKind guess_policy_kind(std::string_view text) {
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_object() || !doc.contains("Statement")) return PolicyKind::Identity;
  auto statements = doc["Statement"];
  if (statements.is_object()) statements = nlohmann::json::array({statements});
  if (!statements.is_array()) return PolicyKind::Identity;
  bool principal = false, assume = false, only_kms = true;
  for (const auto& st : statements) {
    if (!st.is_object()) continue;
    if (st.contains("Principal") || st.contains("NotPrincipal")) principal = true;
    auto actions = st.contains("Action") ? st["Action"] : nlohmann::json();
    if (actions.is_string()) actions = nlohmann::json::array({actions});
    if (!actions.is_array() || actions.empty()) only_kms = false;
    for (const auto& a : actions) {
      if (!a.is_string()) continue;
      const std::string lower = ascii_lowered(a.get<std::string>());
      if (lower.starts_with("sts:assumerole")) assume = true;
      if (!lower.starts_with("kms:")) only_kms = false;
    }
  }
  if (!principal) return PolicyKind::Identity;
  if (assume) return PolicyKind::RoleTrust;
  if (only_kms) return PolicyKind::KmsKey;
  return PolicyKind::Resource;
}

}  // namespace iamsim::lint
