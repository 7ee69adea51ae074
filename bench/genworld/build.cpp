// Bench: synthetic world generator. The builder: a company's AWS organization for machine
// learning. Serving accounts run EKS clusters whose pods read models and features from
// storage accounts (IRSA, Pod Identity, cross-account roles, role chaining); shared accounts
// hold a model registry and partner gateways; partners outside the organization are granted
// by bucket policies and stopped by the organization's RCP.
#include "build.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "rng.hpp"

namespace genworld {
namespace {

const std::vector<std::string> companies = {"acme",  "globex", "initech", "umbrella",  "hooli", "vandelay",
                                            "stark", "wayne",  "tyrell",  "cyberdyne", "wonka", "contoso"};
const std::vector<std::string> regions = {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"};
const std::vector<std::string> teams = {"fraud",    "recsys",   "search", "vision",  "nlp",    "ads",     "risk",
                                        "forecast", "payments", "growth", "ranking", "speech", "pricing", "churn",
                                        "catalog",  "feeds",    "maps",   "support", "genai",  "safety"};
const std::vector<std::string> ns_suffixes = {"", "-serving", "-training", "-batch", "-features", "-online"};
const std::vector<std::string> platform_namespaces = {"kserve",        "ml-pipelines",    "feature-store",
                                                      "model-gateway", "batch-inference", "data-ingest"};
const std::vector<std::string> apps = {"model-server",   "feature-loader", "batch-scorer",   "trainer",
                                       "embedder",       "ingest-worker",  "exporter",       "evaluator",
                                       "reranker",       "predictor",      "drift-monitor",  "labeler",
                                       "etl-runner",     "notebook",       "vector-indexer", "tokenizer",
                                       "data-validator", "retrainer",      "feature-writer", "model-loader"};
const std::vector<std::string> models = {
    "fraud-xgb", "ctr-dnn",  "bert-ranker", "resnet50", "whisper-small",     "llama-7b-ft", "sentence-t5",
    "churn-gbm", "vit-base", "two-tower",   "deepfm",   "distilbert-intent", "yolo-v8",     "prophet-demand"};
const std::vector<std::string> infra_controllers = {"aws-load-balancer-controller", "ebs-csi-controller-sa",
                                                    "cluster-autoscaler", "external-dns", "karpenter"};

std::string region_short(const std::string& region) {
  // us-east-1 -> use1, eu-central-1 -> euc1, ap-southeast-2 -> apse2
  auto first = region.find('-');
  auto last = region.rfind('-');
  std::string mid = region.substr(first + 1, last - first - 1);
  std::string m;
  if (mid == "east")
    m = "e";
  else if (mid == "west")
    m = "w";
  else if (mid == "central")
    m = "c";
  else if (mid == "southeast")
    m = "se";
  else if (mid == "northeast")
    m = "ne";
  else
    m = mid.substr(0, 1);
  return region.substr(0, first) + m + region.substr(last + 1);
}

std::string two_digits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

std::string alnum_only(const std::string& s, bool capitalize_words) {
  std::string out;
  bool up = capitalize_words;
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out += up && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
      up = false;
    } else {
      up = capitalize_words;
    }
  }
  return out;
}

class Builder {
 public:
  Builder(const Params& p) : rng_(p.seed ^ 0x5eed0f1a3b5eull) { w_.params = p; }

  World build() {
    const Params& p = w_.params;
    if (p.accounts < 6) throw std::invalid_argument("--accounts must be at least 6");
    if (p.service_accounts < 1) throw std::invalid_argument("--service-accounts must be at least 1");
    if (p.expectations < 0) throw std::invalid_argument("--expectations must not be negative");
    w_.company = rng_.pick(companies);
    w_.org_id = "o-" + rng_.lower_alnum(10);
    organization_units();
    accounts();
    data_resources();
    data_roles();
    partners();
    clusters();
    finish();
    return std::move(w_);
  }

 private:
  // ---- organization -----------------------------------------------------------------------
  int add_unit(const std::string& name, int parent) {
    Unit u;
    u.name = name;
    u.parent = parent;
    w_.units.push_back(u);
    int index = static_cast<int>(w_.units.size()) - 1;
    if (parent >= 0) w_.units[parent].children.push_back(index);
    return index;
  }

  void organization_units() {
    root_ = add_unit("root", -1);
    security_ = add_unit("Security", root_);
    infrastructure_ = add_unit("Infrastructure", root_);
    workloads_ = add_unit("Workloads", root_);
    prod_ = add_unit("Prod", workloads_);
    ml_serving_ = add_unit("ML-Serving", prod_);
    data_ = add_unit("Data", prod_);
    nonprod_ = add_unit("NonProd", workloads_);
    dev_ = add_unit("Dev", nonprod_);
    staging_ = add_unit("Staging", nonprod_);
    sandbox_ = add_unit("Sandbox", root_);
    w_.units[workloads_].deny_key_deletion = true;
    w_.units[prod_].deny_delete = true;
    w_.units[sandbox_].sandbox_perimeter = true;
  }

  // ---- accounts ---------------------------------------------------------------------------
  std::string new_account_id() {
    for (;;) {
      std::string id = std::to_string(rng_.range(1, 9)) + rng_.digits(11);
      if (account_ids_.insert(id).second) return id;
    }
  }

  int add_account(AccountKind kind, const std::string& name, int unit, const std::string& env) {
    Account a;
    a.id = new_account_id();
    a.name = name;
    a.kind = kind;
    a.unit = unit;
    a.env = env;
    a.region = regions[rng_.weighted({45, 25, 15, 10, 5})];
    a.list_scps = unit >= 0 && rng_.percent(50);
    w_.accounts.push_back(a);
    int index = static_cast<int>(w_.accounts.size()) - 1;
    if (unit >= 0) w_.units[unit].accounts.push_back(index);
    return index;
  }

