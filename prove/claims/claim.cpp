// Stage: prove. Deciding `never` and `only` (docs/claims.md): one search per caller, action and
// origin, each a solver question (request_search). Outsiders are searched by form; each path
// of the world is taken as the resolver builds it (its credential hops as the world has them)
// and its final request searched with the principal fixed; every request found is replayed
// through the resolver, whose answer (KMS, Block Public Access, ACLs included) stands.
#include "prove/claims/claim.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/catalog/aws_catalog.hpp"
#include "engine/compile/pattern.hpp"
#include "engine/eval/explain.hpp"
#include "engine/syntax/arn_view.hpp"
#include "engine/syntax/values.hpp"
#include "engine/text.hpp"
#include "model/paths/s3_public.hpp"
#include "model/queries/who_can.hpp"

namespace iamsim::prove {
namespace {

using model::PrincipalRef;

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::string origin_text(Origin origin, const std::string& endpoint) {
  switch (origin) {
    case Origin::Internet: return "from the internet";
    case Origin::WorldEndpoint: return "through VPC endpoint " + endpoint;
    case Origin::OtherEndpoint: return "through a VPC endpoint outside the world";
    case Origin::ServiceCall: return "as the KMS call S3 makes";
  }
  return "";
}

bool same_values(const eval::ContextEntry& a, const eval::ContextEntry& b) {
  if (a.values.size() != b.values.size() || a.multivalued != b.multivalued) return false;
  for (std::size_t i = 0; i < a.values.size(); ++i)
    if (a.values[i].text != b.values[i].text) return false;
  return true;
}

// The keys of `found` that `was` lacks or holds otherwise, as "key=value, ...".
std::string changed_keys(const eval::Context& found, const eval::Context& was) {
  std::string out;
  for (const auto& e : found.entries()) {
    if (const eval::ContextEntry* before = was.find(e.key); before && same_values(*before, e)) continue;
    out += (out.empty() ? "" : ", ") + e.name + "=";
    for (std::size_t i = 0; i < e.values.size(); ++i) out += (i ? "," : "") + e.values[i].text;
  }
  return out.empty() ? "the same keys" : out;
}

bool network_key(std::string_view lower) {
  return lower == "aws:sourceip" || lower == "aws:sourcevpce" || lower == "aws:sourcevpc" || lower == "aws:vpcsourceip";
}

// A listed reference against a name of a path ('*' matches any text).
bool ref_matches(const std::string& pattern, const std::string& name) {
  return compile::Pattern::from_text(pattern, true, false, false).match(name, false, nullptr) ==
         compile::MatchResult::Match;
}

// Who a path starts with, for the principal sets (design: starting principals).
struct PathStart {
  enum class Kind { Outsider, Anonymous, World, Service } kind = Kind::World;
  std::string account;             // World: the starting principal's account
  std::vector<std::string> names;  // what listed references are matched against
};

// A path of the world: a reference the resolver follows, and who it is attributed to.
struct WorldPath {
  PrincipalRef ref;
  PathStart start;
  std::string description;  // "service account ml-prod/analytics/batch-reporter"
  bool hop_proven = true;   // false: a hop into it was kept because it could not be ruled out
  // no_new_access: the old world has no such path (its trust did not admit this start), so
  // everything the new world allows through it is new.
  bool baseline_denies = false;
  // settle_chain: its sts:AssumeRole hops given the external ids they need; `open_hop` says
  // which hop some context opens that the path cannot take (then the path is not followed).
  bool chain_settled = false;
  std::string open_hop{};
};

// Who a role's trust lets start a path at it, read from its Allow statements.
struct TrustStarts {
  std::set<std::string> services;    // service principals named
  std::set<std::string> accounts;    // whole accounts named
  bool any_service_account = false;  // a web identity trust that does not pin :sub (K1)
  bool may_admit_outsider = false;   // an sts:AssumeRole Allow that may name a caller outside the world
};

TrustStarts trust_starts(const eval::AttachedPolicy& trust, const model::World& w) {
  TrustStarts t;
  auto foreign = [&](std::string_view arn_or_account) {
    std::array<std::string_view, 6> parts;
    const std::string_view account = syntax::split_arn_parts(arn_or_account, parts) ? parts[4] : arn_or_account;
    return !w.find_account(account);
  };
  for (const auto& st : trust.policy->statements) {
    if (st.effect != compile::Effect::Allow) continue;
    const auto& p = st.principal;
    t.services.insert(p.services.begin(), p.services.end());
    if (!p.negated) t.accounts.insert(p.accounts.begin(), p.accounts.end());
    if (!p.federated.empty() &&
        eval::action_matches(st, "sts:AssumeRoleWithWebIdentity", "sts:assumerolewithwebidentity")) {
      bool pinned = false;
      for (const auto& c : st.conditions)
        if (c.key.ends_with(":sub") && !c.negated && c.qualifier == compile::SetQualifier::None &&
            (c.comparison == compile::Comparison::Equals || (c.comparison == compile::Comparison::Like && [&] {
               for (const auto& v : c.strings)
                 if (v.has_variables() || v.source().find_first_of("*?") != std::string::npos) return false;
               return true;
             }())))
          pinned = true;
      if (!pinned) t.any_service_account = true;
    }
    // Only an Allow that names everyone, all but some, or another account can admit an
    // outsider: the others need no search.
    if (!eval::action_matches(st, "sts:AssumeRole", "sts:assumerole")) continue;
    t.may_admit_outsider |= !p.present || p.negated || p.everyone;
    for (const auto& a : p.accounts) t.may_admit_outsider |= foreign(a);
    for (const auto& u : p.user_arns) t.may_admit_outsider |= foreign(u);
    for (const auto& r : p.roles) t.may_admit_outsider |= foreign(r.account);
    for (const auto& a : p.session_arns) t.may_admit_outsider |= foreign(a);
  }
  return t;
}

// Two documents say the same when their JSON is equal (key order and spacing aside); text
// that does not parse is compared as written.
bool same_document(const model::PolicyDocument& a, const model::PolicyDocument& b) {
  const auto x = nlohmann::json::parse(a.json_text, nullptr, false);
  const auto y = nlohmann::json::parse(b.json_text, nullptr, false);
  if (x.is_discarded() || y.is_discarded()) return a.json_text == b.json_text;
  return x == y;
}

// An endpoint of the S3 service (com.amazonaws.REGION.s3): its policy applies to S3 requests.
bool s3_endpoint(const model::VpcEndpoint& ep) { return ascii_lowered(ep.service).ends_with(".s3"); }

const model::VpcEndpoint* endpoint_in(const model::World& w, std::string_view id) {
  for (const auto& a : w.accounts)
    for (const auto& ep : a.vpc_endpoints)
      if (ep.id == id) return &ep;
  return nullptr;
}

// ACTION and RESOURCE (s3://BUCKET/KEY-PATTERN) into the claim; no_new_access's bucket may be
// a pattern ("s3://*/*").
bool parse_scope(const std::string& action, const std::string& written, Claim& c, std::string& error) {
  for (const auto* a : catalog::Catalog::aws().expand(action))
    if (ascii_lowered(a->service) == "s3") c.actions.push_back(a->full_name());
  if (c.actions.empty()) {
    error = "the action '" + action + "' names no S3 action of the catalogue (claims are about S3 objects)";
    return false;
  }
  std::string resource = written;
  if (resource.starts_with("s3://"))
    resource = resource.substr(5);
  else if (resource.starts_with("arn:aws:s3:::"))
    resource = resource.substr(13);
  else {
    error = "the resource '" + written + "' is not s3://BUCKET/KEY-PATTERN or arn:aws:s3:::BUCKET/KEY-PATTERN";
    return false;
  }
  const auto slash = resource.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == resource.size()) {
    error = "the resource '" + written + "' names no objects: write s3://BUCKET/* or s3://BUCKET/PREFIX*";
    return false;
  }
  c.bucket = resource.substr(0, slash);
  c.key_glob = resource.substr(slash + 1);
  if (c.kind != Claim::Kind::NoNewAccess && c.bucket.find_first_of("*?") != std::string::npos) {
    error = "the bucket '" + c.bucket + "' is a pattern: a never or only claim names one bucket";
    return false;
  }
  return true;
}

}  // namespace

