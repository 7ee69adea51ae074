// Stage: model (load), reading. The organization: its id, management account and tree of
// organizational units with their SCPs and RCPs; the accounts placed in it are bound later.
#include <cctype>

#include "model/load/aws_names.hpp"
#include "model/load/builtin_policies.hpp"
#include "model/load/scenario_reader.hpp"

namespace iamsim::model::load {
namespace {

// Ids a scenario does not give are derived from names, so they stay the same run to run.
std::string lower_suffix(std::string_view seed, std::size_t n) {
  std::string s = derive_unique_id("", seed).substr(0, n);
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

int depth_of(const Organization& org, std::size_t index) {
  int depth = 0;
  for (auto at = org.units[index].parent; at; at = org.units[*at].parent) ++depth;
  return depth;
}

// Fills units[index] (already created) from its mapping, then its children.
void read_unit(ScenarioReader& r, const YamlNode& n, std::size_t index, Organization& org, const std::string& seed) {
  FieldReader& in = r.in;
  bool is_root = index == 0;
  Fields f(in, n, is_root ? "the organization root" : "an organizational unit",
           is_root ? std::initializer_list<std::string_view>{"id", "scps", "rcps", "accounts", "units"}
                   : std::initializer_list<std::string_view>{"name", "id", "scps", "rcps", "accounts", "units"});
  org.units[index].where = in.at(n);
  if (f.has("id"))
    if (auto id = in.text(f["id"], "id")) org.units[index].id = *id;
  // AWS attaches FullAWSAccess to every node unless told otherwise (S4).
  org.units[index].scps = f.given("scps") ? read_policies(r, f["scps"], "scps") : std::vector{full_aws_access()};
  org.units[index].rcps = read_policies(r, f["rcps"], "rcps");
  for (const auto& acct : in.list(f["accounts"], "accounts"))
    if (auto id = in.account_id(acct, "an account in the organization"))
      r.unbound.placements.push_back({index, *id, &acct});
  std::set<std::string> child_names;
  auto children = in.list(f["units"], "units");
  // AWS nests units at most five deep; a deeper tree is a mistake (or an alias loop).
  if (!children.empty() && depth_of(org, index) >= 5) {
    in.error("scenario.bad-value", f["units"], "organizational units nest at most 5 deep under the root");
    return;
  }
  for (const auto& child : children) {
    if (!in.is_map(child, "an organizational unit")) continue;
    const YamlNode& name_node = child["name"];
    if (!name_node.present()) {
      in.error("scenario.missing-field", child, "an organizational unit needs 'name'");
      continue;
    }
    auto name = in.text(name_node, "unit name");
    if (!name) continue;
    if (!child_names.insert(*name).second) {
      in.error("scenario.duplicate-unit", name_node, "two units named '" + *name + "' under one parent");
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
    read_unit(r, child, child_index, org, child_seed);
  }
}

}  // namespace

void read_organization(ScenarioReader& r, const YamlNode& n) {
  FieldReader& in = r.in;
  if (!in.is_map(n, "organization")) return;
  Fields f(in, n, "the organization", {"id", "management_account", "root"});
  if (!in.require(f, n, "id", "the organization") || !in.require(f, n, "management_account", "the organization"))
    return;
  auto id = in.text(f["id"], "organization id");
  auto management = in.account_id(f["management_account"], "management_account");
  if (!id || !management) return;
  if (!is_org_id(*id)) {
    in.error("scenario.bad-value", f["id"], "an organization id is o- and 10 to 32 of a-z 0-9, found '" + *id + "'");
    return;
  }
  Organization org;
  org.id = *id;
  org.management_account = *management;
  org.where = in.at(n);
  OrgUnit root;
  root.name = "root";
  root.id = "r-" + lower_suffix(org.id, 4);
  org.units.push_back(std::move(root));
  if (f.has("root")) {
    if (in.is_map(f["root"], "root")) read_unit(r, f["root"], 0, org, org.id);
  } else {
    org.units[0].scps = {full_aws_access()};
    org.units[0].where = in.at(n);
  }
  r.world.organization = std::move(org);
}

}  // namespace iamsim::model::load
