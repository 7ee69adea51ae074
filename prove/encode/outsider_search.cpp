// Stage: prove. The encoding of docs/proof-engine.md: each context key is a pair (present,
// value) of solver terms, each statement a formula "it applies", and the set the formula
// authorize computes for a caller from outside the world (E2, E5, X1, V1, R2).
#include "prove/encode/outsider_search.hpp"

#include <map>
#include <set>

#include <z3++.h>

#include "engine/text.hpp"

namespace iamsim::prove {
namespace {

using compile::CompiledCondition;
using compile::CompiledStatement;
using compile::Pattern;
using compile::ValueType;

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

// A context key as solver terms.
struct KeyTerm {
  z3::expr present;
  z3::expr value;
  bool havoc = false;  // conditions on it are not modelled
  std::string why;
};

class Encoder {
 public:
  Encoder(const OutsiderSpace& space, const Semantics& semantics)
      : sp_(space),
        s_(semantics),
        account_(ctx_.string_const("principal_account")),
        name_(ctx_.string_const("principal_name")),
        path_(ctx_.string_const("principal_path")),
        session_(ctx_.string_const("session_name")),
        key_(ctx_.string_const("object_key")),
        constraints_(ctx_) {
    build_principal();
    resource_ = ctx_.string_val(sp_.resource_prefix) + key_;
    constraints_.push_back(key_.length() > 0);
    if (auto g = glob(Pattern::from_text(sp_.key_glob, true, true, false))) constraints_.push_back(z3::in_re(key_, *g));
    constraints_.push_back(z3::in_re(key_, alphabet()));
  }

  z3::context& ctx() { return ctx_; }

  // authorize's outcome is Allow, for this caller (see the header).
  z3::expr allows(const eval::PolicySet& set) {
    z3::expr deny = ctx_.bool_val(false);
    z3::expr grant = ctx_.bool_val(false);
    if (set.resource) scan(*set.resource, deny, &grant);
    z3::expr endpoint_allows = ctx_.bool_val(true);
    if (set.vpc_endpoint) {
      endpoint_allows = ctx_.bool_val(false);
      scan(*set.vpc_endpoint, deny, &endpoint_allows);
    }
    if (rcp_applies(set))
      for (const auto& level : set.rcp)
        for (const auto& p : level) scan(p, deny, nullptr);  // RCPFullAWSAccess implied (R2)
    if (sp_.form != OutsiderForm::Anonymous)
      for (const auto& p : set.identity) scan(p, deny, nullptr);  // its allow is assumed
    return !deny && grant && endpoint_allows;
  }

