// Stage: model (load), real estates. An iam-collect folder (the open collector's storage
// layout: aws/PARTITION/accounts/ACCOUNT/SERVICE/[REGION/][TYPE/]RESOURCE/*.json and
// aws/PARTITION/organizations/ORG/) as a World. Folder names are lower-cased and encoded by
// the collector, so every resource is named by the ARN in its metadata.json, not by its
// folder; its indexes are hints only, and every resource is found by walking the folders.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "engine/syntax/arn_view.hpp"
#include "model/load/aws_names.hpp"
#include "model/load/builtin_policies.hpp"
#include "model/load/read_exports.hpp"
#include "model/load/world_sources.hpp"

namespace iamsim::model {
namespace {

namespace fs = std::filesystem;
using load::entries_of;
using load::ExportFile;
using load::is_folder;
using load::is_region;
using load::Json;
using load::JsonAt;
using load::path_exists;

std::vector<fs::path> subfolders(const fs::path& folder, Diagnostics& diagnostics) {
  auto all = entries_of(folder, &diagnostics);
  std::erase_if(all, [](const fs::path& p) { return !is_folder(p); });
  return all;
}

std::string lowered(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The IAM path and name of arn:aws:iam::ACCOUNT:TYPE/PATH.../NAME.
bool iam_path_and_name(std::string_view arn, std::string_view type, std::string& account, std::string& path,
                       std::string& name) {
  const auto parts = syntax::split_arn(arn);
  if (!parts || parts->service != "iam") return false;
  const std::string prefix = std::string(type) + "/";
  if (!parts->resource.starts_with(prefix)) return false;
  const std::string_view rest = parts->resource.substr(prefix.size());
  const auto slash = rest.rfind('/');
  account = std::string(parts->account);
  name = std::string(slash == std::string_view::npos ? rest : rest.substr(slash + 1));
  path = slash == std::string_view::npos ? "/" : "/" + std::string(rest.substr(0, slash + 1));
  return !name.empty();
}

class IamCollectReader {
 public:
  IamCollectReader(const fs::path& partition, World& w, Diagnostics& d) : root_(partition), w_(w), d_(d) {}

  void run() {
    const fs::path accounts = root_ / "accounts";
    // Managed policies first: principals of any account may attach them.
    for (const auto& a : subfolders(accounts, d_)) {
      managed_policies(a / "iam" / "policy");
      managed_policies(a / "iam" / "aws" / "policy");
    }
    for (const auto& a : subfolders(accounts, d_)) account(a);
    for (const auto& o : subfolders(root_ / "organizations", d_)) organization(o);
    bucket_index();
    load::resolve_bucket_keys(w_, {}, d_);
    load::attach_access_points(w_, access_points_, d_);
    not_collected();
    load::check_unique_names(w_, d_);
  }

 private:
  std::optional<ExportFile> read(const fs::path& file) { return ExportFile::read(file, d_); }

  // A file the collector writes only when there is something to say (it deletes the file
  // when the API answers 404): absent is nothing, present is read.
  std::optional<ExportFile> optional_file(const fs::path& folder, std::string_view name) {
    const fs::path file = folder / name;
    if (!path_exists(file)) return std::nullopt;
    return read(file);
  }

  // policy.json of a resource folder: the collector stores the document parsed.
  std::optional<PolicyDocument> policy_in(const fs::path& folder, std::string name) {
    auto f = optional_file(folder, "policy.json");
    if (!f) return std::nullopt;
    return f->policy(f->root(), std::move(name));
  }

  // metadata.json's arn; the folder's name is only what the collector made of it.
  std::optional<std::string> arn_of(ExportFile& meta) { return meta.string_member(meta.root(), "arn"); }

  void managed_policies(const fs::path& folder) {
    for (const auto& p : subfolders(folder, d_)) {
      auto meta = read(p / "metadata.json");
      if (!meta) continue;
      auto arn = arn_of(*meta);
      if (!arn) continue;
      if (!path_exists(p / "current-policy.json")) {
        d_.warning("export.missing-file", {p.string(), "", 0, 0},
                   "managed policy " + *arn + " has no current-policy.json; principals that attach it miss it");
        continue;
      }
      auto doc = read(p / "current-policy.json");
      if (!doc) continue;
      if (auto d = doc->policy(doc->root(), *arn)) managed_.emplace(*arn, std::move(*d));
    }
  }

  Account& account_named(const std::string& id, const fs::path& where) {
    for (auto& a : w_.accounts)
      if (a.id == id) return a;
    Account a;
    a.id = id;
    a.where = {where.string(), "", 0, 0};
    w_.accounts.push_back(std::move(a));
    return w_.accounts.back();
  }

  void account(const fs::path& folder) {
    const std::string id = folder.filename().string();
    if (!syntax::is_account_id(id)) return;  // `aws` holds AWS managed policies
    Account& a = account_named(id, folder);
    const fs::path iam = folder / "iam";
    for (const auto& g : subfolders(iam / "group", d_)) group(g, a);
    for (const auto& u : subfolders(iam / "user", d_)) user(u, a);
    for (const auto& r : subfolders(iam / "role", d_)) role(r, a);
    for (const auto& p : subfolders(iam / "oidc-provider", d_)) oidc_provider(p, a);
    // s3-bpa.json: the account's PublicAccessBlockConfiguration (B4); absent when it has none.
    if (auto f = optional_file(folder, "s3-bpa.json"))
      a.public_access_block = public_access_block_settings(*f, f->root());
    // s3/ holds bucket folders (with metadata.json) and REGION/accesspoint/NAME/ folders.
    for (const auto& b : subfolders(folder / "s3", d_)) {
      const std::string name = b.filename().string();
      if (path_exists(b / "metadata.json"))
        bucket(b, a);
      else if (is_region(name))
        s3_region(b, name, a);
      else
        d_.warning("export.not-read", {b.string(), "", 0, 0},
                   "neither a bucket folder (no metadata.json) nor a region's access points; not read");
    }
    for (const auto& region : subfolders(folder / "kms", d_))
      for (const auto& k : subfolders(region / "key", d_)) kms_key(k, region.filename().string(), a);
    for (const auto& region : subfolders(folder / "ec2", d_))
      for (const auto& e : subfolders(region / "vpc-endpoint", d_)) vpc_endpoint(e, region.filename().string(), a);
    for (const auto& region : subfolders(folder / "eks", d_))
      for (const auto& c : subfolders(region / "cluster", d_))
        d_.warning("export.not-read", {c.string(), "", 0, 0},
                   "iam-collect keeps an EKS cluster's name, not its OIDC issuer, node groups or workloads; the "
                   "cluster is not in the world unless a scenario that imports this folder declares it");
  }

  std::vector<PolicyDocument> policies_of(const fs::path& folder, const std::string& owner) {
    std::vector<PolicyDocument> out;
    if (auto f = optional_file(folder, "inline-policies.json"))
      for (const auto& p : f->array(f->root(), "inline-policies.json")) {
        auto name = f->string_member(p, "PolicyName");
        auto doc = f->member(p, "PolicyDocument");
        if (!name || !doc) continue;
        if (auto d = f->policy(*doc, owner + " inline " + *name)) out.push_back(std::move(*d));
      }
    if (auto f = optional_file(folder, "managed-policies.json"))
      for (const auto& item : f->array(f->root(), "managed-policies.json")) {
        auto arn = f->string(item, "a policy ARN");
        if (!arn) continue;
        if (auto it = managed_.find(*arn); it != managed_.end())
          out.push_back(it->second);
        else
          f->warning("export.missing-policy", item,
                     owner + " has " + *arn + " attached, but the folder holds no such policy; left out");
      }
    return out;
  }

  std::optional<PolicyDocument> boundary_of(ExportFile& meta, const std::string& owner) {
    auto arn = meta.string_member(meta.root(), "permissionBoundary", false);
    if (!arn) return std::nullopt;
    if (auto it = managed_.find(*arn); it != managed_.end()) return it->second;
    meta.warning("export.missing-policy", meta.root(),
                 owner + " has the permissions boundary " + *arn +
                     ", which the folder does not hold; it is taken to allow nothing");
    PolicyDocument d;
    d.name = *arn + " (not in the export: allows nothing)";
    d.json_text = R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]})";
    d.origin = meta.at(meta.root());
    return d;
  }

