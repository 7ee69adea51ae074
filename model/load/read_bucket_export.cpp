// Stage: model (load), real estates. S3 in an account folder of an export (docs/exports.md):
// each s3/BUCKET/ folder (location, policy, encryption, tags, Block Public Access, Object
// Ownership and ACL), the account's Block Public Access, and the access points of
// REGION/s3control/ with their policies, joined to their buckets once every account is read.
#include <algorithm>
#include <map>

#include "engine/syntax/arn_view.hpp"
#include "model/load/aws_names.hpp"
#include "model/load/derived_policies.hpp"
#include "model/load/read_exports.hpp"

namespace iamsim::model::load {
namespace {

namespace fs = std::filesystem;

// A policy that denies everything, for a piece whose policy the export lacks.
PolicyDocument deny_all(const std::string& name, const SourceLocation& where) {
  PolicyDocument d;
  d.name = name + " (not in the export: denies everything)";
  d.json_text =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]})";
  d.origin = where;
  return d;
}

// LocationConstraint: null or "" is us-east-1, "EU" the old name of eu-west-1.
std::string bucket_region(ExportFile& f) {
  auto at = f.member(f.root(), "LocationConstraint", false);
  if (!at) return "us-east-1";
  auto s = f.string(*at, "LocationConstraint");
  if (!s || s->empty()) return "us-east-1";
  if (*s == "EU") return "eu-west-1";
  if (!is_region(*s)) f.error("export.bad-value", *at, "'" + *s + "' is not a region");
  return *s;
}

// The default encryption's KMS key as written; none for SSE-S3.
std::optional<std::string> bucket_key(ExportFile& f) {
  auto config = f.member(f.root(), "ServerSideEncryptionConfiguration");
  if (!config) return std::nullopt;
  for (const auto& rule : f.array_member(*config, "Rules", true)) {
    auto by_default = f.member(rule, "ApplyServerSideEncryptionByDefault", false);
    if (!by_default) continue;
    auto algorithm = f.string_member(*by_default, "SSEAlgorithm");
    if (!algorithm || *algorithm == "AES256") continue;
    if (auto key = f.string_member(*by_default, "KMSMasterKeyID", false)) return *key;
    // aws:kms without a key id is the account's AWS managed key aws/s3.
    return "alias/aws/s3";
  }
  return std::nullopt;
}

// `get-bucket-ownership-controls`: {"OwnershipControls": {"Rules": [{"ObjectOwnership": ...}]}}.
std::optional<std::string> object_ownership(ExportFile& f) {
  auto controls = f.member(f.root(), "OwnershipControls");
  if (!controls) return std::nullopt;
  for (const auto& rule : f.array_member(*controls, "Rules", true)) {
    auto o = f.string_member(rule, "ObjectOwnership");
    if (!o) return std::nullopt;
    if (*o != "BucketOwnerEnforced" && *o != "BucketOwnerPreferred" && *o != "ObjectWriter") {
      f.error("export.bad-value", *f.member(rule, "ObjectOwnership"),
              "ObjectOwnership is BucketOwnerEnforced, BucketOwnerPreferred or ObjectWriter, found '" + *o + "'");
      return std::nullopt;
    }
    return *o;
  }
  f.error("export.missing-field", *controls, "OwnershipControls has no rule");
  return std::nullopt;
}

// `get-bucket-acl`: each grant's grantee as the world names it. The owner's canonical id is
// the bucket's account (its grants add nothing); the AllUsers and AuthenticatedUsers groups
// are themselves; a grantee iamsim cannot tie to a principal (another canonical user, an
// e-mail address, the log delivery group) is reported, not silently dropped.
void bucket_acl(ExportFile& f, Bucket& b) {
  std::string owner;
  if (auto o = f.member(f.root(), "Owner", false)) owner = f.string_member(*o, "ID", false).value_or("");
  for (const auto& g : f.array_member(f.root(), "Grants", true)) {
    auto grantee = f.member(g, "Grantee");
    auto permission = f.string_member(g, "Permission");
    if (!grantee || !permission) continue;
    if (!is_acl_permission(*permission)) {
      f.error("export.bad-value", g,
              "an ACL permission is READ, WRITE, READ_ACP, WRITE_ACP or FULL_CONTROL, found '" + *permission + "'");
      continue;
    }
    auto type = f.string_member(*grantee, "Type");
    if (!type) continue;
    std::string who;
    if (*type == "Group") {
      auto uri = f.string_member(*grantee, "URI");
      if (!uri) continue;
      if (uri->ends_with("/global/AllUsers")) who = "AllUsers";
      if (uri->ends_with("/global/AuthenticatedUsers")) who = "AuthenticatedUsers";
      if (who.empty()) {
        f.warning("export.unknown-grantee", g,
                  "bucket " + b.name + " grants " + *permission + " to the group " + *uri +
                      ", which the world does not model; what it allows is not seen");
        continue;
      }
    } else if (*type == "CanonicalUser") {
      auto id = f.string_member(*grantee, "ID");
      if (!id) continue;
      if (*id == owner) {
        who = b.account_id;
      } else {
        f.warning("export.unknown-grantee", g,
                  "bucket " + b.name + " grants " + *permission + " to canonical user " + *id +
                      ", whose account the export does not say; what it allows is not seen");
        continue;
      }
    } else {
      f.warning("export.unknown-grantee", g,
                "bucket " + b.name + " grants " + *permission + " to a grantee of type " + *type +
                    ", which the world does not model; what it allows is not seen");
      continue;
    }
    b.acl.push_back({who, *permission, f.at(g)});
  }
}

}  // namespace

