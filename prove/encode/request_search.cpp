// Stage: prove. The encoding of docs/proof-engine.md: each context key is a pair (present,
// value) of solver terms, each statement a formula "it applies", and the set the formula
// authorize computes from its layers (E1-E9, X1-X6, V1, S1, R1-R5).
#include "prove/encode/request_search.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>

#include <z3++.h>

#include "engine/eval/conditions.hpp"
#include "engine/syntax/arn_view.hpp"
#include "engine/text.hpp"
#include "model/paths/access.hpp"

namespace iamsim::prove {
namespace {

using compile::CompiledCondition;
using compile::CompiledStatement;
using compile::Pattern;
using compile::ValueType;
using eval::Layer;

// The characters of free strings: printable ASCII but the backslash (Z3 escapes it). Any
// request over a wider alphabet has one over this one that every policy decides alike, as
// long as some character of it appears in no policy text (the wildcards match it and no
// literal does); a pattern whose literal text leaves this alphabet is not modelled.
bool in_alphabet(char c) { return c >= 0x20 && c <= 0x7e && c != '\\'; }
bool in_alphabet(std::string_view text) {
  for (char c : text)
    if (!in_alphabet(c)) return false;
  return true;
}

// Keys AWS sends as lists: conditions on them are not modelled (havoc).
bool multivalued_key(std::string_view lower) {
  return lower == "aws:tagkeys" || lower == "aws:principalorgpaths" || lower == "aws:resourceorgpaths" ||
         lower == "aws:calledvia" || lower == "aws:principalservicenameslist";
}

// Keys of the caller's identity: for a principal of the world, one the world does not set for
// it (a tag it lacks, an organization it is not in) is absent. aws:SourceArn and
// aws:SourceAccount are sent only when a service calls for a resource, never for an IAM
// caller's own request.
bool identity_key(std::string_view lower) {
  return lower.starts_with("aws:principal") || lower == "aws:userid" || lower == "aws:username" ||
         lower == "aws:sourceidentity" || lower == "aws:federatedprovider";
}
bool service_source_key(std::string_view lower) { return lower == "aws:sourcearn" || lower == "aws:sourceaccount"; }
// Keys of the resource's account, which the world sets (CompiledWorld::add_account_keys): one
// it does not set (the organization of an account in none) is absent.
bool resource_key(std::string_view lower) {
  return lower == "aws:resourceaccount" || lower == "aws:resourceorgid" || lower == "aws:resourceorgpaths";
}

// A context key as solver terms; or, when the world decides it (a fixed value, or known
// absent), the entry itself, so that conditions on it are decided by eval's own code.
struct KeyTerm {
  z3::expr present;
  z3::expr value;
  bool havoc = false;  // conditions on it are not modelled
  std::string why;
  bool decided = false;                       // fixed or known absent
  const eval::ContextEntry* entry = nullptr;  // decided and present
};

// What one layer's statements say: some Deny applies, some Allow applies, and for the
// resource layer the Allows by how they name the caller (eval::PrincipalMatch).
struct LayerTerms {
  z3::expr deny, allow, direct, role_arn, account;
  std::vector<std::pair<eval::StatementRef, z3::expr>> denies;  // each Deny statement, for explanations
  explicit LayerTerms(z3::context& c)
      : deny(c.bool_val(false)),
        allow(c.bool_val(false)),
        direct(c.bool_val(false)),
        role_arn(c.bool_val(false)),
        account(c.bool_val(false)) {}
};

class Encoder {
 public:
  // `side` names this encoder's own free booleans apart from another's over the same variables.
  Encoder(z3::context& context, const RequestSpace& space, const Semantics& semantics, std::string side = "")
      : side_(std::move(side)),
        sp_(space),
        s_(semantics),
        ctx_(context),
        account_(ctx_.string_const("principal_account")),
        name_(ctx_.string_const("principal_name")),
        path_(ctx_.string_const("principal_path")),
        session_(ctx_.string_const("session_name")),
        key_(ctx_.string_const("object_key")),
        constraints_(ctx_) {
    fixed_ = sp_.fixed;
    // authorize derives aws:ResourceAccount from the resource's account when no one set it.
    if (!sp_.resource_account.empty() && !fixed_.has("aws:resourceaccount"))
      fixed_.set("aws:ResourceAccount", sp_.resource_account);
    known_.context = fixed_;
    if (sp_.principal) known_.principal = *sp_.principal;
    sample_ = sample_request("k");
    build_principal();
    if (sp_.exact_resource) {
      resource_ = ctx_.string_val(sp_.resource_prefix);
      // A service call's object key is its S3 request's (kms:EncryptionContext:aws:s3:arn).
      if (sp_.origin != Origin::ServiceCall) constraints_.push_back(key_ == ctx_.string_val(""));
    } else {
      resource_ = ctx_.string_val(sp_.resource_prefix) + key_;
      constraints_.push_back(key_.length() > 0);
      if (auto g = glob(Pattern::from_text(sp_.key_glob, true, true, false)))
        constraints_.push_back(z3::in_re(key_, *g));
      constraints_.push_back(z3::in_re(key_, alphabet()));
    }
  }

  // authorize's outcome is Allow (eval/authorize.cpp, run(): E1-E11, X1-X6, V1, S1-S3, R1-R5).
  z3::expr allows(const eval::PolicySet& set) { return formula(set).allows; }

