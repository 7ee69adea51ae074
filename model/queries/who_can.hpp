// Stage: paths (queries). Questions about many principals at once: who can do an action on
// a resource, and the access matrix of a world. Principals that cannot be allowed are
// pruned by what the policies name (the resource policy's grantees, the actions identity
// policies allow, the roles trust policies admit) before any path is evaluated.
#pragma once

#include <atomic>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/paths/access.hpp"

namespace iamsim::model {

struct AllowedPrincipal {
  PrincipalRef principal;
  Access access;
};

class PrincipalIndex {
 public:
  explicit PrincipalIndex(const AccessResolver& resolver);
  ~PrincipalIndex();

  // Every principal of the world: IAM users and roles, service accounts, workloads, and
  // anonymous.
  const std::vector<PrincipalRef>& all() const { return all_; }
  const AccessResolver& resolver() const { return resolver_; }

  // The principals (with one-role chains the world makes possible) that might be allowed;
  // every other principal is certainly denied. `any_resource_pattern`: statements count
  // whatever resource they name (for a resource that stands for all objects of a pattern).
  std::vector<PrincipalRef> candidates(std::string_view action, std::string_view resource_arn,
                                       bool any_resource_pattern = false) const;

  // Who might assume the role with sts:AssumeRole (users, roles, and the service accounts
  // and workloads whose pods end up as one of them); every other principal certainly cannot.
  // Empty when its trust names no IAM principal.
  std::vector<PrincipalRef> assumers(std::string_view role_arn) const;

  // The candidates that are allowed, decided in parallel, sorted by principal.
  std::vector<AllowedPrincipal> who_can(std::string_view action, std::string_view resource_arn,
                                        const Context& context = {}) const;

 private:
  struct Identity;  // an IAM user or role that can make the final request
  // A service account or workload, with the identity (index) its pods end up as.
  struct Pod {
    PrincipalRef ref;
    std::size_t identity = 0;
    bool service_account = true;
  };
  std::vector<PrincipalRef> assumers_of(std::size_t target) const;

  const AccessResolver& resolver_;
  std::vector<PrincipalRef> all_;
  std::vector<Identity> identities_;
  std::vector<Pod> pods_;                                   // only those with a role
  std::vector<std::vector<std::size_t>> pods_by_identity_;  // service accounts per role
  std::vector<bool> may_assume_;                            // own policies could allow sts:AssumeRole
  std::unordered_map<std::string, std::size_t> role_by_arn_;
};

// ---- the access matrix ----------------------------------------------------------------

struct MatrixAxes {
  std::vector<std::string> principals;  // canonical principal references
  std::vector<std::string> actions;
  std::vector<std::string> resources;
};

struct MatrixCell {
  std::string principal, action, resource;
  friend auto operator<=>(const MatrixCell&, const MatrixCell&) = default;
};

struct Matrix {
  std::string world;  // scenario name
  MatrixAxes axes;
  std::vector<MatrixCell> allowed;  // sorted; every other cell of the axes is denied
};

// The world's own axes: its principals, the actions its policies name (wildcards expanded
// over AWS's service catalogue, keeping the actions that apply to one of the world's
// resources), and its resources: buckets, objects its expectations name (or BUCKET/object),
// keys and roles.
MatrixAxes default_axes(const CompiledWorld& world);

// Keeps the axis entries that contain one of the filters (all when a filter is empty).
MatrixAxes filter_axes(MatrixAxes axes, const std::vector<std::string>& principals,
                       const std::vector<std::string>& actions, const std::vector<std::string>& resources);

// Decides every applicable (action, resource) pair of the axes for every principal.
// `done`, when given, counts the (action, resource) pairs decided so far, for progress.
// The pairs are ordered by resource, then action, as the axes list them; only those from
// index `first` to before `last` are decided (one shard's, `--shard`).
Matrix build_matrix(const AccessResolver& resolver, const MatrixAxes& axes, std::atomic<std::size_t>* done = nullptr,
                    std::size_t first = 0, std::size_t last = static_cast<std::size_t>(-1));

// How many (action, resource) pairs of the axes apply: the matrix's units of work.
std::size_t matrix_pairs(const MatrixAxes& axes);

// Drops the allowed cells outside the matrix's axes (a chain counts by its first principal).
void restrict_to_axes(Matrix& matrix);

// Does this action apply to this resource? It does when the catalogue gives the action one of
// the resource's types (an S3 bucket or object, a KMS key, an IAM role...); an action the
// catalogue does not know applies to the resources of its own service.
bool action_applies_to(std::string_view action, std::string_view resource_arn);

}  // namespace iamsim::model
