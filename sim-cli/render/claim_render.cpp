// Stage: report. A claim's verdict as text and JSON (docs/claims.md).
#include "sim-cli/render/claim_render.hpp"

#include "engine/eval/explain.hpp"
#include "sim-cli/render/json_writer.hpp"

namespace iamsim::cli {

std::string_view verdict_word(prove::ClaimResult::Verdict v) {
  switch (v) {
    case prove::ClaimResult::Verdict::Holds: return "holds";
    case prove::ClaimResult::Verdict::Refuted: return "refuted";
    case prove::ClaimResult::Verdict::Unknown: return "unknown";
  }
  return "unknown";
}

// The request as `iamsim can` arguments: the principal, action, resource and the context
// keys the claim chose (the world, the caller and the resource give the others).
std::string claim_can_line(const std::string& world, const prove::ClaimResult& r) {
  std::string out = "iamsim can " + (r.witness_world.empty() ? world : r.witness_world) + " '" + r.witness_principal +
                    "' " + r.witness->action + " " + r.witness->resource;
  for (const auto& [key, value] : r.witness_context) {
    std::string text;
    for (std::size_t i = 0; i < value.values.size(); ++i) text += (i ? "," : "") + value.values[i];
    if (value.multi_valued) text = "[" + text + "]";
    out += " --context '" + key + "=" + text + "'";
  }
  return out;
}

void render_claim_text(std::string& out, const std::string& world, const std::string& claim,
                       const prove::ClaimResult& r) {
  std::string word(verdict_word(r.verdict));
  for (auto& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  out += word + ": " + claim + "\n";
  if (r.witness) {
    out += "  " + r.witness_description + " is allowed:\n    " + claim_can_line(world, r) + "\n";
    if (!r.witness_world_note.empty()) out += "  (" + r.witness_world_note + ")\n";
    if (!r.witness_baseline_refusal.empty()) out += "  and denied before: " + r.witness_baseline_refusal + "\n";
    if (r.witness_outsider)
      out += "  the caller's identity side is its own account's, assumed to allow (E7.outsider-identity-assumed)\n";
    for (const auto& ref : r.witness_decision.determining) out += "  let in by " + eval::statement_words(ref) + "\n";
  }
  for (const auto& why : r.public_because) out += "  " + why + "\n";
  if (r.verdict != prove::ClaimResult::Verdict::Refuted)
    for (const auto& why : r.unknown_reasons) out += "  not proven: " + why + "\n";
  if (r.verdict != prove::ClaimResult::Verdict::Refuted)
    for (const auto& why : r.holds_because) out += "  " + why + "\n";
  if (r.cases.empty()) return;  // no_public_access: no search
  std::size_t none = 0;
  for (const auto& c : r.cases) none += c.search.verdict == prove::Search::Verdict::None;
  out += "  " + std::to_string(r.cases.size()) + " cases (caller x action x origin), " + std::to_string(none) +
         " with no allowed request\n";
}

void render_claim_json(std::string& out, const std::string& world, const std::string& claim,
                       const prove::ClaimResult& r) {
  JsonWriter j(out);
  j.begin_object().key("claim").value(claim).key("verdict").value(verdict_word(r.verdict));
  j.key("milliseconds").value(static_cast<long long>(r.seconds * 1000));
  j.key("witness");
  if (r.witness) {
    j.begin_object()
        .key("principal")
        .value(r.witness_principal)
        .key("action")
        .value(r.witness->action)
        .key("resource")
        .value(r.witness->resource)
        .key("context")
        .begin_object();
    for (const auto& e : r.witness->context.entries()) {
      j.key(e.name);
      if (e.multivalued) {
        j.begin_array();
        for (const auto& v : e.values) j.value(v.text);
        j.end_array();
      } else {
        j.value(e.values.empty() ? "" : e.values[0].text);
      }
    }
    j.end_object().key("can").value(claim_can_line(world, r));
    if (!r.witness_world_note.empty()) j.key("can_world").value(r.witness_world_note);
    if (!r.witness_baseline_refusal.empty()) j.key("denied_before").value(r.witness_baseline_refusal);
    j.key("determining").begin_array();
    for (const auto& ref : r.witness_decision.determining) j.value(eval::statement_words(ref));
    j.end_array().end_object();
  } else {
    j.null();
  }
  j.key("public_because").begin_array();
  for (const auto& s : r.public_because) j.value(s);
  j.end_array();
  j.key("unknown_reasons").begin_array();
  for (const auto& s : r.unknown_reasons) j.value(s);
  j.end_array().key("holds_because").begin_array();
  for (const auto& s : r.holds_because) j.value(s);
  j.end_array().key("cases").begin_array();
  for (const auto& c : r.cases) {
    const auto v = c.search.verdict;
    j.begin_object()
        .key("case")
        .value(c.description)
        .key("result")
        .value(v == prove::Search::Verdict::Found  ? "allowed request"
               : v == prove::Search::Verdict::None ? "no allowed request"
                                                   : "unknown")
        .key("milliseconds")
        .value(static_cast<long long>(c.seconds * 1000))
        .key("not_modelled")
        .begin_array();
    for (const auto& h : c.search.havoc) j.value(h);
    // No allowed request: the Deny statements that keep the case out, or the layers that
    // grant none of it.
    j.end_array().key("kept_out_by").begin_array();
    for (const auto& ref : c.search.bounding_denies) j.value("Deny " + eval::statement_words(ref));
    for (const auto& layer : c.search.missing_grants) j.value("no grant: " + layer);
    j.end_array().end_object();
  }
  j.end_array().end_object();
  out += '\n';
}

std::string claim_reason(const std::string& world, const prove::ClaimResult& r) {
  if (r.witness) return r.witness_description + " is allowed: " + claim_can_line(world, r);
  if (!r.public_because.empty()) return r.public_because.front();
  if (r.verdict == prove::ClaimResult::Verdict::Unknown && !r.unknown_reasons.empty())
    return "not proven: " + r.unknown_reasons.front();
  return r.holds_because.empty() ? std::string() : r.holds_because.front();
}

std::optional<SourceLocation> claim_statement_location(const prove::ClaimResult& r) {
  std::vector<eval::StatementRef> refs(r.witness_decision.determining.begin(), r.witness_decision.determining.end());
  refs.insert(refs.end(), r.public_statements.begin(), r.public_statements.end());
  for (const auto& ref : refs)
    if (ref.source && !ref.source->file.empty() && !ref.source->file.starts_with("builtin:")) {
      SourceLocation at;
      at.file = std::string(ref.source->file);
      at.line = ref.source->line;
      at.pointer = std::string(ref.source->pointer);
      const std::string& pointer = ref.compiled().pointer;
      if (!pointer.empty()) at.pointer += pointer;
      return at;
    }
  return std::nullopt;
}

}  // namespace iamsim::cli
