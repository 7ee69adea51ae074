// Stage: report. Access paths as text and JSON.
#include "sim-cli/render/access_render.hpp"

#include <algorithm>

#include "sim-cli/render/decision_render.hpp"
#include "sim-cli/render/json_writer.hpp"

namespace iamsim::cli {
namespace {

using eval::Layer;

// "FILE statement "Sid"" for a policy file, "NAME statement #0 (FILE POINTER)" for a named
// or inline one, "FullAWSAccess statement #0" for a built-in.
std::string statement_words(const RenderedStatement& s) {
  const std::string which = " statement " + (s.sid.empty() ? "#" + std::to_string(s.index) : "\"" + s.sid + "\"");
  const bool builtin = s.file.rfind("builtin:", 0) == 0;
  if (s.file.empty() || builtin) return s.policy + which;
  if (s.file.size() >= s.policy.size() &&
      s.file.compare(s.file.size() - s.policy.size(), s.policy.size(), s.policy) == 0)
    return s.file + which;
  return s.policy + which + " (" + s.file + (s.pointer.empty() ? "" : " " + s.pointer) + ")";
}

// "scp", "identity", or for the resource layer the kind of policy: "role trust policy".
std::string layer_words(const eval::StatementRef& ref) {
  if (ref.layer == Layer::Resource && ref.policy && ref.policy->policy)
    return std::string(syntax::to_string(ref.policy->policy->kind));
  return std::string(eval::to_string(ref.layer));
}

std::string level_name(const eval::PolicySet& ps, const eval::StatementRef& ref) {
  const auto& names = ref.layer == Layer::Scp ? ps.scp_level_names : ps.rcp_level_names;
  if (ref.level < 0) return "";
  if (static_cast<std::size_t>(ref.level) < names.size()) return " at " + names[static_cast<std::size_t>(ref.level)];
  return " at level " + std::to_string(ref.level);
}

// Why one evaluated hop was denied, in one phrase.
std::string deny_phrase(const model::EvaluatedRequest& e) {
  const auto& d = e.decision;
  if (d.outcome == eval::Outcome::ExplicitDeny) {
    std::string out = "explicitly denied by ";
    bool first = true;
    for (const auto& ref : d.determining) {
      if (!first) out += ", ";
      first = false;
      out += layer_words(ref) + " " + statement_words(describe_statement(ref)) + level_name(e.policies, ref);
    }
    return out;
  }
  std::string out = "implicitly denied: ";
  bool first = true;
  for (auto why : d.reasons) {
    if (!first) out += "; ";
    first = false;
    // Which resource policy had to grant, and why, in the words of its kind.
    if (why == eval::DenyReason::NoResourceGrant) {
      switch (e.request.policy_kind()) {
        case eval::ResourcePolicyKind::RoleTrust:
          out += "the role's trust policy does not allow this principal to " + e.request.action + " (T1, E6)";
          continue;
        case eval::ResourcePolicyKind::KmsKey:
          out += "the key policy neither grants this principal nor enables IAM policies for its account (KM1-KM3)";
          continue;
        case eval::ResourcePolicyKind::Ordinary:
          if (!e.request.principal.is_iam())
            out += "no resource policy statement grants this caller (E5)";
          else
            out += "the resource is in account " + e.request.resource_account +
                   " and no statement of its policy grants this principal, as a cross-account request needs (X1)";
          continue;
      }
    }
    out += eval::to_string(why);
    if (why == eval::DenyReason::ScpLevelWithoutAllow && d.scp_level_without_allow >= 0) {
      const auto& names = e.policies.scp_level_names;
      const auto lv = static_cast<std::size_t>(d.scp_level_without_allow);
      out += " [" + (lv < names.size() ? names[lv] : "level " + std::to_string(lv)) + "]";
    }
  }
  return out;
}

std::string hop_verdict(const model::Hop& h) {
  if (h.allowed()) return "allowed";
  if (!h.evaluated) return "denied: " + h.missing_link;
  return deny_phrase(*h.evaluated);
}

}  // namespace

std::string one_line_reason(const model::Access& access) {
  const model::Hop* hop = access.deciding_hop();
  if (!hop) return "allowed";
  std::size_t index = 0;
  while (&access.hops[index] != hop) ++index;
  return std::string(eval::to_string(access.outcome)) + " at hop " + std::to_string(index + 1) + " (" + hop->title +
         "): " + hop_verdict(*hop);
}

std::string allow_reasons(const model::Access& access) {
  std::string out;
  std::vector<std::string> seen;  // a trust statement serves both AssumeRole and TagSession
  for (const auto& h : access.hops) {
    if (!h.evaluated) continue;
    for (const auto& ref : h.evaluated->decision.determining) {
      if (ref.layer != Layer::Resource && ref.layer != Layer::Identity) continue;
      std::string words = layer_words(ref) + " " + statement_words(describe_statement(ref));
      if (std::find(seen.begin(), seen.end(), words) != seen.end()) continue;
      out += (out.empty() ? "" : "; ") + words;
      seen.push_back(std::move(words));
    }
  }
  return out.empty() ? "allowed" : "allowed by " + out;
}

std::string hop_reason(const model::Hop& hop) {
  if (!hop.allowed() || !hop.evaluated) return hop_verdict(hop);
  std::string out;
  for (const auto& ref : hop.evaluated->decision.determining) {
    if (ref.layer != Layer::Resource && ref.layer != Layer::Identity) continue;
    const std::string words = layer_words(ref) + " " + statement_words(describe_statement(ref));
    if (out.find(words) == std::string::npos) out += (out.empty() ? "" : "; ") + words;
  }
  return out.empty() ? "allowed" : "allowed by " + out;
}

std::string access_cause(const model::Access& access) {
  if (access.allowed()) return allow_reasons(access);
  const model::Hop* hop = access.deciding_hop();
  // A request hop's title names the action; its verdict does not.
  if (hop->kind == model::HopKind::Request) return "the request is " + hop_verdict(*hop);
  return hop->title + ": " + hop_verdict(*hop);
}

void render_access_text(std::string& out, const model::Access& access, bool layers, std::string_view indent) {
  const std::string ind(indent);
  for (std::size_t i = 0; i < access.hops.size(); ++i) {
    const auto& h = access.hops[i];
    out += ind + std::to_string(i + 1) + ". " + h.title + ": " + hop_verdict(h) + "\n";
    const std::string sub = ind + "     ";
    if (h.evaluated && h.allowed()) {
      for (const auto& ref : h.evaluated->decision.determining) {
        if (!layers && ref.layer != Layer::Resource && ref.layer != Layer::Identity) continue;
        out += sub + "allowed by " + layer_words(ref) + " " + statement_words(describe_statement(ref)) +
               level_name(h.evaluated->policies, ref) + "\n";
      }
    }
    if (h.evaluated && layers) {
      std::string line = sub + "layers:";
      for (Layer l : eval::all_layers) {
        const auto r = h.evaluated->decision.layer(l);
        if (r == eval::LayerResult::None) continue;
        line += " " + std::string(eval::to_string(l)) + "=" + std::string(eval::to_string(r));
      }
      out += line + "\n";
    }
    for (const auto& n : h.notes) out += sub + "note: " + n + "\n";
    if (h.evaluated)
      for (const auto& w : h.evaluated->decision.warnings) out += sub + "warning: " + w + "\n";
  }
}

void render_access_json(std::string& out, const model::Access& access) {
  JsonWriter w(out);
  w.begin_object();
  w.key("decision").value(eval::to_string(access.outcome));
  w.key("reason").value(one_line_reason(access));
  w.key("hops").begin_array();
  for (const auto& h : access.hops) {
    w.begin_object();
    w.key("kind").value(model::to_string(h.kind));
    w.key("title").value(h.title);
    w.key("decision").value(eval::to_string(h.outcome));
    if (!h.missing_link.empty()) w.key("missing_link").value(h.missing_link);
    w.key("notes").begin_array();
    for (const auto& n : h.notes) w.value(n);
    w.end_array();
    if (h.evaluated) {
      w.key("evaluation");
      std::string decision;
      render_decision_json(decision, std::nullopt, h.evaluated->decision, {});
      w.raw(decision);
    }
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

}  // namespace iamsim::cli
