// Stage: model (load). The tree a scenario's file references must stay inside.
#include "model/load/file_confinement.hpp"

#include <atomic>

namespace iamsim::model {

namespace fs = std::filesystem;

namespace {
std::atomic<bool> outside_files_allowed{false};

// Is `p` (canonical) `root` or inside it?
bool inside(const fs::path& p, const fs::path& root) {
  auto r = root.begin(), q = p.begin();
  for (; r != root.end(); ++r, ++q)
    if (q == p.end() || *q != *r) return false;
  return true;
}
}  // namespace

void allow_outside_files(bool allow) { outside_files_allowed = allow; }

namespace load {

FileConfinement FileConfinement::for_scenario(const fs::path& scenario_file) {
  FileConfinement out;
  if (outside_files_allowed) return out;
  std::error_code ec;
  fs::path folder = fs::weakly_canonical(fs::absolute(scenario_file, ec).parent_path(), ec);
  if (ec) folder = fs::absolute(scenario_file).parent_path().lexically_normal();
  for (fs::path at = folder;; at = at.parent_path()) {
    if (fs::exists(at / ".git", ec)) {
      out.root_ = at;
      return out;
    }
    if (at == at.root_path() || at.empty()) break;
  }
  const fs::path cwd = fs::weakly_canonical(fs::current_path(ec), ec);
  out.root_ = !ec && inside(folder, cwd) ? cwd : folder;
  return out;
}

std::optional<std::string> FileConfinement::refusal(const fs::path& target) const {
  if (root_.empty()) return std::nullopt;
  std::error_code ec;
  const fs::path real = fs::weakly_canonical(fs::absolute(target, ec), ec);
  if (ec) return "cannot resolve the path: " + ec.message();
  if (inside(real, root_)) return std::nullopt;
  return "it leads outside " + root_.string() + ", the tree that holds the scenario" +
         (real != target.lexically_normal() ? " (to " + real.string() + ")" : "") +
         "; --allow-outside-files permits it";
}

}  // namespace load
}  // namespace iamsim::model
