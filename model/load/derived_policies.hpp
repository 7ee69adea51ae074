// Stage: model (load). Policies iamsim writes from what a world holds, the same whether a
// scenario or an export gave it: a bucket ACL as resource-policy statements (B3) and a KMS
// key's grants as key-policy statements (KM2); and the words those inputs use.
#pragma once

#include <optional>
#include <string_view>

#include "model/world.hpp"

namespace iamsim::model::load {

// The operations a grant may allow (KMS CreateGrant's Operations, without "kms:").
bool is_grant_operation(std::string_view op);
// READ, WRITE, READ_ACP, WRITE_ACP or FULL_CONTROL.
bool is_acl_permission(std::string_view permission);

// KM2: one statement per grant (Sid "grant ID"); `k.grants` is not empty.
PolicyDocument grants_policy(const KmsKey& k);

// B3: the bucket's ACL as statements, or nothing when it grants nobody outside the owner;
// without the public grants (AllUsers, AuthenticatedUsers) when `with_public` is false.
std::optional<PolicyDocument> acl_policy(const Bucket& b, bool with_public);

// B3: with BucketOwnerEnforced ACLs have no effect; otherwise `b.acl` as the two policies.
void derive_acl_policies(Bucket& b);

}  // namespace iamsim::model::load
