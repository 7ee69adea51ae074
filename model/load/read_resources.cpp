// Stage: model (load), reading. An account's resources: KMS keys, S3 buckets (with the key
// that encrypts them, bound later) and VPC endpoints.
#include "engine/syntax/arn_view.hpp"
#include "model/load/aws_names.hpp"
#include "model/load/builtin_policies.hpp"
#include "model/load/derived_policies.hpp"
#include "model/load/scenario_reader.hpp"

namespace iamsim::model::load {
namespace {

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

void read_acl(FieldReader& in, const YamlNode& n, Bucket& b) {
  for (const auto& g : in.list(n, "acl")) {
    if (!in.is_map(g, "an ACL grant")) continue;
    Fields f(in, g, "an ACL grant", {"grantee", "permission"});
    if (!in.require(f, g, "grantee", "an ACL grant") || !in.require(f, g, "permission", "an ACL grant")) continue;
    auto grantee = in.text(f["grantee"], "grantee");
    auto permission = in.text(f["permission"], "permission");
    if (!grantee || !permission) continue;
    if (!is_acl_permission(*permission)) {
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
  derive_acl_policies(b);
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