  void accounts() {
    const int n = w_.params.accounts;
    const int partners = std::max(1, n / 25);
    const int rest = n - 1 - partners;
    int serving = std::max(2, (rest * 45 + 50) / 100);
    int storage = std::max(1, (rest * 35 + 50) / 100);
    int shared = rest - serving - storage;
    if (shared < 1) {
      shared = 1;
      serving = rest - storage - shared;
    }
    w_.management = add_account(AccountKind::Management, "management", root_, "management");

    struct Place {
      int unit;
      std::string env;
    };
    const std::vector<Place> serving_places = {{ml_serving_, "prod"}, {sandbox_, "sandbox"}, {dev_, "dev"},
                                               {ml_serving_, "prod"}, {staging_, "staging"}, {workloads_, "prod"}};
    for (int i = 0; i < serving; ++i) {
      const Place& pl = serving_places[i % serving_places.size()];
      serving_.push_back(
          add_account(AccountKind::Serving, "ml-serving-" + pl.env + "-" + two_digits(i + 1), pl.unit, pl.env));
    }
    const std::vector<Place> storage_places = {
        {data_, "prod"}, {staging_, "staging"}, {data_, "prod"}, {workloads_, "prod"}};
    for (int i = 0; i < storage; ++i) {
      const Place& pl = storage_places[i % storage_places.size()];
      int a = add_account(AccountKind::Storage, "ml-data-" + pl.env + "-" + two_digits(i + 1), pl.unit, pl.env);
      // Outside the Prod unit, a prod data account carries the deletion guard itself.
      if (pl.unit == workloads_) {
        w_.accounts[a].deny_delete = true;
        w_.accounts[a].list_scps = true;
      }
      storage_.push_back(a);
    }
    const std::vector<Place> shared_places = {
        {infrastructure_, "shared"}, {security_, "shared"}, {infrastructure_, "shared"}, {root_, "shared"}};
    const std::vector<std::string> shared_names = {"ml-platform", "model-registry", "shared-services", "data-exchange"};
    for (int i = 0; i < shared; ++i) {
      const Place& pl = shared_places[i % shared_places.size()];
      shared_.push_back(add_account(AccountKind::Shared,
                                    shared_names[i % shared_names.size()] + "-" + two_digits(i + 1), pl.unit, pl.env));
    }
    const std::vector<std::string> partner_names = {"northwind", "fabrikam", "adventure-works", "litware",
                                                    "proseware", "tailspin", "wingtip",         "lucerne"};
    for (int i = 0; i < partners; ++i)
      partners_.push_back(add_account(AccountKind::Partner,
                                      "partner-" + partner_names[i % partner_names.size()] +
                                          (i >= static_cast<int>(partner_names.size()) ? "-" + two_digits(i + 1) : ""),
                                      -1, "partner"));
    for (int a : storage_) data_accounts_.push_back(a);
    for (int a : shared_) data_accounts_.push_back(a);
  }

  // ---- buckets and keys -------------------------------------------------------------------
  std::string unique_bucket_name(std::string base) {
    if (base.size() > 60) base.resize(60);
    while (!base.empty() && (base.back() == '-' || base.back() == '.')) base.pop_back();
    std::string name = base;
    for (int i = 2; !bucket_names_.insert(name).second; ++i) name = base + "-" + std::to_string(i);
    return name;
  }

  std::string uuid() {
    std::string s = rng_.hex(8, false) + "-" + rng_.hex(4, false) + "-4" + rng_.hex(3, false) + "-";
    s += "89ab"[rng_.below(4)];
    return s + rng_.hex(3, false) + "-" + rng_.hex(12, false);
  }

  int add_key(int account, const std::string& description) {
    Account& a = w_.accounts[account];
    Key k;
    k.id = uuid();
    k.region = a.region;
    k.account = account;
    k.arn = "arn:aws:kms:" + k.region + ":" + a.id + ":key/" + k.id;
    k.description = description;
    w_.keys.push_back(k);
    int index = static_cast<int>(w_.keys.size()) - 1;
    a.keys.push_back(index);
    return index;
  }

  int add_bucket(int account, const std::string& purpose, bool kms, bool own_key) {
    Account& a = w_.accounts[account];
    Bucket b;
    b.account = account;
    b.region = a.region;
    b.purpose = purpose;
    b.name = unique_bucket_name(w_.company + "-" + purpose + "-" + a.env + "-" + a.id.substr(8));
    b.tags = {{"data-classification", purpose == "datasets" ? "internal" : "confidential"},
              {"env", a.env},
              {"cost-center", "ml-" + std::to_string(100 + rng_.below(40))}};
    for (int i = 0; i < 3; ++i) b.subjects.push_back(rng_.pick(models));
    if (kms) {
      if (!own_key && !a.keys.empty()) {
        b.key = a.keys.front();
      } else {
        b.key = add_key(account, purpose + " bucket key of " + a.name);
      }
      w_.keys[b.key].region = b.region;  // S3 calls KMS in the bucket's region
      w_.keys[b.key].arn = "arn:aws:kms:" + b.region + ":" + a.id + ":key/" + w_.keys[b.key].id;
    }
    w_.buckets.push_back(b);
    int index = static_cast<int>(w_.buckets.size()) - 1;
    w_.accounts[account].buckets.push_back(index);
    return index;
  }

  void data_resources() {
    const int per_storage = std::clamp((w_.params.service_accounts + static_cast<int>(storage_.size()) * 30) /
                                           (static_cast<int>(storage_.size()) * 60),
                                       4, 8);
    const std::vector<std::string> extra = {"checkpoints", "embeddings", "eval-results", "training-data",
                                            "inference-logs"};
    for (std::size_t i = 0; i < storage_.size(); ++i) {
      int a = storage_[i];
      add_bucket(a, "models", i % 2 == 0 || rng_.percent(50), true);
      add_bucket(a, "features", rng_.percent(40), rng_.percent(50));
      int abac = add_bucket(a, "team-data", false, false);
      w_.buckets[abac].abac = true;
      w_.accounts[a].abac_bucket = abac;
      int datasets = add_bucket(a, "datasets", false, false);
      w_.buckets[datasets].org_read = true;
      for (int k = 4; k < per_storage; ++k)
        add_bucket(a, extra[(k - 4) % extra.size()], rng_.percent(40), rng_.percent(50));
    }
    for (int a : shared_) {
      add_bucket(a, "model-registry", true, true);
      add_bucket(a, "partner-exchange", false, false);
    }
    for (int a : serving_) {
      int b = add_bucket(a, "artifacts", rng_.percent(50), true);
      w_.accounts[a].artifacts_bucket = b;
    }
    for (std::size_t i = 0; i < w_.buckets.size(); ++i)
      if (!w_.buckets[i].abac && w_.buckets[i].purpose != "partner-exchange") grantable_.push_back(static_cast<int>(i));
  }

  // ---- roles ------------------------------------------------------------------------------
  std::string unique_role_name(int account, std::string base) {
    std::string clean;
    for (char c : base)
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
          std::string_view("+=,.@_-").find(c) != std::string_view::npos)
        clean += c;
    if (clean.size() > 60) clean.resize(60);
    while (!clean.empty() && std::string_view("+=,.@_-").find(clean.back()) != std::string_view::npos) clean.pop_back();
    auto& taken = role_names_[account];
    std::string name = clean;
    for (int i = 2; !taken.insert(name).second; ++i) name = clean + "-" + std::to_string(i);
    return name;
  }

  int add_policy(Policy p) {
    w_.policies.push_back(std::move(p));
    return static_cast<int>(w_.policies.size()) - 1;
  }

