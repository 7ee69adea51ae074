// Stage: paths (queries). who-can prunes principals before it evaluates paths; the pruning
// asks the engine's principal matcher (P1-P3), so it must never drop a principal that the
// full evaluation allows. Checked against brute force on every shipped world: every
// principal and every one-role chain is evaluated, for every pair of the access matrix.
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "model/load/scenario_loader.hpp"
#include "model/paths/compiled_world.hpp"
#include "model/queries/who_can.hpp"

using namespace iamsim;
using namespace iamsim::model;

namespace {

namespace fs = std::filesystem;

// The role a service account's pods end up as, found from the world, not from who-can.
const Role* final_role(const World& w, const Cluster& c, const ServiceAccount& sa) {
  if (sa.role_arn) return w.find_role(*sa.role_arn);
  if (const auto* a = w.find_pod_identity_association(c.name, sa.namespace_name, sa.name))
    return w.find_role(a->target_role_arn ? *a->target_role_arn : a->role_arn);
  return nullptr;
}

// Every reference who-can answers for: each principal of the world, and each user, role
// and service account followed by one role it does not already end up as.
std::vector<PrincipalRef> every_reference(const World& w, const PrincipalIndex& index) {
  std::vector<PrincipalRef> out = index.all();
  for (const auto& base : index.all()) {
    const Role* own = nullptr;
    if (base.kind == PrincipalRef::Kind::Arn) {
      own = w.find_role(base.arn);
    } else if (base.kind == PrincipalRef::Kind::ServiceAccount) {
      const Cluster* c = w.find_cluster(base.cluster);
      own = final_role(w, *c, *w.find_service_account(base.cluster, base.namespace_name, base.name));
    } else {
      continue;  // anonymous and workloads are not chained
    }
    for (const auto& a : w.accounts)
      for (const auto& role : a.roles) {
        if (&role == own) continue;
        PrincipalRef chained = base;
        chained.chain.push_back(role.arn);
        out.push_back(std::move(chained));
      }
  }
  return out;
}

std::vector<fs::path> shipped_worlds() {
  auto found =
      find_scenario_files({fs::path(IAMSIM_SOURCE_DIR) / "scenarios", fs::path(IAMSIM_SOURCE_DIR) / "tests/scenarios"});
  return found.files;
}

struct Checked {
  std::size_t pairs = 0, allowed = 0;
};

// who-can's answer and brute force agree on every applicable pair of the world's matrix.
Checked check_world(std::shared_ptr<const World> world) {
  Diagnostics diagnostics;
  auto compiled = CompiledWorld::compile(std::move(world), Semantics{}, diagnostics);
  REQUIRE(compiled);
  const AccessResolver resolver(compiled);
  const PrincipalIndex index(resolver);
  const auto references = every_reference(compiled->world(), index);
  const auto axes = default_axes(*compiled);
  Checked checked;
  for (const auto& resource : axes.resources)
    for (const auto& action : axes.actions) {
      if (!action_applies_to(action, resource)) continue;
      std::set<std::string> want, got;
      for (const auto& ref : references)
        if (resolver.decide({ref, action, resource, {}}).allowed()) want.insert(to_string(ref));
      for (const auto& a : index.who_can(action, resource)) got.insert(to_string(a.principal));
      INFO(action << " on " << resource);
      CHECK(got == want);
      ++checked.pairs;
      checked.allowed += want.size();
    }
  return checked;
}

}  // namespace

TEST_CASE("P1 who-can's pruning never drops a principal that is allowed", "[model][who-can][P1][P2][P3]") {
  const auto worlds = shipped_worlds();
  REQUIRE(worlds.size() >= 10);
  Checked all;
  for (const auto& file : worlds) {
    INFO(file.string());
    auto load = load_world(file, LoadScope::world_only);
    REQUIRE(load.ok());
    const Checked one = check_world(load.world);
    all.pairs += one.pairs;
    all.allowed += one.allowed;
  }
  // The worlds must exercise the check: many pairs, and many allowed principals among them.
  CHECK(all.pairs > 500);
  CHECK(all.allowed > 500);
}

