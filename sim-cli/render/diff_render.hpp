// Stage: report. A diff a reviewer can read: changes grouped by principal, direction and
// cause ("sa:ml-prod/analytics/batch-reporter lost 12 actions on ml-models-prod: ..."), with
// every decision behind --verbose and in JSON; Markdown for a pull-request comment; Mermaid
// for the widened and narrowed edges.
#pragma once

#include <string>
#include <vector>

#include "sim-cli/render/matrix_render.hpp"

namespace iamsim::cli {

struct DiffGroup {
  std::string principal;
  bool widened = false;
  std::string cause;
  std::vector<const DiffEntry*> changes;  // in the diff's order
  std::vector<std::string> actions;       // distinct, sorted
  std::vector<std::string> resources;     // distinct short names: a bucket for its objects, else the ARN
};

// Widened groups first, then by principal and cause.
std::vector<DiffGroup> group_diff(const MatrixDiff& diff);

void render_diff_text(std::string& out, const MatrixDiff& diff, const std::string& old_name,
                      const std::string& new_name, bool verbose);
// {"widened", "narrowed", "groups": [...], "changes": [...]}: every decision with its group's cause.
void render_diff_json(std::string& out, const MatrixDiff& diff);
void render_diff_markdown(std::string& out, const MatrixDiff& diff, const std::string& old_name,
                          const std::string& new_name);
void render_diff_mermaid(std::string& out, const MatrixDiff& diff, const std::string& old_name,
                         const std::string& new_name);

}  // namespace iamsim::cli
