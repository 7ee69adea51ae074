// Stage: model (load), real estates. The organizations/ folder of an export: the tree walked
// from `list-roots` through `list-organizational-units-for-parent` and
// `list-accounts-for-parent`, and each SCP and RCP of `list-policies` with its content
// (`describe-policy`, a JSON string) at its targets (`list-targets-for-policy`).
#include <map>
#include <set>

#include "engine/syntax/arn_view.hpp"
#include "model/load/builtin_policies.hpp"
#include "model/load/read_exports.hpp"

namespace iamsim::model::load {
namespace {

namespace fs = std::filesystem;

bool path_exists(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

// A policy whose content the export lacks: taken to deny everything, since leaving out a
// policy that denies could only widen what the world allows.
PolicyDocument unknown_policy(const std::string& id, bool rcp, const SourceLocation& where) {
  PolicyDocument d;
  d.name = id + " (content not in the export: denies everything)";
  d.json_text =
      rcp ? R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}]})"
          : R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]})";
  d.origin = where;
  return d;
}

class OrganizationReader {
 public:
  OrganizationReader(const fs::path& folder, World& w, Diagnostics& d) : dir_(folder), w_(w), d_(d) {}

  void run() {
    auto described = ExportFile::read(dir_ / "describe-organization.json", d_);
    if (!described) return;
    auto org_at = described->member(described->root(), "Organization");
    if (!org_at) return;
    Organization org;
    auto id = described->string_member(*org_at, "Id");
    auto management = described->string_member(*org_at, "MasterAccountId");
    if (!id || !management) return;
    org.id = *id;
    org.management_account = *management;
    org.where = described->at(*org_at);

    auto roots = ExportFile::read(dir_ / "list-roots.json", d_);
    if (!roots) return;
    auto list = roots->array_member(roots->root(), "Roots", true);
    if (list.empty()) {
      roots->error("export.bad-shape", roots->root(), "an organization has one root; Roots is empty");
      return;
    }
    auto root_id = roots->string_member(list[0], "Id");
    if (!root_id) return;
    for (const auto& t : roots->array_member(list[0], "PolicyTypes")) {
      auto type = roots->string_member(t, "Type");
      auto status = roots->string_member(t, "Status");
      if (type && status && *status == "ENABLED") enabled_.insert(*type);
    }
    OrgUnit root;
    root.name = "root";
    root.id = *root_id;
    root.where = roots->at(list[0]);
    org.units.push_back(std::move(root));
    walk(org);
    w_.organization = std::move(org);
    policies("SERVICE_CONTROL_POLICY");
    policies("RESOURCE_CONTROL_POLICY");
    // SCPs not enabled: they do not apply, which is FullAWSAccess everywhere (S4).
    if (!enabled_.count("SERVICE_CONTROL_POLICY")) {
      for (auto& u : w_.organization->units) u.scps = {full_aws_access()};
      for (auto& a : w_.accounts)
        if (placed_.count(a.id)) a.scps = {full_aws_access()};
    }
  }

 private:
  // Breadth first from the root; every parent's two listings must be in the export.
  void walk(Organization& org) {
    for (std::size_t at = 0; at < org.units.size(); ++at) {
      const std::string parent = org.units[at].id;
      if (auto f = listing("list-organizational-units-for-parent", parent))
        for (const auto& u : f->array_member(f->root(), "OrganizationalUnits", true)) {
          auto id = f->string_member(u, "Id");
          auto name = f->string_member(u, "Name");
          if (!id || !name) continue;
          if (unit_index_.count(*id) || *id == org.units[0].id) {
            f->error("export.duplicate", u, "unit " + *id + " appears twice in the tree");
            continue;
          }
          OrgUnit child;
          child.id = *id;
          child.name = *name;
          child.parent = at;
          child.where = f->at(u);
          org.units[at].children.push_back(org.units.size());
          unit_index_[*id] = org.units.size();
          org.units.push_back(std::move(child));
        }
      if (auto f = listing("list-accounts-for-parent", parent))
        for (const auto& a : f->array_member(f->root(), "Accounts", true)) {
          auto id = f->string_member(a, "Id");
          if (!id) continue;
          if (!syntax::is_account_id(*id)) {
            f->error("export.bad-value", a, "'" + *id + "' is not an account id (twelve digits)");
            continue;
          }
          if (!placed_.insert(*id).second) {
            f->error("export.duplicate", a, "account " + *id + " appears twice in the tree");
            continue;
          }
          org.units[at].accounts.push_back(*id);
          Account* account = find_account(*id);
          if (!account) {
            d_.warning("export.account-not-exported", f->at(a),
                       "account " + *id + " is in the organization, but the export has no accounts/" + *id +
                           "/ folder: it holds no principals or resources in this world");
            Account empty;
            empty.id = *id;
            empty.where = f->at(a);
            w_.accounts.push_back(std::move(empty));
            account = &w_.accounts.back();
          }
          if (account->name.empty()) account->name = f->string_member(a, "Name", false).value_or("");
        }
    }
    unit_index_[org.units[0].id] = 0;
  }

