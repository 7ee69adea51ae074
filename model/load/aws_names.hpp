// Stage: model (load). The forms AWS gives its names, checked as a scenario declares them:
// IAM names and paths, S3 buckets, regions, EKS clusters, KMS key ids and organization ids.
// Account ids are engine/syntax's is_account_id; timestamps are read by the engine's
// instant parser (engine/syntax/values.hpp), so the loader and conditions agree.
#pragma once

#include <cstddef>
#include <string_view>

namespace iamsim::model::load {

// 1 to `max` characters of A-Z a-z 0-9 +=,.@_- (users 64, roles 64, groups 128).
bool is_iam_name(std::string_view s, std::size_t max);
// Starts and ends with '/', printable ASCII, at most 512 characters.
bool is_iam_path(std::string_view s);
// 3-63 of a-z 0-9 . -, starting and ending with a letter or digit.
bool is_bucket_name(std::string_view s);
// us-east-1, eu-central-2, us-gov-west-1, cn-north-1 ...
bool is_region(std::string_view s);
// Up to 100 of A-Z a-z 0-9 - _, starting with a letter or digit.
bool is_cluster_name(std::string_view s);
// Letters, digits and '-': a key id, not an ARN.
bool is_key_id(std::string_view s);
// o- and 10 to 32 of a-z 0-9.
bool is_org_id(std::string_view s);

}  // namespace iamsim::model::load
