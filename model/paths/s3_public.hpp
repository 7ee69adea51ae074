// Stage: paths. When S3 counts a bucket or access point policy as public (B5), and which
// Block Public Access settings a request meets (B4: account, bucket, access point; the most
// restrictive combination applies).
#pragma once

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

// The settings of every level given, or'ed: account, bucket, and the access point if any.
PublicAccessBlock effective_block(const Account* account, const Bucket& bucket, const AccessPoint* access_point);

}  // namespace iamsim::model