  int add_role(int account, const std::string& base, const std::string& path, const std::string& team,
               const std::string& description) {
    Role r;
    r.account = account;
    r.name = unique_role_name(account, base);
    r.path = path;
    r.arn = "arn:aws:iam::" + w_.accounts[account].id + ":role" + path + r.name;
    r.description = description;
    r.tags = {{"env", w_.accounts[account].env}, {"managed-by", rng_.percent(70) ? "terraform" : "crossplane"}};
    if (!team.empty()) r.tags["team"] = team;
    r.policies.push_back(add_policy({}));  // the role's own inline policy
    w_.roles.push_back(r);
    int index = static_cast<int>(w_.roles.size()) - 1;
    w_.accounts[account].roles.push_back(index);
    w_.role_by_arn[w_.roles[index].arn] = index;
    return index;
  }

  Policy& inline_policy(int role) { return w_.policies[w_.roles[role].policies.front()]; }

  // Adds a statement to the role's inline policy; a second grant on the same bucket or key
  // widens the first instead of repeating it.
  void add_stmt(int role, IdStmt st) {
    for (IdStmt& have : inline_policy(role).stmts) {
      if (have.kind != st.kind) continue;
      if (st.kind == IdKind::S3 && have.bucket == st.bucket && have.ns_prefix == st.ns_prefix) {
        if (static_cast<int>(st.level) > static_cast<int>(have.level)) {
          have.level = st.level;
          have.sid = st.sid;
        }
        return;
      }
      if (st.kind == IdKind::Kms && have.key == st.key) {
        have.kms_write = have.kms_write || st.kms_write;
        return;
      }
    }
    inline_policy(role).stmts.push_back(std::move(st));
  }

  // The role's statement for a bucket, at a level (read, write, all).
  void add_bucket_stmt(int role, int bucket, Level level) {
    IdStmt st;
    st.kind = IdKind::S3;
    st.sid = sid(std::string(level_name(level)), w_.buckets[bucket]);
    st.bucket = bucket;
    st.level = level;
    add_stmt(role, st);
  }

  // The role's statement for the bucket's key: decrypt, and encrypt for writers.
  void add_key_stmt(int role, const std::string& verb, const Bucket& b, Level level) {
    IdStmt k;
    k.kind = IdKind::Kms;
    k.sid = sid(verb, b);
    k.key = b.key;
    k.kms_write = level != Level::Read;
    add_stmt(role, k);
  }

  std::string sid(const std::string& verb, const Bucket& b) {
    return alnum_only(verb + "-" + b.purpose + "-" + b.name.substr(b.name.size() - 4), true);
  }

  // An identity grant on a bucket of the role's own account (plus the key, usually).
  void own_account_grant(int role, int bucket, Level level) {
    const Bucket& b = w_.buckets[bucket];
    add_bucket_stmt(role, bucket, level);
    // Every sixth role of the account forgets the key in its policy.
    if (b.key >= 0 && own_key_grants_[b.key]++ % 6 != 2) add_key_stmt(role, "use-key", b, level);
  }

  void data_roles() {
    for (int a : data_accounts_) {
      Account& acct = w_.accounts[a];
      if (!acct.keys.empty()) {
        int admin = add_role(a, "kms-key-admin", "/", "platform-security", "Administers the KMS keys of the account");
        w_.roles[admin].trust.push_back(aws_trust("AccountAdmins", {acct.id}, std::nullopt, false));
        IdStmt st;
        st.kind = IdKind::KmsAdmin;
        st.sid = "ManageAccountKeys";
        st.account = a;
        add_stmt(admin, st);
        acct.kms_admin_role = admin;
        for (int k : acct.keys) w_.keys[k].admin_role_arn = w_.roles[admin].arn;
      }
      if (acct.kind == AccountKind::Storage) {
        // Granted by the bucket policies only (E5): no identity policy for S3.
        int steward = add_role(a, "data-steward", "/data/", "data-platform",
                               "Curates datasets; access comes from the bucket policies");
        w_.roles[steward].trust.push_back(aws_trust("AccountOperators", {acct.id}, std::nullopt, false));
        acct.steward_role = steward;
        int granted = 0;
        for (int b : acct.buckets) {
          Bucket& bucket = w_.buckets[b];
          if (bucket.abac || (granted > 0 && rng_.percent(50))) continue;
          bucket.role_grants[w_.roles[steward].arn] = Level::ReadWrite;
          if (bucket.key >= 0) w_.keys[bucket.key].role_grants[w_.roles[steward].arn] = true;
          ++granted;
        }
      }
      // Reader roles that pods elsewhere reach by chaining (K4b).
      const int readers = acct.kind == AccountKind::Storage ? rng_.range(1, 2) : 1;
      for (int i = 0; i < readers; ++i) {
        std::vector<int> own;
        for (int b : acct.buckets)
          if (!w_.buckets[b].abac && w_.buckets[b].purpose != "partner-exchange") own.push_back(b);
        int first = own[rng_.below(own.size())];
        const std::string base = w_.buckets[first].purpose + "-reader";
        int r = add_role(a, base, "/", "",
                         "Read-only access to " + w_.buckets[first].purpose + ", assumed from serving accounts");
        own_account_grant(r, first, Level::Read);
        if (own.size() > 1 && rng_.percent(50)) {
          int second = own[rng_.below(own.size())];
          if (second != first) own_account_grant(r, second, Level::Read);
        }
        chain_targets_.push_back(r);
        trust_by_arn_[r] = rng_.percent(40);
      }
    }
  }

  TrustStmt aws_trust(const std::string& sid, std::vector<std::string> principals,
                      std::optional<std::string> external_id, bool tag_session) {
    TrustStmt t;
    t.kind = TrustKind::Aws;
    t.sid = sid;
    t.aws = std::move(principals);
    t.external_id = std::move(external_id);
    t.tag_session = tag_session;
    return t;
  }

  // ---- partners ---------------------------------------------------------------------------
  void partners() {
    for (std::size_t i = 0; i < partners_.size(); ++i) {
      int p = partners_[i];
      Account& acct = w_.accounts[p];
      const std::string short_name = acct.name.substr(8);
      int reader =
          add_role(p, short_name + "-data-reader", "/", "integrations", "Partner role that reads shared model outputs");
      w_.roles[reader].trust.push_back(aws_trust("PartnerOperators", {acct.id}, std::nullopt, false));
      // Granted directly by bucket policies in the organization, which the RCP overrides.
      const int storage = storage_[i % storage_.size()];
      std::vector<int> candidates;
      for (int b : w_.accounts[storage].buckets)
        if (!w_.buckets[b].abac && w_.buckets[b].key < 0) candidates.push_back(b);
      if (candidates.empty())
        for (int b : w_.accounts[storage].buckets)
          if (!w_.buckets[b].abac) candidates.push_back(b);
      int bucket = candidates[rng_.below(candidates.size())];
      cross_account_grant(reader, bucket, Level::Read, GrantMode::Proper);
      // The way in that works: a gateway role inside the organization.
      int shared = shared_[i % shared_.size()];
      int gateway = add_role(shared, short_name + "-partner-gateway", "/partners/", "integrations",
                             "Assumed by " + acct.name + " to read the partner exchange bucket");
      w_.roles[gateway].trust.push_back(aws_trust("Partner", {w_.roles[reader].arn}, std::nullopt, false));
      for (int b : w_.accounts[shared].buckets)
        if (w_.buckets[b].purpose == "partner-exchange") own_account_grant(gateway, b, Level::Read);
      IdStmt st;
      st.kind = IdKind::Assume;
      st.sid = "AssumeGateway";
      st.targets = {gateway};
      add_stmt(reader, st);
    }
  }

