// Stage: lint. Running every check over the inputs.
#include "lint/lint.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "engine/compile/pattern.hpp"
#include "lint/policy_checks.hpp"
#include "lint/rules.hpp"
#include "lint/source_map.hpp"
#include "lint/world_checks.hpp"
#include "model/paths/compiled_world.hpp"

namespace iamsim::lint {
namespace {

using syntax::PolicyKind;

// One policy document of a world, with where it is used.
struct WorldDocument {
  const model::PolicyDocument* document;
  PolicyContext context;
};

std::vector<WorldDocument> documents_of(const model::World& w) {
  std::vector<WorldDocument> out;
  auto add = [&](const model::PolicyDocument& d, PolicyKind kind, std::string owner, std::string account) {
    if (d.builtin) return;
    PolicyContext ctx;
    ctx.kind = kind;
    ctx.owner_arn = std::move(owner);
    ctx.owner_account = std::move(account);
    out.push_back({&d, std::move(ctx)});
  };
  if (w.organization)
    for (const auto& u : w.organization->units) {
      for (const auto& d : u.scps) add(d, PolicyKind::Scp, u.id, "");
      for (const auto& d : u.rcps) add(d, PolicyKind::Rcp, u.id, "");
    }
  for (const auto& a : w.accounts) {
    for (const auto& d : a.scps) add(d, PolicyKind::Scp, a.id, a.id);
    for (const auto& d : a.rcps) add(d, PolicyKind::Rcp, a.id, a.id);
    for (const auto& u : a.users) {
      for (const auto& d : u.policies) add(d, PolicyKind::Identity, u.arn, a.id);
      if (u.boundary) add(*u.boundary, PolicyKind::Boundary, u.arn, a.id);
    }
    for (const auto& g : a.groups)
      for (const auto& d : g.policies) add(d, PolicyKind::Identity, g.arn, a.id);
    for (const auto& r : a.roles) {
      add(r.trust, PolicyKind::RoleTrust, r.arn, a.id);
      for (const auto& d : r.policies) add(d, PolicyKind::Identity, r.arn, a.id);
      if (r.boundary) add(*r.boundary, PolicyKind::Boundary, r.arn, a.id);
    }
    for (const auto& b : a.buckets)
      if (b.policy) add(*b.policy, PolicyKind::Resource, b.arn, a.id);
    for (const auto& k : a.kms_keys) add(k.policy, PolicyKind::KmsKey, k.arn, a.id);
    for (const auto& e : a.vpc_endpoints) add(e.policy, PolicyKind::VpcEndpoint, e.id, a.id);
  }
  return out;
}

std::vector<std::string> used_actions(const model::World& w) {
  std::set<std::string> out;
  for (const auto& e : w.expectations)
    if (!e.claim && e.expect == model::Expect::Allow) out.insert(e.action);
  return {out.begin(), out.end()};
}

bool glob(std::string_view pattern, std::string_view text) {
  return compile::Pattern::from_text(pattern, true, true, false).match(text, false, nullptr) ==
         compile::MatchResult::Match;
}

// Findings are the same when they are of one rule about the same place and thing: a policy
// file, or a world's path, seen through several scenarios. The first is kept, and names the
// other worlds.
auto identity(const Finding& f) {
  return std::tie(f.where.file, f.where.line, f.where.column, f.where.pointer, f.rule, f.resource, f.subject);
}

}  // namespace

bool Suppression::matches(const Finding& f) const {
  if (rule != f.rule) return false;
  return resource.empty() || glob(resource, f.resource);
}

std::optional<Suppression> parse_suppression(std::string_view text, std::string& error) {
  Suppression s;
  const auto at = text.find('@');
  s.rule = std::string(text.substr(0, at));
  if (at != std::string_view::npos) s.resource = std::string(text.substr(at + 1));
  if (!find_rule(s.rule)) {
    error = "unknown finding id '" + s.rule + "' (docs/lint.md lists them)";
    return std::nullopt;
  }
  s.where.file = "--ignore";
  return s;
}

std::size_t LintReport::count(Level level) const {
  return static_cast<std::size_t>(
      std::count_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.level == level; }));
}

