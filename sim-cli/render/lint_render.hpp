// Stage: report. `iamsim lint` findings for people (text) and machines (JSON); SARIF is
// sarif_render.hpp. Evidence paths are rendered with the access renderers.
#pragma once

#include <string>

#include "lint/lint.hpp"

namespace iamsim::cli {

// Each finding as "FILE:LINE:COL: LEVEL[ID]: MESSAGE" with its resource, evidence and fix,
// then the summary and each suppression with what it left out.
void render_lint_text(std::string& out, const lint::LintReport& report);

// {"findings": [...], "suppressed": [...], "suppressions": [...], "notes": [...], "summary": {...}}
void render_lint_json(std::string& out, const lint::LintReport& report);

// "FILE:LINE:COL" (as much as is known) and " (at POINTER)".
std::string location_words(const SourceLocation& where);

}  // namespace iamsim::cli