  // The formula of allows(), with what explain() reads of it.
  struct Formula {
    z3::expr allows;
    std::optional<z3::expr> grants;                               // the same without the Denies
    std::vector<std::pair<std::string, z3::expr>> grant_parts;    // necessary parts of `grants`, named
    std::vector<std::pair<eval::StatementRef, z3::expr>> denies;  // each Deny statement: it applies
  };
  Formula formula(const eval::PolicySet& set) {
    Formula f{ctx_.bool_val(false), std::nullopt, {}, {}};
    const bool iam = is_iam();
    const bool session_caller = sp_.principal ? sp_.principal->is_session() : sp_.form == OutsiderForm::RoleSession;
    LayerTerms identity(ctx_), boundary(ctx_), session(ctx_), resource(ctx_), endpoint(ctx_);
    if (iam)
      for (std::size_t i = 0; i < set.identity.size(); ++i) scan(set.identity[i], identity, {Layer::Identity, -1, i});
    if (set.boundary && iam) scan(*set.boundary, boundary, {Layer::Boundary});
    if (set.session && session_caller) scan(*set.session, session, {Layer::Session});
    if (set.resource) scan(*set.resource, resource, {Layer::Resource});
    if (set.vpc_endpoint) scan(*set.vpc_endpoint, endpoint, {Layer::VpcEndpoint});
    z3::expr deny = identity.deny || boundary.deny || session.deny || resource.deny || endpoint.deny;
    for (LayerTerms* t : {&identity, &boundary, &session, &resource, &endpoint})
      f.denies.insert(f.denies.end(), t->denies.begin(), t->denies.end());
    z3::expr gates = ctx_.bool_val(true);
    const eval::Principal* who = sp_.principal ? &*sp_.principal : nullptr;
    if (set.scp && iam && who && !who->management_account && !who->service_linked_role)
      for (std::size_t l = 0; l < set.scp->size(); ++l) {
        LayerTerms terms(ctx_);
        for (std::size_t i = 0; i < (*set.scp)[l].size(); ++i)
          scan((*set.scp)[l][i], terms, {Layer::Scp, static_cast<int>(l), i});
        deny = deny || terms.deny;
        f.denies.insert(f.denies.end(), terms.denies.begin(), terms.denies.end());
        gates = gates && terms.allow;  // S1: every level must allow
        f.grant_parts.emplace_back("the SCPs of level " + std::to_string(l) + " (root first)", terms.allow);
      }
    if (eval::rcps_apply(sample_, set, s_))
      for (std::size_t l = 0; l < set.rcp.size(); ++l) {
        LayerTerms terms(ctx_);  // RCPFullAWSAccess is implied: only Deny statements matter (R2)
        for (std::size_t i = 0; i < set.rcp[l].size(); ++i)
          scan(set.rcp[l][i], terms, {Layer::Rcp, static_cast<int>(l), i});
        deny = deny || terms.deny;
        f.denies.insert(f.denies.end(), terms.denies.begin(), terms.denies.end());
      }
    if (set.vpc_endpoint) {
      gates = gates && endpoint.allow;  // V1
      f.grant_parts.emplace_back("the VPC endpoint policy", endpoint.allow);
    }
    if (sample_.modifies_unmodifiable_role() || sample_.modifies_reserved_alias()) gates = ctx_.bool_val(false);

    const bool root = who ? who->kind == eval::PrincipalKind::Root : sp_.form == OutsiderForm::Root;
    const z3::expr identity_ok = ctx_.bool_val(root) || identity.allow;  // E1
    const z3::expr boundary_ok = set.boundary ? boundary.allow : ctx_.bool_val(true);
    z3::expr session_ok = ctx_.bool_val(true);  // E9
    if (session_caller)
      session_ok =
          set.session ? session.allow : ctx_.bool_val(who ? who->kind == eval::PrincipalKind::RoleSession : true);
    const z3::expr principal_side = identity_ok && boundary_ok && session_ok;
    const z3::expr any_grant = resource.direct || resource.role_arn || resource.account;
    const eval::ResourcePolicyKind kind = sample_.policy_kind();
    const bool grant_required = kind != eval::ResourcePolicyKind::Ordinary;
    const bool same_account =
        who && who->is_iam() && !who->account.empty() && who->account == eval::resource_account_of(sample_);

    z3::expr combined = ctx_.bool_val(false);
    if (root && kind == eval::ResourcePolicyKind::RoleTrust && sample_.action_lower == "sts:assumerole") {
      combined = ctx_.bool_val(false);  // T3
    } else if (!iam) {
      combined = any_grant;  // anonymous: only a grant (E5)
      f.grant_parts.emplace_back(Search::resource_layer, any_grant);
    } else if (who && !eval::same_partition(sample_)) {
      combined = ctx_.bool_val(false);  // X4
    } else if (same_account) {
      const bool arn_grant_alone =
          kind != eval::ResourcePolicyKind::RoleTrust || s_.trust_arn_grant_suffices_same_account;
      const z3::expr direct_ok = arn_grant_alone ? ctx_.bool_val(true) : principal_side;
      const z3::expr role_arn_ok = arn_grant_alone ? boundary_ok && session_ok : principal_side;
      const z3::expr account_ok = s_.account_grant_needs_identity_allow ? principal_side : ctx_.bool_val(true);
      // The strongest grant decides (E5).
      const z3::expr grant_ok =
          z3::ite(resource.direct, direct_ok, z3::ite(resource.role_arn, role_arn_ok, resource.account && account_ok));
      combined = grant_ok || (grant_required ? ctx_.bool_val(false) : principal_side);
      f.grant_parts.emplace_back("the resource policy or the caller's own policies", combined);
    } else {
      combined = any_grant && principal_side;  // X1, X2
      f.grant_parts.emplace_back(Search::resource_layer, any_grant);
      if (!root) f.grant_parts.emplace_back("the caller's identity policies", identity.allow);
      if (set.boundary) f.grant_parts.emplace_back("the permissions boundary", boundary_ok);
      if (session_caller && set.session) f.grant_parts.emplace_back("the session policy", session_ok);
    }
    if (sample_.needs_no_permission() && iam) {  // T12
      f.allows = ctx_.bool_val(true);
      return f;
    }
    f.grants = gates && combined;
    f.allows = !deny && gates && combined;
    return f;
  }

  // Why a search found no request (its goal was `allows(set)`): the Deny statements that
  // refuse the requests the grants would let in, or, when the grants let in none, the layers
  // whose grants admit none of the space. One solver call with each Deny's negation as an
  // assumption: the unsat core names Denies that together keep every request out (a core, not
  // always the smallest); an empty core means the grants alone admit nothing, and a second
  // call with each necessary part of the grants as an assumption names the layer whose
  // grants admit none of it. A call that gives no answer names nothing.
  // `simplified_only`: the goal simplified to false without the solver, and so must the
  // explanation: only what simplification shows is named, which costs nothing.
  void explain(const Formula& f, Search& out, std::chrono::milliseconds timeout, bool simplified_only) {
    if (!f.grants) return;
    // A Deny that applies to every request of the space (its conditions decided by what the
    // world fixes, as an RCP on a caller outside the organization) needs no solver.
    for (const auto& [ref, applies] : f.denies)
      if (applies.simplify().is_true()) out.bounding_denies.push_back(ref);
    if (!out.bounding_denies.empty()) return;
    if (f.grants->simplify().is_false() || simplified_only) {
      for (const auto& [layer, part] : f.grant_parts)
        if (part.simplify().is_false()) out.missing_grants.push_back(layer);
      if (out.missing_grants.empty() && f.grants->simplify().is_false())
        out.missing_grants.emplace_back(Search::no_single_layer);
      return;
    }
    z3::solver solver(ctx_);
    z3::params params(ctx_);
    params.set("timeout", static_cast<unsigned>(timeout.count()));
    solver.set(params);
    for (unsigned i = 0; i < constraints_.size(); ++i) solver.add(constraints_[i]);
    // Each assumption is a fresh literal implying its part; the core names literals.
    auto core_of = [&](const auto& parts, const std::string& tag) -> std::optional<std::vector<std::size_t>> {
      z3::expr_vector assumptions(ctx_);
      for (std::size_t i = 0; i < parts.size(); ++i) {
        const z3::expr lit = ctx_.bool_const((tag + side_ + std::to_string(explained_++)).c_str());
        solver.add(z3::implies(lit, parts[i]));
        assumptions.push_back(lit);
      }
      if (solver.check(assumptions) != z3::unsat) return std::nullopt;
      std::vector<std::size_t> out;
      const z3::expr_vector core = solver.unsat_core();
      for (unsigned c = 0; c < core.size(); ++c)
        for (unsigned i = 0; i < assumptions.size(); ++i)
          if (z3::eq(core[c], assumptions[i])) out.push_back(i);
      std::sort(out.begin(), out.end());
      return out;
    };
    solver.push();
    solver.add(*f.grants);
    std::vector<z3::expr> refused;
    for (const auto& [ref, applies] : f.denies) refused.push_back(!applies);
    const auto denies = core_of(refused, "deny_core_");
    solver.pop();
    if (!denies) return;
    for (std::size_t i : *denies) out.bounding_denies.push_back(f.denies[i].first);
    if (!denies->empty()) return;
    std::vector<z3::expr> parts;
    for (const auto& [layer, part] : f.grant_parts) parts.push_back(part);
    const auto layers = core_of(parts, "grant_core_");
    if (!layers) return;
    // One layer that admits nothing on its own is named; several only together, or none, are not.
    out.missing_grants.push_back(layers->size() == 1 ? f.grant_parts[layers->front()].first
                                                     : std::string(Search::no_single_layer));
  }

