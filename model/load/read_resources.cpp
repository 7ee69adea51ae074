// Stage: model (load), reading. An account's resources: KMS keys, S3 buckets (with the key
// that encrypts them, bound later) and VPC endpoints.
#include <cstdio>

#include "engine/syntax/arn_view.hpp"
#include "model/load/aws_names.hpp"
#include "model/load/builtin_policies.hpp"
#include "model/load/scenario_reader.hpp"

namespace iamsim::model::load {
namespace {

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

std::optional<KmsGrant> read_grant(FieldReader& in, const YamlNode& n, std::size_t index) {
  if (!in.is_map(n, "a grant")) return std::nullopt;
  Fields f(in, n, "a grant",
           {"grant_id", "name", "grantee_principal", "operations", "constraints", "retiring_principal"});
  if (!in.require(f, n, "grantee_principal", "a grant") || !in.require(f, n, "operations", "a grant"))
    return std::nullopt;
  KmsGrant g;
  g.id = "#" + std::to_string(index);
  if (f.has("grant_id"))
    if (auto id = in.text(f["grant_id"], "grant_id")) g.id = *id;
  if (f.has("name"))
    if (auto name = in.text(f["name"], "name")) g.name = *name;
  auto grantee = in.text(f["grantee_principal"], "grantee_principal");
  if (!grantee) return std::nullopt;
  if (!grantee->ends_with(".amazonaws.com") && !syntax::is_account_id(*grantee)) {
    auto ref = parse_principal_ref(*grantee);
    if (!ref || ref.value->kind != PrincipalRef::Kind::Arn || !ref.value->chain.empty()) {
      in.error("scenario.bad-arn", f["grantee_principal"],
               "grantee_principal must be a user, role or assumed-role ARN, an account id or a service principal, "
               "found '" +
                   *grantee + "'");
      return std::nullopt;
    }
  }
  g.grantee = *grantee;
  for (const auto& op : in.strings(f["operations"], "operations")) {
    const std::string bare = op.starts_with("kms:") ? op.substr(4) : op;
    if (!is_grant_operation(bare)) {
      in.error("scenario.bad-value", f["operations"], "'" + op + "' is not an operation a KMS grant can allow");
      return std::nullopt;
    }
    g.operations.push_back(bare);
  }
  if (g.operations.empty()) {
    in.error("scenario.bad-value", f["operations"], "a grant allows at least one operation");
    return std::nullopt;
  }
  if (f.has("constraints") && in.is_map(f["constraints"], "constraints")) {
    Fields c(in, f["constraints"], "constraints", {"encryption_context_subset", "encryption_context_equals"});
    g.context_subset = in.tags(c["encryption_context_subset"], "encryption_context_subset");
    g.context_equals = in.tags(c["encryption_context_equals"], "encryption_context_equals");
  }
  if (f.has("retiring_principal"))
    if (auto r = in.text(f["retiring_principal"], "retiring_principal")) g.retiring_principal = *r;
  g.where = in.at(n);
  return g;
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

void read_acl(FieldReader& in, const YamlNode& n, Bucket& b) {
  for (const auto& g : in.list(n, "acl")) {
    if (!in.is_map(g, "an ACL grant")) continue;
    Fields f(in, g, "an ACL grant", {"grantee", "permission"});
    if (!in.require(f, g, "grantee", "an ACL grant") || !in.require(f, g, "permission", "an ACL grant")) continue;
    auto grantee = in.text(f["grantee"], "grantee");
    auto permission = in.text(f["permission"], "permission");
    if (!grantee || !permission) continue;
    if (*permission != "READ" && *permission != "WRITE" && *permission != "READ_ACP" && *permission != "WRITE_ACP" &&
        *permission != "FULL_CONTROL") {
      in.error("scenario.bad-value", f["permission"],
               "an ACL permission is READ, WRITE, READ_ACP, WRITE_ACP or FULL_CONTROL, found '" + *permission + "'");
      continue;
    }
    // The group URIs of get-bucket-acl name the same groups.
    std::string who = *grantee;
    if (who.ends_with("/global/AllUsers")) who = "AllUsers";
    if (who.ends_with("/global/AuthenticatedUsers")) who = "AuthenticatedUsers";
    b.acl.push_back({who, *permission, in.at(g)});
  }
}

void read_access_point(ScenarioReader& r, const YamlNode& n, Bucket& b) {
  FieldReader& in = r.in;
  if (!in.is_map(n, "an access point")) return;
  Fields f(in, n, "an access point",
           {"name", "account", "region", "policy", "network_origin", "vpc_id", "public_access_block"});
  if (!in.require(f, n, "name", "an access point")) return;
  auto name = in.text(f["name"], "access point name");
  if (!name) return;
  AccessPoint ap;
  ap.name = *name;
  ap.account_id = b.account_id;
  if (f.has("account"))
    if (auto acct = in.account_id(f["account"], "account")) ap.account_id = *acct;
  ap.region = f.has("region") ? in.region(f, "an access point") : b.region;
  ap.arn = "arn:aws:s3:" + ap.region + ":" + ap.account_id + ":accesspoint/" + ap.name;
  ap.policy = read_optional_policy(r, f, "policy");
  if (f.has("network_origin"))
    if (auto origin = in.text(f["network_origin"], "network_origin")) {
      if (*origin != "Internet" && *origin != "VPC")
        in.error("scenario.bad-value", f["network_origin"],
                 "network_origin is Internet or VPC, found '" + *origin + "'");
      ap.vpc_origin = *origin == "VPC";
    }
  if (f.has("vpc_id"))
    if (auto v = in.text(f["vpc_id"], "vpc_id")) ap.vpc_id = *v;
  if (f.has("public_access_block")) ap.public_access_block = read_public_access_block(in, f["public_access_block"]);
  ap.where = in.at(n);
  for (const auto& other : b.access_points)
    if (other.name == ap.name && other.account_id == ap.account_id) {
      in.error("scenario.duplicate-access-point", f["name"],
               "access point " + ap.name + " of account " + ap.account_id + " is declared twice");
      return;
    }
  b.access_points.push_back(std::move(ap));
}

}  // namespace

std::optional<PublicAccessBlock> read_public_access_block(FieldReader& in, const YamlNode& n) {
  if (!in.is_map(n, "public_access_block")) return std::nullopt;
  Fields f(in, n, "public_access_block",
           {"block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"});
  PublicAccessBlock p;
  auto flag = [&](std::string_view key, bool& into) {
    if (f.has(key))
      if (auto b = in.boolean(f[key], key)) into = *b;
  };
  flag("block_public_acls", p.block_public_acls);
  flag("ignore_public_acls", p.ignore_public_acls);
  flag("block_public_policy", p.block_public_policy);
  flag("restrict_public_buckets", p.restrict_public_buckets);
  return p;
}

void read_kms_key(ScenarioReader& r, const YamlNode& n, Account& a) {
  FieldReader& in = r.in;
  if (!in.is_map(n, "a KMS key")) return;
  Fields f(in, n, "a KMS key", {"id", "region", "policy", "aws_managed", "tags", "grants", "aliases"});
  if (!in.require(f, n, "id", "a KMS key")) return;
  auto id = in.text(f["id"], "key id");
  if (!id) return;
  if (!is_key_id(*id)) {
    in.error("scenario.bad-name", f["id"],
             "a key id is letters, digits and '-' (name the key by id, not ARN), found '" + *id + "'");
    return;
  }
  if (auto it = r.keys_seen.find(*id); it != r.keys_seen.end()) {
    in.error("scenario.duplicate-key", f["id"],
             "KMS key " + *id + " is declared twice (first at " + where_text(it->second) + ")");
    return;
  }
  r.keys_seen.emplace(*id, in.at(f["id"]));
  KmsKey k;
  k.id = *id;
  k.region = in.region(f, "a KMS key");
  k.account_id = a.id;
  k.arn = "arn:aws:kms:" + k.region + ":" + a.id + ":key/" + k.id;
  if (f.has("aws_managed"))
    if (auto b = in.boolean(f["aws_managed"], "aws_managed")) k.aws_managed = *b;
  auto p = read_optional_policy(r, f, "policy");
  k.policy = p ? std::move(*p) : default_key_policy(a.id, k.region, k.aws_managed);
  k.tags = in.tags(f["tags"], "tags");
  std::size_t index = 0;
  for (const auto& g : in.list(f["grants"], "grants"))
    if (auto grant = read_grant(in, g, index++)) k.grants.push_back(std::move(*grant));
  if (!k.grants.empty()) k.grants_policy = grants_policy(k);
  for (auto alias : in.strings(f["aliases"], "aliases")) {
    if (!alias.starts_with("alias/")) alias = "alias/" + alias;
    k.aliases.push_back(std::move(alias));
  }
  k.where = in.at(n);
  a.kms_keys.push_back(std::move(k));
}

void read_bucket(ScenarioReader& r, const YamlNode& n, Account& a) {
  FieldReader& in = r.in;
  if (!in.is_map(n, "a bucket")) return;
  Fields f(in, n, "a bucket",
           {"name", "region", "policy", "encryption", "tags", "public_access_block", "object_ownership", "acl",
            "access_points"});
  if (!in.require(f, n, "name", "a bucket")) return;
  auto name = in.text(f["name"], "bucket name");
  if (!name) return;
  if (!is_bucket_name(*name)) {
    in.error("scenario.bad-name", f["name"], "'" + *name + "' is not an S3 bucket name (3-63 of a-z 0-9 . -)");
    return;
  }
  if (auto it = r.buckets_seen.find(*name); it != r.buckets_seen.end()) {
    in.error("scenario.duplicate-bucket", f["name"],
             "bucket " + *name + " is declared twice (first at " + where_text(it->second) + ")");
    return;
  }
  r.buckets_seen.emplace(*name, in.at(f["name"]));
  Bucket b;
  b.name = *name;
  b.region = in.region(f, "a bucket");
  b.account_id = a.id;
  b.arn = "arn:aws:s3:::" + b.name;
  b.policy = read_optional_policy(r, f, "policy");
  if (f.has("encryption") && in.is_map(f["encryption"], "encryption")) {
    Fields enc(in, f["encryption"], "encryption", {"kms_key"});
    if (enc.has("kms_key"))
      if (auto key = in.text(enc["kms_key"], "kms_key")) {
        b.kms_key = *key;  // a key id or ARN, bound later
        r.unbound.bucket_keys.emplace(b.name, in.at(enc["kms_key"]));
      }
  }
  b.tags = in.tags(f["tags"], "tags");
  if (f.has("public_access_block")) b.public_access_block = read_public_access_block(in, f["public_access_block"]);
  if (f.has("object_ownership"))
    if (auto o = in.text(f["object_ownership"], "object_ownership")) {
      if (*o != "BucketOwnerEnforced" && *o != "BucketOwnerPreferred" && *o != "ObjectWriter")
        in.error("scenario.bad-value", f["object_ownership"],
                 "object_ownership is BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter, found '" + *o + "'");
      else
        b.object_ownership = *o;
    }
  read_acl(in, f["acl"], b);
  // B3: with BucketOwnerEnforced, ACLs have no effect on access.
  if (b.object_ownership != "BucketOwnerEnforced" && !b.acl.empty()) {
    b.acl_policy = acl_policy(b, true);
    b.acl_private_policy = acl_policy(b, false);
  }
  for (const auto& ap : in.list(f["access_points"], "access_points")) read_access_point(r, ap, b);
  b.where = in.at(n);
  a.buckets.push_back(std::move(b));
}

void read_vpc_endpoint(ScenarioReader& r, const YamlNode& n, Account& a) {
  FieldReader& in = r.in;
  if (!in.is_map(n, "a VPC endpoint")) return;
  Fields f(in, n, "a VPC endpoint", {"id", "service", "vpc_id", "policy"});
  if (!in.require(f, n, "id", "a VPC endpoint") || !in.require(f, n, "service", "a VPC endpoint")) return;
  auto id = in.text(f["id"], "endpoint id");
  auto service = in.text(f["service"], "service");
  if (!id || !service) return;
  if (!id->starts_with("vpce-")) {
    in.error("scenario.bad-name", f["id"], "a VPC endpoint id starts with vpce-, found '" + *id + "'");
    return;
  }
  if (auto it = r.endpoints_seen.find(*id); it != r.endpoints_seen.end()) {
    in.error("scenario.duplicate-endpoint", f["id"],
             "VPC endpoint " + *id + " is declared twice (first at " + where_text(it->second) + ")");
    return;
  }
  r.endpoints_seen.emplace(*id, in.at(f["id"]));
  VpcEndpoint e;
  e.id = *id;
  e.service = *service;
  e.account_id = a.id;
  if (f.has("vpc_id"))
    if (auto v = in.text(f["vpc_id"], "vpc_id")) e.vpc_id = *v;
  auto p = read_optional_policy(r, f, "policy");
  e.policy = p ? std::move(*p) : default_endpoint_policy();
  e.where = in.at(n);
  a.vpc_endpoints.push_back(std::move(e));
}

}  // namespace iamsim::model::load