  Tags tags_of(const fs::path& folder) {
    auto f = optional_file(folder, "tags.json");
    return f ? f->tags(f->root()) : Tags{};
  }

  // Reads metadata.json and checks that its ARN names an entity of `type` in account `a`.
  std::optional<ExportFile> identity(const fs::path& folder, std::string_view type, const Account& a, std::string& arn,
                                     std::string& path, std::string& name) {
    auto meta = read(folder / "metadata.json");
    if (!meta) return std::nullopt;
    auto given = arn_of(*meta);
    if (!given) return std::nullopt;
    std::string account;
    if (!iam_path_and_name(*given, type, account, path, name)) {
      meta->error("export.bad-value", meta->root(), "'" + *given + "' is not an IAM " + std::string(type) + " ARN");
      return std::nullopt;
    }
    if (account != a.id) {
      meta->error("export.wrong-account", meta->root(),
                  *given + " is filed under account " + a.id + " but belongs to account " + account);
      return std::nullopt;
    }
    arn = *given;
    return meta;
  }

  void group(const fs::path& folder, Account& a) {
    Group g;
    auto meta = identity(folder, "group", a, g.arn, g.path, g.name);
    if (!meta) return;
    g.account_id = a.id;
    g.policies = policies_of(folder, "group " + g.name);
    g.where = meta->at(meta->root());
    a.groups.push_back(std::move(g));
  }