  // ---- grants across accounts -------------------------------------------------------------
  enum class GrantMode { Proper, Pending };

  // `reachable`: the role's own principals do reach it (so its grants can be asked about).
  void cross_account_grant(int role, int bucket, Level level, GrantMode mode, bool reachable = true) {
    Bucket& b = w_.buckets[bucket];
    const Role& r = w_.roles[role];
    add_bucket_stmt(role, bucket, level);
    if (mode == GrantMode::Proper && !b.org_read) {
      Level granted = level;
      // Some bucket owners grant more than the role's own policy asks for.
      if (level == Level::Read && rng_.percent(12)) granted = Level::ReadWrite;
      auto [it, fresh] = b.role_grants.emplace(r.arn, granted);
      if (!fresh && static_cast<int>(granted) > static_cast<int>(it->second)) it->second = granted;
    }
    if (b.key >= 0) {
      Key& k = w_.keys[b.key];
      // Two thirds of the keys name each reader role; the others enable whole accounts.
      // Of the grants to roles outside the sandbox (whose cross-account reads its SCP stops
      // first), one in seven forgets the key policy, and one in seven the role's policy.
      const bool by_account = b.key % 3 == 2;
      const bool sandboxed = w_.units[std::max(0, w_.accounts[r.account].unit)].sandbox_perimeter;
      const int n = sandboxed || !reachable || mode == GrantMode::Pending ? 0 : key_grants_[b.key]++;
      bool identity_kms = true;
      if (n % 7 == 2) {
        k.role_grants[r.arn] = level != Level::Read;
        identity_kms = false;  // the role policy forgot the key
      } else if (by_account) {
        k.account_grants.insert(w_.accounts[r.account].id);
      } else if (n % 7 != 0) {
        k.role_grants[r.arn] = level != Level::Read;
      }  // else: the key policy was never updated for this role
      if (identity_kms) add_key_stmt(role, "decrypt", b, level);
    }
  }

  Level random_level() {
    switch (rng_.weighted({70, 20, 10})) {
      case 0: return Level::Read;
      case 1: return Level::ReadWrite;
      default: return Level::Full;
    }
  }

  // The storage account a namespace's team keeps its data in.
  int home_storage(int cluster, const std::string& ns) {
    std::uint64_t h = 1469598103934665603ull;
    for (char c : w_.clusters[cluster].name + "/" + ns) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return storage_[h % storage_.size()];
  }

  // What a workload role may read and write: its team's buckets in a storage account, the
  // model registry sometimes, and its own account's artifacts bucket.
  void assign_grants(int role, int cluster, const std::string& ns, bool reachable = true, bool artifacts = false) {
    const Cluster& c = w_.clusters[cluster];
    int storage = home_storage(cluster, ns);
    std::vector<int> candidates;
    for (int b : w_.accounts[storage].buckets)
      if (!w_.buckets[b].abac && w_.buckets[b].role_grants.size() < 100) candidates.push_back(b);
    int count = rng_.range(1, 2);
    std::set<int> chosen;
    for (int i = 0; i < count && !candidates.empty(); ++i) chosen.insert(candidates[rng_.below(candidates.size())]);
    if (rng_.percent(20)) {
      int shared = shared_[rng_.below(shared_.size())];
      for (int b : w_.accounts[shared].buckets)
        if (w_.buckets[b].purpose == "model-registry" && w_.buckets[b].role_grants.size() < 100) chosen.insert(b);
    }
    for (int b : chosen)
      cross_account_grant(role, b, random_level(), rng_.percent(8) ? GrantMode::Pending : GrantMode::Proper, reachable);
    if (artifacts || rng_.percent(60)) {
      const int bucket = w_.accounts[c.account].artifacts_bucket;
      Level level = std::array<Level, 3>{Level::Full, Level::ReadWrite, Level::Read}[rng_.weighted({35, 40, 25})];
      own_account_grant(role, bucket, level);
    }
  }

  // ---- clusters ---------------------------------------------------------------------------
  void clusters() {
    const int k = w_.params.service_accounts;
    const int count = std::max(static_cast<int>(serving_.size()), (k + 109) / 110);
    const std::vector<std::string> purposes = {"inference", "training", "ml", "batch", "genai", "platform"};
    for (int i = 0; i < count; ++i) {
      int a = serving_[i % serving_.size()];
      Account& acct = w_.accounts[a];
      Cluster c;
      c.account = a;
      c.account_id = acct.id;
      c.region = rng_.percent(80) ? acct.region : rng_.pick(regions);
      c.env = acct.env;
      c.name = acct.env + "-" + purposes[i % purposes.size()] + "-" + region_short(c.region) + "-" + two_digits(i + 1);
      c.issuer_id = rng_.hex(32, true);
      if (i % 3 == 1) c.custom_audience = "sts." + w_.company + ".internal";
      w_.clusters.push_back(c);
      int ci = static_cast<int>(w_.clusters.size()) - 1;
      acct.clusters.push_back(ci);
      Provider own;
      own.issuer = w_.clusters[ci].issuer();
      own.client_ids = {"sts.amazonaws.com"};
      if (!c.custom_audience.empty()) own.client_ids.push_back(c.custom_audience);
      acct.providers.push_back(own);
      // K4a: one data account registers the issuer too; the next one forgot to.
      const int m = static_cast<int>(data_accounts_.size());
      w_.clusters[ci].k4a_account = data_accounts_[i % m];
      Provider registered;
      registered.issuer = own.issuer;
      registered.client_ids = {"sts.amazonaws.com"};
      w_.accounts[w_.clusters[ci].k4a_account].providers.push_back(registered);
      if (m >= 2) w_.clusters[ci].no_provider_account = data_accounts_[(i + 1) % m];
    }
    for (int i = 0; i < count; ++i) {
      const int n = k / count + (i < k % count ? 1 : 0);
      populate(i, n);
    }
  }

  std::string unique_sa_name(int cluster, const std::string& ns, const std::string& base) {
    auto& taken = sa_names_[w_.clusters[cluster].name + "/" + ns];
    std::string name = base;
    for (int i = 2; !taken.insert(name).second; ++i) name = base + "-" + std::to_string(i);
    return name;
  }