std::optional<Claim> parse_claim(std::string_view text, std::string& error) {
  Claim c;
  c.text = trimmed(text);
  std::string_view rest = c.text;
  auto take_word = [&]() {
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    const auto end = std::min(rest.find(' '), rest.size());
    std::string w(rest.substr(0, end));
    rest.remove_prefix(end);
    return w;
  };
  const std::string kind = take_word();
  if (kind == "no_new_access") {
    // no_new_access OLD NEW [ACTION RESOURCE]: by default every S3 action on objects, of
    // every bucket of NEW.
    c.kind = Claim::Kind::NoNewAccess;
    c.set = Claim::Set::Anyone;
    c.old_world = take_word();
    c.new_world = take_word();
    const auto w = words_of(rest);
    if (c.old_world.empty() || c.new_world.empty() || (w.size() != 0 && w.size() != 2)) {
      error =
          "no_new_access names two worlds (or two policy files), then optionally an ACTION and a RESOURCE: "
          "`no_new_access OLD NEW [s3:Get* s3://BUCKET/*]`";
      return std::nullopt;
    }
    if (w.size() == 2) {
      if (!parse_scope(w[0], w[1], c, error)) return std::nullopt;
    } else {
      for (const auto* a : catalog::Catalog::aws().expand("s3:*"))
        for (const auto* type : a->resource_types)
          if (type->name == "object") {
            c.actions.push_back(a->full_name());
            break;
          }
      c.bucket = "*";
    }
    return c;
  }
  if (kind == "no_public_access") {
    c.kind = Claim::Kind::NoPublicAccess;
    std::string resource = take_word();
    if (!take_word().empty() || resource.empty()) {
      error = "no_public_access names one bucket: `no_public_access s3://BUCKET`";
      return std::nullopt;
    }
    if (resource.starts_with("s3://"))
      resource = resource.substr(5);
    else if (resource.starts_with("arn:aws:s3:::"))
      resource = resource.substr(13);
    else {
      error = "the resource '" + resource + "' is not s3://BUCKET or arn:aws:s3:::BUCKET";
      return std::nullopt;
    }
    if (resource.ends_with("/*")) resource.resize(resource.size() - 2);
    if (resource.empty() || resource.find('/') != std::string::npos) {
      error = "no_public_access is about a whole bucket: `no_public_access s3://BUCKET`";
      return std::nullopt;
    }
    c.bucket = resource;
    return c;
  }
  if (kind == "never") {
    c.kind = Claim::Kind::Never;
  } else if (kind == "only") {
    c.kind = Claim::Kind::Only;
  } else {
    error =
        "a claim reads `never PRINCIPALS ACTION RESOURCE`, `only [REF, ...] ACTION RESOURCE` or `no_public_access "
        "s3://BUCKET`";
    return std::nullopt;
  }
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) {
      error = "the list of principals has no closing ']'";
      return std::nullopt;
    }
    std::string_view list = rest.substr(1, close - 1);
    rest.remove_prefix(close + 1);
    c.set = Claim::Set::Listed;
    while (!list.empty()) {
      const auto comma = std::min(list.find(','), list.size());
      std::string ref = trimmed(list.substr(0, comma));
      list.remove_prefix(std::min(comma + 1, list.size()));
      if (ref.empty()) continue;
      c.principals.push_back(ref);
    }
    if (c.principals.empty()) {
      error = "the list of principals is empty";
      return std::nullopt;
    }
  } else {
    const std::string set = take_word();
    if (c.kind == Claim::Kind::Only) {
      c.set = Claim::Set::Listed;
      c.principals.push_back(set);
    } else if (set == "outside-org") {
      c.set = Claim::Set::OutsideOrg;
    } else if (set == "anonymous") {
      c.set = Claim::Set::Anonymous;
    } else if (set == "anyone") {
      c.set = Claim::Set::Anyone;
    } else if (set.starts_with("outside-account:")) {
      c.set = Claim::Set::OutsideAccount;
      c.account = set.substr(16);
      if (c.account.size() != 12 || c.account.find_first_not_of("0123456789") != std::string::npos) {
        error = "outside-account: wants a 12-digit account id, not '" + c.account + "'";
        return std::nullopt;
      }
    } else if (set.starts_with("sa:") || set.starts_with("workload:") || set.starts_with("arn:")) {
      c.set = Claim::Set::Listed;
      c.principals.push_back(set);
    } else {
      error = "unknown principals '" + set +
              "': write outside-org, outside-account:ACCOUNT, anonymous, anyone, a reference (sa:, workload:, an "
              "ARN) or a list [REF, ...]";
      return std::nullopt;
    }
  }
  for (const auto& p : c.principals) {
    if (p == "anonymous") continue;
    // A reference with '*' is a pattern; without, it must read as a reference.
    if (p.find('*') == std::string::npos && !model::parse_principal_ref(p)) {
      error = "'" + p + "' is not a principal reference (sa:CLUSTER/NS/NAME, workload:CLUSTER/NS/NAME, an ARN)";
      return std::nullopt;
    }
  }
  auto w = words_of(rest);
  if (w.size() == 4 && w[2] == "at") {
    if (!syntax::parse_instant(w[3])) {
      error = "`at " + w[3] + "`: not an ISO 8601 instant (2026-06-01T12:00:00Z)";
      return std::nullopt;
    }
    c.at = w[3];
    w.resize(2);
  }
  if (w.size() != 2) {
    error =
        "after the principals a claim names an ACTION and a RESOURCE (s3://BUCKET/KEY-PATTERN), then "
        "optionally `at TIME`";
    return std::nullopt;
  }
  if (!parse_scope(w[0], w[1], c, error)) return std::nullopt;
  return c;
}

namespace {

// The world a no_new_access claim compares with: a request it allowed may stay allowed.
struct Baseline {
  explicit Baseline(const model::AccessResolver& r) : resolver(r), cw(r.world()), w(cw.world()) {}
  const model::AccessResolver& resolver;
  const model::CompiledWorld& cw;
  const model::World& w;
  const model::Bucket* bucket = nullptr;  // null: the bucket is new
  std::optional<eval::AttachedPolicy> resource_policy;
};

class ClaimDecider {
 public:
  // With `baseline` (no_new_access), every search asks for a request this world allows and
  // the baseline's denies.
  ClaimDecider(const Claim& claim, const model::PrincipalIndex& index, const model::Bucket& bucket,
               const model::AccessResolver* baseline = nullptr)
      : claim_(claim),
        index_(index),
        resolver_(index.resolver()),
        cw_(resolver_.world()),
        w_(cw_.world()),
        bucket_(bucket) {
    if (baseline) {
      base_.emplace(*baseline);
      base_->bucket = base_->w.find_bucket(bucket.name);
      if (base_->bucket && base_->bucket->policy) base_->resource_policy = base_->cw.attach(*base_->bucket->policy);
    }
  }

  ClaimResult run() {
    prepare();
    if (block_restricts_ && resource_policy_ && model::is_public_policy(*resource_policy_->policy))
      result_.holds_because.push_back("Block Public Access of bucket " + bucket_.name +
                                      ": RestrictPublicBuckets and a public policy let in only account " +
                                      bucket_.account_id + " and AWS services (B4)");
    auto paths = world_paths();
    for (const auto& action : claim_.actions) {
      for (auto& path : paths) {
        if (result_.witness) break;
        if (!covers(path.start)) continue;
        if (!path.chain_settled) settle_chain(path);
        if (path.open_hop.empty()) {
          decide_path(path, action);
          continue;
        }
        ClaimCase c;
        c.description = path.description + ", " + action;
        c.search.verdict = Search::Verdict::Unknown;
        c.search.unknown_reason = c.description + ": " + path.open_hop;
        record(std::move(c));
      }
      if (!result_.witness) search_outsiders(action);
    }
    finish();
    return std::move(result_);
  }

 private:
  // ---- the principal sets ------------------------------------------------------------------
  bool listed(const PathStart& start) const {
    for (const auto& p : claim_.principals) {
      if (p == "anonymous" && start.kind == PathStart::Kind::Anonymous) return true;
      for (const auto& n : start.names)
        if (ref_matches(p, n)) return true;
    }
    return false;
  }
  bool in_set(const PathStart& start) const {
    using K = PathStart::Kind;
    switch (claim_.set) {
      case Claim::Set::Anyone: return true;
      case Claim::Set::Anonymous: return start.kind == K::Anonymous;
      case Claim::Set::OutsideOrg:
        return start.kind == K::Outsider || start.kind == K::Anonymous ||
               (start.kind == K::World && !w_.in_organization(start.account));
      case Claim::Set::OutsideAccount:
        return start.kind == K::Outsider || start.kind == K::Anonymous ||
               (start.kind == K::World && start.account != claim_.account);
      case Claim::Set::Listed: return listed(start);
    }
    return false;
  }
  // The claim is about these callers: `never`'s set, or everyone `only` does not list.
  bool covers(const PathStart& start) const {
    return claim_.kind == Claim::Kind::Never ? in_set(start) : !listed(start);
  }