  void user(const fs::path& folder, Account& a) {
    User u;
    auto meta = identity(folder, "user", a, u.arn, u.path, u.name);
    if (!meta) return;
    u.account_id = a.id;
    u.policies = policies_of(folder, "user " + u.name);
    if (auto f = optional_file(folder, "groups.json"))
      for (const auto& item : f->array(f->root(), "groups.json")) {
        auto group_arn = f->string(item, "a group ARN");
        if (!group_arn) continue;
        auto it = std::find_if(a.groups.begin(), a.groups.end(), [&](const Group& g) { return g.arn == *group_arn; });
        if (it != a.groups.end())
          u.groups.push_back(it->name);
        else
          f->warning("export.missing-group", item,
                     "user " + u.name + " is in " + *group_arn + ", which the folder does not hold");
      }
    u.boundary = boundary_of(*meta, "user " + u.name);
    u.tags = tags_of(folder);
    u.unique_id = meta->string_member(meta->root(), "id", false).value_or(derive_unique_id("AIDA", u.arn));
    u.where = meta->at(meta->root());
    a.users.push_back(std::move(u));
  }

  void role(const fs::path& folder, Account& a) {
    Role r;
    auto meta = identity(folder, "role", a, r.arn, r.path, r.name);
    if (!meta) return;
    r.account_id = a.id;
    if (!path_exists(folder / "trust-policy.json")) {
      d_.error("export.missing-file", {folder.string(), "", 0, 0}, "role " + r.arn + " has no trust-policy.json");
      return;
    }
    auto trust = read(folder / "trust-policy.json");
    if (!trust) return;
    auto doc = trust->policy(trust->root(), "role " + r.name + " trust policy");
    if (!doc) return;
    r.trust = std::move(*doc);
    r.policies = policies_of(folder, "role " + r.name);
    r.boundary = boundary_of(*meta, "role " + r.name);
    r.tags = tags_of(folder);
    r.service_linked = r.path.starts_with("/aws-service-role/");
    r.unique_id = meta->string_member(meta->root(), "id", false).value_or(derive_unique_id("AROA", r.arn));
    r.where = meta->at(meta->root());
    a.roles.push_back(std::move(r));
  }

