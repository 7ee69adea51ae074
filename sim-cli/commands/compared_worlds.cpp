// Stage: report. Loading the worlds a no_new_access claim compares.
#include "sim-cli/commands/compared_worlds.hpp"

#include "engine/assert.hpp"
#include "model/load/policy_replacement.hpp"
#include "model/load/yaml_support.hpp"
#include "sim-cli/commands/common.hpp"
#include "sim-cli/commands/world_loading.hpp"

namespace iamsim::cli {
namespace {

namespace fs = std::filesystem;

std::shared_ptr<const model::CompiledWorld> compiled(std::shared_ptr<const model::World> world,
                                                     const Semantics& semantics) {
  Diagnostics diagnostics;
  auto out = model::CompiledWorld::compile(std::move(world), semantics, diagnostics);
  print_diagnostics(diagnostics);
  return out;
}

}  // namespace

std::unique_ptr<ComparedWorlds> load_compared_worlds(const prove::Claim& claim, const fs::path& home,
                                                     const model::World& home_world, const Semantics& semantics,
                                                     std::string& error) {
  const fs::path dir = fs::is_directory(home) ? home : home.parent_path();
  const fs::path old_path = (dir / claim.old_world).lexically_normal();
  const fs::path new_path = (dir / claim.new_world).lexically_normal();
  const bool policies = old_path.extension() == ".json" && new_path.extension() == ".json";
  std::shared_ptr<const model::CompiledWorld> old_world, new_world;
  if (policies) {
    // The claim's own world as it is, and as it would be with NEW in OLD's place.
    std::string why;
    const auto text = model::load::read_text_file(new_path, &why);
    if (!text) {
      error = "cannot read policy file '" + claim.new_world + "' (" + new_path.string() + "): " + why;
      return nullptr;
    }
    if (!fs::exists(old_path)) {
      error = "no policy file '" + claim.old_world + "' (" + old_path.string() + ")";
      return nullptr;
    }
    auto changed = std::make_shared<model::World>(home_world);
    if (model::replace_policy_file(*changed, old_path, *text, new_path) == 0) {
      error = "the world uses no policy file '" + claim.old_world + "': there is nothing to replace";
      return nullptr;
    }
    old_world = compiled(std::make_shared<const model::World>(home_world), semantics);
    new_world = compiled(std::move(changed), semantics);
    if (!new_world) {
      error = "the world with '" + claim.new_world + "' in place of '" + claim.old_world + "' does not compile";
      return nullptr;
    }
  } else if (old_path.extension() == ".json" || new_path.extension() == ".json") {
    error = "no_new_access compares two worlds or two policy files, not one of each";
    return nullptr;
  } else {
    old_world = load_compiled_world(old_path.string(), semantics, model::LoadScope::world_only);
    new_world = load_compiled_world(new_path.string(), semantics, model::LoadScope::world_only);
    if (!old_world || !new_world) {
      error = "the world '" + (old_world ? claim.new_world : claim.old_world) + "' does not load";
      return nullptr;
    }
  }
  IAMSIM_ASSERT(old_world, "a world that loaded once does not compile");
  auto out = std::make_unique<ComparedWorlds>();
  if (policies) {
    out->new_world_argument = home.string();
    out->new_world_note = "in " + home.string() + " with " + claim.new_world + " in place of " + claim.old_world;
  } else {
    out->new_world_argument = new_path.string();
  }
  out->old_world = std::make_unique<model::AccessResolver>(old_world);
  out->new_world = std::make_unique<model::AccessResolver>(new_world);
  out->new_index = std::make_unique<model::PrincipalIndex>(*out->new_world);
  return out;
}

}  // namespace iamsim::cli
