// Bench: synthetic world generator. Builds the world description (model.hpp) from the
// parameters: the organization tree, accounts, roles, buckets, keys, clusters, service
// accounts and workloads, each path made on purpose to allow or to fail in a known way.
#pragma once

#include "model.hpp"

namespace genworld {

// Throws std::invalid_argument when the parameters cannot make a world.
World build_world(const Params& params);

}  // namespace genworld
