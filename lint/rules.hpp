// Stage: lint. Every finding id lint reports, with its default level, its words for people
// (SARIF rules, --help, docs/lint.md) and how severe it is for security. Ids are stable:
// suppressions, SARIF fingerprints and CI gates name them.
#pragma once

#include <span>
#include <string_view>

#include "lint/finding.hpp"

namespace iamsim::lint {

struct Rule {
  std::string_view id;
  Level level;
  std::string_view title;        // one line: "Unknown action"
  std::string_view description;  // what is wrong and why it matters
  std::string_view fix;          // what to do
  double security_severity;      // 0-10, as code-scanning views rank it (0: not a security matter)
};

std::span<const Rule> rules();
const Rule* find_rule(std::string_view id);

}  // namespace iamsim::lint
