// Stage: model (load). Reads a scenario file into a World: checks every field against the
// format of design.md section 5, resolves policy references to their JSON text, reads the
// Kubernetes manifests of each cluster, and reports every problem at file:line:col.
#include "model/load/scenario_loader.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <initializer_list>
#include <map>
#include <set>

#include <tbb/parallel_for.h>

#include "model/load/kubernetes.hpp"
#include "model/load/yaml_support.hpp"

namespace iamsim::model {
namespace {

namespace fs = std::filesystem;
using load::describe_type;
using load::location_of;
using load::YamlNode;

constexpr std::string_view scenario_api_version = "iamsim/v1";
constexpr std::string_view default_region = "us-east-1";

std::string join(const std::vector<std::string_view>& names) {
  std::string out;
  for (auto n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

std::string where_text(const SourceLocation& w) {
  return w.file + ":" + std::to_string(w.line) + ":" + std::to_string(w.column);
}

// ---- value checks ------------------------------------------------------------------------
bool is_account_id(std::string_view s) {
  return s.size() == 12 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_iam_name(std::string_view s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view("+=,.@_-").find(c) != std::string_view::npos;
  });
}

bool is_iam_path(std::string_view s) {
  if (s.empty() || s.size() > 512 || s.front() != '/' || s.back() != '/') return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
}

bool is_bucket_name(std::string_view s) {
  if (s.size() < 3 || s.size() > 63) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(s.front()) || !alnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [&](char c) { return alnum(c) || c == '.' || c == '-'; });
}

bool is_region(std::string_view s) {
  // us-east-1, eu-central-2, us-gov-west-1, cn-north-1 ...
  if (s.size() < 4) return false;
  if (!std::all_of(s.begin(), s.end(),
                   [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }))
    return false;
  auto dash = s.rfind('-');
  return dash != std::string_view::npos && dash + 1 < s.size() &&
         std::all_of(s.begin() + static_cast<long>(dash) + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         s.find('-') < dash;
}

bool is_cluster_name(std::string_view s) {
  if (s.empty() || s.size() > 100 || !std::isalnum(static_cast<unsigned char>(s.front()))) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
}

bool is_key_id(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; });
}

bool is_org_id(std::string_view s) {
  if (!s.starts_with("o-") || s.size() < 12 || s.size() > 34) return false;
  return std::all_of(s.begin() + 2, s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

// YYYY-MM-DDTHH:MM:SS, optional fraction, then Z or +HH:MM / -HH:MM.
bool is_timestamp(std::string_view s) {
  auto digits = [&](std::size_t at, std::size_t n) {
    if (at + n > s.size()) return false;
    for (std::size_t i = at; i < at + n; ++i)
      if (s[i] < '0' || s[i] > '9') return false;
    return true;
  };
  if (!(digits(0, 4) && s.size() > 19 && s[4] == '-' && digits(5, 2) && s[7] == '-' && digits(8, 2) && s[10] == 'T' &&
        digits(11, 2) && s[13] == ':' && digits(14, 2) && s[16] == ':' && digits(17, 2)))
    return false;
  std::size_t i = 19;
  if (s[i] == '.') {
    ++i;
    if (!digits(i, 1)) return false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  }
  if (i < s.size() && s[i] == 'Z') return i + 1 == s.size();
  return i + 6 == s.size() && (s[i] == '+' || s[i] == '-') && digits(i + 1, 2) && s[i + 3] == ':' && digits(i + 4, 2);
}

std::string lower_suffix(std::string_view seed, std::size_t n) {
  std::string s = derive_unique_id("", seed).substr(0, n);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The policies AWS attaches when a scenario gives none.
PolicyDocument default_key_policy(const std::string& account, const std::string& region, bool aws_managed) {
  PolicyDocument d;
  d.builtin = true;
  d.origin = {"builtin:default-key-policy", "", 0, 0};
  if (aws_managed) {
    // An AWS managed key serves its account through an AWS service only.
    d.name = "default AWS managed key policy";
    d.json_text =
        R"({"Version":"2012-10-17","Statement":[{"Sid":"Allow access through an AWS service for principals in the account","Effect":"Allow","Principal":{"AWS":"*"},"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*","Condition":{"StringEquals":{"kms:CallerAccount":")" +
        account + R"("},"StringLike":{"kms:ViaService":"*.)" + region +
        R"(.amazonaws.com"}}},{"Sid":"Allow direct access to key metadata to the account","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::)" +
        account + R"(:root"},"Action":["kms:Describe*","kms:Get*","kms:List*"],"Resource":"*"}]})";
  } else {
    d.name = "default key policy";
    d.json_text =
        R"({"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::)" +
        account + R"(:root"},"Action":"kms:*","Resource":"*"}]})";
  }
  return d;
}

PolicyDocument default_endpoint_policy() {
  return {"default endpoint policy",
          R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]})",
          {"builtin:default-endpoint-policy", "", 0, 0},
          true};
}

class Loader;

// A mapping's fields, checked against the names the format allows there.
class Fields {
 public:
  Fields(Loader& loader, const YamlNode& map, std::string_view what, std::initializer_list<std::string_view> allowed);
  // The value, or an undefined node when the field is absent.
  const YamlNode& operator[](std::string_view key) const {
    for (const auto& [key_node, value] : entries_)
      if (key_node->scalar() == key) return *value;
    return YamlNode::missing();
  }
  bool has(std::string_view key) const { return (*this)[key].present(); }
  bool given(std::string_view key) const { return (*this)[key].defined(); }

 private:
  std::vector<YamlNode::Entry> entries_;  // the allowed fields, each once
};

class Loader {
 public:
  Loader(std::string file, fs::path dir, World& world, Diagnostics& diags, LoadScope scope)
      : file_(std::move(file)), dir_(std::move(dir)), world_(world), diags_(diags), scope_(scope) {}

  void error(std::string code, const YamlNode& at, std::string message) {
    diags_.error(std::move(code), location_of(at, file_), std::move(message));
  }
  void warning(std::string code, const YamlNode& at, std::string message) {
    diags_.warning(std::move(code), location_of(at, file_), std::move(message));
  }
  SourceLocation at(const YamlNode& n) const { return location_of(n, file_); }

  void scenario(const YamlNode& root) {
    Fields f(*this, root, "a scenario",
             {"apiVersion", "name", "description", "organization", "policies", "accounts", "expectations", "defaults",
              "lint"});
    world_.scenario_file = file_;
    world_.scenario_name = fs::path(file_).stem().string();
    if (f.has("name"))
      if (auto name = text(f["name"], "name")) world_.scenario_name = *name;
    if (f.has("description"))
      if (auto d = text(f["description"], "description")) world_.description = *d;
    if (f.given("policies")) named_policies(f["policies"]);
    for (const auto& a : list(f["accounts"], "accounts")) account(a);
    load_cluster_objects();
    if (f.has("organization")) organization(f["organization"]);
    settle_account_scps();
    if (f.has("defaults")) defaults(f["defaults"]);
    if (f.has("lint")) lint_section(f["lint"]);
    std::size_t index = 0;
    if (scope_ == LoadScope::everything)
      for (const auto& e : list(f["expectations"], "expectations")) expectation(e, index++);

    world_.build_indexes();
    resolve_bucket_keys();
    for (auto& check : after_indexes_) check(world_);
  }

