// Stage: model (load), reading. What the readers of one scenario file share: the field
// reader, the world they fill, and the names they read without looking them up. Reading
// resolves no name; the bind pass (bind_names.cpp) does, once everything is read, so no
// section or entity has to come before the ones that name it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/load/field_reader.hpp"
#include "model/world.hpp"

namespace iamsim::model::load {

// Names as written, with where they were written; positions index the world's vectors.
// Named policies are left in place instead (PolicyDocument::by_name).
struct Unbound {
  struct UserGroups {  // a user's `groups:`
    std::size_t account = 0, user = 0;
    std::vector<const YamlNode*> names;
  };
  // A Pod Identity association whose roles are still as written: a role name in the
  // cluster's account or a role ARN (syntax already checked).
  struct Association {
    std::size_t account = 0, cluster = 0;
    PodIdentityAssociation value;
    const YamlNode* node = nullptr;
    const YamlNode* role = nullptr;
    const YamlNode* target_role = nullptr;  // null when there is none
  };
  struct Placement {  // an account placed in an organization node
    std::size_t unit = 0;
    std::string account;
    const YamlNode* node = nullptr;
  };
  struct ExpectationRefs {  // one per expectation of the world, in order
    SourceLocation principal, resource;
  };

  std::vector<UserGroups> user_groups;
  std::vector<Association> associations;
  std::vector<Placement> placements;
  std::map<std::string, SourceLocation> bucket_keys;  // bucket name -> where its kms_key is
  std::vector<ExpectationRefs> expectations;
  // Policies of `policies:` that could not be read: their errors are at their definition,
  // so references to them are not reported again.
  std::set<std::string> broken_policies;
};

// A cluster's manifest files, read once the scenario is (every cluster in parallel).
struct PendingManifests {
  std::size_t account = 0, cluster = 0;
  std::vector<std::filesystem::path> files;
};

struct ScenarioReader {
  ScenarioReader(FieldReader& field_reader, World& into, std::filesystem::path folder)
      : in(field_reader), world(into), dir(std::move(folder)) {}

  FieldReader& in;
  World& world;
  std::filesystem::path dir;  // the scenario's folder: relative paths are read against it
  Unbound unbound;
  std::vector<PendingManifests> manifests;
  std::set<std::string> accounts_with_scps;  // `scps:` given; otherwise FullAWSAccess applies (S4)
  // The first declaration of each id, for duplicate errors that point back at it.
  std::map<std::string, SourceLocation> accounts_seen, buckets_seen, keys_seen, clusters_seen, endpoints_seen;
  // The worlds of `import:`, merged in order (read_imports.cpp); the file's own sections
  // are merged over them before names are bound.
  World imported;
  bool has_imports = false;
};

// ---- the readers, one file each --------------------------------------------------------
// read_policies.cpp: a policy is a name (bound later), a built-in, {file: ...} or
// {document: ...}.
std::optional<PolicyDocument> read_policy(ScenarioReader& r, const YamlNode& n, std::string_view what);
std::vector<PolicyDocument> read_policies(ScenarioReader& r, const YamlNode& n, std::string_view what);
std::optional<PolicyDocument> read_optional_policy(ScenarioReader& r, const Fields& f, std::string_view key);
void read_named_policies(ScenarioReader& r, const YamlNode& n);  // the scenario's `policies:`

// read_accounts.cpp: an account with its IAM users, groups, roles and OIDC providers; its
// resources and clusters through the readers below.
void read_account(ScenarioReader& r, const YamlNode& n);

// read_resources.cpp
void read_kms_key(ScenarioReader& r, const YamlNode& n, Account& a);
void read_bucket(ScenarioReader& r, const YamlNode& n, Account& a);
void read_vpc_endpoint(ScenarioReader& r, const YamlNode& n, Account& a);
// S3 Block Public Access (B4): the four settings, each false when left out.
std::optional<PublicAccessBlock> read_public_access_block(FieldReader& in, const YamlNode& n);

// read_clusters.cpp: a cluster and its Pod Identity associations; then, for every cluster
// at once, the Kubernetes manifests (in parallel).
void read_cluster(ScenarioReader& r, const YamlNode& n, Account& a);
void read_manifests(ScenarioReader& r);

// read_organization.cpp
void read_organization(ScenarioReader& r, const YamlNode& n);

// read_expectations.cpp
void read_defaults(ScenarioReader& r, const YamlNode& n);
void read_lint_section(ScenarioReader& r, const YamlNode& n);  // `lint:` (read_lint.cpp)
void read_expectation(ScenarioReader& r, const YamlNode& n, std::size_t index);

// read_imports.cpp: `import:` (export folders, iam-collect folders, scenario files,
// get-account-authorization-details files, kubectl lists) into `imported`; then, once the
// file's own sections are read, those sections merged over the imports by id.
void read_imports(ScenarioReader& r, const YamlNode& n);
void merge_over_imports(ScenarioReader& r);

// bind_names.cpp: resolves every name left unbound, reports those that name nothing, and
// indexes the world.
void bind_names(ScenarioReader& r);

}  // namespace iamsim::model::load