  void prepare() {
    resource_policy_ = bucket_.policy ? std::optional<eval::AttachedPolicy>(cw_.attach(*bucket_.policy)) : std::nullopt;
    block_restricts_ =
        model::effective_block(w_.find_account(bucket_.account_id), bucket_, nullptr).restrict_public_buckets;
    for (const auto& a : w_.accounts)
      for (const auto& ep : a.vpc_endpoints)
        if (s3_endpoint(ep)) endpoints_.push_back(&ep);
    cw_.add_default_keys(default_context_);
    origins_ = {{Origin::Internet, nullptr}};
    for (const auto* ep : endpoints_) origins_.emplace_back(Origin::WorldEndpoint, ep);
    origins_.emplace_back(Origin::OtherEndpoint, nullptr);
  }

  // The space of a request on the claim's objects from `origin`, with what the world fixes.
  RequestSpace space_for(const std::string& action, Origin origin, const model::VpcEndpoint* ep) const {
    RequestSpace sp;
    sp.action = action;
    sp.resource_prefix = bucket_.arn + "/";
    sp.key_glob = claim_.key_glob;
    sp.resource_account = bucket_.account_id;
    sp.resource_in_management_account = w_.organization && w_.organization->management_account == bucket_.account_id;
    sp.origin = origin;
    if (ep) {
      sp.endpoint_id = ep->id;
      sp.vpc_id = ep->vpc_id;
    }
    sp.world_endpoints = world_endpoint_ids();
    fix_world_keys(sp, cw_);
    // B7: a read or write of an SSE-KMS object not made over TLS fails whatever the policies say.
    if (encrypted_for(action) && cw_.semantics().sse_kms_requires_tls) sp.fixed.set("aws:SecureTransport", "true");
    return sp;
  }
  // Does the action on the claim's objects make S3 call KMS (B7)?
  bool encrypted_for(const std::string& action) const {
    return bucket_.kms_key_arn && !model::kms_action_for_s3(ascii_lowered(action)).empty();
  }
  // The keys a world fixes for a request on the claim's objects.
  void fix_world_keys(RequestSpace& sp, const model::CompiledWorld& cw) const {
    cw.add_account_keys(sp.fixed, bucket_.account_id, model::CompiledWorld::KeySide::Resource);
    if (claim_.at) {
      sp.fixed.set("aws:CurrentTime", *claim_.at);
      sp.fixed.set("aws:EpochTime", std::to_string(*syntax::parse_instant(*claim_.at) / 1000));
    }
  }
  // The same request as the old world sees it (no_new_access): its own fixed keys.
  RequestSpace baseline_space(const RequestSpace& sp) const {
    RequestSpace old = sp;
    old.fixed = {};
    fix_world_keys(old, base_->cw);
    return old;
  }
  // The old world's VPC endpoint policy for a request through endpoint `ep` of this world.
  std::optional<eval::AttachedPolicy> baseline_endpoint(const model::VpcEndpoint* ep) const {
    if (!ep) return std::nullopt;
    const model::VpcEndpoint* old = endpoint_in(base_->w, ep->id);
    return old ? std::optional<eval::AttachedPolicy>(base_->cw.attach(old->policy)) : std::nullopt;
  }
  // A search of this world; for no_new_access, of what it allows and the old world denies
  // (`old_set` null: the old world allows nothing of it).
  Search search(const RequestSpace& sp, const eval::PolicySet& set, const RequestSpace& old_sp,
                const eval::PolicySet* old_set) {
    if (!base_) return find_allowed_request(solver_, sp, set, cw_.semantics());
    return find_new_request(solver_, sp, set, old_sp, old_set, cw_.semantics());
  }

  template <typename F>
  static Search timed(ClaimCase& c, F&& search) {
    const auto start = std::chrono::steady_clock::now();
    Search s = search();
    c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return s;
  }

  void record(ClaimCase c) {
    if (c.search.verdict == Search::Verdict::Unknown) result_.unknown_reasons.push_back(c.search.unknown_reason);
    if (c.search.verdict == Search::Verdict::None) {
      for (const auto& ref : c.search.bounding_denies)
        bounds_["Deny " + eval::statement_words(ref) + " keeps out"].push_back(c.description);
      for (const auto& layer : c.search.missing_grants) {
        const std::string grantor = layer == Search::resource_layer ? "the bucket policy of " + bucket_.name : layer;
        bounds_[layer == Search::no_single_layer ? "no request passes every layer's grants at once for"
                                                 : grantor + " grants none of it to"]
            .push_back(c.description);
      }
    }
    result_.cases.push_back(std::move(c));
  }

  // ---- callers from outside the world --------------------------------------------------------
  void search_outsiders(const std::string& action) {
    std::vector<OutsiderForm> forms;
    if (covers({PathStart::Kind::Outsider, {}, {}}))
      forms = {OutsiderForm::User, OutsiderForm::RoleSession, OutsiderForm::Root};
    if (covers({PathStart::Kind::Anonymous, {}, {}})) forms.push_back(OutsiderForm::Anonymous);
    if (forms.empty()) return;
    // Actions that select the same statements of every policy get the same answers: each such
    // group is searched once (the action only chooses statements; the rest of the request is free).
    const std::string sig = signature(action);
    if (auto it = searched_.find(sig); it != searched_.end()) {
      for (const auto& c : it->second) {
        ClaimCase same = c;
        same.description += " (the statements of " + action + " are the same)";
        result_.cases.push_back(std::move(same));
      }
      return;
    }
    const auto rcp = cw_.rcp_levels(bucket_.account_id);
    std::vector<ClaimCase> these;
    for (OutsiderForm form : forms) {
      for (const auto& [origin, ep] : origins_) {
        RequestSpace space = space_for(action, origin, ep);
        space.form = form;
        // An account outside the world is outside its organization too: the organization's
        // accounts are those it lists (the undeclared ones among them: finish()).
        space.excluded_accounts = outsider_exclusions();
        for (const auto& a : undeclared_org_accounts()) space.excluded_accounts.push_back(a);
        if (claim_.set == Claim::Set::OutsideAccount) space.excluded_accounts.push_back(claim_.account);
        if (w_.organization) space.excluded_org_ids.push_back(w_.organization->id);
        if (base_ && base_->w.organization) space.excluded_org_ids.push_back(base_->w.organization->id);
        eval::PolicyLayers layers;
        if (form != OutsiderForm::Anonymous) layers.identity.push_back(model::outsider_identity_policy());
        layers.resource = resource_policy_;
        layers.rcp.assign(rcp.begin(), rcp.end());
        if (ep) layers.vpc_endpoint = cw_.attach(ep->policy);
        // no_new_access: the same caller's request on the old world's bucket.
        eval::PolicyLayers old_layers;
        std::optional<RequestSpace> old_space;
        if (base_) {
          old_space = baseline_space(space);
          old_layers.identity = layers.identity;
          old_layers.resource = base_->resource_policy;
          const auto old_rcp = base_->cw.rcp_levels(bucket_.account_id);
          old_layers.rcp.assign(old_rcp.begin(), old_rcp.end());
          old_layers.vpc_endpoint = baseline_endpoint(ep);
        }
        const eval::PolicySet old_set = old_layers.view();
        const eval::PolicySet* old = base_ && base_->bucket ? &old_set : nullptr;
        ClaimCase c;
        c.description = form == OutsiderForm::Anonymous
                            ? "an anonymous caller, " + action + ", " + origin_text(origin, ep ? ep->id : "")
                            : std::string(to_string(form)) + " of an account outside the world, " + action + ", " +
                                  origin_text(origin, ep ? ep->id : "");
        if (!result_.holds_because.empty()) {
          c.search.verdict = Search::Verdict::None;  // B4 keeps every outsider out
        } else if (form == OutsiderForm::Anonymous && encrypted_for(action)) {
          c.description += ": an anonymous request cannot read or write an SSE-KMS object (B7)";
          c.search.verdict = Search::Verdict::None;
          kms_kept_out_.insert("objects of " + bucket_.name +
                               " are encrypted with SSE-KMS: an anonymous request cannot read or write them (B7)");
        } else {
          c.search = timed(c, [&] { return search(space, layers.view(), old_space ? *old_space : space, old); });
        }
        if (c.search.verdict == Search::Verdict::Found && !result_.witness) {
          WorldPath caller;
          if (form != OutsiderForm::Anonymous)
            caller.ref = *model::parse_principal_ref(c.search.request->principal.arn).value;
          caller.start.kind = form == OutsiderForm::Anonymous ? PathStart::Kind::Anonymous : PathStart::Kind::Outsider;
          confirm(caller, action, space, layers.view(), c);
          result_.witness_outsider = result_.witness && form != OutsiderForm::Anonymous;
        }
        these.push_back(c);
        record(std::move(c));
      }
    }
    searched_.emplace(sig, std::move(these));
  }