 private:
  friend class Fields;

  // ---- types -----------------------------------------------------------------------------
  void wrong_type(const YamlNode& n, std::string_view what, std::string_view wanted) {
    error("scenario.wrong-type", n,
          std::string(what) + " must be " + std::string(wanted) + ", found " + describe_type(n));
  }

  bool is_map(const YamlNode& n, std::string_view what) {
    if (n.is_map()) return true;
    wrong_type(n, what, "a mapping");
    return false;
  }

  std::optional<std::string> text(const YamlNode& n, std::string_view what) {
    if (n.is_scalar()) return n.scalar();
    wrong_type(n, what, "a string");
    return std::nullopt;
  }

  std::optional<bool> boolean(const YamlNode& n, std::string_view what) {
    if (n.is_scalar() && !n.quoted()) {
      const std::string& s = n.scalar();
      if (s == "true" || s == "True" || s == "TRUE") return true;
      if (s == "false" || s == "False" || s == "FALSE") return false;
    }
    wrong_type(n, what, "true or false");
    return std::nullopt;
  }

  // Absent or null is an empty list.
  using Items = YamlNode::Items;
  Items list(const YamlNode& n, std::string_view what) {
    if (!n.present()) return YamlNode::missing().items();
    if (!n.is_sequence()) {
      wrong_type(n, what, "a list");
      return YamlNode::missing().items();
    }
    return n.items();
  }

  std::vector<std::string> strings(const YamlNode& n, std::string_view what) {
    std::vector<std::string> out;
    for (const auto& item : list(n, what))
      if (auto s = text(item, std::string("an item of ") + std::string(what))) out.push_back(*s);
    return out;
  }

  Tags tags(const YamlNode& n, std::string_view what) {
    Tags out;
    if (!n.present()) return out;
    if (!is_map(n, what)) return out;
    for (const auto& [key_node, value_node] : n.entries()) {
      auto key = text(*key_node, "a tag key");
      auto value = text(*value_node, "tag '" + key_node->scalar() + "'");
      if (key && value) out[*key] = *value;
    }
    return out;
  }

  std::optional<std::string> account_id(const YamlNode& n, std::string_view what) {
    auto s = text(n, what);
    if (!s) return std::nullopt;
    if (!is_account_id(*s)) {
      error("scenario.bad-account-id", n, std::string(what) + " must be 12 digits, found '" + *s + "'");
      return std::nullopt;
    }
    return s;
  }

  std::string region(const Fields& f, std::string_view what) {
    if (!f.has("region")) return std::string(default_region);
    auto r = text(f["region"], std::string(what) + " region");
    if (!r) return std::string(default_region);
    if (!is_region(*r)) error("scenario.bad-value", f["region"], "'" + *r + "' is not an AWS region (like us-east-1)");
    return *r;
  }

  // A field the format requires; reports it missing at the mapping.
  bool require(const Fields& f, const YamlNode& map, std::string_view key, std::string_view what) {
    if (f.has(key)) return true;
    error("scenario.missing-field", map, std::string(what) + " needs '" + std::string(key) + "'");
    return false;
  }

  // Where a reference's column `column` (1-based, in the scalar's text) is in the file.
  SourceLocation inside(const YamlNode& scalar, int column) const {
    SourceLocation loc = at(scalar);
    if (loc.line > 0) loc.column += column - 1 + (scalar.quoted() ? 1 : 0);
    return loc;
  }

  // ---- policies --------------------------------------------------------------------------
  std::optional<PolicyDocument> policy(const YamlNode& n, std::string_view what) {
    if (n.is_scalar()) {
      const std::string& name = n.scalar();
      if (name == full_aws_access_name) return full_aws_access();
      if (name == rcp_full_aws_access_name) return rcp_full_aws_access();
      if (auto it = world_.named_policies.find(name); it != world_.named_policies.end()) return it->second;
      if (broken_policies_.count(name)) return std::nullopt;  // reported where it is defined
      error("scenario.unknown-policy", n,
            "unknown policy '" + name + "': not in policies: and not a built-in (FullAWSAccess, RCPFullAWSAccess)");
      return std::nullopt;
    }
    if (!n.is_map()) {
      wrong_type(n, what, "a policy name, {file: PATH} or {document: {...}}");
      return std::nullopt;
    }
    Fields f(*this, n, "a policy", {"file", "document", "name"});
    if (f.has("file") == f.has("document")) {
      error("scenario.bad-policy", n, std::string(what) + " must give either 'file' or 'document'");
      return std::nullopt;
    }
    PolicyDocument doc;
    if (f.has("name"))
      if (auto name = text(f["name"], "a policy name")) doc.name = *name;
    if (f.has("document")) {
      const YamlNode& body = f["document"];
      if (!is_map(body, "document")) return std::nullopt;
      auto json = load::yaml_to_json(body);
      if (json.error) {
        diags_.error("yaml.syntax", location_of(*json.error, file_), json.error->message);
        return std::nullopt;
      }
      doc.json_text = std::move(json.json);
      doc.origin = at(body);
      if (doc.name.empty()) doc.name = "inline policy at " + file_ + ":" + std::to_string(doc.origin.line);
      return doc;
    }
    auto rel = text(f["file"], "file");
    if (!rel) return std::nullopt;
    fs::path path = (dir_ / *rel).lexically_normal();
    auto content = load::read_text_file(path);
    if (!content) {
      error("scenario.missing-file", f["file"], "cannot read policy file '" + *rel + "' (" + path.string() + ")");
      return std::nullopt;
    }
    if (doc.name.empty()) doc.name = *rel;
    doc.origin = {path.string(), "", 0, 0};
    auto ext = path.extension().string();
    if (ext == ".yaml" || ext == ".yml") {
      // A policy written as YAML is handed on as the JSON it means.
      auto stream = load::parse_yaml(*content);
      std::optional<load::YamlError> problem = stream.error();
      load::JsonConversion json;
      if (!problem) {
        json = load::yaml_to_json(stream.documents().empty() ? YamlNode::missing() : *stream.documents().front());
        problem = json.error;
      }
      if (problem) {
        diags_.error("yaml.syntax", location_of(*problem, path.string()), problem->message);
        return std::nullopt;
      }
      doc.json_text = std::move(json.json);
    } else {
      doc.json_text = std::move(*content);
    }
    return doc;
  }

  std::vector<PolicyDocument> policies(const YamlNode& n, std::string_view what) {
    std::vector<PolicyDocument> out;
    for (const auto& item : list(n, what))
      if (auto p = policy(item, std::string("an item of ") + std::string(what))) out.push_back(std::move(*p));
    return out;
  }

