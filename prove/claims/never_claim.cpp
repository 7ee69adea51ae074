// Stage: prove. Deciding `never` for the callers from outside the world: one search per form
// of caller, action and origin (docs/claims.md), each a solver question (outsider_search).
#include "prove/claims/never_claim.hpp"

#include <map>
#include <sstream>

#include "engine/catalog/aws_catalog.hpp"
#include "engine/text.hpp"
#include "model/paths/access.hpp"
#include "model/paths/s3_public.hpp"

namespace iamsim::prove {
namespace {

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string origin_text(Origin origin, const std::string& endpoint) {
  switch (origin) {
    case Origin::Internet: return "from the internet";
    case Origin::WorldEndpoint: return "through VPC endpoint " + endpoint;
    case Origin::OtherEndpoint: return "through a VPC endpoint outside the world";
  }
  return "";
}

}  // namespace

std::optional<NeverClaim> parse_never_claim(std::string_view text, std::string& error) {
  const auto w = words_of(text);
  if (w.size() != 4 || w[0] != "never") {
    error =
        "a claim reads `never SET ACTION RESOURCE` (SET: outside-org, outside-account:ACCOUNT, anonymous or anyone)";
    return std::nullopt;
  }
  NeverClaim c;
  c.text = std::string(text);
  if (w[1] == "outside-org") {
    c.set = NeverClaim::Set::OutsideOrg;
  } else if (w[1] == "anonymous") {
    c.set = NeverClaim::Set::Anonymous;
  } else if (w[1] == "anyone") {
    c.set = NeverClaim::Set::Anyone;
  } else if (w[1].starts_with("outside-account:")) {
    c.set = NeverClaim::Set::OutsideAccount;
    c.account = w[1].substr(16);
    if (c.account.size() != 12 || c.account.find_first_not_of("0123456789") != std::string::npos) {
      error = "outside-account: wants a 12-digit account id, not '" + c.account + "'";
      return std::nullopt;
    }
  } else {
    error = "unknown principal set '" + w[1] +
            "': this version proves claims about outside-org, outside-account:ACCOUNT, anonymous and anyone";
    return std::nullopt;
  }
  for (const auto* a : catalog::Catalog::aws().expand(w[2]))
    if (ascii_lowered(a->service) == "s3") c.actions.push_back(a->full_name());
  if (c.actions.empty()) {
    error = "the action '" + w[2] + "' names no S3 action of the catalogue (claims are about S3 objects)";
    return std::nullopt;
  }
  std::string resource = w[3];
  if (resource.starts_with("s3://"))
    resource = resource.substr(5);
  else if (resource.starts_with("arn:aws:s3:::"))
    resource = resource.substr(13);
  else {
    error = "the resource '" + w[3] + "' is not s3://BUCKET/KEY-PATTERN or arn:aws:s3:::BUCKET/KEY-PATTERN";
    return std::nullopt;
  }
  const auto slash = resource.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == resource.size()) {
    error = "the resource '" + w[3] + "' names no objects: write s3://BUCKET/* or s3://BUCKET/PREFIX*";
    return std::nullopt;
  }
  c.bucket = resource.substr(0, slash);
  c.key_glob = resource.substr(slash + 1);
  return c;
}