  std::string signature(const std::string& action) const {
    const std::string lower = ascii_lowered(action);
    std::string sig;
    auto add = [&](const eval::AttachedPolicy& p) {
      for (const auto& st : p.policy->statements) sig += eval::action_matches(st, action, lower) ? '1' : '0';
    };
    if (resource_policy_) add(*resource_policy_);
    for (const auto* ep : endpoints_) add(cw_.attach(ep->policy));
    for (const auto& level : cw_.rcp_levels(bucket_.account_id))
      for (const auto& p : level) add(p);
    if (base_) {
      if (base_->resource_policy) add(*base_->resource_policy);
      for (const auto& a : base_->w.accounts)
        for (const auto& ep : a.vpc_endpoints) add(base_->cw.attach(ep.policy));
      for (const auto& level : base_->cw.rcp_levels(bucket_.account_id))
        for (const auto& p : level) add(p);
    }
    return sig;
  }

  // ---- the world's paths -----------------------------------------------------------------
  // Who may assume a role from outside the world's principals: a service (its trust names
  // one), an outsider (a search over the trust), or any service account of a cluster (a web
  // identity trust that does not pin :sub, K1). Empty when only the world's principals may.
  std::vector<WorldPath> role_starts(const model::Role& role) {
    std::vector<WorldPath> out;
    const auto trust = cw_.attach(role.trust);
    const TrustStarts starts = trust_starts(trust, w_);
    // no_new_access: the same role's trust in the old world; a start it did not admit is new.
    const model::Role* old_role = base_ ? base_->w.find_role(role.arn) : nullptr;
    std::optional<eval::AttachedPolicy> old_trust;
    std::optional<TrustStarts> old_starts;
    if (old_role) {
      old_trust = base_->cw.attach(old_role->trust);
      old_starts = trust_starts(*old_trust, base_->w);
    }
    // A start both trusts admit, under a trust that changed: its conditions (a service's
    // aws:SourceAccount, a web identity's :aud) may admit more now, and the session is taken as
    // given, so what passes through it is new unless proven otherwise: unknown, never holds.
    const bool trust_changed = old_role && !same_document(old_role->trust, role.trust);
    auto compare_start = [&](WorldPath& p, bool old_admitted) {
      if (!base_) return;
      p.baseline_denies = !old_admitted || trust_changed;
      if (old_admitted && trust_changed) {
        p.hop_proven = false;
        p.description += " (its trust changed: who it admits is not compared with the old world)";
      }
    };
    PrincipalRef ref;
    ref.kind = PrincipalRef::Kind::Arn;
    ref.arn = role.arn;
    ref.arn_kind = syntax::PrincipalArnKind::Role;
    ref.account_id = role.account_id;
    std::vector<std::string> names = {role.arn};
    // A world account the trust names: its users and roles with the permission may assume the
    // role. Those the world declares are followed as chains (world_paths); but the account's
    // root user can make more (its root itself may not assume it, T3), so the account is a
    // start too, whose hop is not followed: a request allowed through such a session refutes
    // nothing on its own and makes the claim unknown.
    for (const auto& a : starts.accounts) {
      if (!w_.find_account(a)) continue;
      WorldPath p{ref,
                  {PathStart::Kind::World, a, names},
                  "a session of " + role.arn + ", which principals of account " + a +
                      " may assume (its trust names the account)",
                  false};
      p.baseline_denies = base_ && !(old_starts && old_starts->accounts.count(a));
      out.push_back(std::move(p));
    }
    if (!starts.services.empty()) {
      WorldPath p{ref,
                  {PathStart::Kind::Service, role.account_id, names},
                  "a session of " + role.arn + ", which an AWS service may assume (its trust names one)",
                  true};
      compare_start(p, old_starts && std::includes(old_starts->services.begin(), old_starts->services.end(),
                                                   starts.services.begin(), starts.services.end()));
      out.push_back(std::move(p));
    }
    if (starts.any_service_account) {
      WorldPath p{ref,
                  {PathStart::Kind::World, role.account_id, names},
                  "a session of " + role.arn +
                      ", which any service account of the cluster may assume (its web identity trust does not pin "
                      ":sub, K1)",
                  true};
      compare_start(p, old_starts && old_starts->any_service_account);
      out.push_back(std::move(p));
    }
    // Outsiders: is there an sts:AssumeRole that the trust grants to a caller outside the world
    // (and, for no_new_access, that the old trust refused)?
    bool outsider = false, unknown = false, newly = false, newly_unknown = false;
    for (OutsiderForm form : {OutsiderForm::User, OutsiderForm::RoleSession}) {
      if (!starts.may_admit_outsider) break;
      for (Origin origin : {Origin::Internet, Origin::OtherEndpoint}) {
        RequestSpace sp;
        sp.form = form;
        sp.action = "sts:AssumeRole";
        sp.resource_prefix = role.arn;
        sp.exact_resource = true;
        sp.resource_account = role.account_id;
        sp.origin = origin;
        sp.excluded_accounts = outsider_exclusions();
        sp.world_endpoints = world_endpoint_ids();
        cw_.add_account_keys(sp.fixed, role.account_id, model::CompiledWorld::KeySide::Resource);
        eval::PolicyLayers layers;
        layers.identity.push_back(model::outsider_identity_policy());
        layers.resource = trust;
        const Search s = find_allowed_request(solver_, sp, layers.view(), cw_.semantics());
        outsider |= s.verdict == Search::Verdict::Found;
        unknown |= s.verdict == Search::Verdict::Unknown;
        if (!base_ || s.verdict == Search::Verdict::None) continue;
        RequestSpace old_sp = sp;
        old_sp.fixed = {};
        base_->cw.add_account_keys(old_sp.fixed, role.account_id, model::CompiledWorld::KeySide::Resource);
        eval::PolicyLayers old_layers = layers;
        old_layers.resource = old_trust;
        const eval::PolicySet old_set = old_layers.view();
        const Search d =
            find_new_request(solver_, sp, layers.view(), old_sp, old_trust ? &old_set : nullptr, cw_.semantics());
        newly |= d.verdict == Search::Verdict::Found;
        newly_unknown |= d.verdict == Search::Verdict::Unknown;
      }
    }
    if (outsider || unknown) {
      WorldPath p{ref,
                  {PathStart::Kind::Outsider, {}, names},
                  "a session of " + role.arn + ", which a principal of an account outside the world may assume" +
                      (outsider ? "" : " (not ruled out: the trust's conditions are not all modelled)"),
                  outsider && !newly_unknown};
      p.baseline_denies = newly;
      if (newly) p.description += " (the old trust refused some of them)";
      out.push_back(std::move(p));
    }
    return out;
  }

  // An outsider's account is none of the world's (nor, for no_new_access, the old world's).
  std::vector<std::string> outsider_exclusions() const {
    std::vector<std::string> out;
    for (const auto& a : w_.accounts) out.push_back(a.id);
    if (base_)
      for (const auto& a : base_->w.accounts) out.push_back(a.id);
    return out;
  }
  std::vector<std::string> world_endpoint_ids() const {
    std::vector<std::string> out;
    for (const auto* e : endpoints_) out.push_back(e->id);
    if (base_)
      for (const auto& a : base_->w.accounts)
        for (const auto& ep : a.vpc_endpoints) out.push_back(ep.id);
    return out;
  }