  std::optional<PolicyDocument> optional_policy(const Fields& f, std::string_view key) {
    if (!f.has(key)) return std::nullopt;
    return policy(f[key], key);
  }

  void named_policies(const YamlNode& n) {
    if (!n.present()) return;
    if (!is_map(n, "policies")) return;
    for (const auto& [key_node, value_node] : n.entries()) {
      const YamlNode& key = *key_node;
      const YamlNode& value = *value_node;
      auto name = text(key, "a policy name");
      if (!name) continue;
      if (*name == full_aws_access_name || *name == rcp_full_aws_access_name) {
        error("scenario.duplicate-policy", key, "'" + *name + "' is the name of a built-in policy");
        continue;
      }
      if (world_.named_policies.count(*name) || broken_policies_.count(*name)) {
        error("scenario.duplicate-policy", key, "policy '" + *name + "' is defined twice");
        continue;
      }
      if (!value.is_map()) {
        wrong_type(value, "policy '" + *name + "'", "{file: PATH} or {document: {...}}");
        broken_policies_.insert(*name);
        continue;
      }
      auto doc = policy(value, "policy '" + *name + "'");
      if (!doc) {
        broken_policies_.insert(*name);
        continue;
      }
      doc->name = *name;
      world_.named_policies.emplace(*name, std::move(*doc));
    }
  }

  // ---- accounts --------------------------------------------------------------------------
  void account(const YamlNode& n) {
    if (!is_map(n, "an account")) return;
    Fields f(*this, n, "an account",
             {"id", "name", "scps", "rcps", "users", "groups", "roles", "oidc_providers", "clusters", "buckets",
              "kms_keys", "vpc_endpoints"});
    if (!require(f, n, "id", "an account")) return;
    auto id = account_id(f["id"], "account id");
    if (!id) return;
    if (auto it = accounts_seen_.find(*id); it != accounts_seen_.end()) {
      error("scenario.duplicate-account", f["id"],
            "account " + *id + " is declared twice (first at " + where_text(it->second) + ")");
      return;
    }
    accounts_seen_.emplace(*id, at(f["id"]));
    Account a;
    a.id = *id;
    a.where = at(n);
    if (f.has("name"))
      if (auto name = text(f["name"], "account name")) a.name = *name;
    a.scps = policies(f["scps"], "scps");
    a.rcps = policies(f["rcps"], "rcps");
    if (f.given("scps")) accounts_with_scps_.insert(a.id);
    // Groups before users, roles before clusters: later ones refer to earlier ones.
    for (const auto& g : list(f["groups"], "groups")) group(g, a);
    for (const auto& u : list(f["users"], "users")) user(u, a);
    for (const auto& r : list(f["roles"], "roles")) role(r, a);
    for (const auto& p : list(f["oidc_providers"], "oidc_providers")) oidc_provider(p, a);
    for (const auto& k : list(f["kms_keys"], "kms_keys")) kms_key(k, a);
    for (const auto& b : list(f["buckets"], "buckets")) bucket(b, a);
    for (const auto& e : list(f["vpc_endpoints"], "vpc_endpoints")) vpc_endpoint(e, a);
    for (const auto& c : list(f["clusters"], "clusters")) cluster(c, a);
    world_.accounts.push_back(std::move(a));
  }

  // name and path of a user, group or role; false when either is unusable.
  bool name_and_path(const Fields& f, const YamlNode& n, std::string_view what, std::size_t max, std::string& name,
                     std::string& path) {
    if (!require(f, n, "name", what)) return false;
    auto s = text(f["name"], std::string(what) + " name");
    if (!s) return false;
    if (!is_iam_name(*s, max)) {
      error("scenario.bad-name", f["name"],
            "'" + *s + "' is not an IAM name (1-" + std::to_string(max) + " of A-Z a-z 0-9 +=,.@_-)");
      return false;
    }
    name = *s;
    if (f.has("path")) {
      auto p = text(f["path"], "path");
      if (!p) return false;
      if (!is_iam_path(*p)) {
        error("scenario.bad-path", f["path"], "an IAM path starts and ends with '/', found '" + *p + "'");
        return false;
      }
      path = *p;
    }
    return true;
  }

  void group(const YamlNode& n, Account& a) {
    if (!is_map(n, "a group")) return;
    Fields f(*this, n, "a group", {"name", "path", "policies"});
    Group g;
    if (!name_and_path(f, n, "a group", 128, g.name, g.path)) return;
    if (std::any_of(a.groups.begin(), a.groups.end(), [&](const Group& o) { return o.name == g.name; })) {
      error("scenario.duplicate-group", f["name"], "group '" + g.name + "' is declared twice in account " + a.id);
      return;
    }
    g.account_id = a.id;
    g.arn = "arn:aws:iam::" + a.id + ":group" + g.path + g.name;
    g.policies = policies(f["policies"], "policies");
    g.where = at(n);
    a.groups.push_back(std::move(g));
  }

  void user(const YamlNode& n, Account& a) {
    if (!is_map(n, "a user")) return;
    Fields f(*this, n, "a user", {"name", "path", "policies", "groups", "boundary", "tags", "unique_id"});
    User u;
    if (!name_and_path(f, n, "a user", 64, u.name, u.path)) return;
    if (std::any_of(a.users.begin(), a.users.end(), [&](const User& o) { return o.name == u.name; })) {
      error("scenario.duplicate-user", f["name"], "user '" + u.name + "' is declared twice in account " + a.id);
      return;
    }
    u.account_id = a.id;
    u.arn = "arn:aws:iam::" + a.id + ":user" + u.path + u.name;
    u.policies = policies(f["policies"], "policies");
    for (const auto& g : list(f["groups"], "groups")) {
      auto name = text(g, "a group name");
      if (!name) continue;
      if (std::none_of(a.groups.begin(), a.groups.end(), [&](const Group& o) { return o.name == *name; }))
        error("scenario.unknown-group", g, "no group '" + *name + "' in account " + a.id);
      else
        u.groups.push_back(*name);
    }
    u.boundary = optional_policy(f, "boundary");
    u.tags = tags(f["tags"], "tags");
    u.unique_id = derive_unique_id("AIDA", u.arn);
    if (f.has("unique_id"))
      if (auto id = text(f["unique_id"], "unique_id")) u.unique_id = *id;
    u.where = at(n);
    a.users.push_back(std::move(u));
  }

