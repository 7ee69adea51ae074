// Stage: report. SARIF 2.1.0 for code-scanning views: lint findings, and check's failed
// expectations. Rules carry their descriptions, help and security-severity; results their
// level, a location relative to the working directory, and fingerprints that do not move
// when lines do.
#pragma once

#include <string>
#include <vector>

#include "lint/lint.hpp"
#include "sim-cli/render/check_render.hpp"

namespace iamsim::cli {

void render_lint_sarif(std::string& out, const lint::LintReport& report);

// Failed expectations as results of rule expectation.failed, with the expectation warnings
// (expectation.resource-type, ...) of the same worlds.
void render_check_sarif(std::string& out, const CheckReport& report, const std::vector<lint::Finding>& warnings);

// A file as a SARIF URI relative to the working directory ("scenarios/a%20b.yaml").
std::string relative_uri(const std::string& file);

}  // namespace iamsim::cli
