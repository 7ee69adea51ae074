// Stage: report. A claim's verdict (docs/claims.md): the text `iamsim prove` prints, its
// JSON, and the one-line reason and location `iamsim check` reports a claim expectation with.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/diagnostic.hpp"
#include "prove/claims/claim.hpp"

namespace iamsim::cli {

std::string_view verdict_word(prove::ClaimResult::Verdict v);  // "holds", "refuted", "unknown"

// The request that refutes a claim as an `iamsim can` line on `world` (a path).
std::string claim_can_line(const std::string& world, const prove::ClaimResult& r);

void render_claim_text(std::string& out, const std::string& world, const std::string& claim,
                       const prove::ClaimResult& r);
void render_claim_json(std::string& out, const std::string& world, const std::string& claim,
                       const prove::ClaimResult& r);

// One line: what refutes the claim, why it is not proven, or what makes it hold.
std::string claim_reason(const std::string& world, const prove::ClaimResult& r);

// Where a refuted claim's first letting-in statement is written (its policy document), if known.
std::optional<SourceLocation> claim_statement_location(const prove::ClaimResult& r);

}  // namespace iamsim::cli