  void role(const YamlNode& n, Account& a) {
    if (!is_map(n, "a role")) return;
    Fields f(*this, n, "a role",
             {"name", "path", "trust", "policies", "boundary", "tags", "service_linked", "unique_id", "description"});
    Role r;
    if (!name_and_path(f, n, "a role", 64, r.name, r.path)) return;
    if (std::any_of(a.roles.begin(), a.roles.end(), [&](const Role& o) { return o.name == r.name; })) {
      error("scenario.duplicate-role", f["name"], "role '" + r.name + "' is declared twice in account " + a.id);
      return;
    }
    r.account_id = a.id;
    r.arn = "arn:aws:iam::" + a.id + ":role" + r.path + r.name;
    if (!require(f, n, "trust", "a role")) return;
    auto trust = policy(f["trust"], "trust");
    if (!trust) return;
    r.trust = std::move(*trust);
    r.policies = policies(f["policies"], "policies");
    r.boundary = optional_policy(f, "boundary");
    r.tags = tags(f["tags"], "tags");
    r.service_linked = r.path.starts_with("/aws-service-role/");
    if (f.has("service_linked"))
      if (auto b = boolean(f["service_linked"], "service_linked")) r.service_linked = *b || r.service_linked;
    r.unique_id = derive_unique_id("AROA", r.arn);
    if (f.has("unique_id"))
      if (auto id = text(f["unique_id"], "unique_id")) r.unique_id = *id;
    r.where = at(n);
    a.roles.push_back(std::move(r));
  }

  void oidc_provider(const YamlNode& n, Account& a) {
    if (!is_map(n, "an OIDC provider")) return;
    Fields f(*this, n, "an OIDC provider", {"url", "client_ids"});
    if (!require(f, n, "url", "an OIDC provider")) return;
    auto url = text(f["url"], "url");
    if (!url) return;
    if (!url->starts_with("https://") || url->size() <= 8) {
      error("scenario.bad-value", f["url"], "an OIDC provider url starts with https://, found '" + *url + "'");
      return;
    }
    OidcProvider p;
    p.url = *url;
    while (p.url.ends_with("/")) p.url.pop_back();
    p.account_id = a.id;
    p.arn = "arn:aws:iam::" + a.id + ":oidc-provider/" + p.url.substr(8);
    if (std::any_of(a.oidc_providers.begin(), a.oidc_providers.end(),
                    [&](const OidcProvider& o) { return o.url == p.url; })) {
      error("scenario.duplicate-oidc-provider", f["url"], "account " + a.id + " has two OIDC providers for " + p.url);
      return;
    }
    p.client_ids = strings(f["client_ids"], "client_ids");
    p.where = at(n);
    a.oidc_providers.push_back(std::move(p));
  }

  void kms_key(const YamlNode& n, Account& a) {
    if (!is_map(n, "a KMS key")) return;
    Fields f(*this, n, "a KMS key", {"id", "region", "policy", "aws_managed", "tags"});
    if (!require(f, n, "id", "a KMS key")) return;
    auto id = text(f["id"], "key id");
    if (!id) return;
    if (!is_key_id(*id)) {
      error("scenario.bad-name", f["id"],
            "a key id is letters, digits and '-' (name the key by id, not ARN), found '" + *id + "'");
      return;
    }
    if (auto it = keys_seen_.find(*id); it != keys_seen_.end()) {
      error("scenario.duplicate-key", f["id"],
            "KMS key " + *id + " is declared twice (first at " + where_text(it->second) + ")");
      return;
    }
    keys_seen_.emplace(*id, at(f["id"]));
    KmsKey k;
    k.id = *id;
    k.region = region(f, "a KMS key");
    k.account_id = a.id;
    k.arn = "arn:aws:kms:" + k.region + ":" + a.id + ":key/" + k.id;
    if (f.has("aws_managed"))
      if (auto b = boolean(f["aws_managed"], "aws_managed")) k.aws_managed = *b;
    auto p = optional_policy(f, "policy");
    k.policy = p ? std::move(*p) : default_key_policy(a.id, k.region, k.aws_managed);
    k.tags = tags(f["tags"], "tags");
    k.where = at(n);
    a.kms_keys.push_back(std::move(k));
  }

  void bucket(const YamlNode& n, Account& a) {
    if (!is_map(n, "a bucket")) return;
    Fields f(*this, n, "a bucket", {"name", "region", "policy", "encryption", "tags"});
    if (!require(f, n, "name", "a bucket")) return;
    auto name = text(f["name"], "bucket name");
    if (!name) return;
    if (!is_bucket_name(*name)) {
      error("scenario.bad-name", f["name"], "'" + *name + "' is not an S3 bucket name (3-63 of a-z 0-9 . -)");
      return;
    }
    if (auto it = buckets_seen_.find(*name); it != buckets_seen_.end()) {
      error("scenario.duplicate-bucket", f["name"],
            "bucket " + *name + " is declared twice (first at " + where_text(it->second) + ")");
      return;
    }
    buckets_seen_.emplace(*name, at(f["name"]));
    Bucket b;
    b.name = *name;
    b.region = region(f, "a bucket");
    b.account_id = a.id;
    b.arn = "arn:aws:s3:::" + b.name;
    b.policy = optional_policy(f, "policy");
    if (f.has("encryption") && is_map(f["encryption"], "encryption")) {
      Fields enc(*this, f["encryption"], "encryption", {"kms_key"});
      if (enc.has("kms_key"))
        if (auto key = text(enc["kms_key"], "kms_key")) {
          b.kms_key = *key;
          bucket_key_at_.emplace(b.name, at(enc["kms_key"]));
        }
    }
    b.tags = tags(f["tags"], "tags");
    b.where = at(n);
    a.buckets.push_back(std::move(b));
  }

  void vpc_endpoint(const YamlNode& n, Account& a) {
    if (!is_map(n, "a VPC endpoint")) return;
    Fields f(*this, n, "a VPC endpoint", {"id", "service", "vpc_id", "policy"});
    if (!require(f, n, "id", "a VPC endpoint") || !require(f, n, "service", "a VPC endpoint")) return;
    auto id = text(f["id"], "endpoint id");
    auto service = text(f["service"], "service");
    if (!id || !service) return;
    if (!id->starts_with("vpce-")) {
      error("scenario.bad-name", f["id"], "a VPC endpoint id starts with vpce-, found '" + *id + "'");
      return;
    }
    if (auto it = endpoints_seen_.find(*id); it != endpoints_seen_.end()) {
      error("scenario.duplicate-endpoint", f["id"],
            "VPC endpoint " + *id + " is declared twice (first at " + where_text(it->second) + ")");
      return;
    }
    endpoints_seen_.emplace(*id, at(f["id"]));
    VpcEndpoint e;
    e.id = *id;
    e.service = *service;
    e.account_id = a.id;
    if (f.has("vpc_id"))
      if (auto v = text(f["vpc_id"], "vpc_id")) e.vpc_id = *v;
    auto p = optional_policy(f, "policy");
    e.policy = p ? std::move(*p) : default_endpoint_policy();
    e.where = at(n);
    a.vpc_endpoints.push_back(std::move(e));
  }

