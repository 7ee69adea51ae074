// Stage: decision. The one table that turns a decision's codes into ids and text, and the
// words for the statements a decision cites. Renderers (text, JSON) take every message from
// here, so a code reads the same everywhere; docs/diagnostics.md documents each id.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "engine/eval/decision.hpp"
#include "engine/eval/request.hpp"

namespace iamsim::eval {

struct CodeInfo {
  Code code;
  std::string_view id;    // "E8.boundary-without-allow": the rule, then what happened
  std::string_view text;  // the message, with {placeholders} filled by message()
  bool warning = false;   // a warning, not a reason
};

const CodeInfo& info(Code code);
inline std::string_view code_id(Code code) { return info(code).id; }
// Every code, in the order of the enum (for documentation checks).
std::span<const CodeInfo> all_codes();

// The policy a statement belongs to, by name: its source's name, or its place in the
// request ("identity[0]", "scp[1][0]", "resource"). Writes into buffer when the name is
// derived; the result views either buffer or the source.
std::string_view policy_name(const StatementRef& ref, std::string& buffer);
// The JSON pointer of the policy document: its source's, or its place in the request
// ("/policies/identity/0"). Same buffer rule.
std::string_view document_pointer(const StatementRef& ref, std::string& buffer);
// "statement \"Sid\" of NAME", or "statement #2 of NAME" when the statement has no Sid.
std::string statement_words(const StatementRef& ref);

// The message of a reason or a warning. A reason reads the request for the details it
// names (the action, the resource's account, whether a condition's key was given).
std::string message(const Reason& reason, const Request& request);
std::string message(const Warning& warning);

std::string_view to_string(ResourcePolicyKind kind);  // "resource", "role_trust", "kms_key"

}  // namespace iamsim::eval
