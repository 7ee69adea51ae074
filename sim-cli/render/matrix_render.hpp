// Stage: report. The access matrix as stable JSON (sorted, so it can be committed and
// diffed), reading a saved matrix back, and the diff between two matrices.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/queries/who_can.hpp"

namespace iamsim::cli {

// `shard_info`, when not empty, is the value of an "iamsim_shard" key after "format"
// (shard.hpp): the matrix holds only that shard's cells.
void render_matrix_json(std::string& out, const model::Matrix& matrix, std::string_view shard_info = {});

// nullopt with `error` set when the text is not a matrix this program wrote. A shard's
// matrix lacks the other shards' cells: it is refused unless `allow_shard` (iamsim merge).
std::optional<model::Matrix> read_matrix_json(const std::string& text, std::string& error, bool allow_shard = false);

struct DiffEntry {
  model::MatrixCell cell;
  bool widened = false;  // denied before, allowed now
  std::string why;       // the statement or missing link behind the new answer
  std::string cause;     // the same in words that do not name the action: changes are grouped by it
};

struct MatrixDiff {
  std::vector<DiffEntry> changes;  // widened first, then narrowed; each sorted
  std::size_t widened() const;
  std::size_t narrowed() const { return changes.size() - widened(); }
};

// Cells of the union of both axes whose answer differs; why is left empty.
MatrixDiff diff_matrices(const model::Matrix& old_matrix, const model::Matrix& new_matrix);

// The diff's renderers are in diff_render.hpp.

}  // namespace iamsim::cli
