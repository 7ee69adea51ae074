// Stage: model (load). Where a scenario's `file:` and `manifests:` references may lead. In
// CI on pull requests the scenario is untrusted: a reference must stay inside the tree that
// holds the scenario (docs/scenario-format.md, "Files a scenario may read") unless the
// command line allows outside files.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace iamsim::model {

// Process-wide, set once by the command line (--allow-outside-files) before loading.
void allow_outside_files(bool allow);

namespace load {

class FileConfinement {
 public:
  // The tree of `scenario_file`: the top of the Git work tree holding it (the nearest folder
  // with a .git entry); without one, the current folder when the file is inside it; else
  // the file's own folder.
  static FileConfinement for_scenario(const std::filesystem::path& scenario_file);

  // Why `target` may not be read, or nothing when it may. Links are followed first, so a
  // link inside the tree that points out of it is refused as well.
  std::optional<std::string> refusal(const std::filesystem::path& target) const;

 private:
  std::filesystem::path root_;  // canonical; empty when outside files are allowed
};

}  // namespace load
}  // namespace iamsim::model