  // ---- clusters --------------------------------------------------------------------------
  void cluster(const YamlNode& n, Account& a) {
    if (!is_map(n, "a cluster")) return;
    Fields f(*this, n, "a cluster", {"name", "region", "oidc_issuer", "manifests", "pod_identity_associations"});
    if (!require(f, n, "name", "a cluster")) return;
    auto name = text(f["name"], "cluster name");
    if (!name) return;
    if (!is_cluster_name(*name)) {
      error("scenario.bad-name", f["name"], "'" + *name + "' is not an EKS cluster name (A-Z a-z 0-9 - _)");
      return;
    }
    if (auto it = clusters_seen_.find(*name); it != clusters_seen_.end()) {
      error("scenario.duplicate-cluster", f["name"],
            "cluster " + *name + " is declared twice (first at " + where_text(it->second) +
                "); sa: and workload: name clusters alone, so names are unique in a world");
      return;
    }
    clusters_seen_.emplace(*name, at(f["name"]));
    Cluster c;
    c.name = *name;
    c.region = region(f, "a cluster");
    c.account_id = a.id;
    c.arn = "arn:aws:eks:" + c.region + ":" + a.id + ":cluster/" + c.name;
    c.where = at(n);
    if (f.has("oidc_issuer"))
      if (auto issuer = text(f["oidc_issuer"], "oidc_issuer")) {
        if (!issuer->starts_with("https://"))
          error("scenario.bad-value", f["oidc_issuer"], "an OIDC issuer starts with https://, found '" + *issuer + "'");
        c.oidc_issuer = *issuer;
        while (c.oidc_issuer.ends_with("/")) c.oidc_issuer.pop_back();
      }

    // Manifests are read later, for every cluster at once and in parallel; associations
    // wait for them, since they name the service accounts the manifests declare.
    PendingCluster pending;
    for (const auto& m : list(f["manifests"], "manifests")) {
      auto rel = text(m, "a manifest path");
      if (!rel) continue;
      for (const auto& file : manifest_files(m, *rel)) {
        c.manifests.push_back(file.string());
        pending.files.push_back(file);
      }
    }
    pending.associations = &f["pod_identity_associations"];
    pending.account = world_.accounts.size();  // where `a` goes once its fields are read
    pending.cluster = a.clusters.size();
    a.clusters.push_back(std::move(c));
    pending_clusters_.push_back(std::move(pending));
  }

  struct PendingCluster {
    std::size_t account = 0, cluster = 0;
    std::vector<fs::path> files;
    const YamlNode* associations = &YamlNode::missing();
  };

  void load_cluster_objects() {
    std::vector<load::KubernetesObjects> objects(pending_clusters_.size());
    std::vector<Diagnostics> found(pending_clusters_.size());
    tbb::parallel_for(std::size_t(0), pending_clusters_.size(), [&](std::size_t i) {
      for (const auto& file : pending_clusters_[i].files) load::load_manifest_file(file, objects[i], found[i]);
      load::complete_cluster_objects(objects[i], found[i]);
    });
    for (std::size_t i = 0; i < pending_clusters_.size(); ++i) {
      const auto& pending = pending_clusters_[i];
      diags_.append(found[i]);
      Account& a = world_.accounts[pending.account];
      Cluster& c = a.clusters[pending.cluster];
      c.namespaces.assign(objects[i].namespaces.begin(), objects[i].namespaces.end());
      c.service_accounts = std::move(objects[i].service_accounts);
      c.workloads = std::move(objects[i].workloads);
      for (const auto& p : list(*pending.associations, "pod_identity_associations")) association(p, a, c);
    }
    pending_clusters_.clear();
  }