  void oidc_provider(const fs::path& folder, Account& a) {
    auto meta = read(folder / "metadata.json");
    if (!meta) return;
    auto url = meta->string_member(meta->root(), "url");
    if (!url) return;
    OidcProvider p;
    p.url = url->starts_with("https://") ? *url : "https://" + *url;
    while (p.url.ends_with("/")) p.url.pop_back();
    p.account_id = a.id;
    p.arn = meta->string_member(meta->root(), "arn", false)
                .value_or("arn:aws:iam::" + a.id + ":oidc-provider/" + p.url.substr(8));
    p.client_ids = meta->strings_member(meta->root(), "audiences");
    p.where = meta->at(meta->root());
    a.oidc_providers.push_back(std::move(p));
  }

  void bucket(const fs::path& folder, Account& a) {
    auto meta = read(folder / "metadata.json");
    if (!meta) return;
    Bucket b;
    auto arn = meta->string_member(meta->root(), "arn", false);
    auto name = meta->string_member(meta->root(), "name", false);
    if (arn && arn->starts_with("arn:aws:s3:::"))
      b.name = arn->substr(13);
    else if (name)
      b.name = *name;
    else {
      meta->error("export.missing-field", meta->root(), "a bucket's metadata names it (arn or name)");
      return;
    }
    b.arn = "arn:aws:s3:::" + b.name;
    b.account_id = a.id;
    b.region = meta->string_member(meta->root(), "region", false).value_or("us-east-1");
    b.where = meta->at(meta->root());
    b.policy = policy_in(folder, "bucket policy of " + b.name);
    if (auto f = optional_file(folder, "encryption.json"))
      for (const auto& rule : f->array(f->root(), "encryption.json")) {
        auto by_default = f->member(rule, "ApplyServerSideEncryptionByDefault", false);
        if (!by_default) continue;
        auto algorithm = f->string_member(*by_default, "SSEAlgorithm");
        if (!algorithm || *algorithm == "AES256") continue;
        b.kms_key = f->string_member(*by_default, "KMSMasterKeyID", false).value_or("alias/aws/s3");
        break;
      }
    b.tags = tags_of(folder);
    // bpa.json: the bucket's PublicAccessBlockConfiguration (B4).
    if (auto f = optional_file(folder, "bpa.json")) b.public_access_block = public_access_block_settings(*f, f->root());
    // iam-collect does not collect ACLs or Object Ownership: the bucket keeps S3's default
    // for new buckets (BucketOwnerEnforced, ACLs off), the side that never widens, and
    // not_collected() says so once for the folder.
    not_read_in(folder, {"metadata.json", "policy.json", "encryption.json", "tags.json", "bpa.json"});
    buckets_found_.insert(b.name);
    ++buckets_read_;
    a.buckets.push_back(std::move(b));
  }

  // Every file of `folder` but the ones read is reported, not silently skipped: a later
  // collector may store what grants or blocks access there.
  void not_read_in(const fs::path& folder, std::initializer_list<std::string_view> read_files) {
    for (const auto& p : entries_of(folder, &d_)) {
      const std::string file = p.filename().string();
      if (std::find(read_files.begin(), read_files.end(), file) != read_files.end()) continue;
      d_.warning("export.not-read", {p.string(), "", 0, 0},
                 "the folder holds " + file + ", which iamsim does not read; what it grants or blocks is not seen");
    }
  }

  // s3/REGION/: the access points of the account in REGION (s3/REGION/accesspoint/NAME/).
  void s3_region(const fs::path& folder, const std::string& region, const Account& a) {
    for (const auto& p : entries_of(folder, &d_)) {
      if (p.filename() == "accesspoint" && is_folder(p)) {
        for (const auto& ap : subfolders(p, d_)) access_point(ap, region, a);
        continue;
      }
      d_.warning("export.not-read", {p.string(), "", 0, 0},
                 "not an access point folder (s3/" + region + "/accesspoint/NAME/); not read");
    }
  }

