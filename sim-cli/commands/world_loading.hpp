// Stage: report. Loading and compiling a WORLD argument for the commands that ask
// questions of one world (can, who-can, matrix), with diagnostics printed.
#pragma once

#include <memory>
#include <string>

#include "model/paths/access.hpp"

namespace iamsim::cli {

// nullptr after printing the diagnostics when the world is unusable.
std::shared_ptr<const model::CompiledWorld> load_compiled_world(const std::string& path, const Semantics& semantics);

}  // namespace iamsim::cli
