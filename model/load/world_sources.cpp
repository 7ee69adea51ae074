// Stage: model (load), real estates. Recognising a WORLD argument by its contents, and the
// export folder loader.
#include "model/load/world_sources.hpp"

#include <algorithm>
#include <map>

#include <tbb/parallel_for.h>

#include "engine/syntax/arn_view.hpp"
#include "model/load/read_exports.hpp"

namespace iamsim::model {
namespace {

namespace fs = std::filesystem;
using load::entries_of;
using load::is_folder;
using load::path_exists;

// An export folder has accounts/ with account-id folders, or organizations/ with
// describe-organization.json.
bool is_export_folder(const fs::path& p) {
  if (path_exists(p / "organizations" / "describe-organization.json")) return true;
  if (!is_folder(p / "accounts")) return false;
  for (const auto& a : entries_of(p / "accounts", nullptr))
    if (is_folder(a) && syntax::is_account_id(a.filename().string())) return true;
  return false;
}

std::string folder_name(const fs::path& p) {
  auto n = p.lexically_normal();
  if (n.filename().empty()) n = n.parent_path();
  return n.filename().string();
}

}  // namespace

std::string_view to_string(WorldSource source) {
  switch (source) {
    case WorldSource::scenario_file: return "scenario file";
    case WorldSource::scenario_folder: return "folder of scenario files";
    case WorldSource::export_folder: return "export folder";
    case WorldSource::iam_collect_folder: return "iam-collect folder";
  }
  return "";
}

namespace load {

std::optional<fs::path> iam_collect_partition(const fs::path& path) {
  // A partition folder holds accounts/ whose resources are in service folders
  // (iam/role/...), organizations/ or indexes/; the export layout has none of these.
  auto is_partition = [](const fs::path& p) {
    if (is_folder(p / "indexes")) return true;
    if (is_folder(p / "organizations"))
      for (const auto& o : entries_of(p / "organizations", nullptr))
        if (is_folder(o) && o.filename().string().starts_with("o-")) return true;
    if (is_folder(p / "accounts"))
      for (const auto& a : entries_of(p / "accounts", nullptr))
        if (is_folder(a / "iam" / "role") || is_folder(a / "iam" / "user") || path_exists(a / "organization.json"))
          return true;
    return false;
  };
  for (const fs::path& aws : {path / "aws", path})
    if (is_folder(aws))
      for (const char* partition : {"aws", "aws-cn", "aws-us-gov"})
        if (is_folder(aws / partition) && is_partition(aws / partition)) return aws / partition;
  if (is_partition(path)) return path;
  return std::nullopt;
}

void check_unique_names(const World& w, Diagnostics& diagnostics) {
  std::map<std::string, std::string> buckets, clusters, keys;
  auto once = [&](std::map<std::string, std::string>& seen, const std::string& name, const std::string& account,
                  const SourceLocation& where, std::string_view what) {
    auto [it, fresh] = seen.emplace(name, account);
    if (!fresh)
      diagnostics.error("export.duplicate", where,
                        std::string(what) + " " + name + " is in accounts " + it->second + " and " + account +
                            "; a world holds each once");
  };
  for (const auto& a : w.accounts) {
    for (const auto& b : a.buckets) once(buckets, b.name, a.id, b.where, "bucket");
    for (const auto& c : a.clusters) once(clusters, c.name, a.id, c.where, "cluster");
    for (const auto& k : a.kms_keys) once(keys, k.id, a.id, k.where, "KMS key");
  }
}

}  // namespace load

std::optional<WorldSource> recognise_world_source(const fs::path& path) {
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) return WorldSource::scenario_file;
  if (!is_folder(path)) return std::nullopt;
  if (load::iam_collect_partition(path)) return WorldSource::iam_collect_folder;
  if (is_export_folder(path)) return WorldSource::export_folder;
  return WorldSource::scenario_folder;
}

WorldLoad load_export_folder(const fs::path& folder) {
  WorldLoad out;
  auto world = std::make_shared<World>();
  world->scenario_file = folder.string();
  world->scenario_name = folder_name(folder);
  std::vector<fs::path> account_dirs;
  for (const auto& p : entries_of(folder, &out.diagnostics)) {
    const std::string name = p.filename().string();
    if (name == "accounts" && is_folder(p)) {
      for (const auto& a : entries_of(p, &out.diagnostics)) {
        if (is_folder(a) && syntax::is_account_id(a.filename().string()))
          account_dirs.push_back(a);
        else
          out.diagnostics.error("export.bad-layout", {a.string(), "", 0, 0},
                                "accounts/ holds one folder per account, named by its twelve-digit id");
      }
    } else if (name != "organizations" && name != "README.md") {
      out.diagnostics.warning("export.unknown-file", {p.string(), "", 0, 0},
                              "not part of the export layout (docs/exports.md); not read");
    }
  }
  // Accounts are independent: read in parallel, reported in folder order.
  std::vector<Account> accounts(account_dirs.size());
  std::vector<load::AccountExportLinks> links(account_dirs.size());
  std::vector<Diagnostics> found(account_dirs.size());
  tbb::parallel_for(std::size_t{0}, account_dirs.size(), [&](std::size_t i) {
    accounts[i].id = account_dirs[i].filename().string();
    accounts[i].where = {account_dirs[i].string(), "", 0, 0};
    load::read_account_export(account_dirs[i], accounts[i], links[i], found[i]);
  });
  load::KmsAliases all_aliases;
  std::vector<load::ExportedAccessPoint> access_points;
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    out.diagnostics.append(found[i]);
    all_aliases.insert(links[i].aliases.begin(), links[i].aliases.end());
    for (auto& ap : links[i].access_points) access_points.push_back(std::move(ap));
    world->accounts.push_back(std::move(accounts[i]));
  }
  if (is_folder(folder / "organizations"))
    load::read_organization_export(folder / "organizations", *world, out.diagnostics);
  load::resolve_bucket_keys(*world, all_aliases, out.diagnostics);
  load::attach_access_points(*world, access_points, out.diagnostics);
  load::check_unique_names(*world, out.diagnostics);
  world->build_indexes();
  out.world = std::move(world);
  return out;
}

}  // namespace iamsim::model