  // metadata.json (arn, name, bucket, bucketAccount, networkOrigin, vpc), policy.json and
  // bpa.json (GetAccessPoint's PublicAccessBlockConfiguration): the same access point the
  // export's s3control outputs give, joined to its bucket once every account is read.
  void access_point(const fs::path& folder, const std::string& region, const Account& a) {
    auto meta = read(folder / "metadata.json");
    if (!meta) return;
    auto arn = meta->string_member(meta->root(), "arn");
    auto bucket = meta->string_member(meta->root(), "bucket");
    if (!arn || !bucket) return;
    const auto parts = syntax::split_arn(*arn);
    if (!parts || parts->service != "s3" || !parts->resource.starts_with("accesspoint/") ||
        parts->resource.size() == 12) {
      meta->error("export.bad-value", *meta->member(meta->root(), "arn"),
                  "'" + *arn + "' is not an access point ARN (arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME)");
      return;
    }
    if (parts->account != a.id || parts->region != region) {
      meta->error("export.wrong-account", *meta->member(meta->root(), "arn"),
                  *arn + " is filed under account " + a.id + " and region " + region);
      return;
    }
    load::ExportedAccessPoint x;
    x.bucket = *bucket;
    x.bucket_account = meta->string_member(meta->root(), "bucketAccount", false).value_or("");
    AccessPoint& ap = x.access_point;
    ap.name = std::string(parts->resource.substr(12));
    ap.account_id = a.id;
    ap.region = region;
    ap.arn = *arn;
    ap.where = meta->at(meta->root());
    if (auto origin = meta->string_member(meta->root(), "networkOrigin", false)) {
      if (*origin != "Internet" && *origin != "VPC") {
        meta->error("export.bad-value", *meta->member(meta->root(), "networkOrigin"),
                    "networkOrigin is Internet or VPC, found '" + *origin + "'");
        return;
      }
      ap.vpc_origin = *origin == "VPC";
    }
    ap.vpc_id = meta->string_member(meta->root(), "vpc", false).value_or("");
    ap.policy = policy_in(folder, "access point policy of " + ap.name);
    if (auto f = optional_file(folder, "bpa.json")) {
      ap.public_access_block = public_access_block_settings(*f, f->root());
    } else {
      // GetAccessPoint always gives the settings; S3 turns them all on for a new access
      // point and they cannot be changed, so unseen they are taken as on.
      d_.warning(
          "export.missing-file", ap.where,
          "access point " + ap.name + " has no bpa.json; its Block Public Access is taken as all on (S3's default)");
      ap.public_access_block = PublicAccessBlock{true, true, true, true};
    }
    not_read_in(folder, {"metadata.json", "policy.json", "bpa.json", "tags.json"});
    access_points_.push_back(std::move(x));
  }

  void kms_key(const fs::path& folder, const std::string& region, Account& a) {
    auto meta = read(folder / "metadata.json");
    if (!meta) return;
    KmsKey k;
    auto arn = meta->string_member(meta->root(), "arn", false);
    auto id = meta->string_member(meta->root(), "id", false);
    if (arn) {
      const auto parts = syntax::split_arn(*arn);
      if (!parts || !parts->resource.starts_with("key/")) {
        meta->error("export.bad-value", meta->root(), "'" + *arn + "' is not a KMS key ARN");
        return;
      }
      if (parts->account != a.id) {
        meta->error(
            "export.wrong-account", meta->root(),
            *arn + " is filed under account " + a.id + " but belongs to account " + std::string(parts->account));
        return;
      }
      k.id = std::string(parts->resource.substr(4));
      k.region = std::string(parts->region);
    } else if (id) {
      k.id = *id;
      k.region = region;
    } else {
      meta->error("export.missing-field", meta->root(), "a key's metadata names it (arn or id)");
      return;
    }
    k.account_id = a.id;
    k.arn = "arn:aws:kms:" + k.region + ":" + a.id + ":key/" + k.id;
    k.where = meta->at(meta->root());
    std::optional<PolicyDocument> policy = policy_in(folder, "key policy of " + k.id);
    if (policy) {
      k.policy = std::move(*policy);
    } else {
      d_.warning("export.missing-file", k.where,
                 "key " + k.arn + " has no policy.json; the key is taken to allow nothing");
      k.policy.name = "key policy of " + k.id + " (not in the export: allows nothing)";
      k.policy.json_text = R"({"Version":"2012-10-17","Statement":[]})";
      k.policy.origin = k.where;
    }
    k.tags = tags_of(folder);
    ++keys_read_;
    a.kms_keys.push_back(std::move(k));
  }