std::optional<ClaimResult> decide_never_claim(const NeverClaim& claim, const model::CompiledWorld& cw,
                                              std::string& error) {
  const model::World& world = cw.world();
  const model::Bucket* bucket = world.find_bucket(claim.bucket);
  if (!bucket) {
    error = "the world has no bucket '" + claim.bucket + "'";
    return std::nullopt;
  }
  ClaimResult result;
  const std::string org_id = world.organization ? world.organization->id : "";

  // Which accounts of the world the set holds: their principals are not covered here.
  std::vector<std::string> world_accounts;
  bool covers_world_principals = false;
  for (const auto& a : world.accounts) {
    world_accounts.push_back(a.id);
    const bool in_set = claim.set == NeverClaim::Set::Anyone ||
                        (claim.set == NeverClaim::Set::OutsideOrg && !world.in_organization(a.id)) ||
                        (claim.set == NeverClaim::Set::OutsideAccount && a.id != claim.account);
    covers_world_principals |= in_set;
  }
  if (covers_world_principals)
    result.unknown_reasons.push_back(
        "the set holds principals of the world's own accounts, which this version does not prove claims about");

  OutsiderSpace base;
  base.resource_prefix = bucket->arn + "/";
  base.key_glob = claim.key_glob;
  base.resource_account = bucket->account_id;
  base.resource_in_management_account =
      world.organization && world.organization->management_account == bucket->account_id;
  base.excluded_accounts = world_accounts;
  if (claim.set == NeverClaim::Set::OutsideAccount) base.excluded_accounts.push_back(claim.account);
  if (claim.set == NeverClaim::Set::OutsideOrg && !org_id.empty()) base.excluded_org_ids.push_back(org_id);
  cw.add_account_keys(base.fixed, bucket->account_id, model::CompiledWorld::KeySide::Resource);

  // B4: RestrictPublicBuckets on a public policy lets in only the owner's account and AWS services.
  const auto resource_policy =
      bucket->policy ? std::optional<eval::AttachedPolicy>(cw.attach(*bucket->policy)) : std::nullopt;
  const model::PublicAccessBlock block =
      model::effective_block(world.find_account(bucket->account_id), *bucket, nullptr);
  if (block.restrict_public_buckets && resource_policy && model::is_public_policy(*resource_policy->policy)) {
    result.holds_because.push_back("Block Public Access of bucket " + bucket->name +
                                   ": RestrictPublicBuckets and a public policy let in only account " +
                                   bucket->account_id + " and AWS services (B4)");
  }
  std::vector<const model::VpcEndpoint*> endpoints;
  for (const auto& a : world.accounts)
    for (const auto& ep : a.vpc_endpoints)
      if (ascii_lowered(ep.service).ends_with(".s3")) endpoints.push_back(&ep);
  for (const auto* ep : endpoints) base.world_endpoints.push_back(ep->id);

  std::vector<OutsiderForm> forms = {OutsiderForm::Anonymous};
  if (claim.set != NeverClaim::Set::Anonymous)
    forms.insert(forms.begin(), {OutsiderForm::User, OutsiderForm::RoleSession, OutsiderForm::Root});
  const auto rcp = cw.rcp_levels(bucket->account_id);

  // Actions that select the same statements of every policy get the same answers: each such
  // group is searched once (the action only chooses statements; the rest of the request is free).
  auto signature = [&](const std::string& action) {
    const std::string lower = ascii_lowered(action);
    std::string sig;
    auto add = [&](const eval::AttachedPolicy& p) {
      for (const auto& st : p.policy->statements) sig += eval::action_matches(st, action, lower) ? '1' : '0';
    };
    if (resource_policy) add(*resource_policy);
    for (const auto* ep : endpoints) add(cw.attach(ep->policy));
    for (const auto& level : rcp)
      for (const auto& p : level) add(p);
    return sig;
  };
  std::map<std::string, std::vector<ClaimCase>> searched;
  for (const auto& action : claim.actions) {
    const std::string sig = signature(action);
    if (auto it = searched.find(sig); it != searched.end()) {
      for (const auto& c : it->second) {
        ClaimCase same = c;
        same.description += " (the statements of " + action + " are the same)";
        result.cases.push_back(std::move(same));
      }
      continue;
    }
    const std::size_t first_case = result.cases.size();
    for (OutsiderForm form : forms) {
      std::vector<std::pair<Origin, const model::VpcEndpoint*>> origins = {{Origin::Internet, nullptr}};
      for (const auto* ep : endpoints) origins.emplace_back(Origin::WorldEndpoint, ep);
      origins.emplace_back(Origin::OtherEndpoint, nullptr);
      for (const auto& [origin, ep] : origins) {
        OutsiderSpace space = base;
        space.form = form;
        space.action = action;
        space.origin = origin;
        eval::PolicyLayers layers;
        if (form != OutsiderForm::Anonymous) layers.identity.push_back(model::outsider_identity_policy());
        layers.resource = resource_policy;
        layers.rcp.assign(rcp.begin(), rcp.end());
        if (ep) {
          space.endpoint_id = ep->id;
          space.vpc_id = ep->vpc_id;
          layers.vpc_endpoint = cw.attach(ep->policy);
        }
        ClaimCase c;
        c.description = std::string(to_string(form)) + " of an account outside the world, " + action + ", " +
                        origin_text(origin, ep ? ep->id : "");
        if (form == OutsiderForm::Anonymous)
          c.description = "an anonymous caller, " + action + ", " + origin_text(origin, ep ? ep->id : "");
        if (!result.holds_because.empty()) {
          c.search.verdict = Search::Verdict::None;  // B4 keeps every outsider out
        } else {
          c.search = find_allowed_request(space, layers.view(), cw.semantics());
        }
        if (c.search.verdict == Search::Verdict::Found && !result.witness) {
          result.witness = c.search.request;
          result.witness_decision = eval::authorize(*result.witness, layers.view(), cw.semantics());
          result.witness_description = c.description;
        }
        if (c.search.verdict == Search::Verdict::Unknown) result.unknown_reasons.push_back(c.search.unknown_reason);
        result.cases.push_back(std::move(c));
      }
    }
    searched.emplace(sig, std::vector<ClaimCase>(result.cases.begin() + static_cast<std::ptrdiff_t>(first_case),
                                                 result.cases.end()));
  }

  // What the S3 request alone does not decide.
  const bool needs_key = bucket->kms_key_arn.has_value();
  if (result.witness) {
    if (needs_key) {
      // The object may be encrypted with the bucket's key: S3 then calls KMS for the caller,
      // which this version does not search. The request found is allowed by S3's policies.
      result.unknown_reasons.push_back("objects of " + bucket->name + " are encrypted with KMS key " +
                                       *bucket->kms_key_arn +
                                       ": the request found passes S3's policies, and the key policy hop is not "
                                       "covered");
      result.verdict = ClaimResult::Verdict::Unknown;
    } else {
      result.verdict = ClaimResult::Verdict::Refuted;
    }
    return result;
  }
  if (bucket->acl_policy) result.unknown_reasons.push_back("the bucket's ACL grants (B3) are not covered");
  if (bucket->object_ownership != "BucketOwnerEnforced")
    result.unknown_reasons.push_back("object ACLs may grant access: Object Ownership is " + bucket->object_ownership +
                                     " (B3)");
  if (!bucket->access_points.empty())
    result.unknown_reasons.push_back("requests through the bucket's access points are not covered (B6)");
  if (result.holds_because.empty()) {
    if (resource_policy) {
      result.holds_because.push_back("no statement of the bucket policy of " + bucket->name +
                                     " grants such a request without a Deny of the bucket policy, an RCP or the VPC "
                                     "endpoint policy applying");
    } else {
      result.holds_because.push_back("bucket " + bucket->name + " has no policy: nothing grants an outsider (X1, E5)");
    }
  }
  result.verdict = result.unknown_reasons.empty() ? ClaimResult::Verdict::Holds : ClaimResult::Verdict::Unknown;
  return result;
}

}  // namespace iamsim::prove
