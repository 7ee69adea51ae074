// Stage: model (load), reading. An account's resources: KMS keys, S3 buckets (with the key
// that encrypts them, bound later) and VPC endpoints.
#include "model/load/aws_names.hpp"
#include "model/load/builtin_policies.hpp"
#include "model/load/scenario_reader.hpp"

namespace iamsim::model::load {

void read_kms_key(ScenarioReader& r, const YamlNode& n, Account& a) {
  FieldReader& in = r.in;
  if (!in.is_map(n, "a KMS key")) return;
  Fields f(in, n, "a KMS key", {"id", "region", "policy", "aws_managed", "tags"});
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
  k.where = in.at(n);
  a.kms_keys.push_back(std::move(k));
}

void read_bucket(ScenarioReader& r, const YamlNode& n, Account& a) {
  FieldReader& in = r.in;
  if (!in.is_map(n, "a bucket")) return;
  Fields f(in, n, "a bucket", {"name", "region", "policy", "encryption", "tags"});
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
