// Stage: model (load). A world with one policy file's text replaced by another's: the NEW
// side of `no_new_access OLD.json NEW.json` (docs/claims.md), the same world in every other
// respect.
#pragma once

#include <filesystem>
#include <string>

#include "model/world.hpp"

namespace iamsim::model {

// Every document of `world` read from `old_file` (an identity, trust, resource, key,
// endpoint, SCP or RCP policy) gets `new_json`, and `new_file` as where it comes from.
// Returns how many documents were replaced: 0 means the world does not use `old_file`.
std::size_t replace_policy_file(World& world, const std::filesystem::path& old_file, const std::string& new_json,
                                const std::filesystem::path& new_file);

}  // namespace iamsim::model