  // Is there a request this encoder's set allows and, with `baseline`, that the baseline's set
  // (another encoder over the same solver variables: the same free request) does not? Without
  // `baseline_set` the baseline allows nothing. With `service_call`, the other encoder is the
  // KMS call the request makes, which its set must allow too. Every request found is
  // replayed through authorize on both sides.
  Search solve(const eval::PolicySet& set, std::chrono::milliseconds timeout, Encoder* baseline = nullptr,
               const eval::PolicySet* baseline_set = nullptr, bool service_call = false) {
    const Formula own = formula(set);
    z3::expr goal = own.allows;
    if (baseline && baseline_set) {
      goal = goal && (service_call ? baseline->allows(*baseline_set) : !baseline->allows(*baseline_set));
      baseline->share_keys_with(*this);
    }
    goal = goal.simplify();
    std::set<std::string> havoc = havoc_reasons_;
    if (baseline) havoc.insert(baseline->havoc_reasons_.begin(), baseline->havoc_reasons_.end());
    Search out;
    out.havoc = std::vector<std::string>(havoc.begin(), havoc.end());
    if (goal.is_false()) {  // no statement can let the caller in: no solver needed
      out.verdict = Search::Verdict::None;
      if (!baseline) explain(own, out, timeout, true);
      return out;
    }
    z3::solver solver(ctx_);
    z3::params params(ctx_);
    params.set("timeout", static_cast<unsigned>(timeout.count()));
    solver.set(params);
    for (unsigned i = 0; i < constraints_.size(); ++i) solver.add(constraints_[i]);
    if (baseline)
      for (unsigned i = 0; i < baseline->constraints_.size(); ++i) solver.add(baseline->constraints_[i]);
    solver.add(goal);
    const z3::check_result r = solver.check();
    if (r == z3::unsat) {
      out.verdict = Search::Verdict::None;
      if (!baseline) explain(own, out, timeout, false);
      return out;
    }
    if (r == z3::unknown) {
      out.unknown_reason = "the solver gave no answer (" + solver.reason_unknown() + ")";
      return out;
    }
    // A second try with plain names and keys, for a request people can read; without it
    // when the policies need other characters.
    solver.push();
    const z3::expr plain = from_chars("abcdefghijklmnopqrstuvwxyz0123456789-", 1);
    if (!sp_.exact_resource) solver.add(z3::in_re(key_, z3::concat(plain, z3::star(z3::concat(literal("/"), plain)))));
    if (!sp_.principal) solver.add(z3::in_re(name_, plain) && z3::in_re(session_, plain));
    if (solver.check() != z3::sat) {
      solver.pop();
      if (solver.check() != z3::sat) {
        out.unknown_reason = "the solver gave no answer the second time (" + solver.reason_unknown() + ")";
        return out;
      }
    }
    const z3::model model = solver.get_model();
    eval::Request request = witness(model, baseline, service_call);
    const bool allowed = eval::authorize(request, set, s_).outcome == eval::Outcome::Allow;
    bool baseline_allows = false;
    eval::Request baseline_request;
    if (baseline && baseline_set) {
      baseline_request = baseline->witness(model, this, service_call);
      baseline_allows = eval::authorize(baseline_request, *baseline_set, s_).outcome == eval::Outcome::Allow;
    }
    if (allowed && baseline_allows == service_call) {
      out.verdict = Search::Verdict::Found;
      out.request = std::move(request);
      if (baseline && baseline_set)
        (service_call ? out.service_call : out.baseline_request) = std::move(baseline_request);
    } else if (!havoc.empty()) {
      out.unknown_reason = service_call ? "a request and its KMS call may be allowed, through what the proof does "
                                          "not model"
                           : baseline   ? "a request may be allowed that the baseline denies, through what the proof "
                                          "does not model"
                                        : "a request may be allowed, through what the proof does not model";
    } else {
      const char* what = !allowed       ? "denies: "
                         : service_call ? "allows but whose KMS call it denies: "
                                        : "allows in the baseline too: ";
      throw EngineDisagreement(std::string("the proof engine found a request that authorize ") + what +
                               request.principal.arn + " " + request.action + " " + request.resource);
    }
    return out;
  }

  // Called once both encoders have built their formulas: a key one tests as text and the
  // other as a typed value, or as two types, has terms that are not tied together, so a
  // request found through it is only a candidate.
  void share_keys_with(Encoder& other) {
    auto mixed = [](Encoder& a, Encoder& b) {
      for (const auto& [slot, t] : a.typed_) {
        if (auto it = b.typed_.find(slot); it != b.typed_.end() && it->second.type != t.type)
          a.havoc_reasons_.insert("the key " + slot + " tested as two types");
        for (const auto& k : b.text_used_)
          if (typed_slot(k) == slot) a.havoc_reasons_.insert("the key " + k + " tested both as text and as a value");
      }
    };
    mixed(*this, other);
    mixed(other, *this);
  }

  // ---- strings ---------------------------------------------------------------------------
  // Regular expressions: z3's operator+ on them is union, so concatenation is spelled out.
  z3::expr re_sort_full() {
    z3::sort strings = ctx_.string_sort();
    return z3::re_full(ctx_.re_sort(strings));
  }
  z3::expr one_char() {
    return z3::range(ctx_.string_val(" "), ctx_.string_val("[")) +
           z3::range(ctx_.string_val("]"), ctx_.string_val("~"));
  }
  z3::expr alphabet() { return z3::star(one_char()); }
  z3::expr literal(std::string_view text) { return z3::to_re(ctx_.string_val(std::string(text))); }
  z3::expr from_chars(std::string_view chars, unsigned min) {
    z3::expr any = literal(chars.substr(0, 1));
    for (std::size_t i = 1; i < chars.size(); ++i) any = any + literal(chars.substr(i, 1));
    return min == 0 ? z3::star(any) : z3::plus(any);
  }