  std::vector<WorldPath> world_paths() {
    std::vector<WorldPath> out;
    std::set<std::string> seen;
    std::map<std::string, std::vector<WorldPath>> role_start_cache;
    auto starts_of = [&](const model::Role& r) -> const std::vector<WorldPath>& {
      auto it = role_start_cache.find(r.arn);
      if (it == role_start_cache.end()) it = role_start_cache.emplace(r.arn, role_starts(r)).first;
      return it->second;
    };
    const std::string object = bucket_.arn + "/" + sample_key();
    for (const auto& action : claim_.actions) {
      auto refs = index_.candidates(action, object, true);
      // E1: the root user of each of the world's accounts.
      for (const auto& a : w_.accounts) {
        PrincipalRef root;
        root.kind = PrincipalRef::Kind::Arn;
        root.arn = "arn:aws:iam::" + a.id + ":root";
        root.arn_kind = syntax::PrincipalArnKind::Root;
        root.account_id = a.id;
        refs.push_back(root);
      }
      for (std::size_t i = 0; i < refs.size(); ++i) {
        const PrincipalRef ref = refs[i];  // a copy: longer chains join `refs` as it goes
        const std::string text = model::to_string(ref);
        if (!seen.insert(text).second) continue;
        if (ref.kind == PrincipalRef::Kind::Anonymous) continue;  // searched with the outsiders
        std::vector<std::string> names = {text};
        PrincipalRef base = ref;
        base.chain.clear();
        base.node_group.clear();
        names.push_back(model::to_string(base));
        for (const auto& hop : ref.chain) names.push_back(hop.role_arn);
        if (ref.kind == PrincipalRef::Kind::Arn && ref.arn_kind == syntax::PrincipalArnKind::Role && !ref.chain.empty())
          longer_chains(ref, refs);
        if (ref.kind == PrincipalRef::Kind::Arn && ref.arn_kind == syntax::PrincipalArnKind::Role) {
          // A role is a starting principal only when something outside the world's principals
          // may assume it; otherwise its sessions are the paths of those who can (design 5b).
          const model::Role* role = w_.find_role(ref.arn);
          if (!role) continue;
          for (WorldPath p : starts_of(*role)) {
            p.ref = ref;
            for (const auto& hop : ref.chain) p.start.names.push_back(hop.role_arn);
            if (!ref.chain.empty()) p.description += ", then " + text.substr(text.find(" -> ") + 4);
            out.push_back(std::move(p));
          }
          continue;
        }
        // A pod's own role is on its path too: listing the role lists the pod's access through it.
        if (claim_.set == Claim::Set::Listed &&
            (ref.kind == PrincipalRef::Kind::ServiceAccount || ref.kind == PrincipalRef::Kind::Workload)) {
          model::Question q;
          q.principal = base;
          q.principal.node_group = ref.node_group;
          q.action = action;
          q.resource_arn = object;
          const model::Access a = resolver_.decide(q);
          for (const auto& hop : a.hops)
            if (hop.evaluated && hop.kind != model::HopKind::Request && hop.kind != model::HopKind::Kms)
              names.push_back(hop.evaluated->request.resource);
        }
        out.push_back({ref,
                       {PathStart::Kind::World, ref.account_id.empty() ? account_of(ref) : ref.account_id, names},
                       text,
                       true});
      }
    }
    // AWS services the bucket policy grants, acting on their own (a resource policy alone
    // admits them, E5).
    if (resource_policy_) {
      std::set<std::string> services;
      for (const auto& st : resource_policy_->policy->statements)
        if (st.effect == compile::Effect::Allow && !st.principal.negated)
          services.insert(st.principal.services.begin(), st.principal.services.end());
      for (const auto& name : services) {
        PrincipalRef ref;
        ref.kind = PrincipalRef::Kind::Service;
        ref.name = name;
        out.push_back({ref, {PathStart::Kind::Service, {}, {name}}, "the AWS service " + name, true});
      }
    }
    // The world's own principals first, so that a refutation names one when one exists; then
    // the roles that others may assume.
    std::stable_partition(out.begin(), out.end(), [](const WorldPath& p) {
      return !(p.ref.kind == PrincipalRef::Kind::Arn && p.ref.arn_kind == syntax::PrincipalArnKind::Role);
    });
    return out;
  }

  // Accounts the organization lists that the world does not declare: their principals are
  // not known, and are not searched.
  std::vector<std::string> undeclared_org_accounts() const {
    std::vector<std::string> out;
    if (w_.organization)
      for (const auto& unit : w_.organization->units)
        for (const auto& a : unit.accounts)
          if (!w_.find_account(a)) out.push_back(a);
    return out;
  }

  // The chain `ref` (role -> ... -> target) extended by one role before it: whoever might
  // assume its first role (the index's assumers, judged by the policies' principals and
  // actions), never a role already on it. Chains stop at kLongestChain sts:AssumeRole hops,
  // and what they add to a claim at kMostPaths paths: what lies beyond is not followed and
  // leaves the claim unknown.
  static constexpr std::size_t kLongestChain = 5;
  static constexpr std::size_t kMostPaths = 50000;
  void longer_chains(const PrincipalRef& ref, std::vector<PrincipalRef>& refs) {
    auto known = assumers_.find(ref.arn);
    if (known == assumers_.end()) known = assumers_.emplace(ref.arn, index_.assumers(ref.arn)).first;
    const std::vector<PrincipalRef>& before = known->second;
    if (before.empty()) return;
    if (ref.chain.size() + 1 > kLongestChain || chain_paths_ + before.size() > kMostPaths) {
      deeper_chains_.insert(ref.arn + " -> " + ref.chain.back().role_arn);
      return;
    }
    chain_paths_ += before.size();
    auto on_chain = [&](const PrincipalRef& r) {
      if (r.kind != PrincipalRef::Kind::Arn) return false;
      if (r.arn == ref.arn) return true;
      return std::any_of(ref.chain.begin(), ref.chain.end(),
                         [&](const model::ChainHop& h) { return h.role_arn == r.arn; });
    };
    for (PrincipalRef r : before) {
      if (on_chain(r)) continue;
      r.chain.emplace_back(ref.arn);
      r.chain.insert(r.chain.end(), ref.chain.begin(), ref.chain.end());
      refs.push_back(std::move(r));
    }
  }

  std::string account_of(const PrincipalRef& ref) const {
    if (ref.kind == PrincipalRef::Kind::ServiceAccount || ref.kind == PrincipalRef::Kind::Workload)
      for (const auto& a : w_.accounts)
        for (const auto& c : a.clusters)
          if (c.name == ref.cluster) return a.id;
    return ref.account_id;
  }

  // A key that the claim's pattern covers, for the resolver's template request.
  std::string sample_key() const {
    std::string k;
    for (char c : claim_.key_glob) k += (c == '*' || c == '?') ? 'x' : c;
    return k;
  }

  // The request hop of a path, when every credential hop before it allows; null otherwise,
  // with `why` saying what stopped it.
  static const model::Hop* request_hop(const model::Access& a, std::string& why) {
    for (const auto& hop : a.hops) {
      if (hop.kind == model::HopKind::Request) {
        if (!hop.evaluated) why = ": no request can be made";
        return hop.evaluated ? &hop : nullptr;
      }
      if (!hop.allowed()) {
        why = ": no credentials (" + hop.title + ")";
        return nullptr;
      }
    }
    why = ": no request can be made";
    return nullptr;
  }

  // The caller's keys of a path's request, as its world sets them, fixed in `sp`; the world's
  // defaults are not (the claim ranges over them).
  // For an sts:AssumeRole hop (`hop_call`), what the caller passes on the call (sts:ExternalId,
  // sts:RoleSessionName, ...) is free too.
  static void fix_caller_keys(RequestSpace& sp, const eval::Request& templ, const eval::Context& defaults,
                              bool hop_call = false) {
    sp.principal = templ.principal;
    for (const auto& e : templ.context.entries()) {
      if (network_key(e.key) || sp.fixed.find(e.key) || (hop_call && e.key.starts_with("sts:"))) continue;
      const eval::ContextEntry* d = defaults.find(e.key);
      if (d && same_values(*d, e)) continue;
      sp.fixed.set(e);
    }
  }

