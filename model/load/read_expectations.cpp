// Stage: model (load), reading. The world's defaults and its expectations, long (a
// mapping) or short (one line); what they name is looked up by the bind pass.
#include "engine/syntax/values.hpp"
#include "model/load/aws_names.hpp"
#include "model/load/scenario_reader.hpp"

namespace iamsim::model::load {
namespace {

Context read_context(FieldReader& in, const YamlNode& n, std::string_view what) {
  Context out;
  if (!n.present() || !in.is_map(n, what)) return out;
  for (const auto& [key_node, value_node] : n.entries()) {
    const YamlNode& value = *value_node;
    auto key = in.text(*key_node, "a context key");
    if (!key) continue;
    ContextValue v;
    if (value.is_scalar()) {
      v.values.push_back(value.scalar());
    } else if (value.is_sequence()) {
      v.multi_valued = true;
      for (const YamlNode& item : value.items())
        if (auto s = in.text(item, "a value of " + *key)) v.values.push_back(*s);
    } else {
      in.wrong_type(value, "context value " + *key, "a string, number, boolean or list");
      continue;
    }
    out[*key] = std::move(v);
  }
  return out;
}

template <class T>
std::optional<T> parsed(FieldReader& in, const ParseResult<T>& r, const YamlNode& n, std::string code,
                        std::string_view what) {
  if (r) return r.value;
  in.diagnostics().error(std::move(code), in.inside(n, r.error.column), std::string(what) + ": " + r.error.display);
  return std::nullopt;
}

// One hop of the long form `chain:` (T13): {role, external_id, session_name,
// source_identity, tags, transitive_tags, session_policy}.
std::optional<ChainHop> read_chain_hop(ScenarioReader& r, const YamlNode& n) {
  FieldReader& in = r.in;
  if (!in.is_map(n, "a chain hop")) return std::nullopt;
  Fields f(in, n, "a chain hop",
           {"role", "external_id", "session_name", "source_identity", "tags", "transitive_tags", "session_policy"});
  if (!in.require(f, n, "role", "a chain hop")) return std::nullopt;
  auto role = in.text(f["role"], "role");
  if (!role) return std::nullopt;
  auto parsed = parse_principal_ref(*role);
  if (!parsed || parsed.value->arn_kind != syntax::PrincipalArnKind::Role || !parsed.value->chain.empty()) {
    in.error("scenario.bad-arn", f["role"], "a chain hop's role must be a role ARN, found '" + *role + "'");
    return std::nullopt;
  }
  ChainHop hop(*role);
  if (f.has("external_id")) hop.external_id = in.text(f["external_id"], "external_id");
  if (f.has("session_name")) hop.session_name = in.text(f["session_name"], "session_name");
  if (f.has("source_identity")) hop.source_identity = in.text(f["source_identity"], "source_identity");
  if (f.has("tags") && in.is_map(f["tags"], "tags"))
    for (const auto& [key_node, value_node] : f["tags"].entries()) {
      auto key = in.text(*key_node, "a tag key");
      auto value = in.text(*value_node, "a tag value");
      if (key && value) hop.tags[*key] = *value;
    }
  if (f.has("transitive_tags"))
    for (const auto& item : in.list(f["transitive_tags"], "transitive_tags"))
      if (auto key = in.text(item, "a transitive tag key")) hop.transitive.push_back(*key);
  if (f.has("session_policy"))
    if (auto policy = read_policy(r, f["session_policy"], "session_policy")) {
      hop.session_policy = r.world.session_policies.size();
      r.world.session_policies.push_back(std::move(*policy));
    }
  return hop;
}

}  // namespace

void read_defaults(ScenarioReader& r, const YamlNode& n) {
  FieldReader& in = r.in;
  if (!in.is_map(n, "defaults")) return;
  Fields f(in, n, "defaults", {"current_time", "secure_transport", "context"});
  WorldDefaults& defaults = r.world.defaults;
  if (f.has("current_time"))
    if (auto t = in.text(f["current_time"], "current_time")) {
      // One reading of time for the loader and the engine: the instant parser of conditions
      // (C9), held to the date-and-time form, since aws:CurrentTime is one.
      if (t->find_first_of("Tt") == std::string::npos || !syntax::parse_instant(*t))
        in.error("scenario.bad-value", f["current_time"],
                 "current_time must be ISO 8601 like 2024-06-01T12:00:00Z, found '" + *t + "'");
      else
        defaults.current_time = *t;
    }
  if (f.has("secure_transport"))
    if (auto b = in.boolean(f["secure_transport"], "secure_transport")) defaults.secure_transport = *b;
  defaults.context = read_context(in, f["context"], "context");
}

// A one-line expectation that is a claim (docs/claims.md): it starts with its kind.
bool is_claim_text(std::string_view text) {
  const auto start = text.find_first_not_of(" \t");
  if (start == std::string_view::npos) return false;
  text.remove_prefix(start);
  return text.starts_with("never ") || text.starts_with("only ") || text.starts_with("no_public_access ") ||
         text.starts_with("no_new_access ");
}

void read_expectation(ScenarioReader& r, const YamlNode& n, std::size_t index) {
  FieldReader& in = r.in;
  Expectation e;
  e.where = in.at(n);
  if (n.is_scalar() && is_claim_text(n.scalar())) {
    e.claim = ClaimExpectation{n.scalar(), false};
    e.name = n.scalar();
    r.unbound.expectations.push_back({e.where, e.where});
    r.world.expectations.push_back(std::move(e));
    return;
  }
  if (n.is_map() && (n["claim"].defined() || n["no_new_access"].defined())) {
    Fields f(in, n, "a claim", {"name", "description", "claim", "no_new_access", "expect"});
    if (f.has("claim") == f.has("no_new_access")) {
      in.error("scenario.bad-claim", n, "a claim gives either `claim: TEXT` or `no_new_access: {old:, new:}`");
      return;
    }
    // no_new_access: {old: PATH, new: PATH, action:, resource:} is the claim
    // `no_new_access OLD NEW [ACTION RESOURCE]`.
    std::optional<std::string> text;
    const YamlNode& claim_node = f.has("claim") ? f["claim"] : f["no_new_access"];
    if (f.has("claim")) {
      text = in.text(f["claim"], "claim");
    } else if (!claim_node.is_map()) {
      in.wrong_type(claim_node, "no_new_access", "{old: PATH, new: PATH}");
      return;
    } else {
      Fields g(in, claim_node, "no_new_access", {"old", "new", "action", "resource"});
      std::string words = "no_new_access";
      for (const char* field : {"old", "new", "action", "resource"}) {
        if (!g.has(field)) {
          if (std::string_view(field) == "old" || std::string_view(field) == "new") {
            in.error("scenario.bad-claim", claim_node, std::string("no_new_access needs `") + field + ":`");
            return;
          }
          continue;
        }
        auto value = in.text(g[field], field);
        if (!value) return;
        if (value->empty() || value->find_first_of(" \t") != std::string::npos) {
          in.error("scenario.bad-claim", g[field], std::string("`") + field + ":` is one word, without spaces");
          return;
        }
        words += " " + *value;
      }
      if (g.has("action") != g.has("resource")) {
        in.error("scenario.bad-claim", claim_node, "no_new_access gives `action:` and `resource:` together");
        return;
      }
      text = words;
    }
    if (!text) return;
    e.claim = ClaimExpectation{*text, false};
    e.name = *text;
    if (f.has("expect"))
      if (auto expect = in.text(f["expect"], "expect")) {
        if (*expect == "refuted") {
          e.claim->expect_refuted = true;
        } else if (*expect != "holds") {
          in.error("scenario.bad-expect", f["expect"],
                   "a claim's expect is `holds` or `refuted`, not '" + *expect + "'");
          return;
        }
      }
    if (f.has("name"))
      if (auto name = in.text(f["name"], "name")) e.name = *name;
    if (f.has("description"))
      if (auto d = in.text(f["description"], "description")) e.description = *d;
    e.where = in.at(claim_node);
    r.unbound.expectations.push_back({e.where, e.where});
    r.world.expectations.push_back(std::move(e));
    return;
  }
  if (n.is_scalar()) {
    auto line = parsed(in, parse_expectation_line(n.scalar()), n, "scenario.bad-expectation",
                       "this expectation does not parse");
    if (!line) return;
    e.expect = line->expect;
    e.principal = std::move(line->principal);
    e.action = std::move(line->action);
    e.resource_arn = std::move(line->resource_arn);
    e.name = n.scalar();
    // The principal follows the first word; the resource is the last one.
    const std::string& t = n.scalar();
    auto word_end = t.find_first_of(" \t", t.find_first_not_of(" \t"));
    auto principal_col = static_cast<int>(t.find_first_not_of(" \t", word_end)) + 1;
    auto resource_col = static_cast<int>(t.find_last_of(" \t", t.find_last_not_of(" \t"))) + 2;
    r.unbound.expectations.push_back({in.inside(n, principal_col), in.inside(n, resource_col)});
    r.world.expectations.push_back(std::move(e));
    return;
  }
  if (!n.is_map()) {
    in.wrong_type(n, "expectation " + std::to_string(index + 1), "a mapping or a one-line string");
    return;
  }
  Fields f(in, n, "an expectation",
           {"name", "description", "principal", "chain", "action", "resource", "expect", "context"});
  bool complete = true;
  for (auto key : {"principal", "action", "resource", "expect"})
    complete = in.require(f, n, key, "an expectation") && complete;
  if (!complete) return;
  auto principal_text = in.text(f["principal"], "principal");
  auto action_text = in.text(f["action"], "action");
  auto resource_text = in.text(f["resource"], "resource");
  auto expect_text = in.text(f["expect"], "expect");
  if (!principal_text || !action_text || !resource_text || !expect_text) return;
  auto principal =
      parsed(in, parse_principal_ref(*principal_text), f["principal"], "scenario.bad-principal", "bad principal");
  auto action = parsed(in, parse_action(*action_text), f["action"], "scenario.bad-action", "bad action");
  auto resource = parsed(in, parse_resource(*resource_text), f["resource"], "scenario.bad-resource", "bad resource");
  auto expect = parsed(in, parse_expect(*expect_text), f["expect"], "scenario.bad-expect", "bad expect");
  e.context = read_context(in, f["context"], "context");
  if (!principal || !action || !resource || !expect) return;
  e.principal = std::move(*principal);
  if (f.has("chain"))
    for (const auto& hop : in.list(f["chain"], "chain"))
      if (auto h = read_chain_hop(r, hop)) e.principal.chain.push_back(std::move(*h));
  e.action = std::move(*action);
  e.resource_arn = std::move(*resource);
  e.expect = *expect;
  if (f.has("description"))
    if (auto d = in.text(f["description"], "description")) e.description = *d;
  e.name = to_string(ExpectationLine{e.expect, e.principal, e.action, e.resource_arn});
  if (f.has("name"))
    if (auto name = in.text(f["name"], "name")) e.name = *name;
  r.unbound.expectations.push_back({in.at(f["principal"]), in.at(f["resource"])});
  r.world.expectations.push_back(std::move(e));
}

}  // namespace iamsim::model::load