  // A pattern as a regular expression; a variable whose key the world fixes to one value is
  // that value's text, one the world leaves absent its default. nullopt when another variable
  // is in it or its text leaves the alphabet; `unresolved` (when given) is set when a
  // variable has neither value nor default, which makes the pattern match nothing (PV3).
  // `icase`: letters match either case (the ...IgnoreCase operators fold ASCII only).
  std::optional<z3::expr> glob(const Pattern& p, bool* unresolved = nullptr, bool icase = false) {
    z3::expr re = literal("");
    auto text = [&](std::string_view t) { return icase ? folded(t) : literal(t); };
    for (const auto& piece : p.pieces()) {
      switch (piece.kind) {
        case Pattern::Piece::Kind::Literal:
          if (!in_alphabet(piece.text)) return std::nullopt;
          re = z3::concat(re, text(piece.text));
          break;
        case Pattern::Piece::Kind::Star: re = z3::concat(re, re_sort_full()); break;
        case Pattern::Piece::Kind::AnyChar: re = z3::concat(re, one_char()); break;
        case Pattern::Piece::Kind::Variable: {
          const eval::ContextEntry* e = known_.context.find(piece.text);
          if (!e && unresolved && key(piece.text, piece.text).decided) {  // known absent
            if (!piece.has_default) {
              *unresolved = true;
              return std::nullopt;
            }
            if (!in_alphabet(piece.default_value)) return std::nullopt;
            re = z3::concat(re, text(piece.default_value));
            break;
          }
          if (!e || e->multivalued || e->values.size() != 1 || !in_alphabet(e->values[0].text)) return std::nullopt;
          re = z3::concat(re, text(e->values[0].text));
          break;
        }
      }
    }
    return re;
  }

  // Text whose letters match in either case.
  z3::expr folded(std::string_view t) {
    z3::expr re = literal("");
    for (char ch : t) {
      const char lower = ascii_lower(ch), upper = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      const std::string a(1, lower), b(1, upper);
      re = z3::concat(re, lower == upper ? literal(a) : literal(a) + literal(b));
    }
    return re;
  }
  // One character that is not ':' (the parts of an ARN but the last, C13).
  z3::expr no_colon() {
    return z3::range(ctx_.string_val(" "), ctx_.string_val("9")) +
           z3::range(ctx_.string_val(";"), ctx_.string_val("[")) +
           z3::range(ctx_.string_val("]"), ctx_.string_val("~"));
  }

  z3::expr havoc(const std::string& why) {
    havoc_reasons_.insert(why);
    // Named by side: the havoc of one side of a comparison is not the other's.
    return ctx_.bool_const(("havoc_" + side_ + std::to_string(havoc_count_++)).c_str());
  }

  // ---- the caller and the resource ---------------------------------------------------------
  eval::Request sample_request(const std::string& key) const {
    eval::Request r;
    if (sp_.principal) r.principal = *sp_.principal;
    r.set_action(sp_.action);
    r.set_resource(sp_.exact_resource ? sp_.resource_prefix : sp_.resource_prefix + key);
    r.resource_account = sp_.resource_account;
    r.resource_in_management_account = sp_.resource_in_management_account;
    return r;
  }
  bool is_iam() const { return sp_.principal ? sp_.principal->is_iam() : sp_.form != OutsiderForm::Anonymous; }

  void build_principal() {
    if (sp_.principal) {
      arn_ = ctx_.string_val(sp_.principal->arn);
      account_ = ctx_.string_val(sp_.principal->account);
      return;
    }
    // Character classes as ranges: the solver is several times slower on a union of literals.
    const z3::expr digits = z3::range(ctx_.string_val("0"), ctx_.string_val("9"));
    const z3::expr name =
        z3::plus(z3::range(ctx_.string_val("a"), ctx_.string_val("z")) +
                 z3::range(ctx_.string_val("A"), ctx_.string_val("Z")) + digits + literal("+") + literal("=") +
                 literal(",") + literal(".") + literal("@") + literal("_") + literal("-"));
    constraints_.push_back(account_.length() == 12);
    constraints_.push_back(z3::in_re(account_, z3::plus(digits)));
    for (const auto& a : sp_.excluded_accounts) constraints_.push_back(account_ != ctx_.string_val(a));
    constraints_.push_back(z3::in_re(name_, name));
    constraints_.push_back(z3::in_re(session_, name));
    // A path: "/" or "/a/b/" (IAM paths).
    constraints_.push_back(z3::in_re(path_, z3::concat(literal("/"), z3::star(z3::concat(name, literal("/"))))));
    const z3::expr a = account_;
    switch (sp_.form) {
      case OutsiderForm::User:
        arn_ = ctx_.string_val("arn:aws:iam::") + a + ctx_.string_val(":user") + path_ + name_;
        break;
      case OutsiderForm::RoleSession:
        arn_ = ctx_.string_val("arn:aws:sts::") + a + ctx_.string_val(":assumed-role/") + name_ + ctx_.string_val("/") +
               session_;
        break;
      case OutsiderForm::Root: arn_ = ctx_.string_val("arn:aws:iam::") + a + ctx_.string_val(":root"); break;
      case OutsiderForm::Anonymous: arn_ = ctx_.string_val("anonymous"); break;
    }
  }
  // The role ARN a session's Principal entries are compared with: an assumed-role ARN does
  // not carry its role's path (P1).
  z3::expr session_role_arn() {
    return ctx_.string_val("arn:aws:iam::") + account_ + ctx_.string_val(":role/") + name_;
  }

  // Does an outsider's Principal element (not NotPrincipal) name it? (P1-P3, eval::match_principal)
  // An entry of an account the outsider cannot be of names it never: decided here, which
  // spares the solver a string equation per entry of the world's own accounts.
  z3::expr names_outsider(const compile::CompiledPrincipal& p, bool restricting) {
    if (p.everyone) return ctx_.bool_val(true);
    z3::expr any = ctx_.bool_val(false);
    if (!is_iam()) return any;
    auto possible = [&](std::string_view account) {
      return std::find(sp_.excluded_accounts.begin(), sp_.excluded_accounts.end(), account) ==
             sp_.excluded_accounts.end();
    };
    auto account_of_arn = [](std::string_view arn) {
      std::array<std::string_view, 6> parts;
      return syntax::split_arn_parts(arn, parts) ? parts[4] : std::string_view();
    };
    for (const auto& acct : p.accounts)
      if (possible(acct)) any = any || account_ == ctx_.string_val(acct);
    if (sp_.form == OutsiderForm::User)
      for (const auto& u : p.user_arns)
        if (possible(account_of_arn(u))) any = any || arn_ == ctx_.string_val(u);
    if (sp_.form == OutsiderForm::RoleSession) {
      for (const auto& s : p.session_arns)
        if (possible(account_of_arn(s))) any = any || arn_ == ctx_.string_val(s);
      for (const auto& r : p.roles) {
        if (!possible(r.account)) continue;
        any = any || (restricting ? (account_ == ctx_.string_val(r.account) && name_ == ctx_.string_val(r.name))
                                  : session_role_arn() == ctx_.string_val(r.arn));
      }
    }
    return any;
  }

  // ---- context keys ----------------------------------------------------------------------
  KeyTerm fixed_term(const z3::expr& value) { return {ctx_.bool_val(true), value, false, {}}; }
  KeyTerm absent_term() {
    KeyTerm t{ctx_.bool_val(false), ctx_.string_val(""), false, {}};
    t.decided = true;
    return t;
  }
  KeyTerm free_term(const std::string& key) {
    KeyTerm t{ctx_.bool_const(("has:" + key).c_str()), ctx_.string_const(("val:" + key).c_str()), false, {}};
    constraints_.push_back(z3::in_re(t.value, alphabet()));
    return t;
  }
  KeyTerm present_free(const std::string& key) {
    KeyTerm t = free_term(key);
    constraints_.push_back(t.present);
    return t;
  }

