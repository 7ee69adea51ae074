// Bench: synthetic world generator. Writes a built world as iamsim reads it
// (docs/scenario-format.md): DIR/world.yaml, policy JSON files under DIR/policies/, one Kubernetes manifest
// file per cluster under DIR/k8s/, and DIR/genworld-summary.json (counts per kind).
#pragma once

#include <vector>

#include "expectations.hpp"
#include "model.hpp"

namespace genworld {

struct EmitStats {
  std::size_t files = 0;
  std::size_t bytes = 0;
};

EmitStats emit_world(const World& world, const std::vector<Expectation>& expectations);

}  // namespace genworld