  // A manifest path names a file, or a folder whose YAML and JSON files are all manifests.
  std::vector<fs::path> manifest_files(const YamlNode& at_node, const std::string& rel) {
    std::vector<fs::path> files;
    fs::path path = (dir_ / rel).lexically_normal();
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        auto ext = it->path().extension().string();
        if (it->is_regular_file(ec) && (ext == ".yaml" || ext == ".yml" || ext == ".json"))
          files.push_back(it->path().lexically_normal());
      }
      std::sort(files.begin(), files.end());
    } else if (fs::is_regular_file(path, ec)) {
      files.push_back(path);
    } else {
      error("scenario.missing-file", at_node, "cannot read manifest '" + rel + "' (" + path.string() + ")");
    }
    return files;
  }

  // A role named by ARN, or by name in `account` (K5 puts association roles there).
  std::optional<std::string> role_reference(const YamlNode& n, const Account& a, std::string_view what) {
    auto s = text(n, what);
    if (!s) return std::nullopt;
    if (s->starts_with("arn:")) {
      auto parsed = parse_principal_ref(*s);
      if (!parsed || parsed.value->kind != PrincipalRef::Kind::Arn || parsed.value->arn_type != ArnType::Role ||
          !parsed.value->chain.empty()) {
        error("scenario.bad-arn", n,
              std::string(what) + " must be a role ARN (arn:aws:iam::ACCOUNT:role/NAME) or a role name, found '" + *s +
                  "'" +
                  (parsed ? "" : ": " + parsed.error.message + " at column " + std::to_string(parsed.error.column)));
        return std::nullopt;
      }
      SourceLocation where = at(n);
      std::string arn = *s;
      after_indexes_.push_back([this, arn, where](const World& w) {
        if (!w.find_role(arn)) diags_.error("scenario.unknown-role", where, "no role '" + arn + "' in the world");
      });
      return arn;
    }
    auto role = std::find_if(a.roles.begin(), a.roles.end(), [&](const Role& r) { return r.name == *s; });
    if (role == a.roles.end()) {
      error("scenario.unknown-role", n, "no role '" + *s + "' in account " + a.id);
      return std::nullopt;
    }
    return role->arn;
  }

  void association(const YamlNode& n, const Account& a, Cluster& c) {
    if (!is_map(n, "a Pod Identity association")) return;
    Fields f(*this, n, "a Pod Identity association",
             {"namespace", "service_account", "role", "target_role", "disable_session_tags", "external_id"});
    if (!require(f, n, "namespace", "a Pod Identity association") ||
        !require(f, n, "service_account", "a Pod Identity association") ||
        !require(f, n, "role", "a Pod Identity association"))
      return;
    PodIdentityAssociation p;
    auto ns = text(f["namespace"], "namespace");
    auto sa = text(f["service_account"], "service_account");
    auto role = role_reference(f["role"], a, "role");
    if (!ns || !sa || !role) return;
    p.namespace_name = *ns;
    p.service_account = *sa;
    p.role_arn = *role;
    if (parse_principal_ref(p.role_arn).value->account_id != c.account_id) {
      error("scenario.bad-association", f["role"],
            "the role of a Pod Identity association must be in the cluster's account " + c.account_id +
                " (K5); name a role elsewhere as target_role");
      return;
    }
    if (f.has("target_role")) {
      auto target = role_reference(f["target_role"], a, "target_role");
      if (!target) return;
      p.target_role_arn = *target;
    }
    if (f.has("disable_session_tags"))
      if (auto b = boolean(f["disable_session_tags"], "disable_session_tags")) p.disable_session_tags = *b;
    if (f.has("external_id"))
      if (auto e = text(f["external_id"], "external_id")) p.external_id = *e;
    p.where = at(n);
    for (const auto& other : c.pod_identity_associations)
      if (other.namespace_name == p.namespace_name && other.service_account == p.service_account) {
        error("scenario.duplicate-association", n,
              "service account " + p.namespace_name + "/" + p.service_account + " of cluster " + c.name +
                  " has two Pod Identity associations (one role per service account, K5)");
        return;
      }
    // EKS accepts an association before its service account exists.
    if (std::none_of(c.service_accounts.begin(), c.service_accounts.end(), [&](const ServiceAccount& s) {
          return s.namespace_name == p.namespace_name && s.name == p.service_account;
        }))
      warning("scenario.unknown-service-account", n,
              "no manifest of cluster " + c.name + " declares service account " + p.namespace_name + "/" +
                  p.service_account);
    c.pod_identity_associations.push_back(std::move(p));
  }

  // An encrypted bucket's key: an ARN anywhere, or a key id in the bucket's own account.
  void resolve_bucket_keys() {
    for (auto& a : world_.accounts)
      for (auto& b : a.buckets) {
        if (!b.kms_key) continue;
        const SourceLocation& where = bucket_key_at_[b.name];
        const std::string& ref = *b.kms_key;
        const KmsKey* key = world_.find_key(ref);
        if (ref.starts_with("arn:")) {
          if (!ref.starts_with("arn:aws:kms:") || ref.find(":key/") == std::string::npos) {
            diags_.error(
                "scenario.bad-arn", where,
                "kms_key must be a key id or key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), found '" + ref + "'");
            continue;
          }
        } else if (key && key->account_id != b.account_id) {
          key = nullptr;  // a key id means a key of the bucket's account
        }
        if (!key) {
          diags_.error("scenario.unknown-key", where,
                       "no KMS key '" + ref + "'" + (ref.starts_with("arn:") ? "" : " in account " + b.account_id) +
                           " (declare it under kms_keys; a key of another account is named by ARN)");
          continue;
        }
        b.kms_key_arn = key->arn;
      }
  }

  // ---- organization ----------------------------------------------------------------------
  void organization(const YamlNode& n) {
    if (!is_map(n, "organization")) return;
    Fields f(*this, n, "the organization", {"id", "management_account", "root"});
    if (!require(f, n, "id", "the organization") || !require(f, n, "management_account", "the organization")) return;
    auto id = text(f["id"], "organization id");
    auto management = account_id(f["management_account"], "management_account");
    if (!id || !management) return;
    if (!is_org_id(*id)) {
      error("scenario.bad-value", f["id"], "an organization id is o- and 10 to 32 of a-z 0-9, found '" + *id + "'");
      return;
    }
    Organization org;
    org.id = *id;
    org.management_account = *management;
    org.where = at(n);
    OrgUnit root;
    root.name = "root";
    root.id = "r-" + lower_suffix(org.id, 4);
    org.units.push_back(std::move(root));
    if (f.has("root")) {
      if (is_map(f["root"], "root")) unit(f["root"], 0, org, org.id);
    } else {
      org.units[0].scps = {full_aws_access()};
      org.units[0].where = at(n);
    }
    world_.organization = std::move(org);
  }

  // Fills units[index] (already created) from its mapping, then its children.
  void unit(const YamlNode& n, std::size_t index, Organization& org, const std::string& seed) {
    bool is_root = index == 0;
    Fields f(*this, n, is_root ? "the organization root" : "an organizational unit",
             is_root ? std::initializer_list<std::string_view>{"id", "scps", "rcps", "accounts", "units"}
                     : std::initializer_list<std::string_view>{"name", "id", "scps", "rcps", "accounts", "units"});
    org.units[index].where = at(n);
    if (f.has("id"))
      if (auto id = text(f["id"], "id")) org.units[index].id = *id;
    // AWS attaches FullAWSAccess to every node unless told otherwise.
    org.units[index].scps = f.given("scps") ? policies(f["scps"], "scps") : std::vector{full_aws_access()};
    org.units[index].rcps = policies(f["rcps"], "rcps");
    for (const auto& acct : list(f["accounts"], "accounts")) {
      auto id = account_id(acct, "an account in the organization");
      if (!id) continue;
      if (!accounts_seen_.count(*id)) {
        error("scenario.undeclared-account", acct,
              "account " + *id + " is in the organization but not under accounts:");
        continue;
      }
      if (auto it = placed_.find(*id); it != placed_.end()) {
        error("scenario.account-in-tree-twice", acct,
              "account " + *id + " is placed in the organization twice (first at " + where_text(it->second) + ")");
        continue;
      }
      placed_.emplace(*id, at(acct));
      org.units[index].accounts.push_back(*id);
    }
    std::set<std::string> child_names;
    auto children = list(f["units"], "units");
    // AWS nests units at most five deep; a deeper tree is a mistake (or an alias loop).
    if (!children.empty() && depth_of(org, index) >= 5) {
      error("scenario.bad-value", f["units"], "organizational units nest at most 5 deep under the root");
      return;
    }
    for (const auto& child : children) {
      if (!is_map(child, "an organizational unit")) continue;
      const YamlNode& name_node = child["name"];
      if (!name_node.present()) {
        error("scenario.missing-field", child, "an organizational unit needs 'name'");
        continue;
      }
      auto name = text(name_node, "unit name");
      if (!name) continue;
      if (!child_names.insert(*name).second) {
        error("scenario.duplicate-unit", name_node, "two units named '" + *name + "' under one parent");
        continue;
      }
      OrgUnit u;
      u.name = *name;
      std::string child_seed = seed + "/" + *name;
      u.id = "ou-" + org.units[0].id.substr(2) + "-" + lower_suffix(child_seed, 8);
      u.parent = index;
      std::size_t child_index = org.units.size();
      org.units.push_back(std::move(u));
      org.units[index].children.push_back(child_index);
      unit(child, child_index, org, child_seed);
    }
  }

  static int depth_of(const Organization& org, std::size_t index) {
    int depth = 0;
    for (auto at = org.units[index].parent; at; at = org.units[*at].parent) ++depth;
    return depth;
  }

  void settle_account_scps() {
    for (auto& a : world_.accounts) {
      bool in_org = placed_.count(a.id) > 0;
      if (in_org && !accounts_with_scps_.count(a.id)) a.scps = {full_aws_access()};
      if (!in_org && !a.scps.empty())
        diags_.warning("scenario.scp-outside-organization", a.where,
                       "account " + a.id + " has SCPs but is not in the organization; they do not apply");
    }
  }

  // ---- expectations and defaults ---------------------------------------------------------
  Context context(const YamlNode& n, std::string_view what) {
    Context out;
    if (!n.present() || !is_map(n, what)) return out;
    for (const auto& [key_node, value_node] : n.entries()) {
      const YamlNode& value = *value_node;
      auto key = text(*key_node, "a context key");
      if (!key) continue;
      ContextValue v;
      if (value.is_scalar()) {
        v.values.push_back(value.scalar());
      } else if (value.is_sequence()) {
        v.multi_valued = true;
        for (const YamlNode& item : value.items())
          if (auto s = text(item, "a value of " + *key)) v.values.push_back(*s);
      } else {
        wrong_type(value, "context value " + *key, "a string, number, boolean or list");
        continue;
      }
      out[*key] = std::move(v);
    }
    return out;
  }

  // lint: {ignore: [ID, ID@RESOURCE_PATTERN, {id: ID, resource: PATTERN, reason: TEXT}]}; the
  // ids are checked by lint, which knows them.
  void lint_section(const YamlNode& n) {
    if (!is_map(n, "lint")) return;
    Fields f(*this, n, "lint", {"ignore"});
    for (const auto& item : list(f["ignore"], "lint ignore")) {
      LintIgnore ignore;
      ignore.where = at(item);
      if (item.is_scalar()) {
        const std::string& text = item.scalar();
        const auto at_sign = text.find('@');
        ignore.rule = text.substr(0, at_sign);
        if (at_sign != std::string::npos) ignore.resource = text.substr(at_sign + 1);
      } else if (is_map(item, "a lint ignore")) {
        Fields g(*this, item, "a lint ignore", {"id", "resource", "reason"});
        if (!require(g, item, "id", "a lint ignore")) continue;
        if (auto id = text(g["id"], "id")) ignore.rule = *id;
        if (g.has("resource"))
          if (auto r = text(g["resource"], "resource")) ignore.resource = *r;
        if (g.has("reason"))
          if (auto r = text(g["reason"], "reason")) ignore.reason = *r;
      } else {
        continue;
      }
      if (ignore.rule.empty()) {
        error("scenario.bad-value", item, "a lint ignore needs a finding id");
        continue;
      }
      world_.lint_ignores.push_back(std::move(ignore));
    }
  }

  void defaults(const YamlNode& n) {
    if (!is_map(n, "defaults")) return;
    Fields f(*this, n, "defaults", {"current_time", "secure_transport", "context"});
    if (f.has("current_time"))
      if (auto t = text(f["current_time"], "current_time")) {
        if (!is_timestamp(*t))
          error("scenario.bad-value", f["current_time"],
                "current_time must be ISO 8601 like 2024-06-01T12:00:00Z, found '" + *t + "'");
        else
          world_.defaults.current_time = *t;
      }
    if (f.has("secure_transport"))
      if (auto b = boolean(f["secure_transport"], "secure_transport")) world_.defaults.secure_transport = *b;
    world_.defaults.context = context(f["context"], "context");
  }

  // Checks, once the world is indexed, that the expectation names what exists.
  void check_references(const Expectation& e, SourceLocation principal_at, SourceLocation resource_at) {
    after_indexes_.push_back(
        [this, principal = e.principal, resource = e.resource_arn, principal_at, resource_at](const World& w) {
          if (auto p = find_reference_problem(w, principal)) diags_.error(p->code, principal_at, p->message);
          if (auto p = find_resource_problem(w, resource)) diags_.error(p->code, resource_at, p->message);
        });
  }

  template <class T>
  std::optional<T> parsed(const ParseResult<T>& r, const YamlNode& n, std::string code, std::string_view what) {
    if (r) return r.value;
    diags_.error(std::move(code), inside(n, r.error.column), std::string(what) + ": " + r.error.display);
    return std::nullopt;
  }

  void expectation(const YamlNode& n, std::size_t index) {
    Expectation e;
    e.where = at(n);
    if (n.is_scalar()) {
      auto line =
          parsed(parse_expectation_line(n.scalar()), n, "scenario.bad-expectation", "this expectation does not parse");
      if (!line) return;
      e.expect = line->expect;
      e.principal = std::move(line->principal);
      e.action = std::move(line->action);
      e.resource_arn = std::move(line->resource_arn);
      e.name = n.scalar();
      // The principal follows the first word; the resource is the last one.
      const std::string& t = n.scalar();
      auto word_end = t.find_first_of(" \t", t.find_first_not_of(" \t"));
      auto principal_col = static_cast<int>(t.find_first_not_of(" \t", word_end)) + 1;
      auto resource_col = static_cast<int>(t.find_last_of(" \t", t.find_last_not_of(" \t"))) + 2;
      check_references(e, inside(n, principal_col), inside(n, resource_col));
      world_.expectations.push_back(std::move(e));
      return;
    }
    if (!n.is_map()) {
      wrong_type(n, "expectation " + std::to_string(index + 1), "a mapping or a one-line string");
      return;
    }
    Fields f(*this, n, "an expectation",
             {"name", "description", "principal", "action", "resource", "expect", "context"});
    bool complete = true;
    for (auto key : {"principal", "action", "resource", "expect"})
      complete = require(f, n, key, "an expectation") && complete;
    if (!complete) return;
    auto principal_text = text(f["principal"], "principal");
    auto action_text = text(f["action"], "action");
    auto resource_text = text(f["resource"], "resource");
    auto expect_text = text(f["expect"], "expect");
    if (!principal_text || !action_text || !resource_text || !expect_text) return;
    auto principal =
        parsed(parse_principal_ref(*principal_text), f["principal"], "scenario.bad-principal", "bad principal");
    auto action = parsed(parse_action(*action_text), f["action"], "scenario.bad-action", "bad action");
    auto resource = parsed(parse_resource(*resource_text), f["resource"], "scenario.bad-resource", "bad resource");
    auto expect = parsed(parse_expect(*expect_text), f["expect"], "scenario.bad-expect", "bad expect");
    e.context = context(f["context"], "context");
    if (!principal || !action || !resource || !expect) return;
    e.principal = std::move(*principal);
    e.action = std::move(*action);
    e.resource_arn = std::move(*resource);
    e.expect = *expect;
    if (f.has("description"))
      if (auto d = text(f["description"], "description")) e.description = *d;
    e.name = to_string(ExpectationLine{e.expect, e.principal, e.action, e.resource_arn});
    if (f.has("name"))
      if (auto name = text(f["name"], "name")) e.name = *name;
    check_references(e, at(f["principal"]), at(f["resource"]));
    world_.expectations.push_back(std::move(e));
  }

  std::string file_;
  fs::path dir_;
  World& world_;
  Diagnostics& diags_;
  LoadScope scope_;
  std::set<std::string> broken_policies_;
  std::map<std::string, SourceLocation> accounts_seen_, placed_, buckets_seen_, keys_seen_, clusters_seen_,
      endpoints_seen_, bucket_key_at_;
  std::vector<PendingCluster> pending_clusters_;
  std::set<std::string> accounts_with_scps_;
  std::vector<std::function<void(const World&)>> after_indexes_;
};