  int add_sa(int cluster, const std::string& ns, const std::string& name, SaCat cat) {
    ServiceAccount sa;
    sa.cluster = cluster;
    sa.ns = ns;
    sa.name = name;
    sa.cat = cat;
    sa.team = ns_team_[w_.clusters[cluster].name + "/" + ns];
    w_.sas.push_back(sa);
    int index = static_cast<int>(w_.sas.size()) - 1;
    w_.clusters[cluster].sas.push_back(index);
    w_.sa_by_ref[w_.clusters[cluster].name + "/" + ns + "/" + name] = index;
    return index;
  }

  TrustStmt web_identity_trust(const std::string& sid, const std::string& provider_account, const Cluster& c,
                               std::optional<std::string> aud, SubMatch sub, std::string sub_value) {
    TrustStmt t;
    t.kind = TrustKind::WebIdentity;
    t.sid = sid;
    t.provider_account = provider_account;
    t.issuer_host = c.host();
    t.aud = std::move(aud);
    t.sub = sub;
    t.sub_value = std::move(sub_value);
    return t;
  }

  TrustStmt pod_identity_trust(const Cluster& c, bool tag_session, bool source_conditions,
                               std::optional<std::string> request_tag_ns) {
    TrustStmt t;
    t.kind = TrustKind::PodIdentity;
    t.sid = "AllowEksAuthToAssumeRoleForPodIdentity";
    t.tag_session = tag_session;
    if (source_conditions) {
      t.source_account = c.account_id;
      t.source_arn = c.arn();
    }
    t.request_tag_namespace = std::move(request_tag_ns);
    return t;
  }

  // A role in `account` that the service account assumes with its web identity token.
  int irsa_role(int cluster, int account, const std::string& ns, const std::string& sa, const std::string& team,
                const std::string& aud, const std::string& suffix) {
    const Cluster& c = w_.clusters[cluster];
    const std::string path = rng_.percent(30) ? "/eks/" : "/";
    int r = add_role(account, c.name + "-" + ns + "-" + sa + suffix, path, team,
                     "IRSA role of " + ns + "/" + sa + " in cluster " + c.name);
    w_.roles[r].trust.push_back(web_identity_trust("EksServiceAccount", w_.accounts[account].id, c, aud,
                                                   SubMatch::Equals, "system:serviceaccount:" + ns + ":" + sa));
    return r;
  }

  // A role in a data account, granted that account's buckets by its own policy (K4a).
  void data_account_grants(int role, int account) {
    std::vector<int> own;
    for (int b : w_.accounts[account].buckets)
      if (!w_.buckets[b].abac && w_.buckets[b].purpose != "partner-exchange") own.push_back(b);
    int first = own[rng_.below(own.size())];
    own_account_grant(role, first, rng_.percent(75) ? Level::Read : Level::ReadWrite);
    if (own.size() > 1 && rng_.percent(40)) {
      int second = own[rng_.below(own.size())];
      if (second != first) own_account_grant(role, second, Level::Read);
    }
  }

  int chain_target_for(int source_role) {
    int t = chain_targets_[rng_.below(chain_targets_.size())];
    Role& target = w_.roles[t];
    const std::string source_account = w_.accounts[w_.roles[source_role].account].id;
    if (trust_by_arn_[t] && target.target_sources.size() < 10) {
      target.target_sources.push_back(source_role);
    } else {
      trusted_accounts_[t].insert(source_account);
    }
    return t;
  }

  // A K7 target role in a data account: one trust statement per source, each with its
  // association's external id.
  int k7_target(int source_role, const std::string& team, const std::string& external_id) {
    int t = -1;
    for (int candidate : k7_targets_)
      if (w_.roles[candidate].trust.size() < 4 && rng_.percent(50)) t = candidate;
    if (t < 0) {
      int account = data_accounts_[rng_.below(data_accounts_.size())];
      t = add_role(account, team + "-eks-data-access", "/", team, "Target role of EKS Pod Identity associations (K7)");
      const Account& acct = w_.accounts[account];
      if (acct.abac_bucket >= 0 && rng_.percent(35)) {
        // The pod's session tags are transitive (K6): the target reads its namespace's prefix.
        IdStmt st;
        st.kind = IdKind::S3;
        st.sid = "TeamPrefixByNamespaceTag";
        st.bucket = acct.abac_bucket;
        st.level = Level::Read;
        st.ns_prefix = true;
        add_stmt(t, st);
      } else {
        data_account_grants(t, account);
      }
      k7_targets_.push_back(t);
    }
    w_.roles[t].trust.push_back(aws_trust("FromPodIdentitySource" + std::to_string(w_.roles[t].trust.size() + 1),
                                          {w_.roles[source_role].arn}, external_id, true));
    return t;
  }

  std::string pick_namespace(const std::vector<std::string>& pool) { return pool[rng_.below(pool.size())]; }

