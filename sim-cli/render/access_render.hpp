// Stage: report. An access path (model::Access) for people and for machines: the verdict,
// then each hop with its decision, the layer and statement that decided, and findings.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/paths/access.hpp"

namespace iamsim::cli {

// "allowed" or "denied at hop 2 (assume role ...): the trust policy ... (statement X)".
std::string one_line_reason(const model::Access& access);

// For an allowed path: the statements that granted each hop, "; "-separated.
std::string allow_reasons(const model::Access& access);

// E11: the context keys each evaluated hop depended on and the request did not carry, as
// (hop index from 0, key) pairs in hop order. The keys view the compiled world's policies.
std::vector<std::pair<std::size_t, std::string_view>> missing_context_keys(const model::Access& access);

// "  depends on KEY, not given" lines for every hop's missing keys, each key once.
void render_missing_keys_text(std::string& out, const model::Access& access, std::string_view indent = "  ");

// One hop's verdict: "allowed by role trust policy FILE statement #0; ..." or why it was
// refused ("implicitly denied: the role's trust policy does not allow ...").
std::string hop_reason(const model::Hop& hop);

// What decided an answer, in words that do not depend on the action asked (when the policies
// do not): the statements that allowed it, or the refused hop and why. Changes of a diff are
// grouped by it.
std::string access_cause(const model::Access& access);

// The hop-by-hop explanation; with layers=true each evaluated hop lists every layer.
void render_access_text(std::string& out, const model::Access& access, bool layers, std::string_view indent = "  ");

// One JSON object: {"decision", "reason", "hops": [{"kind", "title", "decision",
// "missing_link", "notes", "evaluation"}]}: missing_link and notes are {"code", "message"}
// objects, evaluation is the hop's decision as the eval contract writes it.
void render_access_json(std::string& out, const model::Access& access);

}  // namespace iamsim::cli
