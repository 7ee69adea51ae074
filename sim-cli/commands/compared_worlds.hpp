// Stage: report. The two worlds of a `no_new_access OLD NEW` claim (docs/claims.md), loaded
// and compiled for the proof engine: two scenario files (or folders holding one), or two
// policy files, whose NEW is the claim's own world with OLD's documents read from NEW.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "model/paths/access.hpp"
#include "model/queries/who_can.hpp"
#include "prove/claims/claim.hpp"

namespace iamsim::cli {

struct ComparedWorlds {
  std::unique_ptr<model::AccessResolver> old_world;
  std::unique_ptr<model::AccessResolver> new_world;
  std::unique_ptr<model::PrincipalIndex> new_index;
  std::string new_world_argument;  // the NEW world as `iamsim can` takes it
  std::string new_world_note;      // the policy form: NEW's policy is in OLD's place there

  prove::ClaimResult decide(const prove::Claim& claim) const {
    prove::ClaimResult r = prove::decide_no_new_access(claim, *old_world, *new_index);
    r.witness_world = new_world_argument;
    r.witness_world_note = new_world_note;
    return r;
  }
};

// `home` is the claim's scenario file, or the WORLD argument of `iamsim prove`; OLD and NEW
// are read against its folder. `home_world` is its world (the policy form's OLD side).
// nullptr with `error` (diagnostics of a world that does not load are printed).
std::unique_ptr<ComparedWorlds> load_compared_worlds(const prove::Claim& claim, const std::filesystem::path& home,
                                                     const model::World& home_world, const Semantics& semantics,
                                                     std::string& error);

}  // namespace iamsim::cli
