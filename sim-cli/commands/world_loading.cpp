// Stage: report. WORLD arguments.
#include "sim-cli/commands/world_loading.hpp"

#include "model/load/scenario_loader.hpp"
#include "sim-cli/commands/common.hpp"
#include "sim-cli/commands/phase_clock.hpp"

namespace iamsim::cli {

std::shared_ptr<const model::CompiledWorld> load_compiled_world(const std::string& path, const Semantics& semantics,
                                                                model::LoadScope scope, PhaseClock* clock) {
  auto loaded = model::load_world_argument(path, scope);
  print_diagnostics(loaded.diagnostics);
  if (!loaded.ok()) return nullptr;
  if (clock) clock->lap("load");
  Diagnostics diagnostics;
  auto compiled = model::CompiledWorld::compile(loaded.world, semantics, diagnostics);
  print_diagnostics(diagnostics);
  if (clock) clock->lap("compile");
  return compiled;
}

}  // namespace iamsim::cli