  void populate(int ci, int n) {
    Cluster& c0 = w_.clusters[ci];
    const std::string cname = c0.name;
    const int account = c0.account;
    // Namespaces: teams and platform namespaces; kube-system for the controllers.
    const int infra = std::min({n, static_cast<int>(infra_controllers.size()), std::clamp(n / 25, 1, 5)});
    const int ns_count = std::clamp((n - infra) / 9, 3, 50);
    std::vector<std::string> namespaces;
    std::set<std::string> seen;
    while (static_cast<int>(namespaces.size()) < ns_count) {
      std::string ns, team;
      if (rng_.percent(20)) {
        ns = rng_.pick(platform_namespaces);
        team = "ml-platform";
      } else {
        team = rng_.pick(teams);
        ns = team + rng_.pick(ns_suffixes);
      }
      if (!seen.insert(ns).second) {
        if (seen.size() >= teams.size() * ns_suffixes.size()) {
          ns = team + "-" + std::to_string(seen.size());
          seen.insert(ns);
        } else {
          continue;
        }
      }
      namespaces.push_back(ns);
      ns_team_[cname + "/" + ns] = team;
    }
    ns_team_[cname + "/kube-system"] = "platform";
    std::vector<std::string> wildcard_ns(namespaces.begin(),
                                         namespaces.begin() + std::max<std::size_t>(1, namespaces.size() / 8));
    std::vector<std::string> plain_ns(namespaces.begin() + static_cast<long>(wildcard_ns.size()), namespaces.end());
    w_.clusters[ci].namespaces = namespaces;

    for (int i = 0; i < infra; ++i) {
      const std::string& controller = infra_controllers[i];
      int sa = add_sa(ci, "kube-system", unique_sa_name(ci, "kube-system", controller), SaCat::Infra);
      int r = irsa_role(ci, account, "kube-system", controller, "platform", "sts.amazonaws.com", "");
      w_.roles[r].policies.push_back(controller_policy(controller));
      w_.sas[sa].irsa_role = r;
    }

    const std::vector<SaCat> forced = {SaCat::IrsaPinned,
                                       SaCat::PodIdentity,
                                       SaCat::IrsaNsWildcard,
                                       SaCat::IrsaAudOnly,
                                       SaCat::IrsaCrossAccount,
                                       SaCat::IrsaMissingProvider,
                                       SaCat::IrsaAudienceMismatch,
                                       SaCat::IrsaWrongSub,
                                       SaCat::IrsaChainSource,
                                       SaCat::PodIdentityAbac,
                                       SaCat::PodIdentityNoTags,
                                       SaCat::PodIdentityTarget,
                                       SaCat::PodIdentityBadExternalId,
                                       SaCat::PodIdentityNoTagSession,
                                       SaCat::PodIdentityWrongNamespace,
                                       SaCat::Unannotated};
    const std::vector<SaCat> cats = {SaCat::IrsaPinned,
                                     SaCat::IrsaNsWildcard,
                                     SaCat::IrsaAudOnly,
                                     SaCat::IrsaCrossAccount,
                                     SaCat::IrsaMissingProvider,
                                     SaCat::IrsaAudienceMismatch,
                                     SaCat::IrsaWrongSub,
                                     SaCat::IrsaChainSource,
                                     SaCat::PodIdentity,
                                     SaCat::PodIdentityAbac,
                                     SaCat::PodIdentityNoTags,
                                     SaCat::PodIdentityTarget,
                                     SaCat::PodIdentityBadExternalId,
                                     SaCat::PodIdentityNoTagSession,
                                     SaCat::PodIdentityWrongNamespace,
                                     SaCat::Unannotated};
    const std::vector<int> weights = {24, 8, 4, 7, 2, 2, 4, 6, 12, 6, 3, 5, 2, 2, 2, 13};

    std::vector<int> pinned_roles, wildcard_roles, request_tag_roles;
    std::map<std::string, int> wildcard_role_of;
    int aud_only_role = -1;
    bool first_pod_identity = true;
    for (int i = 0; i < n - infra; ++i) {
      SaCat cat = i < static_cast<int>(forced.size()) ? forced[i] : cats[rng_.weighted(weights)];
      if (cat == SaCat::IrsaMissingProvider && w_.clusters[ci].no_provider_account < 0) cat = SaCat::IrsaPinned;
      if (cat == SaCat::IrsaWrongSub && pinned_roles.empty() && wildcard_roles.empty()) cat = SaCat::IrsaPinned;
      if (cat == SaCat::PodIdentityWrongNamespace && request_tag_roles.empty()) cat = SaCat::PodIdentity;
      std::string ns = cat == SaCat::IrsaNsWildcard ? pick_namespace(wildcard_ns) : pick_namespace(plain_ns);
      int wrong_ns_role = -1;
      if (cat == SaCat::PodIdentityWrongNamespace) {
        // A role whose trust pins another namespace, used from this one.
        wrong_ns_role = request_tag_roles[rng_.below(request_tag_roles.size())];
        const std::string pinned = *w_.roles[wrong_ns_role].trust.front().request_tag_namespace;
        std::vector<std::string> others;
        for (const auto& candidate : plain_ns)
          if (candidate != pinned) others.push_back(candidate);
        ns = pick_namespace(others);
      }
      const std::string team = ns_team_[cname + "/" + ns];
      const std::string app = rng_.pick(apps);
      const std::string base = rng_.percent(30) ? app + "-sa" : app;
      const std::string name = unique_sa_name(ci, ns, base);
      int sa = add_sa(ci, ns, name, cat);
      Cluster& c = w_.clusters[ci];
      switch (cat) {
        case SaCat::IrsaPinned: {
          std::string aud = "sts.amazonaws.com";
          if (!c.custom_audience.empty() && rng_.percent(15)) {
            aud = c.custom_audience;
            w_.sas[sa].audience = aud;
          }
          int r = irsa_role(ci, account, ns, name, team, aud, "");
          if (pinned_roles.empty()) {
            // The cluster's pipeline cleaner: s3:* on the account's artifacts bucket.
            own_account_grant(r, w_.accounts[account].artifacts_bucket, Level::Full);
          }
          assign_grants(r, ci, ns);
          w_.sas[sa].irsa_role = r;
          pinned_roles.push_back(r);
          break;
        }
        case SaCat::IrsaNsWildcard: {
          auto it = wildcard_role_of.find(ns);
          if (it == wildcard_role_of.end()) {
            int r = add_role(account, c.name + "-" + ns + "-workloads", "/eks/", team,
                             "Every service account of namespace " + ns + " in " + c.name);
            w_.roles[r].trust.push_back(web_identity_trust("EksNamespace", c.account_id, c, "sts.amazonaws.com",
                                                           SubMatch::Like, "system:serviceaccount:" + ns + ":*"));
            assign_grants(r, ci, ns, true, true);
            it = wildcard_role_of.emplace(ns, r).first;
            wildcard_roles.push_back(r);
          }
          w_.sas[sa].irsa_role = it->second;
          break;
        }
        case SaCat::IrsaAudOnly: {
          if (aud_only_role < 0) {
            aud_only_role = add_role(account, c.name + "-shared-model-reader", "/", "ml-platform",
                                     "Shared read role; the trust checks only the audience");
            w_.roles[aud_only_role].trust.push_back(
                web_identity_trust("EksCluster", c.account_id, c, "sts.amazonaws.com", SubMatch::None, ""));
            assign_grants(aud_only_role, ci, ns, true, true);
            // It reads the organization's shared datasets too (granted to the whole org).
            for (int b : w_.accounts[home_storage(ci, ns)].buckets)
              if (w_.buckets[b].org_read) cross_account_grant(aud_only_role, b, Level::Read, GrantMode::Proper);
          }
          w_.sas[sa].irsa_role = aud_only_role;
          break;
        }
        case SaCat::IrsaCrossAccount: {
          int r = irsa_role(ci, c.k4a_account, ns, name, team, "sts.amazonaws.com", "-xacct");
          data_account_grants(r, c.k4a_account);
          w_.sas[sa].irsa_role = r;
          break;
        }
        case SaCat::IrsaMissingProvider: {
          int r = irsa_role(ci, c.no_provider_account, ns, name, team, "sts.amazonaws.com", "-xacct");
          data_account_grants(r, c.no_provider_account);
          w_.sas[sa].irsa_role = r;
          break;
        }
        case SaCat::IrsaAudienceMismatch: {
          w_.sas[sa].audience = c.custom_audience.empty() ? "sts." + w_.company + ".internal" : c.custom_audience;
          int r = irsa_role(ci, account, ns, name, team, "sts.amazonaws.com", "");
          assign_grants(r, ci, ns, false);
          w_.sas[sa].irsa_role = r;
          break;
        }
        case SaCat::IrsaWrongSub: {
          // The annotation was copied from another service account.
          if (!wildcard_roles.empty() && (pinned_roles.empty() || rng_.percent(30))) {
            int r = wildcard_roles[rng_.below(wildcard_roles.size())];
            w_.sas[sa].irsa_role = r;
          } else {
            w_.sas[sa].irsa_role = pinned_roles[rng_.below(pinned_roles.size())];
          }
          break;
        }
        case SaCat::IrsaChainSource: {
          int r = irsa_role(ci, account, ns, name, team, "sts.amazonaws.com", "");
          IdStmt st;
          st.kind = IdKind::Assume;
          st.sid = "AssumeDataReaders";
          st.targets.push_back(chain_target_for(r));
          if (rng_.percent(30)) {
            int second = chain_target_for(r);
            if (second != st.targets.front()) st.targets.push_back(second);
          }
          add_stmt(r, st);
          if (rng_.percent(50)) {
            int artifacts = w_.accounts[account].artifacts_bucket;
            own_account_grant(r, artifacts, Level::ReadWrite);
          }
          w_.sas[sa].irsa_role = r;
          break;
        }
        case SaCat::PodIdentity:
        case SaCat::PodIdentityNoTagSession: {
          const bool tag_session = cat == SaCat::PodIdentity;
          std::optional<std::string> request_ns;
          if (tag_session && (first_pod_identity || rng_.percent(30))) request_ns = ns;
          if (tag_session) first_pod_identity = false;
          int r = add_role(account, c.name + "-" + ns + "-" + name + "-pod", "/", team,
                           "EKS Pod Identity role of " + ns + "/" + name);
          w_.roles[r].trust.push_back(pod_identity_trust(c, tag_session, rng_.percent(50), request_ns));
          assign_grants(r, ci, ns, tag_session, request_ns.has_value());
          if (request_ns) request_tag_roles.push_back(r);
          associate(ci, sa, r, -1, std::nullopt, false);
          break;
        }
        case SaCat::PodIdentityAbac:
        case SaCat::PodIdentityNoTags: {
          int r = abac_role(ci);
          const bool disabled = cat == SaCat::PodIdentityNoTags;
          associate(ci, sa, r, -1, std::nullopt, disabled);
          add_namespace_to_abac(ci, ns);
          break;
        }
        case SaCat::PodIdentityTarget:
        case SaCat::PodIdentityBadExternalId: {
          int r = add_role(account, c.name + "-" + ns + "-" + name + "-pod-source", "/", team,
                           "EKS Pod Identity role that hands over to a target role (K7)");
          w_.roles[r].trust.push_back(pod_identity_trust(c, true, rng_.percent(50), std::nullopt));
          const std::string external_id = uuid();
          int t = k7_target(r, team, external_id);
          IdStmt st;
          st.kind = IdKind::Assume;
          st.sid = "AssumeTargetRole";
          st.targets = {t};
          st.tag_session = true;
          add_stmt(r, st);
          std::string association_id = external_id;
          if (cat == SaCat::PodIdentityBadExternalId) association_id = uuid();  // rotated on one side only
          associate(ci, sa, r, t, association_id, false);
          break;
        }
        case SaCat::PodIdentityWrongNamespace: associate(ci, sa, wrong_ns_role, -1, std::nullopt, false); break;
        case SaCat::Unannotated:
        case SaCat::Infra:
        case SaCat::ImplicitDefault: break;
      }
    }
    workloads(ci);
    // Every namespace has its default service account (design 5).
    std::vector<std::string> all_ns = namespaces;
    if (infra > 0) all_ns.push_back("kube-system");  // only when objects live there
    all_ns.push_back("default");
    for (const auto& ns : all_ns)
      if (!w_.find_sa(ci, ns, "default")) add_sa(ci, ns, "default", SaCat::ImplicitDefault);
  }

