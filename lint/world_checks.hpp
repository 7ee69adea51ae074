// Stage: lint. Findings a world's paths prove: each is decided by the project's own
// AccessResolver, and carries the paths (service accounts, annotations, statements) as
// evidence. And the checks of a world's expectations against AWS's service catalogue.
#pragma once

#include <vector>

#include "lint/finding.hpp"
#include "lint/source_map.hpp"
#include "model/paths/access.hpp"

namespace iamsim::lint {

// Web-identity trusts without :sub or with a wildcard :sub (and who can use them today),
// IRSA annotations and Pod Identity associations the roles refuse, Pod Identity target roles
// without sts:ExternalId, SSE-KMS buckets whose key refuses a principal the bucket lets read
// or write. Not yet: pods that reach a node's role through IMDS, which needs node groups.
std::vector<Finding> check_world(const model::AccessResolver& resolver, SourceMap& sources);

// Each expectation's action against the catalogue: unknown, or asked of a resource it does
// not apply to (s3:GetObject of a bucket). `check` prints these as warnings too.
std::vector<Finding> check_expectations(const model::World& world);
// The same for one question (`can`, `who-can`), without a location.
std::vector<Finding> check_question(std::string_view action, std::string_view resource_arn);

}  // namespace iamsim::lint
