// Stage: paths. When S3 counts a bucket or access point policy as public (B5), and which
// Block Public Access settings a request meets (B4: account, bucket, access point; the most
// restrictive combination applies).
#pragma once

#include <cstdint>
#include <vector>

#include "engine/compile/compiled_policy.hpp"
#include "model/world.hpp"

namespace iamsim::model {

// B5: public unless every Allow statement is pinned to fixed values: a principal that is
// not everyone (an account, user, role or service), or a condition on one of the keys S3
// accepts (aws:PrincipalOrgID, aws:SourceArn, aws:SourceVpc(e), aws:SourceAccount,
// aws:SourceOwner, aws:SourceIp no broader than /8 outside RFC 1918, s3:DataAccessPoint*,
// ...) with values without wildcards or variables. `access_point` applies B5's access point
// rule: a wildcarded s3:DataAccessPointArn does not pin.
bool is_public_policy(const compile::CompiledPolicy& policy, bool access_point = false);
// The Allow statements that make it public, by index.
std::vector<std::uint32_t> public_statements(const compile::CompiledPolicy& policy, bool access_point = false);

// Which conditions pin the caller, for those who ask.
struct PinRules {
  bool access_point = false;        // B5's access point rule: a wildcarded s3:DataAccessPointArn does not pin
  bool kms_caller_account = false;  // kms:CallerAccount pins too (a key policy's grant to "*")
};

// Does the condition pin the caller to fixed values (B5): one of the keys above, its values
// without wildcards or variables, and no operator that lets a request without the key
// through (negated, ...IfExists, ForAllValues)? is_public_policy and lint ask this.
bool pins_caller(const compile::CompiledCondition& condition, PinRules rules);

// The settings of every level given, or'ed: account, bucket, and the access point if any.
PublicAccessBlock effective_block(const Account* account, const Bucket& bucket, const AccessPoint* access_point);

}  // namespace iamsim::model