  int abac_role(int ci) {
    Cluster& c = w_.clusters[ci];
    if (c.abac_role >= 0) return c.abac_role;
    int r = add_role(c.account, c.name + "-team-data-access", "/", "ml-platform",
                     "Shared Pod Identity role: each namespace reads its own prefix of the team data bucket");
    w_.roles[r].trust.push_back(pod_identity_trust(c, true, true, std::nullopt));
    int storage = storage_[static_cast<std::size_t>(ci) % storage_.size()];
    int bucket = w_.accounts[storage].abac_bucket;
    IdStmt st;
    st.kind = IdKind::S3;
    st.sid = "TeamPrefixByNamespaceTag";
    st.bucket = bucket;
    st.level = rng_.percent(30) ? Level::ReadWrite : Level::Read;
    st.ns_prefix = true;
    add_stmt(r, st);
    w_.clusters[ci].abac_role = r;
    return r;
  }

  void add_namespace_to_abac(int ci, const std::string& ns) {
    const Cluster& c = w_.clusters[ci];
    const IdStmt& st = inline_policy(c.abac_role).stmts.front();
    Bucket& b = w_.buckets[st.bucket];
    for (auto& g : b.tag_grants)
      if (g.account_id == c.account_id && g.cluster == c.name) {
        g.namespaces.insert(ns);
        return;
      }
    TagGrant g;
    g.account_id = c.account_id;
    g.cluster = c.name;
    g.namespaces = {ns};
    g.level = st.level;
    b.tag_grants.push_back(g);
  }

  void associate(int ci, int sa, int role, int target, std::optional<std::string> external_id, bool disable_tags) {
    Cluster& c = w_.clusters[ci];
    Association a;
    a.ns = w_.sas[sa].ns;
    a.sa = w_.sas[sa].name;
    a.role = role;
    a.target = target;
    a.external_id = std::move(external_id);
    a.disable_tags = disable_tags;
    c.associations.push_back(a);
    w_.sas[sa].association = static_cast<int>(c.associations.size()) - 1;
  }

  // Managed policies of the cluster add-ons: shared by every cluster, never about S3.
  int controller_policy(const std::string& controller) {
    auto it = controller_policies_.find(controller);
    if (it != controller_policies_.end()) return it->second;
    Policy p;
    p.named = true;
    p.name = "eks-" + controller + "-policy";
    IdStmt st;
    st.kind = IdKind::Other;
    st.sid = alnum_only(controller, true);
    if (controller == "aws-load-balancer-controller")
      st.other_actions = {"elasticloadbalancing:*", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups",
                          "ec2:AuthorizeSecurityGroupIngress", "acm:DescribeCertificate"};
    else if (controller == "ebs-csi-controller-sa")
      st.other_actions = {"ec2:CreateVolume",   "ec2:AttachVolume",    "ec2:DetachVolume", "ec2:DeleteVolume",
                          "ec2:CreateSnapshot", "ec2:DescribeVolumes", "ec2:CreateTags"};
    else if (controller == "cluster-autoscaler")
      st.other_actions = {"autoscaling:DescribeAutoScalingGroups", "autoscaling:SetDesiredCapacity",
                          "autoscaling:TerminateInstanceInAutoScalingGroup", "ec2:DescribeLaunchTemplateVersions"};
    else if (controller == "external-dns")
      st.other_actions = {"route53:ChangeResourceRecordSets", "route53:ListHostedZones",
                          "route53:ListResourceRecordSets"};
    else
      st.other_actions = {"ec2:RunInstances",      "ec2:CreateFleet",     "ec2:TerminateInstances",
                          "ec2:DescribeInstances", "pricing:GetProducts", "ssm:GetParameter",
                          "iam:PassRole"};
    p.stmts.push_back(st);
    int index = add_policy(p);
    controller_policies_[controller] = index;
    return index;
  }

