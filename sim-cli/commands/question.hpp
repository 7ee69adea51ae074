// Stage: report. Reading a question from the command line: a principal reference, an
// action, a resource and --context KEY=VALUE pairs, each checked against the world.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/paths/access.hpp"

namespace iamsim::cli {

// KEY=VALUE; VALUE may be a JSON array (["a","b"]) for a multivalued key.
std::optional<model::Context> parse_context_options(const std::vector<std::string>& options);

// nullopt after printing what is wrong (with a caret under the column).
std::optional<model::Question> parse_question(const model::World& world, const std::string& principal,
                                              const std::string& action, const std::string& resource,
                                              const std::vector<std::string>& context);

}  // namespace iamsim::cli