  void vpc_endpoint(const fs::path& folder, const std::string& region, Account& a) {
    auto meta = read(folder / "metadata.json");
    if (!meta) return;
    // The ARN (arn:aws:ec2:REGION:ACCOUNT:vpc-endpoint/ID), when the metadata has one, names it.
    std::optional<std::string> id;
    if (auto arn = meta->string_member(meta->root(), "arn", false)) {
      const auto parts = syntax::split_arn(*arn);
      if (!parts || parts->service != "ec2" || !parts->resource.starts_with("vpc-endpoint/")) {
        meta->error("export.bad-value", *meta->member(meta->root(), "arn"), "'" + *arn + "' is not a VPC endpoint ARN");
        return;
      }
      if (parts->account != a.id) {
        meta->error("export.wrong-account", *meta->member(meta->root(), "arn"),
                    *arn + " is filed under account " + a.id);
        return;
      }
      id = std::string(parts->resource.substr(13));
    } else {
      id = meta->string_member(meta->root(), "id");
    }
    if (!id) return;
    VpcEndpoint e;
    e.id = *id;
    e.vpc_id = meta->string_member(meta->root(), "vpc", false).value_or("");
    e.account_id = a.id;
    // The collector keeps the endpoint's type, not its service; a gateway endpoint is S3's
    // or DynamoDB's, and only S3's is modelled.
    e.service = meta->string_member(meta->root(), "serviceName", false).value_or("com.amazonaws." + region + ".s3");
    if (!meta->root()->contains("serviceName"))
      meta->warning("export.assumed", meta->root(),
                    "endpoint " + e.id + " does not say its service; taken as S3's (com.amazonaws." + region + ".s3)");
    e.where = meta->at(meta->root());
    auto policy = policy_in(folder, "endpoint policy of " + e.id);
    e.policy = policy ? std::move(*policy) : default_endpoint_policy();
    a.vpc_endpoints.push_back(std::move(e));
  }

  // The SCPs or RCPs folder of an organization: policy ARN -> document.
  std::map<std::string, PolicyDocument> org_policies(const fs::path& folder) {
    std::map<std::string, PolicyDocument> out;
    for (const auto& p : subfolders(folder, d_)) {
      std::string arn;
      if (path_exists(p / "metadata.json"))
        if (auto meta = read(p / "metadata.json")) arn = meta->string_member(meta->root(), "arn", false).value_or("");
      if (!path_exists(p / "policy.json")) continue;
      auto f = read(p / "policy.json");
      if (!f) continue;
      auto d = f->policy(f->root(), arn.empty() ? p.filename().string() : arn);
      if (!d) continue;
      if (!arn.empty()) out.emplace(arn, *d);
      out.emplace("id:" + lowered(p.filename().string()), std::move(*d));
    }
    return out;
  }

  // A policy named by ARN in accounts.json or ous.json.
  std::optional<PolicyDocument> org_policy(const std::map<std::string, PolicyDocument>& policies,
                                           const std::string& arn, bool rcp) {
    if (auto it = policies.find(arn); it != policies.end()) return it->second;
    const std::string id = lowered(arn.substr(arn.rfind('/') + 1));
    if (auto it = policies.find("id:" + id); it != policies.end()) return it->second;
    if (!rcp && id == "p-fullawsaccess") return full_aws_access();
    if (rcp && id == "p-rcpfullawsaccess") return std::nullopt;  // implied (R2)
    return std::nullopt;
  }

