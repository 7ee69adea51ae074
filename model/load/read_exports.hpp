// Stage: model (load), real estates. The readers of AWS's own outputs (docs/exports.md),
// each filling the World the scenario loader fills: no second model. Every reader reports
// malformed input with the file and JSON pointer, and a piece the export lacks as a warning
// that names it.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/diagnostic.hpp"
#include "model/load/export_json.hpp"
#include "model/world.hpp"

namespace iamsim::model::load {

// `aws iam get-account-authorization-details` of account `a.id`: its users, groups, roles
// (paths, tags, boundaries, inline and attached policies at their default version).
void read_authorization_details(ExportFile& file, Account& a);

// The organizations/ folder of an export (docs/exports.md): the tree of roots, units and
// accounts, and every SCP and RCP at its targets. Accounts of the organization that `w`
// lacks are added (empty, with a warning).
void read_organization_export(const std::filesystem::path& folder, World& w, Diagnostics& diagnostics);

// KMS aliases read from `kms list-aliases`: alias ARN -> key ARN.
using KmsAliases = std::map<std::string, std::string>;

// An access point as `s3control list-access-points` gives it, with the bucket it is on
// (which may be another account's): joined to that bucket once every account is read.
struct ExportedAccessPoint {
  std::string bucket;
  std::string bucket_account;  // BucketAccountId; empty when the output leaves it out
  AccessPoint access_point;
};

// What an account folder gives that is joined with the others once all are read.
struct AccountExportLinks {
  KmsAliases aliases;
  std::vector<ExportedAccessPoint> access_points;
};

// One accounts/ACCOUNT/ folder: IAM, OIDC providers, S3 (with Block Public Access, ownership,
// ACLs and access points), KMS (with grants), EKS with its node groups, Fargate profiles,
// kubectl lists and Pod Identity associations, VPC endpoints. `a.id` is set.
void read_account_export(const std::filesystem::path& folder, Account& a, AccountExportLinks& links,
                         Diagnostics& diagnostics);

// s3/BUCKET/ of an account folder; false (nothing read) when `folder` is not a bucket folder.
bool read_bucket_export(const std::filesystem::path& folder, Account& a, Diagnostics& diagnostics);
// The PublicAccessBlockConfiguration member of `object` (get-public-access-block, the
// s3control one, get-access-point).
std::optional<PublicAccessBlock> public_access_block_of(ExportFile& file, const JsonAt& object);
// The four settings themselves (BlockPublicAcls, ...), as iam-collect's bpa.json holds them.
std::optional<PublicAccessBlock> public_access_block_settings(ExportFile& file, const JsonAt& config);
// s3/s3control-get-public-access-block.json: the account's Block Public Access.
void read_account_public_access_block(const std::filesystem::path& file, Account& a, Diagnostics& diagnostics);
// REGION/s3control/ of an account folder: list-access-points.json and access-points/NAME/.
void read_access_points_export(const std::filesystem::path& folder, Account& a, const std::string& region,
                               std::vector<ExportedAccessPoint>& into, Diagnostics& diagnostics);
// Each access point onto its bucket; one whose bucket the world lacks is a warning.
void attach_access_points(World& w, std::vector<ExportedAccessPoint>& points, Diagnostics& diagnostics);

// REGION/eks/CLUSTER/nodegroups/NAME/ and fargate-profiles/NAME.json of a cluster folder.
void read_node_group_export(const std::filesystem::path& folder, Cluster& c, Diagnostics& diagnostics);
void read_fargate_profile_export(const std::filesystem::path& file, Cluster& c, Diagnostics& diagnostics);

// Each bucket's get-bucket-encryption key as written (a key id, key ARN, alias name or alias
// ARN) resolved against the world's keys once every account is read. A key the world lacks
// stays named by its ARN, and the answer then says it could not see its policy.
void resolve_bucket_keys(World& w, const KmsAliases& aliases, Diagnostics& diagnostics);

}  // namespace iamsim::model::load
