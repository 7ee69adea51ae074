// Stage: model (load). The policies iamsim writes from ACLs and grants (derived_policies.hpp).
#include "model/load/derived_policies.hpp"

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "engine/syntax/arn_view.hpp"

namespace iamsim::model::load {
namespace {

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
      out += buf;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

}  // namespace

// The operations a grant may allow (KMS CreateGrant's Operations).
bool is_grant_operation(std::string_view op) {
  static constexpr std::string_view ops[] = {"CreateGrant",
                                             "Decrypt",
                                             "DescribeKey",
                                             "Encrypt",
                                             "GenerateDataKey",
                                             "GenerateDataKeyPair",
                                             "GenerateDataKeyPairWithoutPlaintext",
                                             "GenerateDataKeyWithoutPlaintext",
                                             "GetPublicKey",
                                             "ReEncryptFrom",
                                             "ReEncryptTo",
                                             "RetireGrant",
                                             "Sign",
                                             "Verify",
                                             "GenerateMac",
                                             "VerifyMac",
                                             "DeriveSharedSecret"};
  for (auto o : ops)
    if (o == op) return true;
  return false;
}

bool is_acl_permission(std::string_view p) {
  return p == "READ" || p == "WRITE" || p == "READ_ACP" || p == "WRITE_ACP" || p == "FULL_CONTROL";
}

// KM2: each grant as a key-policy statement: its grantee, its operations, its constraints
// as conditions on kms:EncryptionContext:KEY (Equals also fixes the set of keys).
PolicyDocument grants_policy(const KmsKey& k) {
  std::string json = "{\"Version\":\"2012-10-17\",\"Statement\":[";
  for (std::size_t i = 0; i < k.grants.size(); ++i) {
    const KmsGrant& g = k.grants[i];
    if (i) json += ",";
    const bool service = g.grantee.ends_with(".amazonaws.com");
    json += "{\"Sid\":" + json_string("grant " + g.id) + ",\"Effect\":\"Allow\",\"Principal\":{" +
            (service ? "\"Service\":" : "\"AWS\":") + json_string(g.grantee) + "},\"Action\":[";
    for (std::size_t j = 0; j < g.operations.size(); ++j)
      json += (j ? "," : "") + json_string("kms:" + g.operations[j]);
    json += "],\"Resource\":\"*\"";
    std::map<std::string, std::string> context = g.context_subset;
    for (const auto& [key, value] : g.context_equals) context[key] = value;
    if (!context.empty()) {
      json += ",\"Condition\":{\"StringEquals\":{";
      bool first = true;
      for (const auto& [key, value] : context) {
        json += (first ? "" : ",") + json_string("kms:EncryptionContext:" + key) + ":" + json_string(value);
        first = false;
      }
      json += "}";
      if (!g.context_equals.empty()) {
        json += ",\"ForAllValues:StringEquals\":{\"kms:EncryptionContextKeys\":[";
        bool first_key = true;
        for (const auto& [key, value] : g.context_equals) {
          json += (first_key ? "" : ",") + json_string(key);
          first_key = false;
        }
        json += "]}";
      }
      json += "}";
    }
    json += "}";
  }
  json += "]}";
  PolicyDocument d;
  d.name = "grants of key " + k.id;
  d.json_text = std::move(json);
  d.origin = k.grants.front().where;
  d.builtin = true;  // written by iamsim from the grants, not by the scenario
  return d;
}

namespace {

// B3: what each ACL permission lets its grantee do on the bucket and its objects.
struct AclActions {
  std::vector<std::string_view> bucket, objects;
};
AclActions acl_actions(std::string_view permission) {
  AclActions read{{"s3:ListBucket", "s3:ListBucketVersions", "s3:ListBucketMultipartUploads"}, {}};
  AclActions write{{}, {"s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"}};
  if (permission == "READ") return read;
  if (permission == "WRITE") return write;
  if (permission == "READ_ACP") return {{"s3:GetBucketAcl"}, {}};
  if (permission == "WRITE_ACP") return {{"s3:PutBucketAcl"}, {}};
  AclActions all = read;  // FULL_CONTROL
  all.objects = write.objects;
  all.bucket.push_back("s3:GetBucketAcl");
  all.bucket.push_back("s3:PutBucketAcl");
  return all;
}

bool public_grantee(std::string_view grantee) { return grantee == "AllUsers" || grantee == "AuthenticatedUsers"; }

}  // namespace

// B3: a bucket ACL as resource-policy statements: AllUsers is everyone, anonymous included;
// AuthenticatedUsers every signed caller; an account or canonical user that principal.
// Grants to the owner's own account add nothing (ACLs cannot grant within the account).
std::optional<PolicyDocument> acl_policy(const Bucket& b, bool with_public) {
  std::string statements;
  std::size_t index = 0;
  for (const AclGrant& g : b.acl) {
    ++index;
    if (g.grantee == b.account_id || (!with_public && public_grantee(g.grantee))) continue;
    std::string principal = g.grantee == "AllUsers" || g.grantee == "AuthenticatedUsers" ? "\"*\""
                            : syntax::is_account_id(g.grantee) ? "{\"AWS\":" + json_string(g.grantee) + "}"
                                                               : "{\"CanonicalUser\":" + json_string(g.grantee) + "}";
    const std::string condition =
        g.grantee == "AuthenticatedUsers" ? ",\"Condition\":{\"Null\":{\"aws:PrincipalArn\":\"false\"}}" : "";
    const AclActions actions = acl_actions(g.permission);
    auto add = [&](const std::vector<std::string_view>& acts, const std::string& resource, const char* part) {
      if (acts.empty()) return;
      std::string list;
      for (auto a : acts) list += (list.empty() ? "" : ",") + json_string(a);
      statements += (statements.empty() ? "" : ",") + std::string("{\"Sid\":") +
                    json_string("acl" + std::to_string(index) + part + g.permission) +
                    ",\"Effect\":\"Allow\",\"Principal\":" + principal + ",\"Action\":[" + list +
                    "],\"Resource\":" + json_string(resource) + condition + "}";
    };
    add(actions.bucket, b.arn, "bucket");
    add(actions.objects, b.arn + "/*", "objects");
  }
  if (statements.empty()) return std::nullopt;
  PolicyDocument d;
  d.name = std::string(with_public ? "ACL" : "ACL without its public grants") + " of bucket " + b.name;
  d.json_text = "{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}";
  d.origin = b.acl.front().where;
  d.builtin = true;
  return d;
}

void derive_acl_policies(Bucket& b) {
  b.acl_policy.reset();
  b.acl_private_policy.reset();
  if (b.object_ownership == "BucketOwnerEnforced" || b.acl.empty()) return;
  b.acl_policy = acl_policy(b, true);
  b.acl_private_policy = acl_policy(b, false);
}

}  // namespace iamsim::model::load
