// Stage: report. Loading and compiling a WORLD argument for the commands that ask
// questions of one world (can, who-can, matrix), with diagnostics printed.
#pragma once

#include <memory>
#include <string>

#include "model/load/scenario_loader.hpp"
#include "model/paths/access.hpp"

namespace iamsim::cli {

class PhaseClock;

// nullptr after printing the diagnostics when the world is unusable. `clock`, when given,
// times the "load" and "compile" phases.
std::shared_ptr<const model::CompiledWorld> load_compiled_world(const std::string& path, const Semantics& semantics,
                                                                model::LoadScope scope = model::LoadScope::everything,
                                                                PhaseClock* clock = nullptr);

}  // namespace iamsim::cli