  // ---- workloads --------------------------------------------------------------------------
  std::string unique_workload_name(int ci, const std::string& ns, const std::string& base) {
    auto& taken = workload_names_[w_.clusters[ci].name + "/" + ns];
    std::string name = base;
    for (int i = 2; !taken.insert(name).second; ++i) name = base + "-" + std::to_string(i);
    return name;
  }

  // The first bucket a role's policies name: where an InferenceService finds its model.
  std::string storage_uri_for(int role, const std::string& model) {
    if (role >= 0)
      for (int p : w_.roles[role].policies)
        for (const IdStmt& st : w_.policies[p].stmts)
          if (st.kind == IdKind::S3 && !st.ns_prefix) return "s3://" + w_.buckets[st.bucket].name + "/models/" + model;
    return "s3://" + w_.buckets[grantable_[rng_.below(grantable_.size())]].name + "/models/" + model;
  }

  void workloads(int ci) {
    const std::vector<int> sas = w_.clusters[ci].sas;
    std::set<std::string> namespaces_with_default;
    for (int index : sas) {
      const ServiceAccount sa = w_.sas[index];
      Cluster& c = w_.clusters[ci];
      if (sa.cat == SaCat::Infra) {
        Workload wl;
        wl.kind = "Deployment";
        wl.ns = sa.ns;
        wl.name = unique_workload_name(ci, sa.ns, sa.name == "ebs-csi-controller-sa" ? "ebs-csi-controller" : sa.name);
        wl.sa = sa.name;
        wl.image = "public.ecr.aws/eks/" + wl.name + ":v1." + std::to_string(rng_.range(2, 14)) + ".0";
        wl.replicas = 2;
        c.workloads.push_back(wl);
        continue;
      }
      if (!rng_.percent(55)) continue;
      int role = sa.irsa_role;
      if (role < 0 && sa.association >= 0) role = c.associations[sa.association].role;
      Workload wl;
      wl.ns = sa.ns;
      wl.sa = sa.name;
      std::string app = sa.name;
      if (app.ends_with("-sa")) app.resize(app.size() - 3);
      switch (rng_.weighted({45, 10, 12, 8, 25})) {
        case 0:
          wl.kind = "Deployment";
          wl.name = app;
          wl.replicas = rng_.range(1, 6);
          break;
        case 1:
          wl.kind = "StatefulSet";
          wl.name = app;
          wl.replicas = rng_.range(1, 3);
          break;
        case 2:
          wl.kind = "Job";
          wl.name = app + "-backfill-" + std::to_string(rng_.range(1, 30));
          break;
        case 3:
          wl.kind = "CronJob";
          wl.name = app + "-nightly";
          break;
        default: {
          const std::string model = rng_.pick(models);
          wl.kind = "InferenceService";
          wl.name = model;
          wl.storage_uri = storage_uri_for(role, model);
          break;
        }
      }
      wl.name = unique_workload_name(ci, sa.ns, wl.name);
      wl.image = c.account_id + ".dkr.ecr." + c.region + ".amazonaws.com/" + sa.team + "/" + app + ":" +
                 std::to_string(rng_.range(1, 4)) + "." + std::to_string(rng_.range(0, 20)) + "." +
                 std::to_string(rng_.range(0, 9));
      c.workloads.push_back(wl);
      // Some namespaces also run something that names no service account at all.
      if (!namespaces_with_default.count(sa.ns) && (namespaces_with_default.empty() || rng_.percent(35))) {
        namespaces_with_default.insert(sa.ns);
        Workload d;
        d.kind = rng_.percent(60) ? "Deployment" : "Job";
        d.ns = sa.ns;
        d.name = unique_workload_name(ci, sa.ns, d.kind == "Job" ? "db-migrate" : "debug-shell");
        d.image = d.kind == "Job" ? "public.ecr.aws/docker/library/postgres:16"
                                  : "public.ecr.aws/docker/library/busybox:1.36";
        c.workloads.push_back(d);
      }
    }
    // A transformer beside some predictors, with its own service account.
    for (auto& wl : w_.clusters[ci].workloads) {
      if (wl.kind != "InferenceService" || !rng_.percent(15)) continue;
      for (int index : sas)
        if (w_.sas[index].ns == wl.ns && w_.sas[index].name != wl.sa) {
          wl.transformer_sa = w_.sas[index].name;
          break;
        }
    }
  }

  // ---- completion -------------------------------------------------------------------------
  void finish() {
    // Chain targets: one statement for the accounts, one for the named roles.
    for (int t : chain_targets_) {
      Role& r = w_.roles[t];
      std::vector<std::string> arns;
      for (int s : r.target_sources) arns.push_back(w_.roles[s].arn);
      std::sort(arns.begin(), arns.end());
      arns.erase(std::unique(arns.begin(), arns.end()), arns.end());
      std::vector<std::string> accounts(trusted_accounts_[t].begin(), trusted_accounts_[t].end());
      if (arns.empty() && accounts.empty()) accounts.push_back(w_.accounts[serving_.front()].id);
      if (!accounts.empty()) r.trust.push_back(aws_trust("ServingAccounts", accounts, std::nullopt, false));
      if (!arns.empty()) r.trust.push_back(aws_trust("ServingRoles", arns, std::nullopt, false));
    }
    // Buckets whose policy would grant nothing keep none, half of the time.
    for (auto& b : w_.buckets)
      if (b.role_grants.empty() && b.tag_grants.empty() && !b.org_read) b.has_policy = rng_.percent(50);
  }

  Rng rng_;
  World w_;
  int root_ = 0, security_ = 0, infrastructure_ = 0, workloads_ = 0, prod_ = 0, ml_serving_ = 0, data_ = 0,
      nonprod_ = 0, dev_ = 0, staging_ = 0, sandbox_ = 0;
  std::set<std::string> account_ids_, bucket_names_;
  std::vector<int> serving_, storage_, shared_, partners_, data_accounts_, grantable_;
  std::vector<int> chain_targets_, k7_targets_;
  std::map<int, bool> trust_by_arn_;
  std::map<int, int> key_grants_, own_key_grants_;
  std::map<int, std::set<std::string>> trusted_accounts_;
  std::map<int, std::set<std::string>> role_names_;
  std::map<std::string, std::set<std::string>> sa_names_, workload_names_;
  std::map<std::string, std::string> ns_team_;
  std::map<std::string, int> controller_policies_;
};

}  // namespace

World build_world(const Params& params) { return Builder(params).build(); }

}  // namespace genworld
