// Stage: report. A Decision as the eval contract's JSON line (docs/eval-contract.md), or as
// a readable explanation.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/eval/decision.hpp"
#include "engine/eval/request.hpp"

namespace iamsim::cli {

struct RenderedStatement {
  std::string layer, policy, sid, pointer, effect, file;
  std::uint32_t index = 0;
  int level = -1;
};

RenderedStatement describe_statement(const eval::StatementRef& ref);

// A warning about the input, shown as "message" or, when located, "message (at POINTER)"
// with POINTER = pointer + inner_pointer. Kept in pieces: a batch repeats the same texts,
// and joining them for every request would cost more than writing them.
struct InputWarning {
  std::string_view message;
  bool located = false;
  std::string_view pointer;        // where the policy is in the request
  std::string_view inner_pointer;  // where the problem is in the policy
};

// One JSON object (no newline). extra_warnings come from the input (policy warnings).
// id: the request's "id" (null when the request had none); nullopt leaves the field out.
void render_decision_json(std::string& out, std::optional<std::optional<std::string_view>> id, const eval::Decision& d,
                          std::span<const InputWarning> extra_warnings);

// Several lines; indent prefixes each.
void render_decision_text(std::string& out, std::string_view id, const eval::Request& request, const eval::Decision& d,
                          std::span<const InputWarning> extra_warnings, std::string_view indent = "");

// "allowed" / "explicitly denied" / "implicitly denied"
std::string_view outcome_words(eval::Outcome o);

}  // namespace iamsim::cli