  // Which statements of a set an action selects: actions with the same selection get the
  // same answers, the rest of the request being free.
  static void add_signature(std::string& sig, const eval::PolicySet& set, const std::string& action) {
    const std::string lower = ascii_lowered(action);
    auto add = [&](const eval::AttachedPolicy& p) {
      for (const auto& st : p.policy->statements) sig += eval::action_matches(st, action, lower) ? '1' : '0';
      sig += '|';
    };
    for (const auto& p : set.identity) add(p);
    for (const auto* p : {&set.boundary, &set.session, &set.resource, &set.vpc_endpoint})
      if (*p) add(**p);
    if (set.scp)
      for (const auto& level : *set.scp)
        for (const auto& p : level) add(p);
    for (const auto& level : set.rcp)
      for (const auto& p : level) add(p);
    sig += '#';
  }

  // The world decides a chain's sts:AssumeRole hops with its defaults, but the caller picks
  // the context of its own call: sts:ExternalId, where it calls from, when. So a hop the
  // defaults refuse is searched as a final request is. None found: it is closed to every
  // context. Found: the hop takes the external id the request passed (a property of the
  // chain, so the path stays one `iamsim can` line) and is decided again; a hop that still
  // refuses needs something else of the call (a source IP, MFA, a session name), which a
  // path cannot carry, and the path is left open (unknown).
  void settle_chain(WorldPath& path) {
    path.chain_settled = true;
    model::Question q;
    q.action = claim_.actions.front();
    q.resource_arn = bucket_.arn + "/" + sample_key();
    for (std::size_t round = 0; round <= path.ref.chain.size(); ++round) {
      q.principal = path.ref;
      const model::Access a = resolver_.decide(q);
      const model::Hop* refused = nullptr;
      for (const auto& hop : a.hops) {
        if (hop.kind == model::HopKind::Request) break;
        if (!hop.allowed()) {
          refused = &hop;
          break;
        }
      }
      if (!refused || refused->kind != model::HopKind::AssumeRole || !refused->evaluated) return;
      const eval::Request& call = refused->evaluated->request;
      auto hop = std::find_if(path.ref.chain.begin(), path.ref.chain.end(),
                              [&](const model::ChainHop& h) { return h.role_arn == call.resource; });
      if (hop == path.ref.chain.end()) return;  // a hop the world makes (K7): its context is the world's
      Search found;
      for (Origin origin : {Origin::Internet, Origin::OtherEndpoint}) {
        RequestSpace sp;
        sp.action = call.action;
        sp.resource_prefix = call.resource;
        sp.exact_resource = true;
        sp.resource_account = call.resource_account;
        sp.resource_in_management_account = call.resource_in_management_account;
        sp.origin = origin;
        sp.world_endpoints = world_endpoint_ids();
        cw_.add_account_keys(sp.fixed, call.resource_account, model::CompiledWorld::KeySide::Resource);
        fix_caller_keys(sp, call, default_context_, true);
        found = find_allowed_request(solver_, sp, refused->evaluated->policies, cw_.semantics());
        if (found.verdict != Search::Verdict::None) break;
      }
      if (found.verdict == Search::Verdict::None) return;  // closed: the path is refused there
      const std::string what = "the hop into " + call.resource;
      if (found.verdict == Search::Verdict::Unknown) {
        path.open_hop = what + " is not decided: " + found.unknown_reason;
        return;
      }
      const eval::ContextEntry* id = found.request->context.find("sts:externalid");
      if (hop->external_id || !id || id->values.size() != 1) {
        path.open_hop = what +
                        " is refused with the world's defaults and allowed with another context of the "
                        "call (" +
                        changed_keys(found.request->context, call.context) + "), which a path does not carry";
        return;
      }
      hop->external_id = id->values.front().text;
      path.description += " (passing sts:ExternalId " + *hop->external_id + " to " + call.resource + ")";
    }
  }

  void decide_path(const WorldPath& path, const std::string& action) {
    model::Question q;
    q.principal = path.ref;
    q.action = action;
    q.resource_arn = bucket_.arn + "/" + sample_key();
    const model::Access a = resolver_.decide(q);
    ClaimCase base_case;
    base_case.description = path.description + ", " + action;
    // The credential hops, as the world has them.
    std::string why;
    const model::Hop* request = request_hop(a, why);
    if (!request) {
      base_case.description += why;
      base_case.search.verdict = Search::Verdict::None;
      record(std::move(base_case));
      return;
    }
    const eval::Request& templ = request->evaluated->request;
    if (!result_.holds_because.empty() && templ.principal.account != bucket_.account_id) {
      base_case.description += ": kept out by Block Public Access (B4)";
      base_case.search.verdict = Search::Verdict::None;
      record(std::move(base_case));
      return;
    }
    // no_new_access: the same path in the old world, when it had it.
    std::optional<model::Access> old_access;
    const model::Hop* old_request = nullptr;
    eval::Context old_defaults;
    if (base_ && base_->bucket && !path.baseline_denies) {
      old_access = base_->resolver.decide(q);
      std::string old_why;
      old_request = request_hop(*old_access, old_why);
      base_->cw.add_default_keys(old_defaults);
    }
    // Actions that select the same statements on this path were decided together.
    std::string sig = path.description + "#";
    add_signature(sig, request->evaluated->policies, action);
    if (old_request) add_signature(sig, old_request->evaluated->policies, action);
    for (const auto& [origin, ep] : origins_) {
      eval::PolicyLayers endpoint;
      if (ep) endpoint.vpc_endpoint = cw_.attach(ep->policy);
      add_signature(sig, endpoint.view(), action);
      if (old_request) {
        endpoint.vpc_endpoint = baseline_endpoint(ep);
        add_signature(sig, endpoint.view(), action);
      }
    }
    if (auto it = path_searched_.find(sig); it != path_searched_.end()) {
      for (const auto& c : it->second) {
        ClaimCase same = c;
        same.description = c.description + "; " + action + " selects the same statements";
        record(std::move(same));
      }
      return;
    }
    std::vector<ClaimCase> these;
    for (const auto& [origin, ep] : origins_) {
      RequestSpace sp = space_for(action, origin, ep);
      fix_caller_keys(sp, templ, default_context_);
      eval::PolicySet set = request->evaluated->policies;
      set.vpc_endpoint = ep ? std::optional<eval::AttachedPolicy>(cw_.attach(ep->policy)) : std::nullopt;
      RequestSpace old_sp = sp;
      eval::PolicySet old_set;
      if (old_request) {
        old_sp = baseline_space(sp);
        fix_caller_keys(old_sp, old_request->evaluated->request, old_defaults);
        old_set = old_request->evaluated->policies;
        old_set.vpc_endpoint = baseline_endpoint(ep);
      }
      ClaimCase c;
      c.description = base_case.description + ", " + origin_text(origin, ep ? ep->id : "");
      c.search = timed(c, [&] { return search(sp, set, old_sp, old_request ? &old_set : nullptr); });
      if (c.search.verdict == Search::Verdict::Found) confirm(path, action, sp, set, c);
      const bool found = c.search.verdict == Search::Verdict::Found;
      these.push_back(c);
      record(std::move(c));
      if (found) return;
    }
    path_searched_.emplace(sig, std::move(these));
  }