  // `lower` is the key lower-cased (C3); `written` as the policy writes it, for the request.
  const KeyTerm& key(const std::string& lower, const std::string& written) {
    auto it = keys_.find(lower);
    if (it == keys_.end()) {
      it = keys_.emplace(lower, make_key(lower)).first;
      written_.emplace(lower, written);
    }
    return it->second;
  }

  KeyTerm make_key(const std::string& k) {
    if (const eval::ContextEntry* e = fixed_.find(k)) {
      KeyTerm t = absent_term();
      t.present = ctx_.bool_val(true);
      t.entry = e;
      if (e->values.size() == 1 && !e->multivalued && in_alphabet(e->values[0].text)) {
        t.value = ctx_.string_val(e->values[0].text);
      } else {
        t.havoc = true;  // for conditions that eval cannot decide alone (a variable of a free key)
        t.why = "the list value of " + e->name;
      }
      return t;
    }
    if (sp_.origin == Origin::ServiceCall) {
      // B7, B8: what S3 puts on the KMS call, and what of the client's context reaches it.
      if (k == "kms:encryptioncontext:aws:s3:arn")
        return fixed_term(ctx_.string_val(sp_.encrypted_object_prefix) + key_);
      if (k == "kms:calleraccount") return fixed_term(account_);
      if (k == "aws:viaawsservice") return fixed_term(ctx_.string_val("true"));
      if (!k.starts_with("kms:") && !model::reaches_service_call(k)) return absent_term();
    }
    const bool internet = sp_.origin == Origin::Internet;
    if (is_iam() && service_source_key(k)) return absent_term();
    if (resource_key(k)) return absent_term();
    if (!sp_.principal) {
      if (auto t = outsider_key(k)) return *t;
    } else if (identity_key(k)) {
      return absent_term();  // what the world does not set for its principal
    }
    if (k == "aws:viaawsservice") return fixed_term(ctx_.string_val("false"));
    if (k == "aws:securetransport") {
      KeyTerm t = present_free(k);
      constraints_.push_back(t.value == ctx_.string_val("true") || t.value == ctx_.string_val("false"));
      return t;
    }
    if (k == "aws:currenttime" || k == "aws:epochtime") return present_free(k);
    if (k == "aws:sourceip") return internet ? present_free(k) : absent_term();
    if (k == "aws:sourcevpce") {
      if (internet) return absent_term();
      if (sp_.origin == Origin::WorldEndpoint) return fixed_term(ctx_.string_val(sp_.endpoint_id));
      KeyTerm t = present_free(k);
      constraints_.push_back(t.value.length() > 0);
      for (const auto& id : sp_.world_endpoints) constraints_.push_back(t.value != ctx_.string_val(id));
      return t;
    }
    if (k == "aws:sourcevpc") {
      if (internet) return absent_term();
      if (sp_.origin == Origin::WorldEndpoint && !sp_.vpc_id.empty()) return fixed_term(ctx_.string_val(sp_.vpc_id));
      return present_free(k);
    }
    if (k == "aws:vpcsourceip") return internet ? absent_term() : present_free(k);
    KeyTerm t = free_term(k);
    if (multivalued_key(k)) {
      t.havoc = true;
      t.why = "conditions on the list key " + k;
    }
    return t;
  }

  // The keys of an outsider's identity, which follow from its form, account and names.
  std::optional<KeyTerm> outsider_key(const std::string& k) {
    const OutsiderForm form = sp_.form;
    if (k == "aws:principalarn") {
      if (form == OutsiderForm::User || form == OutsiderForm::Root) return fixed_term(arn_);
      if (form == OutsiderForm::RoleSession)
        return fixed_term(ctx_.string_val("arn:aws:iam::") + account_ + ctx_.string_val(":role") + path_ + name_);
      return absent_term();
    }
    if (k == "aws:principalaccount") return fixed_term(is_iam() ? account_ : ctx_.string_val("anonymous"));
    if (k == "aws:username") return form == OutsiderForm::User ? fixed_term(name_) : absent_term();
    if (k == "aws:userid") {
      if (form == OutsiderForm::Root) return fixed_term(account_);
      if (form == OutsiderForm::Anonymous) return fixed_term(ctx_.string_val("anonymous"));
      return present_free(k);
    }
    if (k == "aws:principalisawsservice") return is_iam() ? fixed_term(ctx_.string_val("false")) : absent_term();
    if (k == "aws:principalorgid") {
      if (!is_iam()) return absent_term();
      KeyTerm t = free_term(k);
      for (const auto& o : sp_.excluded_org_ids) constraints_.push_back(t.value != ctx_.string_val(o));
      return t;
    }
    if (!is_iam() && identity_key(k)) return absent_term();  // an anonymous caller has no identity keys
    return std::nullopt;
  }

  // ---- conditions (eval/conditions.cpp) --------------------------------------------------
  // Are the condition's variables all keys the world decides? Then eval decides it too.
  bool variables_decided(const CompiledCondition& c) {
    auto decided = [&](const Pattern& p) {
      for (const auto& piece : p.pieces())
        if (piece.kind == Pattern::Piece::Kind::Variable && !key(piece.text, piece.text).decided) return false;
      return true;
    };
    for (const auto& p : c.strings)
      if (!decided(p)) return false;
    for (const auto& parts : c.arns)
      for (const auto& p : parts)
        if (!decided(p)) return false;
    return true;
  }

  z3::expr condition(const CompiledCondition& c, bool in_allow) {
    const KeyTerm& t = key(c.key, c.key_text.empty() ? c.key : c.key_text);
    if (t.decided && variables_decided(c)) {
      // The world decides the key: eval decides the condition, any operator (an unreadable
      // value lets a Deny apply and not an Allow, as authorize does).
      const eval::Tri r = eval::evaluate_condition(c, t.entry, known_, s_, nullptr);
      return ctx_.bool_val(r == eval::Tri::True || (r == eval::Tri::Unknown && !in_allow));
    }
    if (t.havoc) return havoc(t.why);
    if (c.qualifier != compile::SetQualifier::None) return set_condition(c, t, in_allow);
    const z3::expr missing = !t.present;
    if (c.type == ValueType::Null) {  // C6
      z3::expr any = ctx_.bool_val(false);
      for (bool want_absent : c.bools) any = any || (want_absent ? missing : t.present);
      return any;
    }
    const z3::expr when_missing = ctx_.bool_val(c.if_exists || c.negated);  // C5, C4
    if (c.type == ValueType::Ip || c.type == ValueType::Numeric || c.type == ValueType::Date)
      return z3::ite(missing, when_missing, typed_matches(c));
    text_used_.insert(c.key);
    if (typed_.count(typed_slot(c.key)))
      havoc_reasons_.insert("the key " + c.key + " tested both as text and as a value");
    return z3::ite(missing, when_missing, matches(c, t.value, in_allow));
  }

