// Stage: model (load), real estates. The readers of AWS's own outputs (docs/exports.md),
// each filling the World the scenario loader fills: no second model. Every reader reports
// malformed input with the file and JSON pointer, and a piece the export lacks as a warning
// that names it.
#pragma once

#include <filesystem>
#include <map>
#include <string>

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

// One accounts/ACCOUNT/ folder: IAM, OIDC providers, S3, KMS, EKS with its kubectl lists,
// VPC endpoints. `a.id` is set; the account's aliases are added to `aliases`.
void read_account_export(const std::filesystem::path& folder, Account& a, KmsAliases& aliases,
                         Diagnostics& diagnostics);

// Each bucket's get-bucket-encryption key as written (a key id, key ARN, alias name or alias
// ARN) resolved against the world's keys once every account is read. A key the world lacks
// stays named by its ARN, and the answer then says it could not see its policy.
void resolve_bucket_keys(World& w, const KmsAliases& aliases, Diagnostics& diagnostics);

}  // namespace iamsim::model::load