  // Replays a request found for a path through the resolver: the whole path (the KMS call of
  // an encrypted object, Block Public Access, ACLs) must allow it, or the case is unknown.
  // When S3 allows the request and the KMS call it makes for it is refused (B7), the two are
  // searched together once (`joint`): none found closes the case, one found is replayed.
  void confirm(const WorldPath& path, const std::string& action, const RequestSpace& sp, const eval::PolicySet& set,
               ClaimCase& c, bool joint = false) {
    const eval::Request& r = *c.search.request;
    model::Question q;
    q.principal = path.ref;
    q.action = action;
    q.resource_arn = r.resource;
    eval::Request derived;  // what the engine derives from the caller and the resource itself
    derived.principal = r.principal;
    derived.resource_account = r.resource_account;
    derived.fill_derived_keys();
    for (const auto& e : r.context.entries()) {
      if (sp.fixed.find(e.key)) continue;
      if (const eval::ContextEntry* d = derived.context.find(e.key); d && same_values(*d, e)) continue;
      std::vector<std::string> values;
      for (const auto& v : e.values) values.push_back(v.text);
      if (const eval::ContextEntry* d = default_context_.find(e.key); d && same_values(*d, e)) continue;
      q.context[e.name] = model::ContextValue{values, e.multivalued};
    }
    const model::Access a = resolver_.decide(q);
    std::string old_refusal;
    if (a.allowed() && path.hop_proven && base_) {
      // no_new_access: the old world must deny the same request.
      if (!base_->bucket) {
        old_refusal = "the old world has no bucket " + bucket_.name;
      } else if (path.baseline_denies) {
        old_refusal = "the old world has no such path: " + path.description;
      } else {
        const model::Access old = base_->resolver.decide(q);
        if (old.allowed()) {
          c.search.verdict = Search::Verdict::Unknown;
          c.search.unknown_reason = c.description +
                                    ": the old world allows the request found too, through what the search does not "
                                    "compare (KMS, Block Public Access, ACLs)";
          return;
        }
        const model::Hop* why = old.deciding_hop();
        old_refusal = why ? "the old world refuses it at: " + why->title : "the old world refuses it";
      }
    }
    if (a.allowed() && path.hop_proven) {
      result_.witness_baseline_refusal = old_refusal;
      result_.witness = r;
      for (const auto& hop : a.hops)
        if (hop.kind == model::HopKind::Request && hop.evaluated) {
          result_.witness = hop.evaluated->request;
          result_.witness_decision = hop.evaluated->decision;
          break;
        }
      result_.witness_description = c.description;
      result_.witness_principal = model::to_string(path.ref);
      result_.witness_context = q.context;
      return;
    }
    const model::Hop* why = a.deciding_hop();
    if (!a.allowed() && !joint && !base_ && why && why->kind == model::HopKind::Kms && why->evaluated) {
      const Search both = search_with_key(sp, set, why->evaluated->request, why->evaluated->policies);
      c.search = both;
      if (both.verdict == Search::Verdict::Found) return confirm(path, action, sp, set, c, true);
      if (both.verdict == Search::Verdict::None) {
        c.description += ": no request passes both the S3 call and the KMS call it makes (B7)";
        kms_kept_out_.insert("the key policy of " + *bucket_.kms_key_arn +
                             " (or the caller's own policies) refuses "
                             "the KMS call S3 makes for every request the S3 policies allow (B7, B8)");
      } else
        c.search.unknown_reason = c.description + " with its KMS call: " + both.unknown_reason;
      return;
    }
    c.search.verdict = Search::Verdict::Unknown;
    c.search.unknown_reason =
        a.allowed() ? c.description + ": allowed once the session exists, and the hop into it is not proven"
                    : c.description + ": the request passes the policies of the S3 call, and " +
                          (why ? "the path refuses it at: " + why->title : std::string("the path refuses it")) +
                          "; another request may pass both, which this version does not search";
  }

  // B7, B8: a request of `sp` that `set` allows and whose KMS call (`call`, as the resolver
  // made it for a request found without it) the key's policies allow too. The call has the
  // caller's keys the world fixes, what S3 sets on it, and the client's keys that reach it,
  // shared with the request; kms:EncryptionContext:aws:s3:arn is the request's object.
  Search search_with_key(const RequestSpace& sp, const eval::PolicySet& set, const eval::Request& call,
                         const eval::PolicySet& call_set) {
    RequestSpace k = sp;
    k.action = call.action;
    k.resource_prefix = call.resource;
    k.exact_resource = true;
    k.resource_account = call.resource_account;
    k.resource_in_management_account = call.resource_in_management_account;
    k.origin = Origin::ServiceCall;
    k.endpoint_id.clear();
    k.vpc_id.clear();
    k.encrypted_object_prefix = bucket_.arn + "/";
    k.fixed = {};
    for (const auto& e : sp.fixed.entries())
      if (model::reaches_service_call(e.key)) k.fixed.set(e);
    cw_.add_account_keys(k.fixed, call.resource_account, model::CompiledWorld::KeySide::Resource);
    for (const auto& e : call.context.entries()) {
      if (model::reaches_service_call(e.key) || k.fixed.find(e.key) || e.key == "kms:encryptioncontext:aws:s3:arn" ||
          (e.key == "kms:calleraccount" && !sp.principal))
        continue;
      if (const eval::ContextEntry* d = default_context_.find(e.key); d && same_values(*d, e)) continue;
      k.fixed.set(e);  // what S3 sets on the call: kms:ViaService, aws:ViaAWSService, the region
    }
    return find_request_with_service_call(solver_, sp, set, k, call_set, cw_.semantics());
  }

  void finish() {
    if (result_.witness) {
      result_.verdict = ClaimResult::Verdict::Refuted;
      return;
    }
    // What the exports of an account the claim is about lack could allow what the rest does
    // not: no proof over it.
    for (const auto& a : w_.accounts)
      if (claim_.set == Claim::Set::Listed || covers({PathStart::Kind::World, a.id, {}}))
        for (const auto& gap : a.unseen)
          result_.unknown_reasons.push_back("account " + a.id + ": " + gap + " (what it allows is not seen)");
    if (base_) baseline_gaps();
    for (const auto& a : undeclared_org_accounts())
      if (claim_.set == Claim::Set::Listed || covers({PathStart::Kind::World, a, {}}))
        result_.unknown_reasons.push_back("the organization's account " + a +
                                          " is not declared in the world: its principals are not searched");
    bool covers_world = claim_.set == Claim::Set::Listed;
    for (const auto& a : w_.accounts) covers_world |= covers({PathStart::Kind::World, a.id, {}});
    if (covers_world)
      for (const auto& chain : deeper_chains_)
        result_.unknown_reasons.push_back(
            "paths that reach " + chain + " through more roles before it are not followed (chains of more than " +
            std::to_string(kLongestChain) + " roles, or more than " + std::to_string(kMostPaths) + " paths)");
    if (bucket_.acl_policy) result_.unknown_reasons.push_back("the bucket's ACL grants (B3) are not covered");
    if (bucket_.object_ownership != "BucketOwnerEnforced")
      result_.unknown_reasons.push_back("object ACLs may grant access: Object Ownership is " +
                                        bucket_.object_ownership + " (B3)");
    if (!bucket_.access_points.empty())
      result_.unknown_reasons.push_back("requests through the bucket's access points are not covered (B6)");
    if (base_) {
      result_.holds_because.push_back(
          base_->bucket ? "no request on " + bucket_.name +
                              " that the old world denies is allowed by its bucket policy, RCPs, VPC endpoint "
                              "policies and the callers' own policies and SCPs"
                        : "bucket " + bucket_.name + " is new, and no request on it is allowed");
    } else if (result_.holds_because.empty() && !bounds_.empty()) {
      // What keeps each case out, by the statement or the missing grant (explain()).
      for (const auto& [why, cases] : bounds_)
        result_.holds_because.push_back(
            why + ": " + cases.front() +
            (cases.size() > 1 ? " (and " + std::to_string(cases.size() - 1) + " more)" : ""));
    } else if (result_.holds_because.empty() && !kms_kept_out_.empty()) {
      result_.holds_because.push_back(
          "no request of these principals passes both the S3 call (bucket policy, RCPs, "
          "VPC endpoint policies, the principals' own policies and SCPs) and the KMS "
          "call S3 makes for it");
    } else if (result_.holds_because.empty()) {
      result_.holds_because.push_back(
          resource_policy_
              ? "no statement of the bucket policy of " + bucket_.name +
                    " grants a request of these principals without a Deny applying (bucket policy, "
                    "RCPs, VPC endpoint policies, the principals' own policies and SCPs)"
              : "bucket " + bucket_.name + " has no policy: no principal of another account is granted (X1)");
    }
    result_.holds_because.insert(result_.holds_because.end(), kms_kept_out_.begin(), kms_kept_out_.end());
    result_.verdict = result_.unknown_reasons.empty() ? ClaimResult::Verdict::Holds : ClaimResult::Verdict::Unknown;
  }