  // ForAllValues / ForAnyValue on a key the request sends with one value (list keys are havoc):
  // its set is that value, or empty when the key is absent or, for text, empty (C16). An empty
  // set makes ForAllValues true and ForAnyValue false (C14); otherwise both are the operator
  // on the one value, negated for the negated operators as eval negates each value.
  z3::expr set_condition(const CompiledCondition& c, const KeyTerm& t, bool in_allow) {
    const bool typed_op = c.type == ValueType::Ip || c.type == ValueType::Numeric || c.type == ValueType::Date;
    if (c.type == ValueType::Null) return havoc("Null with a set operator");
    z3::expr empty = !t.present;
    z3::expr one = ctx_.bool_val(false);
    if (typed_op) {
      one = typed_matches(c);
    } else {
      text_used_.insert(c.key);
      if (typed_.count(typed_slot(c.key)))
        havoc_reasons_.insert("the key " + c.key + " tested both as text and as a value");
      empty = empty || t.value == ctx_.string_val("");
      one = matches(c, t.value, in_allow);
    }
    const bool for_all = c.qualifier == compile::SetQualifier::ForAllValues;
    return z3::ite(empty, ctx_.bool_val(for_all), one);
  }

  // ---- typed values: IP addresses, numbers, dates --------------------------------------------
  // A key tested with an IP, numeric or date operator gets a typed term beside its text: an
  // IPv4 address as an integer (or "some IPv6 address"), a number as a real, an instant as
  // whole seconds (AWS sends times to the second). Only readable values are considered: an
  // unreadable one makes an Allow not apply and a Deny apply, which never allows more (E10).
  // aws:CurrentTime and aws:EpochTime share one instant. The text and the typed term of one
  // key are not tied together: that is more freedom, not less, and a key tested both ways
  // is havoc for the replay.
  struct Typed {
    ValueType type;
    z3::expr value;  // IPv4 integer, number, or milliseconds
    z3::expr v6;     // Ip: the address is IPv6
  };
  static bool time_key(std::string_view key) { return key == "aws:currenttime" || key == "aws:epochtime"; }
  // The typed term a key's value is in: the two time keys share one.
  static std::string typed_slot(const std::string& key) { return time_key(key) ? "aws:currenttime" : key; }
  // The type a key's term has when tested with `type`: a time key's is always an instant.
  static ValueType term_type(const std::string& key, ValueType type) {
    return time_key(key) && type == ValueType::Numeric ? ValueType::Date : type;
  }

  // The key's typed term, made on first use; null when it was made for another type (the
  // key is tested as two types, and the second is havoc).
  Typed* typed(const std::string& key, ValueType type) {
    const std::string slot = typed_slot(key);
    const ValueType want = term_type(key, type);
    if (auto it = typed_.find(slot); it != typed_.end()) return it->second.type == want ? &it->second : nullptr;
    // Named by type too: two sides of a comparison that test the key as two types get two
    // terms (share_keys_with), not one bound by both types' constraints.
    const std::string name = "typed:" + std::to_string(static_cast<int>(want)) + ":" + slot;
    Typed t{want, ctx_.int_const(name.c_str()), ctx_.bool_const(("v6:" + slot).c_str())};
    if (want == ValueType::Ip) {
      constraints_.push_back(t.value >= 0 && t.value <= ctx_.int_val(static_cast<int64_t>(0xFFFFFFFFLL)));
    } else if (want == ValueType::Numeric) {
      t.value = ctx_.real_const(name.c_str());
    } else {  // an instant: whole seconds, in milliseconds; EpochTime as a number is its seconds
      constraints_.push_back(z3::mod(t.value, ctx_.int_val(1000)) == 0);
      constraints_.push_back(t.value >= 0 && t.value <= ctx_.int_val(static_cast<int64_t>(253402300799000LL)));
    }
    return &typed_.emplace(slot, t).first->second;
  }

  // A policy's number as an exact decimal for the solver (std::to_string keeps six places).
  z3::expr decimal(double n) {
    char buf[400];
    std::snprintf(buf, sizeof buf, "%.20f", n);
    return ctx_.real_val(buf);
  }

  z3::expr compare(compile::Comparison op, const z3::expr& request, const z3::expr& policy) {
    switch (op) {
      case compile::Comparison::LessThan: return request < policy;
      case compile::Comparison::LessThanEquals: return request <= policy;
      case compile::Comparison::GreaterThan: return request > policy;
      case compile::Comparison::GreaterThanEquals: return request >= policy;
      default: return request == policy;
    }
  }

  z3::expr typed_matches(const CompiledCondition& c) {
    if (text_used_.count(c.key)) havoc_reasons_.insert("the key " + c.key + " tested both as text and as a value");
    Typed* term = typed(c.key, c.type);
    if (!term) return havoc("the key " + c.key + " tested as two types");
    Typed& t = *term;
    z3::expr any = ctx_.bool_val(false);
    switch (c.type) {
      case ValueType::Ip:
        for (const auto& cidr : c.cidrs) {
          if (!cidr.v4) {
            any = any || (t.v6 && havoc("an IPv6 range"));
            continue;
          }
          std::uint64_t base = (std::uint64_t{cidr.bytes[0]} << 24) | (std::uint64_t{cidr.bytes[1]} << 16) |
                               (std::uint64_t{cidr.bytes[2]} << 8) | cidr.bytes[3];
          const int prefix = std::min(cidr.prefix, 32);
          const std::uint64_t size = std::uint64_t{1} << (32 - prefix);
          base &= ~(size - 1);
          any = any || (!t.v6 && t.value >= ctx_.int_val(static_cast<int64_t>(base)) &&
                        t.value <= ctx_.int_val(static_cast<int64_t>(base + size - 1)));
        }
        break;
      case ValueType::Numeric:
        if (t.type == ValueType::Date) {  // aws:EpochTime as a number: seconds
          for (double n : c.numbers) any = any || compare(c.comparison, z3::to_real(t.value) / 1000, decimal(n));
        } else {
          for (double n : c.numbers) any = any || compare(c.comparison, t.value, decimal(n));
        }
        break;
      case ValueType::Date:
        for (auto instant : c.instants)
          any = any || compare(c.comparison, t.value, ctx_.int_val(static_cast<int64_t>(instant)));
        break;
      default: break;
    }
    return c.negated ? !any : any;
  }

  // The typed term's value as request text.
  static std::string typed_text(const z3::model& m, const std::string& key, const Typed& t) {
    if (t.type == ValueType::Ip) {
      if (m.eval(t.v6, true).is_true()) return "2001:db8::1";
      const std::uint64_t a = m.eval(t.value, true).get_numeral_uint64();
      return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "." + std::to_string((a >> 8) & 255) +
             "." + std::to_string(a & 255);
    }
    if (t.type == ValueType::Numeric) {
      const z3::expr v = m.eval(t.value, true);
      std::string text = v.get_decimal_string(12);
      if (auto q = text.find('?'); q != std::string::npos) text.erase(q);
      if (text.find('.') != std::string::npos) {
        while (text.back() == '0') text.pop_back();
        if (text.back() == '.') text.pop_back();
      }
      return text;
    }
    const std::int64_t ms = m.eval(t.value, true).get_numeral_int64();
    if (key == "aws:epochtime") return std::to_string(ms / 1000);
    const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buf;
  }