  Search solve(const eval::PolicySet& set, const Semantics& semantics, std::chrono::milliseconds timeout) {
    const z3::expr goal = allows(set);
    z3::solver solver(ctx_);
    z3::params params(ctx_);
    params.set("timeout", static_cast<unsigned>(timeout.count()));
    solver.set(params);
    for (unsigned i = 0; i < constraints_.size(); ++i) solver.add(constraints_[i]);
    solver.add(goal);
    Search out;
    out.havoc = std::vector<std::string>(havoc_reasons_.begin(), havoc_reasons_.end());
    const z3::check_result r = solver.check();
    if (r == z3::unsat) {
      out.verdict = Search::Verdict::None;
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
    solver.add(z3::in_re(key_, z3::concat(plain, z3::star(z3::concat(literal("/"), plain)))));
    solver.add(z3::in_re(name_, plain) && z3::in_re(session_, plain));
    if (solver.check() != z3::sat) {
      solver.pop();
      if (solver.check() != z3::sat) {
        out.unknown_reason = "the solver gave no answer the second time (" + solver.reason_unknown() + ")";
        return out;
      }
    }
    const z3::model model = solver.get_model();
    eval::Request request = witness(model);
    const eval::Decision d = eval::authorize(request, set, semantics);
    if (d.outcome == eval::Outcome::Allow) {
      out.verdict = Search::Verdict::Found;
      out.request = std::move(request);
    } else if (!havoc_reasons_.empty()) {
      out.unknown_reason = "a request may be allowed, through what the proof does not model";
    } else {
      throw EngineDisagreement("the proof engine found a request that authorize denies: " + request.principal.arn +
                               " " + request.action + " " + request.resource);
    }
    return out;
  }

 private:
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

  // A pattern as a regular expression; nullopt when it holds a variable or leaves the alphabet.
  std::optional<z3::expr> glob(const Pattern& p) {
    if (p.has_variables()) return std::nullopt;
    z3::expr re = literal("");
    for (const auto& piece : p.pieces()) {
      switch (piece.kind) {
        case Pattern::Piece::Kind::Literal:
          if (!in_alphabet(piece.text)) return std::nullopt;
          re = z3::concat(re, literal(piece.text));
          break;
        case Pattern::Piece::Kind::Star: re = z3::concat(re, re_sort_full()); break;
        case Pattern::Piece::Kind::AnyChar: re = z3::concat(re, one_char()); break;
        case Pattern::Piece::Kind::Variable: return std::nullopt;
      }
    }
    return re;
  }

  z3::expr havoc(const std::string& why) {
    havoc_reasons_.insert(why);
    return ctx_.bool_const(("havoc_" + std::to_string(havoc_count_++)).c_str());
  }

  // ---- the caller ------------------------------------------------------------------------
  void build_principal() {
    const std::string name_chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+=,.@_-";
    constraints_.push_back(account_.length() == 12);
    constraints_.push_back(z3::in_re(account_, from_chars("0123456789", 1)));
    for (const auto& a : sp_.excluded_accounts) constraints_.push_back(account_ != ctx_.string_val(a));
    constraints_.push_back(z3::in_re(name_, from_chars(name_chars, 1)));
    constraints_.push_back(z3::in_re(session_, from_chars(name_chars, 1)));
    // A path: "/" or "/a/b/" (IAM paths).
    constraints_.push_back(
        z3::in_re(path_, z3::concat(literal("/"), z3::star(z3::concat(from_chars(name_chars, 1), literal("/"))))));
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
  bool iam() const { return sp_.form != OutsiderForm::Anonymous; }
  // The role ARN a session's Principal entries are compared with: an assumed-role ARN does
  // not carry its role's path (P1).
  z3::expr session_role_arn() {
    return ctx_.string_val("arn:aws:iam::") + account_ + ctx_.string_val(":role/") + name_;
  }

  // Does a Principal element (not NotPrincipal) name the caller? (P1-P3, eval::match_principal)
  z3::expr names_caller(const compile::CompiledPrincipal& p, bool restricting) {
    if (p.everyone) return ctx_.bool_val(true);
    z3::expr any = ctx_.bool_val(false);
    if (!iam()) return any;
    for (const auto& acct : p.accounts) any = any || account_ == ctx_.string_val(acct);
    if (sp_.form == OutsiderForm::User)
      for (const auto& u : p.user_arns) any = any || arn_ == ctx_.string_val(u);
    if (sp_.form == OutsiderForm::RoleSession) {
      for (const auto& s : p.session_arns) any = any || arn_ == ctx_.string_val(s);
      for (const auto& r : p.roles)
        any = any || (restricting ? (account_ == ctx_.string_val(r.account) && name_ == ctx_.string_val(r.name))
                                  : session_role_arn() == ctx_.string_val(r.arn));
    }
    return any;
  }

  // ---- context keys ----------------------------------------------------------------------
  KeyTerm fixed_term(const z3::expr& value) { return {ctx_.bool_val(true), value, false, {}}; }
  KeyTerm absent_term() { return {ctx_.bool_val(false), ctx_.string_val(""), false, {}}; }
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
    if (const eval::ContextEntry* e = sp_.fixed.find(k)) {
      if (e->values.size() == 1 && !e->multivalued && in_alphabet(e->values[0].text))
        return fixed_term(ctx_.string_val(e->values[0].text));
      KeyTerm t = present_free(k);
      t.havoc = true;
      t.why = "the list value of " + e->name;
      return t;
    }
    const bool internet = sp_.origin == Origin::Internet;
    if (k == "aws:principalarn") {
      if (sp_.form == OutsiderForm::User || sp_.form == OutsiderForm::Root) return fixed_term(arn_);
      if (sp_.form == OutsiderForm::RoleSession)
        return fixed_term(ctx_.string_val("arn:aws:iam::") + account_ + ctx_.string_val(":role") + path_ + name_);
      return absent_term();
    }
    if (k == "aws:principalaccount") return fixed_term(iam() ? account_ : ctx_.string_val("anonymous"));
    if (k == "aws:username") return sp_.form == OutsiderForm::User ? fixed_term(name_) : absent_term();
    if (k == "aws:userid") {
      if (sp_.form == OutsiderForm::Root) return fixed_term(account_);
      if (sp_.form == OutsiderForm::Anonymous) return fixed_term(ctx_.string_val("anonymous"));
      return present_free(k);
    }
    if (k == "aws:principalisawsservice") return iam() ? fixed_term(ctx_.string_val("false")) : absent_term();
    if (k == "aws:principalorgid") {
      if (!iam()) return absent_term();
      KeyTerm t = free_term(k);
      for (const auto& o : sp_.excluded_org_ids) constraints_.push_back(t.value != ctx_.string_val(o));
      return t;
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

  // ---- conditions (eval/conditions.cpp) --------------------------------------------------
  z3::expr condition(const CompiledCondition& c) {
    const KeyTerm& t = key(c.key, c.key_text.empty() ? c.key : c.key_text);
    if (t.havoc) return havoc(t.why);
    if (c.qualifier != compile::SetQualifier::None) return havoc("the set operators (" + c.op_text + ")");
    const z3::expr missing = !t.present;
    if (c.type == ValueType::Null) {  // C6
      z3::expr any = ctx_.bool_val(false);
      for (bool want_absent : c.bools) any = any || (want_absent ? missing : t.present);
      return any;
    }
    const z3::expr when_missing = ctx_.bool_val(c.if_exists || c.negated);  // C5, C4
    return z3::ite(missing, when_missing, matches(c, t.value));
  }

  // The positive sense on a present value, negated for the negated operators (C2).
  z3::expr matches(const CompiledCondition& c, const z3::expr& value) {
    switch (c.type) {
      case ValueType::String: {
        if (c.comparison == compile::Comparison::EqualsIgnoreCase) return havoc("case-insensitive string comparison");
        z3::expr any = ctx_.bool_val(false);
        for (const auto& p : c.strings) {
          auto re = glob(p);
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
        return z3::ite(readable, any, havoc("a Bool condition on a value that is not a boolean"));
      }
      default: return havoc("the " + c.op_text + " operator");
    }
  }

  // ---- statements and layers (eval/authorize.cpp) ----------------------------------------
  z3::expr resource_fits(const CompiledStatement& st) {
    if (st.resource_scope == compile::ResourceScope::Attached) return ctx_.bool_val(true);
    z3::expr any = ctx_.bool_val(false);
    for (const auto& p : st.resources) any = any || entry_fits(p);
    return st.resource_scope == compile::ResourceScope::Listed ? any : !any;
  }
  z3::expr entry_fits(const compile::ResourcePattern& p) {
    if (p.any) return ctx_.bool_val(true);
    if (s_.resource_wildcard_crosses_colon) {
      auto re = glob(p.whole);
      return re ? z3::in_re(resource_, *re) : havoc("a resource pattern with a policy variable");
    }
    // Parts 1-4 of the request's ARN are the prefix's, fixed: decided here, without the solver.
    eval::Request sample;
    sample.set_resource(sp_.resource_prefix + "k");
    for (std::size_t i = 0; i < 4; ++i)
      if (p.parts[i].match(sample.resource_parts[i + 1], false, nullptr) != compile::MatchResult::Match)
        return ctx_.bool_val(false);
    const std::string head(sample.resource.substr(0, sample.resource.size() - sample.resource_parts[5].size()));
    const std::string fixed_part = sp_.resource_prefix.substr(head.size());
    auto re = glob(p.parts[4]);
    return re ? z3::in_re(ctx_.string_val(fixed_part) + key_, *re) : havoc("a resource pattern with a policy variable");
  }

  // Does the statement's Principal/NotPrincipal admit the caller?
  z3::expr principal_admits(const CompiledStatement& st) {
    if (!st.principal.present) return ctx_.bool_val(true);
    if (st.principal.negated) return havoc("NotPrincipal");
    return names_caller(st.principal, st.effect == compile::Effect::Deny);
  }

  z3::expr applies(const CompiledStatement& st) {
    z3::expr all = resource_fits(st) && principal_admits(st);
    for (const auto& c : st.conditions) all = all && condition(c);
    return all;
  }

  // Adds the policy's applicable Deny statements to `deny`, and its Allows to `allow`.
  void scan(const eval::AttachedPolicy& attached, z3::expr& deny, z3::expr* allow) {
    const std::string lower = ascii_lowered(sp_.action);
    for (const auto& st : attached.policy->statements) {
      if (!eval::action_matches(st, sp_.action, lower)) continue;
      if (st.effect == compile::Effect::Deny)
        deny = deny || applies(st);
      else if (allow)
        *allow = *allow || applies(st);
    }
  }

  bool rcp_applies(const eval::PolicySet& set) const {
    if (set.rcp.empty() || sp_.resource_in_management_account) return false;  // R4
    const std::string lower = ascii_lowered(sp_.action);
    const std::string service = lower.substr(0, lower.find(':'));
    for (const auto& sv : s_.rcp_services)
      if (ascii_lowered(sv) == service) return true;
    return false;  // R5
  }

  // ---- the request a model describes -----------------------------------------------------
  std::string text(const z3::model& m, const z3::expr& e) { return m.eval(e, true).get_string(); }

  eval::Request witness(const z3::model& m) {
    eval::Request r;
    std::string error;
    const std::string arn = text(m, arn_);
    auto who = eval::parse_principal(arn, error);
    if (!who) throw EngineDisagreement("the proof engine built a principal iamsim cannot read: " + arn + ": " + error);
    r.principal = *who;
    r.set_action(sp_.action);
    r.set_resource(sp_.resource_prefix + text(m, key_));
    r.resource_account = sp_.resource_account;
    r.resource_in_management_account = sp_.resource_in_management_account;
    for (const auto& e : sp_.fixed.entries()) r.context.set(e);
    for (const auto& [k, t] : keys_) {
      if (sp_.fixed.find(k)) continue;
      if (!m.eval(t.present, true).is_true()) continue;
      std::string v = text(m, t.value);
      const std::string& name = written_.at(k);
      if (multivalued_key(k)) {
        r.context.set(name, std::vector<std::string>{v}, true);
        continue;
      }
      r.context.set(name, std::move(v));
    }
    // Keys every request carries, when no policy tested them: values AWS would send.
    if (!r.context.has("aws:securetransport")) r.context.set("aws:SecureTransport", "true");
    if (sp_.origin == Origin::Internet && !r.context.has("aws:sourceip")) r.context.set("aws:SourceIp", "203.0.113.7");
    r.fill_derived_keys();
    return r;
  }

  const OutsiderSpace& sp_;
  const Semantics& s_;
  z3::context ctx_;
  z3::expr account_, name_, path_, session_, key_;
  z3::expr arn_{ctx_}, resource_{ctx_};
  z3::expr_vector constraints_;
  std::map<std::string, KeyTerm> keys_;
  std::map<std::string, std::string> written_;
  std::set<std::string> havoc_reasons_;
  unsigned havoc_count_ = 0;
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

Search find_allowed_request(const OutsiderSpace& space, const eval::PolicySet& set, const Semantics& semantics,
                            std::chrono::milliseconds timeout) {
  Encoder encoder(space, semantics);
  return encoder.solve(set, semantics, timeout);
}

}  // namespace iamsim::prove