  std::optional<ExportFile> listing(const std::string& command, const std::string& parent) {
    const fs::path file = dir_ / (command + "." + parent + ".json");
    if (!path_exists(file)) {
      d_.error("export.missing-file", {file.string(), "", 0, 0},
               "the organization's tree is walked through " + command + " of every parent; " +
                   file.filename().string() + " is missing");
      return std::nullopt;
    }
    return ExportFile::read(file, d_);
  }

  Account* find_account(const std::string& id) {
    for (auto& a : w_.accounts)
      if (a.id == id) return &a;
    return nullptr;
  }

  void policies(const std::string& type) {
    const bool rcp = type == "RESOURCE_CONTROL_POLICY";
    const fs::path list_file = dir_ / ("list-policies." + type + ".json");
    if (!path_exists(list_file)) {
      if (enabled_.count(type))
        d_.warning("export.missing-file", {list_file.string(), "", 0, 0},
                   std::string(rcp ? "RCPs" : "SCPs") + " are enabled, but the export does not list them; " +
                       (rcp ? "no RCP is seen" : "no SCP is seen, and every account of the organization is denied"));
      return;
    }
    auto list = ExportFile::read(list_file, d_);
    if (!list) return;
    for (const auto& p : list->array_member(list->root(), "Policies", true)) {
      auto id = list->string_member(p, "Id");
      if (!id) continue;
      // RCPFullAWSAccess is implied at every level (R2).
      if (rcp && *id == "p-RCPFullAWSAccess") continue;
      auto doc = content(*id, rcp, list->at(p));
      attach(*id, doc, rcp);
    }
  }

  PolicyDocument content(const std::string& id, bool rcp, const SourceLocation& listed_at) {
    const fs::path file = dir_ / ("describe-policy." + id + ".json");
    if (path_exists(file))
      if (auto f = ExportFile::read(file, d_))
        if (auto policy = f->member(f->root(), "Policy")) {
          std::string title = id;
          if (auto summary = f->member(*policy, "PolicySummary", false))
            if (auto n = f->string_member(*summary, "Name", false)) title = *n + " (" + id + ")";
          if (auto c = f->member(*policy, "Content"))
            if (auto d = f->policy(*c, title)) return std::move(*d);
        }
    if (!rcp && id == "p-FullAWSAccess") return full_aws_access();
    d_.warning("export.missing-policy", listed_at,
               std::string(rcp ? "RCP " : "SCP ") + id + " has no readable describe-policy." + id +
                   ".json; it is taken to deny everything where it is attached");
    return unknown_policy(id, rcp, listed_at);
  }

  void attach(const std::string& id, const PolicyDocument& doc, bool rcp) {
    const fs::path file = dir_ / ("list-targets-for-policy." + id + ".json");
    if (!path_exists(file)) {
      d_.warning("export.missing-file", {file.string(), "", 0, 0},
                 "policy " + id + " has no list-targets-for-policy." + id + ".json; it is attached nowhere");
      return;
    }
    auto f = ExportFile::read(file, d_);
    if (!f) return;
    for (const auto& t : f->array_member(f->root(), "Targets", true)) {
      auto target = f->string_member(t, "TargetId");
      if (!target) continue;
      std::vector<PolicyDocument>* into = nullptr;
      if (auto it = unit_index_.find(*target); it != unit_index_.end()) {
        auto& unit = w_.organization->units[it->second];
        into = rcp ? &unit.rcps : &unit.scps;
      } else if (placed_.count(*target)) {
        Account* a = find_account(*target);
        into = rcp ? &a->rcps : &a->scps;
      }
      if (!into) {
        f->warning("export.unknown-target", t, "target " + *target + " of policy " + id + " is not in the tree");
        continue;
      }
      into->push_back(doc);
    }
  }

  fs::path dir_;
  World& w_;
  Diagnostics& d_;
  std::set<std::string> enabled_;
  std::set<std::string> placed_;
  std::map<std::string, std::size_t> unit_index_;
};

}  // namespace

void read_organization_export(const fs::path& folder, World& w, Diagnostics& diagnostics) {
  OrganizationReader(folder, w, diagnostics).run();
}

}  // namespace iamsim::model::load