  // The positive sense on a present value, negated for the negated operators (C2). A value
  // the operator cannot read makes the condition unknown, which lets a Deny apply and not an
  // Allow (E10), as authorize decides.
  z3::expr matches(const CompiledCondition& c, const z3::expr& value, bool in_allow) {
    switch (c.type) {
      case ValueType::String: {
        const bool icase = c.comparison == compile::Comparison::EqualsIgnoreCase;
        z3::expr any = ctx_.bool_val(false);
        for (const auto& p : c.strings) {
          auto re = glob(p, nullptr, icase);
          if (!re) return havoc("a condition value with a policy variable or outside printable ASCII");
          any = any || z3::in_re(value, *re);
        }
        return c.negated ? !any : any;
      }
      case ValueType::Bool: {
        if (!c.strings.empty()) return havoc("a Bool condition compared as text");
        // Keys AWS sends as booleans carry "true" or "false" (aws:SecureTransport is held to
        // that); any other text makes a Bool condition unreadable, which is never more
        // permissive (docs/proof-engine.md).
        z3::expr any = ctx_.bool_val(false);
        for (bool b : c.bools) any = any || value == ctx_.string_val(b ? "true" : "false");
        const z3::expr readable = value == ctx_.string_val("true") || value == ctx_.string_val("false");
        return z3::ite(readable, any, ctx_.bool_val(!in_allow));
      }
      case ValueType::Arn: {
        // C13: the value splits at its first five colons into six parts, the first "arn";
        // each pattern part matches its part, a wildcard within it (only the last part may
        // hold colons). Another value is unreadable (E10).
        const z3::expr part = z3::star(no_colon());
        const z3::expr colon = literal(":");
        z3::expr any = ctx_.bool_val(false);
        for (const auto& parts : c.arns) {
          z3::expr re = literal("");
          for (std::size_t i = 0; i < 6; ++i) {
            auto g = glob(parts[i]);
            if (!g) return havoc("an ARN condition value with a policy variable or outside printable ASCII");
            if (i == 5) {
              re = z3::concat(re, *g);
              continue;
            }
            z3::expr_vector both(ctx_);
            both.push_back(*g);
            both.push_back(part);
            re = z3::concat(z3::concat(re, z3::re_intersect(both)), colon);
          }
          any = any || z3::in_re(value, re);
        }
        z3::expr shape = literal("arn");
        for (int i = 0; i < 4; ++i) shape = z3::concat(shape, z3::concat(colon, part));
        const z3::expr readable = z3::in_re(value, z3::concat(shape, z3::concat(colon, alphabet())));
        return z3::ite(readable, c.negated ? !any : any, ctx_.bool_val(!in_allow));
      }
      default: return havoc("the " + c.op_text + " operator");
    }
  }

  // ---- statements and layers (eval/authorize.cpp) ----------------------------------------
  // authorize's resource_fit: an entry whose variable has no value matches nothing (RS4); in
  // NotResource, when no other entry matches, it leaves the statement unresolved, which a
  // Deny applies on and an Allow does not (PV7).
  z3::expr resource_fits(const CompiledStatement& st, bool in_allow) {
    if (st.resource_scope == compile::ResourceScope::Attached) return ctx_.bool_val(true);
    z3::expr any = ctx_.bool_val(false);
    bool unresolved = false;
    for (const auto& p : st.resources) {
      bool entry_unresolved = false;
      const z3::expr fits = entry_fits(p, entry_unresolved);
      unresolved |= entry_unresolved;
      any = any || fits;
    }
    if (st.resource_scope == compile::ResourceScope::Listed) return any;
    return unresolved && in_allow ? ctx_.bool_val(false) : !any;
  }
  z3::expr entry_fits(const compile::ResourcePattern& p, bool& unresolved) {
    if (p.any) return ctx_.bool_val(true);
    if (sp_.exact_resource) {  // the resource is fixed: eval decides
      const compile::MatchResult m = resource_entry_match(p);
      if (m == compile::MatchResult::Unresolved) return havoc("a resource pattern with a policy variable");
      return ctx_.bool_val(m == compile::MatchResult::Match);
    }
    if (s_.resource_wildcard_crosses_colon) {
      auto re = glob(p.whole, &unresolved);
      if (unresolved) return ctx_.bool_val(false);
      return re ? z3::in_re(resource_, *re) : havoc("a resource pattern with a policy variable");
    }
    // Parts 1-4 of the request's ARN are the prefix's, fixed: decided here, without the solver.
    for (std::size_t i = 0; i < 4; ++i)
      if (p.parts[i].match(sample_.resource_parts[i + 1], false, nullptr) != compile::MatchResult::Match)
        return ctx_.bool_val(false);
    const std::string head(sample_.resource.substr(0, sample_.resource.size() - sample_.resource_parts[5].size()));
    const std::string fixed_part = sp_.resource_prefix.substr(head.size());
    auto re = glob(p.parts[4], &unresolved);
    if (unresolved) return ctx_.bool_val(false);
    return re ? z3::in_re(ctx_.string_val(fixed_part) + key_, *re) : havoc("a resource pattern with a policy variable");
  }
  compile::MatchResult resource_entry_match(const compile::ResourcePattern& p) {
    compile::CompiledStatement one;
    one.resources.push_back(p);
    one.resource_scope = compile::ResourceScope::Listed;
    eval::Request r = sample_;
    r.context = known_.context;
    if (p.whole.has_variables() || p.parts[4].has_variables()) {
      for (const auto& piece : p.parts[4].pieces())
        if (piece.kind == Pattern::Piece::Kind::Variable && !key(piece.text, piece.text).decided)
          return compile::MatchResult::Unresolved;
    }
    return eval::resource_matches(one, r, s_) ? compile::MatchResult::Match : compile::MatchResult::NoMatch;
  }

  // Does the statement's Principal/NotPrincipal admit the caller, and how does it name it?
  z3::expr principal_admits(const CompiledStatement& st, eval::PrincipalMatch& pm) {
    pm = eval::PrincipalMatch::Direct;
    if (sp_.principal) return ctx_.bool_val(eval::statement_admits(st, *sp_.principal, s_, pm));
    if (!st.principal.present) return ctx_.bool_val(true);
    if (st.principal.negated) return havoc("NotPrincipal");
    return names_outsider(st.principal, st.effect == compile::Effect::Deny);
  }