TEST_CASE("P2 who-can keeps a role whose session a policy names by its session ARN", "[model][who-can][P2]") {
  // A role's sessions have names who-can does not know while pruning ("iamsim" for a role
  // ARN); a trust or bucket policy that names one must not prune the role away.
  const std::string session = "arn:aws:sts::111111111111:assumed-role/caller/iamsim";
  auto load = load_world_text(R"(apiVersion: iamsim/v1
accounts:
  - id: "111111111111"
    roles:
      - name: caller
        trust: {document: {Version: "2012-10-17", Statement: [
          {Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: "sts:AssumeRole"}]}}
        policies:
          - {document: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "sts:AssumeRole", Resource: "*"}]}}
      - name: target
        trust: {document: {Version: "2012-10-17", Statement: [
          {Effect: Allow, Principal: {AWS: ")" +
                                  session + R"("}, Action: "sts:AssumeRole"}]}}
    buckets:
      - name: shared
        policy: {document: {Version: "2012-10-17", Statement: [
          {Effect: Allow, Principal: {AWS: ")" +
                                  session + R"("}, Action: "s3:GetObject", Resource: "arn:aws:s3:::shared/*"},
          {Effect: Allow, Principal: {AWS: "arn:aws:iam::111111111111:role/target"}, Action: "s3:GetObject",
           Resource: "arn:aws:s3:::shared/*"}]}}
)",
                              fs::path(IAMSIM_SOURCE_DIR) / "tests/unit/model/data/inline.yaml", LoadScope::world_only);
  REQUIRE(load.ok());
  Diagnostics diagnostics;
  auto compiled = CompiledWorld::compile(load.world, Semantics{}, diagnostics);
  REQUIRE(compiled);
  const AccessResolver resolver(compiled);
  const PrincipalIndex index(resolver);
  std::set<std::string> trusted, readers;
  for (const auto& a : index.who_can("sts:AssumeRole", "arn:aws:iam::111111111111:role/target"))
    trusted.insert(to_string(a.principal));
  for (const auto& a : index.who_can("s3:GetObject", "arn:aws:s3:::shared/x")) readers.insert(to_string(a.principal));
  CHECK(trusted == std::set<std::string>{"arn:aws:iam::111111111111:role/caller"});
  // In the bucket's account a grant to the session ARN stands alone (E5): the role's own
  // policies do not allow s3:GetObject.
  CHECK(readers.count("arn:aws:iam::111111111111:role/caller"));
  CHECK(readers.count("arn:aws:iam::111111111111:role/caller -> arn:aws:iam::111111111111:role/target"));
  CHECK(check_world(load.world).allowed > 0);
}

TEST_CASE("T12 X6 who-can keeps callers that need no grant: GetCallerIdentity, AWS managed policies",
          "[model][who-can][T12][X6]") {
  auto load =
      load_world(fs::path(IAMSIM_SOURCE_DIR) / "tests/scenarios/aws-managed/aws-managed.yaml", LoadScope::world_only);
  REQUIRE(load.ok());
  Diagnostics diagnostics;
  auto compiled = CompiledWorld::compile(load.world, Semantics{}, diagnostics);
  REQUIRE(compiled);
  const AccessResolver resolver(compiled);
  const PrincipalIndex index(resolver);
  std::set<std::string> callers, readers;
  for (const auto& a : index.who_can("sts:GetCallerIdentity", "*")) callers.insert(to_string(a.principal));
  // T12: every user and role of the world, none of whose policies allow the action.
  CHECK(callers.count("arn:aws:iam::111111111111:user/alice"));
  CHECK(callers.count("arn:aws:iam::111111111111:user/nobody"));
  CHECK(callers.count("arn:aws:iam::999999999999:role/service/ingest2"));
  CHECK_FALSE(callers.count("anonymous"));
  // X6: the managed policy is in no account, so alice's identity allow is enough.
  for (const auto& a : index.who_can("iam:GetPolicy", "arn:aws:iam::aws:policy/ReadOnlyAccess"))
    readers.insert(to_string(a.principal));
  CHECK(readers == std::set<std::string>{"arn:aws:iam::111111111111:user/alice"});
}
