// Bench: synthetic world generator. Writes a built world as iamsim reads it
// (docs/scenario-format.md): DIR/world.yaml, policy JSON files under DIR/policies/, one Kubernetes manifest
// file per cluster under DIR/k8s/, and DIR/genworld-summary.json (counts per kind); or the
// world as the export layout of docs/exports.md.
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

// The same world as an export folder (docs/exports.md) under DIR/export/, and DIR/world.yaml
// importing it with the expectations.
EmitStats emit_exports(const World& world, const std::vector<Expectation>& expectations);

}  // namespace genworld