  // no_new_access: what the comparison does not cover, where the old world may have kept out
  // a request that the new one lets through outside the policies searched.
  void baseline_gaps() {
    if (base_->bucket && bucket_.kms_key_arn)
      result_.unknown_reasons.push_back("objects of " + bucket_.name + " are encrypted with KMS key " +
                                        *bucket_.kms_key_arn +
                                        ": what the key lets decrypt is not compared with the old world");
    if (base_->bucket) {
      const auto now = model::effective_block(w_.find_account(bucket_.account_id), bucket_, nullptr);
      const auto before = model::effective_block(base_->w.find_account(bucket_.account_id), *base_->bucket, nullptr);
      if ((before.restrict_public_buckets && !now.restrict_public_buckets) ||
          (before.ignore_public_acls && !now.ignore_public_acls))
        result_.unknown_reasons.push_back("Block Public Access of " + bucket_.name +
                                          " is weaker than in the old world: what it kept out is not compared (B4)");
    }
    for (const auto& a : base_->w.accounts) {
      if (!w_.find_account(a.id))
        result_.unknown_reasons.push_back("account " + a.id +
                                          " is in the old world only: its principals, outsiders now, are not "
                                          "compared");
      // Requests through an endpoint that is gone come from an endpoint the new world does not
      // know; the old world had its policy refuse some of them, and that is not searched.
      for (const auto& ep : a.vpc_endpoints)
        if (s3_endpoint(ep) && !endpoint_in(w_, ep.id))
          result_.unknown_reasons.push_back("VPC endpoint " + ep.id +
                                            " is in the old world only: what its policy refused is not compared");
    }
  }

  const Claim& claim_;
  const model::PrincipalIndex& index_;
  const model::AccessResolver& resolver_;
  const model::CompiledWorld& cw_;
  const model::World& w_;
  const model::Bucket& bucket_;
  std::optional<eval::AttachedPolicy> resource_policy_;
  bool block_restricts_ = false;
  std::vector<const model::VpcEndpoint*> endpoints_;
  std::vector<std::pair<Origin, const model::VpcEndpoint*>> origins_;
  eval::Context default_context_;
  std::map<std::string, std::vector<ClaimCase>> searched_;       // outsiders, by the statements an action selects
  std::map<std::string, std::vector<ClaimCase>> path_searched_;  // world paths, the same
  std::map<std::string, std::vector<std::string>> bounds_;       // what kept cases out, with those cases
  std::set<std::string> kms_kept_out_;  // what the KMS call S3 makes kept out (B7), for holds_because
  std::map<std::string, std::vector<PrincipalRef>> assumers_;  // the index's, by role ARN
  std::size_t chain_paths_ = 0;                                // paths longer_chains added
  std::set<std::string> deeper_chains_;                        // chains whose first role others may reach by chaining
  std::optional<Baseline> base_;                               // no_new_access: the old world
  SearchContext solver_;  // this claim's searches, in their order: the same answers each run
  ClaimResult result_;
};

}  // namespace

namespace {

// no_public_access (docs/claims.md): S3's own definition of public (B5) over the bucket policy,
// the bucket ACL and the access points' policies, each unless Block Public Access neutralizes
// it (B4: RestrictPublicBuckets for policies, IgnorePublicAcls for ACLs).
ClaimResult decide_no_public_access(const model::CompiledWorld& cw, const model::Bucket& bucket) {
  ClaimResult r;
  const model::World& w = cw.world();
  const model::Account* account = w.find_account(bucket.account_id);
  const model::PublicAccessBlock block = model::effective_block(account, bucket, nullptr);
  auto look = [&](const model::PolicyDocument& document, bool access_point, bool neutralized, const std::string& what,
                  const std::string& neutralizer) {
    const eval::AttachedPolicy p = cw.attach(document);
    const auto open = model::public_statements(*p.policy, access_point);
    if (open.empty()) {
      r.holds_because.push_back(what + " grants no one outside account " + bucket.account_id +
                                " without pinning them (B5)");
      return;
    }
    if (neutralized) {
      r.holds_because.push_back(what + " is public (B5), and Block Public Access " + neutralizer +
                                " keeps everyone outside account " + bucket.account_id + " out (B4)");
      return;
    }
    for (auto i : open) {
      eval::StatementRef ref;
      ref.policy = p.policy;
      ref.source = p.source;
      ref.statement = i;
      ref.layer = eval::Layer::Resource;
      r.public_statements.push_back(ref);
      r.public_because.push_back(what + " is public: " + eval::statement_words(ref) +
                                 " grants principals outside the account, pinned by no fixed principal or key (B5)");
    }
  };
  if (bucket.policy)
    look(*bucket.policy, false, block.restrict_public_buckets, "the bucket policy", "RestrictPublicBuckets");
  const bool acls_on = bucket.object_ownership != "BucketOwnerEnforced";
  if (bucket.acl_policy && acls_on)
    look(*bucket.acl_policy, false, block.ignore_public_acls, "the bucket ACL", "IgnorePublicAcls");
  if (acls_on && !block.ignore_public_acls)
    r.unknown_reasons.push_back("objects may carry public ACLs: Object Ownership is " + bucket.object_ownership +
                                " and IgnorePublicAcls is off (B3)");
  for (const auto& ap : bucket.access_points) {
    if (!ap.policy) continue;
    const model::PublicAccessBlock ap_block = model::effective_block(account, bucket, &ap);
    look(*ap.policy, true, ap_block.restrict_public_buckets, "the policy of access point " + ap.name,
         "RestrictPublicBuckets");
  }
  if (!bucket.policy && !(bucket.acl_policy && acls_on) && bucket.access_points.empty())
    r.holds_because.push_back("bucket " + bucket.name + " has no policy and no ACL grants");
  r.verdict = !r.public_because.empty()    ? ClaimResult::Verdict::Refuted
              : !r.unknown_reasons.empty() ? ClaimResult::Verdict::Unknown
                                           : ClaimResult::Verdict::Holds;
  return r;
}

}  // namespace

std::optional<ClaimResult> decide_claim(const Claim& claim, const model::PrincipalIndex& index, std::string& error) {
  if (claim.kind == Claim::Kind::NoNewAccess) {
    error = "no_new_access compares two worlds (decide_no_new_access)";
    return std::nullopt;
  }
  const model::Bucket* bucket = index.resolver().world().world().find_bucket(claim.bucket);
  if (!bucket) {
    error = "the world has no bucket '" + claim.bucket + "'";
    return std::nullopt;
  }
  const auto start = std::chrono::steady_clock::now();
  ClaimResult result = claim.kind == Claim::Kind::NoPublicAccess
                           ? decide_no_public_access(index.resolver().world(), *bucket)
                           : ClaimDecider(claim, index, *bucket).run();
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::optional<ClaimResult> decide_claim(const Claim& claim, const model::AccessResolver& resolver, std::string& error) {
  const model::PrincipalIndex index(resolver);
  return decide_claim(claim, index, error);
}

}  // namespace iamsim::prove

namespace iamsim::prove {

ClaimResult decide_no_new_access(const Claim& claim, const model::AccessResolver& old_world,
                                 const model::PrincipalIndex& new_world) {
  const auto start = std::chrono::steady_clock::now();
  ClaimResult out;
  std::set<std::string> reasons;
  const auto pattern = compile::Pattern::from_text(claim.bucket, true, false, false);
  std::vector<const model::Bucket*> buckets;
  for (const auto& account : new_world.resolver().world().world().accounts)
    for (const auto& b : account.buckets)
      if (pattern.match(b.name, false, nullptr) == compile::MatchResult::Match) buckets.push_back(&b);
  for (const model::Bucket* named : buckets) {
    const model::Bucket& bucket = *named;
    Claim one = claim;
    one.bucket = bucket.name;
    ClaimResult r = ClaimDecider(one, new_world, bucket, &old_world).run();
    for (auto& c : r.cases) {
      c.description = "bucket " + bucket.name + ": " + c.description;
      out.cases.push_back(std::move(c));
    }
    for (auto& why : r.unknown_reasons)
      if (reasons.insert(why).second) out.unknown_reasons.push_back(std::move(why));
    for (auto& why : r.holds_because) out.holds_because.push_back(std::move(why));
    if (r.verdict == ClaimResult::Verdict::Refuted) {
      auto cases = std::move(out.cases);
      auto unknown = std::move(out.unknown_reasons);
      out = std::move(r);
      out.cases = std::move(cases);
      out.unknown_reasons = std::move(unknown);
      break;
    }
  }
  if (out.verdict != ClaimResult::Verdict::Refuted) {
    if (out.cases.empty() && out.holds_because.empty())
      out.holds_because.push_back("the new world has no bucket that " + claim.bucket + " names");
    out.verdict = out.unknown_reasons.empty() ? ClaimResult::Verdict::Holds : ClaimResult::Verdict::Unknown;
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace iamsim::prove