  z3::expr applies(const CompiledStatement& st, eval::PrincipalMatch& pm) {
    const bool in_allow = st.effect == compile::Effect::Allow;
    z3::expr all = resource_fits(st, in_allow) && principal_admits(st, pm);
    for (const auto& c : st.conditions) all = all && condition(c, in_allow);
    // E5: Principal "*" narrowed by aws:PrincipalArn is a grant to that principal.
    if (in_allow && st.principal.everyone && st.conditions_name_principal_arn) pm = eval::PrincipalMatch::Direct;
    return all;
  }

// GCC 12 at -O3 clones applies() for a constant argument and then warns, wrongly, that the
// clone's `this` is null; there is no null Encoder.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnonnull"
  // Where a scanned policy sits in its set, for the statements an explanation names.
  struct Place {
    Layer layer = Layer::Identity;
    int level = -1;
    std::size_t position = 0;
  };
  void scan(const eval::AttachedPolicy& attached, LayerTerms& out, Place place) {
    const auto& statements = attached.policy->statements;
    for (std::size_t i = 0; i < statements.size(); ++i) {
      const auto& st = statements[i];
      if (!eval::action_matches(st, sp_.action, sample_.action_lower)) continue;
      eval::PrincipalMatch pm = eval::PrincipalMatch::None;
      const z3::expr a = applies(st, pm);
      if (st.effect == compile::Effect::Deny) {
        out.deny = out.deny || a;
        eval::StatementRef ref;
        ref.policy = attached.policy;
        ref.source = attached.source;
        ref.statement = static_cast<std::uint32_t>(i);
        ref.layer = place.layer;
        ref.level = place.level;
        ref.position = static_cast<std::uint32_t>(place.position);
        out.denies.emplace_back(ref, a);
        continue;
      }
      out.allow = out.allow || a;
      switch (pm) {
        case eval::PrincipalMatch::Direct: out.direct = out.direct || a; break;
        case eval::PrincipalMatch::RoleArn: out.role_arn = out.role_arn || a; break;
        case eval::PrincipalMatch::Account: out.account = out.account || a; break;
        case eval::PrincipalMatch::None: break;
      }
    }
  }
#pragma GCC diagnostic pop

  // ---- the request a model describes -----------------------------------------------------
  static std::string text(const z3::model& m, const z3::expr& e) { return m.eval(e, true).get_string(); }

  // Does this encoder's space decide the key, whatever the policies test? (make_key)
  bool decides(const std::string& k) const {
    if (auto it = keys_.find(k); it != keys_.end()) return it->second.decided || fixed_.find(k);
    return fixed_.find(k) || (is_iam() && service_source_key(k)) || (sp_.principal && identity_key(k)) ||
           resource_key(k);
  }

  // The free keys' values in the model, as the request carries them (name as written);
  // `shared_only`: only those that reach a service call (B8), the rest being another call's.
  void add_free_keys(const z3::model& m, eval::Request& r, const Encoder& from, bool shared_only = false) const {
    for (const auto& [k, t] : from.keys_) {
      if (t.decided || from.fixed_.find(k) || decides(k) || r.context.has(k)) continue;
      if (shared_only && !model::reaches_service_call(k)) continue;
      if (!m.eval(t.present, true).is_true()) continue;
      std::string v = from.text(m, t.value);
      if (auto ty = from.typed_.find(typed_slot(k)); ty != from.typed_.end()) v = typed_text(m, k, ty->second);
      const std::string& name = from.written_.at(k);
      if (multivalued_key(k)) {
        r.context.set(name, std::vector<std::string>{v}, true);
        continue;
      }
      r.context.set(name, std::move(v));
    }
  }

  // The request the model describes; with `other` (the other side of a comparison), the
  // keys only it tests carry the model's values too, so that both sides see one request
  // (for a request and its service call, only the keys they share).
  eval::Request witness(const z3::model& m, const Encoder* other = nullptr, bool service_call = false) const {
    eval::Request r = sample_request(text(m, key_));
    if (!sp_.principal) {
      std::string error;
      const std::string arn = text(m, arn_);
      auto who = eval::parse_principal(arn, error);
      if (!who)
        throw EngineDisagreement("the proof engine built a principal iamsim cannot read: " + arn + ": " + error);
      r.principal = *who;
    }
    for (const auto& e : fixed_.entries()) r.context.set(e);
    add_free_keys(m, r, *this);
    if (other) add_free_keys(m, r, *other, service_call);
    // Keys every request carries, when no policy tested them: values AWS would send.
    if (!r.context.has("aws:securetransport")) r.context.set("aws:SecureTransport", "true");
    if (sp_.origin == Origin::Internet && !r.context.has("aws:sourceip")) r.context.set("aws:SourceIp", "203.0.113.7");
    if (sp_.origin == Origin::WorldEndpoint && !r.context.has("aws:sourcevpce"))
      r.context.set("aws:SourceVpce", sp_.endpoint_id);
    r.fill_derived_keys();
    return r;
  }

  std::string side_;
  const RequestSpace& sp_;
  const Semantics& s_;
  z3::context& ctx_;  // each search has its own solver in it: terms are shared, assertions not
  z3::expr account_, name_, path_, session_, key_;
  z3::expr arn_{ctx_}, resource_{ctx_};
  z3::expr_vector constraints_;
  eval::Context fixed_;   // the space's fixed keys, aws:ResourceAccount among them
  eval::Request known_;   // the keys the world fixes, for eval to read
  eval::Request sample_;  // the request with a stand-in key: what is fixed about the resource
  std::map<std::string, KeyTerm> keys_;
  std::map<std::string, std::string> written_;
  std::set<std::string> havoc_reasons_;
  std::map<std::string, Typed> typed_;  // by key; aws:CurrentTime's is aws:EpochTime's too
  std::set<std::string> text_used_;     // keys tested as text
  unsigned havoc_count_ = 0;
  unsigned explained_ = 0;  // assumption literals made by explain()
};

}  // namespace

std::string_view to_string(OutsiderForm form) {
  switch (form) {
    case OutsiderForm::User: return "an IAM user";
    case OutsiderForm::RoleSession: return "a role session";
    case OutsiderForm::Root: return "an account's root user";
    case OutsiderForm::Anonymous: return "an anonymous caller";
  }
  return "?";
}

struct SearchContext::Impl {
  z3::context z3;
};
SearchContext::SearchContext() : impl_(std::make_unique<Impl>()) {}
SearchContext::~SearchContext() = default;

Search find_allowed_request(SearchContext& context, const RequestSpace& space, const eval::PolicySet& set,
                            const Semantics& semantics, std::chrono::milliseconds timeout) {
  Encoder encoder(context.impl().z3, space, semantics);
  return encoder.solve(set, timeout);
}

Search find_new_request(SearchContext& context, const RequestSpace& space, const eval::PolicySet& set,
                        const RequestSpace& baseline_space, const eval::PolicySet* baseline_set,
                        const Semantics& semantics, std::chrono::milliseconds timeout) {
  Encoder encoder(context.impl().z3, space, semantics, "new");
  if (!baseline_set) return encoder.solve(set, timeout);
  Encoder baseline(context.impl().z3, baseline_space, semantics, "old");
  return encoder.solve(set, timeout, &baseline, baseline_set);
}

Search find_request_with_service_call(SearchContext& context, const RequestSpace& space, const eval::PolicySet& set,
                                      const RequestSpace& call_space, const eval::PolicySet& call_set,
                                      const Semantics& semantics, std::chrono::milliseconds timeout) {
  Encoder encoder(context.impl().z3, space, semantics, "s3");
  Encoder call(context.impl().z3, call_space, semantics, "kms");
  return encoder.solve(set, timeout, &call, &call_set, true);
}

Search find_allowed_request(const RequestSpace& space, const eval::PolicySet& set, const Semantics& semantics,
                            std::chrono::milliseconds timeout) {
  SearchContext context;
  return find_allowed_request(context, space, set, semantics, timeout);
}

}  // namespace iamsim::prove
