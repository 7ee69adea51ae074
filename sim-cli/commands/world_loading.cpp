// Stage: report. WORLD arguments.
#include "sim-cli/commands/world_loading.hpp"

#include "model/load/scenario_loader.hpp"
#include "sim-cli/commands/common.hpp"

namespace iamsim::cli {

std::shared_ptr<const model::CompiledWorld> load_compiled_world(const std::string& path, const Semantics& semantics) {
  auto loaded = model::load_world_argument(path);
  print_diagnostics(loaded.diagnostics);
  if (!loaded.ok()) return nullptr;
  Diagnostics diagnostics;
  auto compiled = model::CompiledWorld::compile(loaded.world, semantics, diagnostics);
  print_diagnostics(diagnostics);
  return compiled;
}

}  // namespace iamsim::cli
