// Stage: syntax. Policy JSON -> PolicyAst, checking the grammar (G1-G10) and what the
// policy's kind allows (G2, G7, G8, P7, S6, R6, V3). Typed condition values (CIDRs, dates,
// numbers) are checked by compile, which reads them.
#pragma once

#include <optional>
#include <string_view>

#include <simdjson.h>

#include "engine/diagnostic.hpp"
#include "engine/semantics.hpp"
#include "engine/syntax/ast.hpp"

namespace iamsim::syntax {

// Longest string any policy can hold: a KMS key policy is at most 32,768 bytes (KM4).
inline constexpr std::size_t max_policy_string_bytes = 32768;

// origin names where the document is (its pointer is the document's root); diagnostics
// carry origin.pointer + the element's pointer. Returns nullopt when there are errors.
std::optional<PolicyAst> parse_policy(simdjson::dom::element root, PolicyKind kind, const Semantics& semantics,
                                      const SourceLocation& origin, Diagnostics& diagnostics);

// The same from text (a file's contents, or YAML converted to JSON).
std::optional<PolicyAst> parse_policy_text(std::string_view json, PolicyKind kind, const Semantics& semantics,
                                           const SourceLocation& origin, Diagnostics& diagnostics);

// "/a~1b" for key "a/b" (RFC 6901).
std::string json_pointer_escape(std::string_view key);

}  // namespace iamsim::syntax