Fields::Fields(Loader& loader, const YamlNode& map, std::string_view what,
               std::initializer_list<std::string_view> allowed) {
  for (const auto& [key_node, value_node] : map.entries()) {
    if (!key_node->is_scalar()) {
      loader.wrong_type(*key_node, std::string("a field name in ") + std::string(what), "a string");
      continue;
    }
    const std::string& key = key_node->scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      loader.error("scenario.unknown-field", *key_node,
                   "unknown field '" + key + "' in " + std::string(what) + "; allowed: " + join(allowed));
      continue;
    }
    if ((*this)[key].defined()) {
      loader.error("scenario.duplicate-field", *key_node, "field '" + key + "' appears twice in " + std::string(what));
      continue;
    }
    entries_.emplace_back(key_node, value_node);
  }
}

bool has_scenario_extension(const fs::path& p) {
  auto ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

}  // namespace

// A scenario says `apiVersion: iamsim/v1` at its top level: a line without indentation in
// YAML, or the key of the top-level object in JSON. Found by scanning the text, not by
// parsing it: folders hold large worlds, and each would otherwise be parsed twice.
bool is_scenario_file(const fs::path& file) {
  auto text = load::read_text_file(file);
  if (!text || text->find(scenario_api_version) == std::string::npos) return false;
  const std::string_view t = *text;
  std::size_t first = t.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && t[first] == '{') {  // JSON
    for (std::size_t at = t.find("\"apiVersion\""); at != std::string_view::npos;
         at = t.find("\"apiVersion\"", at + 1)) {
      std::size_t v = t.find_first_not_of(" \t\r\n", at + 12);
      if (v == std::string_view::npos || t[v] != ':') continue;
      v = t.find_first_not_of(" \t\r\n", v + 1);
      if (v != std::string_view::npos &&
          t.substr(v).rfind(std::string("\"") + std::string(scenario_api_version) + "\"", 0) == 0)
        return true;
    }
    return false;
  }
  for (std::size_t line = 0; line < t.size();) {
    std::size_t end = t.find('\n', line);
    if (end == std::string_view::npos) end = t.size();
    std::string_view l = t.substr(line, end - line);
    if (l.rfind("apiVersion:", 0) == 0) {
      l.remove_prefix(11);
      while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.remove_prefix(1);
      while (!l.empty() && (l.back() == ' ' || l.back() == '\t' || l.back() == '\r')) l.remove_suffix(1);
      if (l.size() >= 2 && (l.front() == '"' || l.front() == '\'') && l.back() == l.front())
        l = l.substr(1, l.size() - 2);
      return l == scenario_api_version;
    }
    line = end + 1;
  }
  return false;
}