std::optional<PublicAccessBlock> public_access_block_of(ExportFile& f, const JsonAt& object) {
  auto config = f.member(object, "PublicAccessBlockConfiguration");
  if (!config) return std::nullopt;
  return public_access_block_settings(f, *config);
}

std::optional<PublicAccessBlock> public_access_block_settings(ExportFile& f, const JsonAt& config) {
  if (!f.is_object(config, "PublicAccessBlockConfiguration")) return std::nullopt;
  PublicAccessBlock p;
  // A setting the output leaves out is off, as S3 reads a configuration without it.
  p.block_public_acls = f.boolean_member(config, "BlockPublicAcls").value_or(false);
  p.ignore_public_acls = f.boolean_member(config, "IgnorePublicAcls").value_or(false);
  p.block_public_policy = f.boolean_member(config, "BlockPublicPolicy").value_or(false);
  p.restrict_public_buckets = f.boolean_member(config, "RestrictPublicBuckets").value_or(false);
  return p;
}

bool read_bucket_export(const fs::path& folder, Account& a, Diagnostics& d) {
  const std::string name = folder.filename().string();
  if (!is_folder(folder) || !is_bucket_name(name)) return false;
  Bucket b;
  b.name = name;
  b.account_id = a.id;
  b.arn = "arn:aws:s3:::" + name;
  b.region = "us-east-1";
  b.where = {folder.string(), "", 0, 0};
  bool have_ownership = false, have_acl = false;
  for (const auto& p : entries_of(folder, &d)) {
    const std::string file = p.filename().string();
    if (file == "get-bucket-location.json") {
      if (auto f = ExportFile::read(p, d)) b.region = bucket_region(*f);
    } else if (file == "get-bucket-policy.json") {
      if (auto f = ExportFile::read(p, d))
        if (auto doc = f->member(f->root(), "Policy")) b.policy = f->policy(*doc, "bucket policy of " + name);
    } else if (file == "get-bucket-encryption.json") {
      if (auto f = ExportFile::read(p, d)) b.kms_key = bucket_key(*f);
    } else if (file == "get-bucket-tagging.json") {
      if (auto f = ExportFile::read(p, d))
        if (auto t = f->member(f->root(), "TagSet")) b.tags = f->tags(*t);
    } else if (file == "get-public-access-block.json") {
      if (auto f = ExportFile::read(p, d)) b.public_access_block = public_access_block_of(*f, f->root());
    } else if (file == "get-bucket-ownership-controls.json") {
      have_ownership = true;
      if (auto f = ExportFile::read(p, d))
        if (auto o = object_ownership(*f)) b.object_ownership = *o;
    } else if (file == "get-bucket-acl.json") {
      have_acl = true;
      if (auto f = ExportFile::read(p, d)) bucket_acl(*f, b);
    } else {
      d.warning("export.unknown-file", {p.string(), "", 0, 0},
                "not part of the export layout (docs/exports.md); not read");
    }
  }
  if (!path_exists(folder / "get-bucket-location.json"))
    d.warning("export.missing-file", b.where,
              "bucket " + name + " has no get-bucket-location.json; its region is taken as us-east-1");
  // B3: a bucket without ownership controls has ACLs enabled (ObjectWriter), as S3 reads it.
  if (!have_ownership && have_acl) b.object_ownership = "ObjectWriter";
  if (!have_acl && (!have_ownership || b.object_ownership != "BucketOwnerEnforced"))
    d.warning("export.missing-file", b.where,
              "bucket " + name + " has no get-bucket-acl.json" +
                  (have_ownership ? std::string() : std::string(" nor get-bucket-ownership-controls.json")) +
                  "; what its ACL grants is not seen");
  derive_acl_policies(b);
  a.buckets.push_back(std::move(b));
  return true;
}

void read_account_public_access_block(const fs::path& file, Account& a, Diagnostics& d) {
  if (auto f = ExportFile::read(file, d)) a.public_access_block = public_access_block_of(*f, f->root());
}

