// Stage: report. Access paths as text and JSON.
#include "sim-cli/render/access_render.hpp"

#include <algorithm>

#include "engine/assert.hpp"

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
  if (ref.layer == Layer::Resource && ref.policy) return std::string(syntax::to_string(ref.policy->kind));
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
  for (const auto& why : d.reasons) {
    if (!first) out += "; ";
    first = false;
    out += reason_text(why, e.request);
  }
  return out;
}

std::string note_text(const model::Note& note) {
  return note.message + " (" + std::string(model::code_id(note.code)) + ")";
}

std::string hop_verdict(const model::Hop& h) {
  if (h.allowed()) return "allowed";
  if (!h.evaluated) {
    IAMSIM_ASSERT(h.missing_link, "a denied hop with neither a decision nor a missing link");
    return "denied: " + note_text(*h.missing_link);
  }
  return deny_phrase(*h.evaluated);
}

void write_note(JsonWriter& w, const model::Note& note) {
  w.begin_object();
  w.key("code").value(model::code_id(note.code));
  w.key("message").value(note.message);
  w.end_object();
}

}  // namespace

// K9: "; allowed on node group a; denied on node group b", when the places differ.
std::string placement_words(const model::Access& access) {
  std::string allowed, denied;
  for (const auto& [where, outcome] : access.placements) {
    std::string& list = outcome == eval::Outcome::Allow ? allowed : denied;
    list += (list.empty() ? "" : ", ") + where;
  }
  if (allowed.empty() || denied.empty()) return "";
  return " (depends on where the pod runs: allowed on " + allowed + "; denied on " + denied + ")";
}

std::string one_line_reason(const model::Access& access) {
  const model::Hop* hop = access.deciding_hop();
  if (!hop) return "allowed" + placement_words(access);
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

std::vector<std::pair<std::size_t, std::string_view>> missing_context_keys(const model::Access& access) {
  std::vector<std::pair<std::size_t, std::string_view>> out;
  for (std::size_t i = 0; i < access.hops.size(); ++i)
    if (const auto& e = access.hops[i].evaluated)
      for (std::string_view key : e->decision.missing_context_keys) out.emplace_back(i, key);
  return out;
}

void render_missing_keys_text(std::string& out, const model::Access& access, std::string_view indent) {
  std::vector<std::string_view> seen;
  for (const auto& [hop, key] : missing_context_keys(access)) {
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    out += indent;
    out += missing_key_text(key);
    out += '\n';
  }
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
    for (const auto& n : h.notes) out += sub + "note: " + note_text(n) + "\n";
    if (h.evaluated) {
      for (const auto& w : h.evaluated->decision.warnings) out += sub + "warning: " + warning_text(w) + "\n";
      for (std::string_view key : h.evaluated->decision.missing_context_keys) out += sub + missing_key_text(key) + "\n";
    }
  }
}

void render_access_json(std::string& out, const model::Access& access) {
  JsonWriter w(out);
  w.begin_object();
  w.key("decision").value(eval::to_string(access.outcome));
  w.key("reason").value(one_line_reason(access));
  if (!access.placements.empty()) {
    w.key("placements").begin_array();
    for (const auto& [where, outcome] : access.placements) {
      w.begin_object();
      w.key("where").value(where);
      w.key("decision").value(eval::to_string(outcome));
      w.end_object();
    }
    w.end_array();
  }
  w.key("hops").begin_array();
  for (const auto& h : access.hops) {
    w.begin_object();
    w.key("kind").value(model::to_string(h.kind));
    w.key("title").value(h.title);
    w.key("decision").value(eval::to_string(h.outcome));
    if (h.missing_link) {
      w.key("missing_link");
      write_note(w, *h.missing_link);
    }
    w.key("notes").begin_array();
    for (const auto& n : h.notes) write_note(w, n);
    w.end_array();
    if (h.evaluated) {
      w.key("evaluation");
      std::string decision;
      render_decision_json(decision, std::nullopt, h.evaluated->request, h.evaluated->decision, {});
      w.raw(decision);
    }
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

}  // namespace iamsim::cli
