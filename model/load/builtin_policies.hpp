// Stage: model (load). The policies AWS attaches when a scenario names none, and the
// built-ins a scenario may name: FullAWSAccess (SCPs, S4), RCPFullAWSAccess (RCPs, R2),
// the default key policies (KM1) and the default VPC endpoint policy (V2).
#pragma once

#include <string>
#include <string_view>

#include "model/world.hpp"

namespace iamsim::model {

inline constexpr std::string_view full_aws_access_name = "FullAWSAccess";
inline constexpr std::string_view rcp_full_aws_access_name = "RCPFullAWSAccess";
PolicyDocument full_aws_access();
PolicyDocument rcp_full_aws_access();

// A KMS key's policy when the scenario gives none: the account's root may do kms:*, or,
// for an AWS managed key, the account's principals may use it through an AWS service.
PolicyDocument default_key_policy(const std::string& account, const std::string& region, bool aws_managed);

// A VPC endpoint's policy when the scenario gives none: everything is allowed.
PolicyDocument default_endpoint_policy();

}  // namespace iamsim::model