void read_access_points_export(const fs::path& folder, Account& a, const std::string& region,
                               std::vector<ExportedAccessPoint>& into, Diagnostics& d) {
  const fs::path list_file = folder / "list-access-points.json";
  for (const auto& p : entries_of(folder, &d)) {
    const std::string name = p.filename().string();
    if (name != "list-access-points.json" && !(name == "access-points" && is_folder(p)))
      d.warning("export.unknown-file", {p.string(), "", 0, 0},
                "not part of the export layout (docs/exports.md); not read");
  }
  if (!path_exists(list_file)) {
    d.warning("export.missing-file", {folder.string(), "", 0, 0},
              "s3control/ has no list-access-points.json; the access points of account " + a.id + " in " + region +
                  " are not seen");
    return;
  }
  auto f = ExportFile::read(list_file, d);
  if (!f) return;
  if (auto next = f->member(f->root(), "NextToken", false)) {
    f->warning("export.truncated", *next,
               "the output is one page of several (NextToken): the other pages' access points are missing");
    a.unseen.push_back("list-access-points in " + region + " is one page of several");
  }
  for (const auto& item : f->array_member(f->root(), "AccessPointList", true)) {
    auto name = f->string_member(item, "Name");
    auto bucket = f->string_member(item, "Bucket");
    if (!name || !bucket) continue;
    ExportedAccessPoint x;
    x.bucket = *bucket;
    x.bucket_account = f->string_member(item, "BucketAccountId", false).value_or("");
    AccessPoint& ap = x.access_point;
    ap.name = *name;
    ap.account_id = a.id;
    ap.region = region;
    ap.arn = "arn:aws:s3:" + region + ":" + a.id + ":accesspoint/" + ap.name;
    if (auto arn = f->string_member(item, "AccessPointArn", false); arn && *arn != ap.arn) {
      f->error("export.wrong-account", item,
               "access point " + *arn + " is not in the account and region of its folder (" + ap.arn + ")");
      continue;
    }
    if (auto origin = f->string_member(item, "NetworkOrigin", false)) {
      if (*origin != "Internet" && *origin != "VPC") {
        f->error("export.bad-value", *f->member(item, "NetworkOrigin"),
                 "NetworkOrigin is Internet or VPC, found '" + *origin + "'");
        continue;
      }
      ap.vpc_origin = *origin == "VPC";
    }
    if (auto vpc = f->member(item, "VpcConfiguration", false))
      ap.vpc_id = f->string_member(*vpc, "VpcId", false).value_or("");
    ap.where = f->at(item);
    const fs::path own = folder / "access-points" / ap.name;
    if (!is_folder(own)) {
      // Its policy could deny what the bucket allows; unseen, it is taken to deny everything.
      d.warning("export.missing-file", ap.where,
                "access point " + ap.name + " has no folder access-points/" + ap.name +
                    "/ (get-access-point, get-access-point-policy); it is taken to deny everything");
      ap.policy = deny_all("access point policy of " + ap.name, ap.where);
      ap.public_access_block = PublicAccessBlock{true, true, true, true};
      into.push_back(std::move(x));
      continue;
    }
    for (const auto& p : entries_of(own, &d)) {
      const std::string file = p.filename().string();
      if (file == "get-access-point-policy.json") {
        if (auto pf = ExportFile::read(p, d))
          if (auto doc = pf->member(pf->root(), "Policy"))
            ap.policy = pf->policy(*doc, "access point policy of " + ap.name);
      } else if (file == "get-access-point.json") {
        if (auto gf = ExportFile::read(p, d))
          if (gf->member(gf->root(), "PublicAccessBlockConfiguration", false))
            ap.public_access_block = public_access_block_of(*gf, gf->root());
      } else {
        d.warning("export.unknown-file", {p.string(), "", 0, 0},
                  "not part of the export layout (docs/exports.md); not read");
      }
    }
    if (!path_exists(own / "get-access-point.json")) {
      // S3 turns every setting on for a new access point, and they cannot be changed.
      d.warning("export.missing-file", ap.where,
                "access point " + ap.name +
                    " has no get-access-point.json; its Block Public Access is taken as all on (S3's default)");
      ap.public_access_block = PublicAccessBlock{true, true, true, true};
    }
    into.push_back(std::move(x));
  }
}

void attach_access_points(World& w, std::vector<ExportedAccessPoint>& points, Diagnostics& d) {
  std::map<std::string, Bucket*, std::less<>> buckets;
  for (auto& a : w.accounts)
    for (auto& b : a.buckets) buckets.emplace(b.name, &b);
  for (auto& x : points) {
    auto found = buckets.find(x.bucket);
    Bucket* bucket = found == buckets.end() ? nullptr : found->second;
    if (!bucket) {
      d.warning("export.missing-bucket", x.access_point.where,
                "access point " + x.access_point.name + " is on bucket " + x.bucket +
                    ", which the export does not hold; requests through it are not answered");
      continue;
    }
    if (!x.bucket_account.empty() && x.bucket_account != bucket->account_id) {
      d.error("export.wrong-account", x.access_point.where,
              "access point " + x.access_point.name + " names bucket " + x.bucket + " of account " + x.bucket_account +
                  ", but the export holds that bucket in account " + bucket->account_id);
      continue;
    }
    if (std::any_of(bucket->access_points.begin(), bucket->access_points.end(), [&](const AccessPoint& o) {
          return o.name == x.access_point.name && o.account_id == x.access_point.account_id;
        })) {
      d.error("export.duplicate", x.access_point.where,
              "access point " + x.access_point.name + " of account " + x.access_point.account_id + " is listed twice");
      continue;
    }
    bucket->access_points.push_back(std::move(x.access_point));
  }
}

}  // namespace iamsim::model::load