  void attach(ExportFile& f, const JsonAt& entry, const std::map<std::string, PolicyDocument>& scps,
              const std::map<std::string, PolicyDocument>& rcps, std::vector<PolicyDocument>& scp_into,
              std::vector<PolicyDocument>& rcp_into) {
    for (const auto& [key, policies, into, rcp] :
         {std::tuple{"scps", &scps, &scp_into, false}, std::tuple{"rcps", &rcps, &rcp_into, true}})
      for (const auto& item : f.array_member(entry, key)) {
        auto arn = f.string(item, "a policy ARN");
        if (!arn) continue;
        if (auto d = org_policy(*policies, *arn, rcp)) {
          into->push_back(std::move(*d));
        } else if (!(rcp && arn->ends_with("/p-RCPFullAWSAccess"))) {
          f.warning("export.missing-policy", item,
                    *arn + " is attached here, but the folder does not hold it; " + "it is taken to deny everything");
          PolicyDocument deny;
          deny.name = *arn + " (content not in the export: denies everything)";
          deny.json_text =
              rcp ? R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]})"
                  : R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]})";
          deny.origin = f.at(item);
          into->push_back(std::move(deny));
        }
      }
  }

  void organization(const fs::path& folder) {
    if (w_.organization) {
      d_.warning("export.unknown-file", {folder.string(), "", 0, 0}, "a second organization; only the first is read");
      return;
    }
    auto meta = read(folder / "metadata.json");
    if (!meta) return;
    auto id = meta->string_member(meta->root(), "id");
    auto root_id = meta->string_member(meta->root(), "rootOu");
    if (!id || !root_id) return;
    Organization org;
    org.id = *id;
    org.management_account = meta->string_member(meta->root(), "rootAccountId", false).value_or("");
    org.where = meta->at(meta->root());
    const auto scps = org_policies(folder / "scps");
    const auto rcps = org_policies(folder / "rcps");
    const bool scps_enabled = [&] {
      auto features = meta->member(meta->root(), "features", false);
      return !features || !(*features)->is_object() || (*features)->value("SERVICE_CONTROL_POLICY", true);
    }();

    auto ous = read(folder / "ous.json");
    if (!ous || !ous->is_object(ous->root(), "ous.json")) return;
    // Units in parent-first order: the root, then repeatedly every unit whose parent is placed.
    std::map<std::string, std::size_t> index;
    OrgUnit root;
    root.name = "root";
    root.id = *root_id;
    root.where = ous->at(ous->root());
    org.units.push_back(std::move(root));
    index[*root_id] = 0;
    const Json& all = *ous->root();
    for (bool grew = true; grew;) {
      grew = false;
      for (auto it = all.begin(); it != all.end(); ++it) {
        if (index.count(it.key()) || !it->is_object()) continue;
        const std::string parent = it->value("parent", "");
        auto p = index.find(parent);
        if (p == index.end()) continue;
        OrgUnit u;
        u.id = it.key();
        u.name = u.id;
        if (path_exists(folder / "ous" / lowered(u.id) / "metadata.json"))
          if (auto m = read(folder / "ous" / lowered(u.id) / "metadata.json"))
            u.name = m->string_member(m->root(), "name", false).value_or(u.id);
        u.parent = p->second;
        u.where = ous->at({&*it, load::json_pointer_append("", it.key())});
        org.units[p->second].children.push_back(org.units.size());
        index[u.id] = org.units.size();
        org.units.push_back(std::move(u));
        grew = true;
      }
    }
    for (auto it = all.begin(); it != all.end(); ++it) {
      const JsonAt entry{&*it, load::json_pointer_append("", it.key())};
      auto at = index.find(it.key());
      if (at == index.end()) {
        ous->warning("export.unknown-target", entry, "unit " + it.key() + " has no parent in the tree; left out");
        continue;
      }
      OrgUnit& u = org.units[at->second];
      attach(*ous, entry, scps, rcps, u.scps, u.rcps);
    }
    auto accounts = read(folder / "accounts.json");
    if (!accounts || !accounts->is_object(accounts->root(), "accounts.json")) return;
    const Json& listed = *accounts->root();
    for (auto it = listed.begin(); it != listed.end(); ++it) {
      const JsonAt entry{&*it, load::json_pointer_append("", it.key())};
      if (!syntax::is_account_id(it.key()) || !it->is_object()) {
        accounts->error("export.bad-shape", entry, "accounts.json maps account ids to their unit and policies");
        continue;
      }
      auto ou = accounts->string_member(entry, "ou");
      if (!ou) continue;
      auto unit = index.find(*ou);
      if (unit == index.end()) {
        accounts->warning("export.unknown-target", entry, "account " + it.key() + " is in unknown unit " + *ou);
        continue;
      }
      org.units[unit->second].accounts.push_back(it.key());
      Account& a = account_named(it.key(), folder / "accounts.json");
      a.scps.clear();
      a.rcps.clear();
      attach(*accounts, entry, scps, rcps, a.scps, a.rcps);
      if (!scps_enabled) a.scps = {full_aws_access()};
    }
    if (!scps_enabled)
      for (auto& u : org.units) u.scps = {full_aws_access()};
    w_.organization = std::move(org);
  }

  // indexes/buckets-to-accounts.json is a hint: a bucket it names that no folder holds is
  // reported; a bucket a folder holds is read whether or not the index names it.
  void bucket_index() {
    const fs::path file = root_ / "indexes" / "buckets-to-accounts.json";
    if (!path_exists(file)) return;
    auto f = read(file);
    if (!f || !(*f->root()).is_object()) return;
    for (auto it = f->root()->begin(); it != f->root()->end(); ++it) {
      const std::string name = it.key().starts_with("arn:") ? it.key().substr(it.key().rfind(':') + 1) : it.key();
      if (!buckets_found_.count(name))
        f->warning("export.index-stale", {&*it, load::json_pointer_append("", it.key())},
                   "the index names bucket " + name + ", but no bucket folder holds it; not in the world");
    }
  }

  // What iam-collect's layout has no place for, said once for the folder: left out, it can
  // only narrow what the answers allow.
  void not_collected() {
    const SourceLocation where{root_.string(), "", 0, 0};
    if (buckets_read_)
      d_.warning("export.not-collected", where,
                 "iam-collect does not collect bucket ACLs or Object Ownership: the " + std::to_string(buckets_read_) +
                     " buckets are taken as ACLs disabled (BucketOwnerEnforced), so what an ACL grants is not seen");
    if (keys_read_)
      d_.warning("export.not-collected", where,
                 "iam-collect does not collect KMS grants: what the grants of the " + std::to_string(keys_read_) +
                     " keys allow is not seen");
  }

  fs::path root_;
  World& w_;
  Diagnostics& d_;
  std::map<std::string, PolicyDocument> managed_;
  std::set<std::string> buckets_found_;
  std::vector<load::ExportedAccessPoint> access_points_;
  std::size_t buckets_read_ = 0, keys_read_ = 0;
};

}  // namespace

WorldLoad load_iam_collect_folder(const fs::path& folder) {
  WorldLoad out;
  auto partition = load::iam_collect_partition(folder);
  if (!partition) {
    out.diagnostics.error("export.bad-layout", {folder.string(), "", 0, 0},
                          "not an iam-collect folder (aws/PARTITION/accounts/...)");
    return out;
  }
  auto world = std::make_shared<World>();
  world->scenario_file = folder.string();
  auto n = folder.lexically_normal();
  if (n.filename().empty()) n = n.parent_path();
  world->scenario_name = n.filename().string();
  IamCollectReader(*partition, *world, out.diagnostics).run();
  world->build_indexes();
  out.world = std::move(world);
  return out;
}

}  // namespace iamsim::model
