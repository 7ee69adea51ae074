// Stage: model (load), real estates. What a WORLD argument or an `import:` names, recognised
// by its contents: a scenario file, a folder of scenario files, an export folder
// (docs/exports.md) or an iam-collect folder; and the loaders of the last two.
#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

#include "model/load/scenario_loader.hpp"

namespace iamsim::model {

enum class WorldSource { scenario_file, scenario_folder, export_folder, iam_collect_folder };
std::string_view to_string(WorldSource source);

// What `path` holds; nothing when it is none of them (or does not exist).
std::optional<WorldSource> recognise_world_source(const std::filesystem::path& path);

// An export folder as one world: every accounts/ACCOUNT/ folder (read in parallel), then
// organizations/. Its name is the folder's; it has no expectations.
WorldLoad load_export_folder(const std::filesystem::path& folder);

// An iam-collect folder (the storage root holding aws/, the aws/ folder, or one partition's
// folder) as one world.
WorldLoad load_iam_collect_folder(const std::filesystem::path& folder);

namespace load {
// The iam-collect partition folder under `path` (aws/aws/ ...), or nothing.
std::optional<std::filesystem::path> iam_collect_partition(const std::filesystem::path& path);
// Problems a world read from real exports has as a whole: names a world holds once (buckets,
// clusters, key ids) given twice across accounts.
void check_unique_names(const World& w, Diagnostics& diagnostics);
}  // namespace load

}  // namespace iamsim::model