ScenarioFiles find_scenario_files(const std::vector<fs::path>& paths) {
  ScenarioFiles out;
  std::set<fs::path> seen;
  auto add = [&](const fs::path& p) {
    if (seen.insert(fs::weakly_canonical(p)).second) out.files.push_back(p);
  };
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<fs::path> found;
      for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec))
        if (it->is_regular_file(ec) && has_scenario_extension(it->path()) && is_scenario_file(it->path()))
          found.push_back(it->path());
      std::sort(found.begin(), found.end());
      for (const auto& f : found) add(f);
    } else if (fs::is_regular_file(path, ec)) {
      add(path);  // named on purpose: loading it says if it is no scenario
    } else {
      out.diagnostics.error("scenario.missing-file", {path.string(), "", 0, 0}, "no such file or folder");
    }
  }
  return out;
}

WorldLoad load_world_text(std::string_view text, const fs::path& file, LoadScope scope) {
  WorldLoad out;
  const std::string label = file.string();
  load::YamlStream stream = load::parse_yaml(text);
  if (const auto& e = stream.error()) {
    out.diagnostics.error("yaml.syntax", location_of(*e, label), e->message);
    return out;
  }
  const auto& docs = stream.documents();
  if (docs.empty() || docs[0]->is_null()) {
    out.diagnostics.error("scenario.not-a-scenario", {label, "", 1, 1}, "the file is empty");
    return out;
  }
  const YamlNode& root = *docs[0];
  if (docs.size() > 1) {
    out.diagnostics.error("scenario.multiple-documents", location_of(*docs[1], label),
                          "a scenario file holds one YAML document");
    return out;
  }
  if (!root.is_map() || !root["apiVersion"].defined()) {
    out.diagnostics.error("scenario.not-a-scenario", location_of(root, label),
                          "not a scenario file: it needs apiVersion: iamsim/v1 at the top");
    return out;
  }
  const YamlNode& version = root["apiVersion"];
  if (!version.is_scalar() || version.scalar() != scenario_api_version) {
    out.diagnostics.error("scenario.bad-api-version", location_of(version, label),
                          "apiVersion must be iamsim/v1, found '" + version.scalar() + "'");
    return out;
  }
  auto world = std::make_shared<World>();
  Loader loader(label, file.parent_path(), *world, out.diagnostics, scope);
  loader.scenario(root);
  out.world = std::move(world);
  return out;
}

WorldLoad load_world(const fs::path& file, LoadScope scope) {
  auto text = load::read_text_file(file);
  if (!text) {
    WorldLoad out;
    out.diagnostics.error("scenario.missing-file", {file.string(), "", 0, 0}, "cannot read scenario file");
    return out;
  }
  return load_world_text(*text, file, scope);
}

WorldLoad load_world_argument(const fs::path& path, LoadScope scope) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return load_world(path, scope);
  auto found = find_scenario_files({path});
  if (found.files.size() == 1) return load_world(found.files.front(), scope);
  WorldLoad out;
  std::string names;
  for (const auto& f : found.files) names += (names.empty() ? "" : ", ") + f.string();
  out.diagnostics.error("scenario.not-one-world", {path.string(), "", 0, 0},
                        found.files.empty() ? "the folder holds no scenario file"
                                            : "the folder holds " + std::to_string(found.files.size()) +
                                                  " scenario files (" + names + "); name one");
  return out;
}

bool ScenarioLoad::ok() const {
  if (diagnostics.has_errors()) return false;
  return std::all_of(files.begin(), files.end(), [](const WorldLoad& w) { return w.ok(); });
}

Diagnostics ScenarioLoad::all_diagnostics() const {
  Diagnostics all = diagnostics;
  for (const auto& f : files) all.append(f.diagnostics);
  return all;
}

ScenarioLoad load_scenarios(const std::vector<fs::path>& paths) {
  auto found = find_scenario_files(paths);
  ScenarioLoad out;
  out.diagnostics = std::move(found.diagnostics);
  out.files.resize(found.files.size());
  tbb::parallel_for(std::size_t{0}, found.files.size(),
                    [&](std::size_t i) { out.files[i] = load_world(found.files[i]); });
  return out;
}

}  // namespace iamsim::model