LintReport run_lint(const LintInputs& inputs, std::vector<Suppression> ignores, const Semantics& semantics) {
  LintReport report;
  report.problems.append(inputs.diagnostics);
  SourceMap sources;
  std::vector<Finding> all;
  for (const auto& load : inputs.worlds) {
    report.problems.append(load.diagnostics);
    ++report.files;
    if (!load.ok()) continue;
    const model::World& w = *load.world;
    std::vector<Finding> found;
    // Each document once, however many owners share it.
    std::set<std::tuple<std::string, int, int, PolicyKind>> seen;
    const auto used = used_actions(w);
    for (auto& [doc, ctx] : documents_of(w)) {
      if (!seen.insert({doc->origin.file, doc->origin.line, doc->origin.column, ctx.kind}).second) continue;
      ctx.used_actions = used;
      for (auto& f : check_policy(doc->json_text, ctx, semantics)) {
        f.where = sources.locate(*doc, f.where.pointer);
        found.push_back(std::move(f));
      }
    }
    for (auto& f : check_expectations(w)) found.push_back(std::move(f));
    Diagnostics compile_problems;
    auto compiled = model::CompiledWorld::compile(load.world, semantics, compile_problems);
    if (compiled) {
      const model::AccessResolver resolver(compiled);
      for (auto& f : check_world(resolver, sources)) found.push_back(std::move(f));
      report.worlds.push_back(compiled);
    } else {
      report.notes.push_back(w.scenario_file +
                             ": the paths of this world were not checked: some of its policies are invalid (see the "
                             "policy.invalid findings)");
    }
    // The scenario's own suppressions apply to what its world shows.
    std::vector<Suppression> local;
    for (const auto& ignore : w.lint_ignores) {
      if (!find_rule(ignore.rule)) {
        report.problems.error(
            "lint.unknown-finding-id", ignore.where,
            "lint ignore names an unknown finding id '" + ignore.rule + "' (docs/lint.md lists them)");
        continue;
      }
      local.push_back({ignore.rule, ignore.resource, ignore.reason, ignore.where, 0});
    }
    for (auto& f : found) {
      auto s = std::find_if(local.begin(), local.end(), [&](const Suppression& s) { return s.matches(f); });
      if (s != local.end()) {
        ++s->matched;
        report.suppressed.push_back(std::move(f));
      } else {
        all.push_back(std::move(f));
      }
    }
    for (auto& s : local) report.suppressions.push_back(std::move(s));
  }
  for (const auto& p : inputs.policies) {
    ++report.files;
    PolicyContext ctx;
    ctx.kind = p.kind;
    for (auto& f : check_policy(p.text, ctx, semantics)) {
      const std::string pointer = f.where.pointer;
      f.where = {p.path, pointer, 0, 0};
      if (auto at = locate_json_pointer(p.text, pointer)) {
        f.where.line = at->line;
        f.where.column = at->column;
      }
      all.push_back(std::move(f));
    }
  }
  // One finding per place and message.
  std::stable_sort(all.begin(), all.end(),
                   [](const Finding& a, const Finding& b) { return identity(a) < identity(b); });
  std::vector<Finding> merged;
  for (auto& f : all) {
    if (!merged.empty() && identity(merged.back()) == identity(f)) {
      if (!f.world.empty() && merged.back().world.find(f.world) == std::string::npos)
        merged.back().world += ", " + f.world;
      continue;
    }
    merged.push_back(std::move(f));
  }
  for (auto& f : merged) {
    auto s = std::find_if(ignores.begin(), ignores.end(), [&](const Suppression& s) { return s.matches(f); });
    if (s != ignores.end()) {
      ++s->matched;
      report.suppressed.push_back(std::move(f));
    } else {
      report.findings.push_back(std::move(f));
    }
  }
  for (auto& s : ignores) report.suppressions.push_back(std::move(s));
  return report;
}

}  // namespace iamsim::lint
