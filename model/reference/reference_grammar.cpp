// Stage: model (reference). The one Spirit X3 grammar for principal references, actions,
// resources and the one-line expectation form. Every alternative commits after its first
// keyword (`>`), so a failure names what was expected at the exact column.
#include <boost/spirit/home/x3.hpp>
#include <functional>

#include "model/reference/reference.hpp"

namespace iamsim::model {
namespace {

namespace x3 = boost::spirit::x3;

// What the semantic actions fill in while a parse runs.
struct Out {
  PrincipalRef principal;
  Expect expect = Expect::Allow;
  std::string action;
  std::string resource;
  bool key_may_hold_spaces = false;  // true when the whole input is one resource
  std::string property_key;          // the session property whose value is read next
};
struct out_tag;

template <class Ctx>
Out& out(Ctx& ctx) {
  return x3::get<out_tag>(ctx).get();
}
template <class Range>
std::string text_of(const Range& r) {
  return std::string(r.begin(), r.end());
}

// A named rule: its name is what an error says was expected.
template <class Parser>
auto named(const char* name, Parser p) {
  return x3::rule<struct named_rule_id>{name} = p;
}

using x3::char_;
using x3::eoi;
using x3::eps;
using x3::lit;
using x3::raw;
// ASCII classes as character sets: x3's own (alnum, digit, ...) call <cctype>, which is
// undefined for a byte above 0x7f (a debug build asserts), and any byte may reach a reference.
auto const alnum = char_("a-zA-Z0-9");
auto const digit = char_("0-9");
auto const lower = char_("a-z");
auto const blank = char_(" \t");
using x3::repeat;

// --- semantic actions -------------------------------------------------------------------
auto const set_cluster = [](auto& ctx) { out(ctx).principal.cluster = text_of(x3::_attr(ctx)); };
auto const set_namespace = [](auto& ctx) { out(ctx).principal.namespace_name = text_of(x3::_attr(ctx)); };
auto const set_name = [](auto& ctx) { out(ctx).principal.name = text_of(x3::_attr(ctx)); };
auto const set_node_group = [](auto& ctx) { out(ctx).principal.node_group = text_of(x3::_attr(ctx)); };
auto const kind_sa = [](auto& ctx) { out(ctx).principal.kind = PrincipalRef::Kind::ServiceAccount; };
auto const kind_workload = [](auto& ctx) { out(ctx).principal.kind = PrincipalRef::Kind::Workload; };
auto const kind_anonymous = [](auto& ctx) { out(ctx).principal.kind = PrincipalRef::Kind::Anonymous; };
auto const set_arn = [](auto& ctx) {
  auto& p = out(ctx).principal;
  p.kind = PrincipalRef::Kind::Arn;
  p.arn = text_of(x3::_attr(ctx));
};
auto const push_chain = [](auto& ctx) { out(ctx).principal.chain.emplace_back(text_of(x3::_attr(ctx))); };
auto const kind_service = [](auto& ctx) {
  auto& p = out(ctx).principal;
  p.kind = PrincipalRef::Kind::Service;
  p.name = text_of(x3::_attr(ctx));
  // A service principal is a host name of AWS's (P1): name.amazonaws.com[.cn].
  x3::_pass(ctx) = p.name.ends_with(".amazonaws.com") || p.name.ends_with(".amazonaws.com.cn");
};
// Session properties of the last chain hop (T13): the key is kept until its value is read;
// each may be given once, tags and transitive keys repeat.
auto const set_property_key = [](auto& ctx) { out(ctx).property_key = text_of(x3::_attr(ctx)); };
auto const set_property_value = [](auto& ctx) {
  Out& o = out(ctx);
  ChainHop& hop = o.principal.chain.back();
  const std::string value = text_of(x3::_attr(ctx));
  auto once = [&](std::optional<std::string>& slot) {
    x3::_pass(ctx) = !slot.has_value();
    slot = value;
  };
  if (o.property_key == "external_id") {
    once(hop.external_id);
  } else if (o.property_key == "session_name") {
    once(hop.session_name);
  } else if (o.property_key == "source_identity") {
    once(hop.source_identity);
  } else if (o.property_key == "transitive") {
    hop.transitive.push_back(value);
  } else {  // tags=KEY:VALUE
    const auto colon = value.find(':');
    x3::_pass(ctx) = colon != std::string::npos && colon > 0 &&
                     hop.tags.emplace(value.substr(0, colon), value.substr(colon + 1)).second;
  }
};
auto const set_action = [](auto& ctx) { out(ctx).action = text_of(x3::_attr(ctx)); };
auto const set_expect = [](auto& ctx) { out(ctx).expect = x3::_attr(ctx); };
auto const set_resource = [](auto& ctx) { out(ctx).resource = text_of(x3::_attr(ctx)); };
auto const set_s3_bucket = [](auto& ctx) { out(ctx).resource = "arn:aws:s3:::" + text_of(x3::_attr(ctx)); };
auto const add_s3_key = [](auto& ctx) { out(ctx).resource += "/" + text_of(x3::_attr(ctx)); };
auto const spaces_allowed = [](auto& ctx) { x3::_pass(ctx) = out(ctx).key_may_hold_spaces; };

struct ExpectWords : x3::symbols<Expect> {
  ExpectWords() {
    add("allow", Expect::Allow)("deny", Expect::Deny)("explicit_deny", Expect::ExplicitDeny)("implicit_deny",
                                                                                             Expect::ImplicitDeny);
  }
};
ExpectWords const expect_words;

// --- lexical pieces ----------------------------------------------------------------------
auto const not_space = ~char_(" \t\r\n\v\f");
// Kubernetes and EKS names; '/' separates them, and a '-' that starts '->' is an arrow.
auto const segment = +(alnum | char_("._") | (char_('-') >> !lit('>')));
// IAM names: [\w+=,.@-]; a '-' that starts '->' belongs to a chain arrow instead.
auto const iam_char = alnum | char_("+=,.@_") | (char_('-') >> !lit('>'));
auto const iam_name = +iam_char;
auto const iam_path_name = iam_name >> *('/' >> iam_name);
auto const account_id = repeat(12)[digit];
auto const partition = (lit("aws-us-gov") | lit("aws-cn") | lit("aws")) >> &lit(':');
auto const word_end = !(alnum | char_("-_.:/"));

// --- principals --------------------------------------------------------------------------
auto const cluster_part = named("a cluster name", raw[segment][set_cluster]);
auto const namespace_part = named("'/' and a namespace", '/' >> raw[segment][set_namespace]);
auto const sa_name_part = named("'/' and a service account name", '/' >> raw[segment][set_name]);
auto const workload_name_part = named("'/' and a workload name", '/' >> raw[segment][set_name]);

// `@node:GROUP`: the pod on that node group, with the node role from instance metadata (K8).
auto const node_part = lit("@node:") > named("a node group name", raw[segment][set_node_group]);
auto const sa_ref = lit("sa:")[kind_sa] > cluster_part > namespace_part > sa_name_part > -node_part;
auto const workload_ref =
    lit("workload:")[kind_workload] > cluster_part > namespace_part > workload_name_part > -node_part;
auto const anonymous = (lit("anonymous") >> word_end)[kind_anonymous];

auto const partition_colon = named("a partition ('aws', 'aws-cn' or 'aws-us-gov') and ':'", partition >> ':');
auto const account_colon = named("a 12-digit account id and ':'", account_id >> ':');
auto const iam_identity = named("'user/NAME', 'role/NAME' or 'root'",
                                ((lit("user/") | lit("role/")) >> iam_path_name) | (lit("root") >> word_end));
auto const session_part =
    named("'assumed-role/ROLE/SESSION' or 'federated-user/NAME'",
          (lit("assumed-role/") >> iam_name >> '/' >> iam_name) | (lit("federated-user/") >> iam_name));
auto const iam_or_sts = named("'iam::' or 'sts::'", (lit("iam::") > account_colon > iam_identity) |
                                                        (lit("sts::") > account_colon > session_part));
auto const principal_arn = raw[lit("arn:") > partition_colon > iam_or_sts][set_arn];

auto const role_arn =
    named("a role ARN (arn:aws:iam::ACCOUNT:role/NAME)",
          raw[lit("arn:") >> partition >> lit(":iam::") >> account_id >> lit(":role/") >> iam_path_name][push_chain]);
auto const property_key =
    named("a session property (external_id, session_name, source_identity, tags, transitive)",
          lit("external_id") | lit("session_name") | lit("source_identity") | lit("tags") | lit("transitive"));
auto const property_value = named("a value", +(~char_(",}= \t\r\n")));
auto const property = named("KEY=VALUE (each once; tags=KEY:VALUE may repeat)",
                            raw[property_key][set_property_key] > '=' > raw[property_value][set_property_value]);
auto const hop_properties = '{' > (property % ',') > named("',' or '}'", lit('}'));
auto const chain_link = (*blank >> lit("->") >> *blank) > role_arn > -hop_properties;

auto const service_name = +(lower | digit | char_('.') | (char_('-') >> !lit('>')));
auto const service_principal = raw[service_name][kind_service] >> !(alnum | char_("_:/"));

auto const principal = named("'sa:', 'workload:', an ARN, a service principal or 'anonymous'",
                             (sa_ref | workload_ref | principal_arn | anonymous | service_principal) >> *chain_link);

// --- actions and resources ---------------------------------------------------------------
auto const action =
    named("an action like s3:GetObject", raw[+(lower | digit | '-') >> ':' >> +alnum >> word_end][set_action]);

auto const bucket =
    named("a bucket name (3-63 characters: a-z, 0-9, '.', '-')",
          raw[(lower | digit) >> repeat(2, 62)[lower | digit | char_(".-")] >> !(alnum | char_("-._"))][set_s3_bucket]);
auto const key_char = not_space | (blank >> eps[spaces_allowed]);
auto const s3_uri = lit("s3://") > bucket > -('/' >> raw[*key_char][add_s3_key]);

auto const service_colon = named("a service name and ':'", +(lower | digit | '-') >> ':');
auto const region_colon = named("a region (or nothing) and ':'", *(lower | digit | '-') >> ':');
auto const resource_account_colon =
    named("a 12-digit account id (or nothing) and ':'", (account_id | lit("aws") | eps) >> ':');
auto const resource_part = named("a resource name", +key_char);
auto const arn_resource = raw[lit("arn:") > partition_colon > service_colon > region_colon > resource_account_colon >
                              resource_part][set_resource];
auto const any_resource = (lit('*') >> &(blank | eoi))[([](auto& ctx) { out(ctx).resource = "*"; })];

auto const resource = named("a resource: an ARN, 's3://BUCKET[/KEY]' or '*'", s3_uri | arn_resource | any_resource);

auto const expect_word =
    named("'allow', 'deny', 'explicit_deny' or 'implicit_deny'", expect_words[set_expect] >> word_end);
auto const spaces = named("a space", +blank);
auto const end = *blank > named("the end of the text", eoi);

// --- running a parse ---------------------------------------------------------------------
std::string caret_display(std::string_view text, int column, const std::string& message) {
  std::string line(text);
  for (char& c : line)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return message + "\n  " + line + "\n  " + std::string(static_cast<std::size_t>(column - 1), ' ') + "^";
}

ReferenceError make_error(std::string_view text, const char* at, std::string message) {
  ReferenceError e;
  e.column = static_cast<int>(at - text.data()) + 1;
  e.message = std::move(message);
  e.display = caret_display(text, e.column, e.message);
  return e;
}

// Parses all of `text` with `grammar`; on failure, the error names the column.
template <class Grammar>
std::optional<ReferenceError> run(std::string_view text, Out& o, const Grammar& grammar) {
  const char* first = text.data();
  const char* last = text.data() + text.size();
  try {
    bool ok = x3::parse(first, last, x3::with<out_tag>(std::ref(o))[grammar]);
    if (ok) return std::nullopt;
    return make_error(text, first, "could not read this");
  } catch (const x3::expectation_failure<const char*>& f) {
    return make_error(text, f.where(), "expected " + f.which());
  }
}

// The grammar let through user, role, assumed-role, federated-user and root ARNs only.
void finish_principal(PrincipalRef& p) {
  if (p.kind != PrincipalRef::Kind::Arn) return;
  const auto arn = syntax::split_arn(p.arn);
  const auto named = arn ? syntax::principal_arn(*arn) : std::nullopt;
  if (!named) return;
  p.account_id = arn->account;
  p.arn_kind = named->kind;
}

template <class T>
ParseResult<T> failed(ReferenceError e) {
  ParseResult<T> r;
  r.error = std::move(e);
  return r;
}

}  // namespace

ParseResult<PrincipalRef> parse_principal_ref(std::string_view text) {
  Out o;
  if (auto e = run(text, o, *blank > principal > end)) return failed<PrincipalRef>(*e);
  finish_principal(o.principal);
  return {o.principal, {}};
}

ParseResult<std::string> parse_resource(std::string_view text) {
  // The whole text is one resource: spaces inside a key are kept, those around it are not.
  std::size_t b = text.find_first_not_of(" \t");
  std::size_t e = text.find_last_not_of(" \t");
  std::string_view trimmed = b == std::string_view::npos ? text.substr(text.size()) : text.substr(b, e - b + 1);
  Out o;
  o.key_may_hold_spaces = true;
  if (auto err = run(trimmed, o, eps > resource > end)) {
    err->column += static_cast<int>(trimmed.data() - text.data());
    err->display = caret_display(text, err->column, err->message);
    return failed<std::string>(*err);
  }
  return {o.resource, {}};
}

ParseResult<std::string> parse_action(std::string_view text) {
  Out o;
  if (auto e = run(text, o, *blank > action > end)) return failed<std::string>(*e);
  return {o.action, {}};
}

ParseResult<Expect> parse_expect(std::string_view text) {
  Out o;
  if (auto e = run(text, o, *blank > expect_word > end)) return failed<Expect>(*e);
  return {o.expect, {}};
}

ParseResult<ExpectationLine> parse_expectation_line(std::string_view text) {
  Out o;
  auto const line = *blank > expect_word > spaces > principal > spaces > action > spaces > resource > end;
  if (auto e = run(text, o, line)) return failed<ExpectationLine>(*e);
  finish_principal(o.principal);
  return {ExpectationLine{o.expect, o.principal, o.action, o.resource}, {}};
}

std::string to_string(Expect e) {
  switch (e) {
    case Expect::Allow: return "allow";
    case Expect::Deny: return "deny";
    case Expect::ExplicitDeny: return "explicit_deny";
    case Expect::ImplicitDeny: return "implicit_deny";
  }
  return "allow";
}

std::string to_string(const PrincipalRef& r) {
  std::string s;
  switch (r.kind) {
    case PrincipalRef::Kind::ServiceAccount: s = "sa:" + r.cluster + "/" + r.namespace_name + "/" + r.name; break;
    case PrincipalRef::Kind::Workload: s = "workload:" + r.cluster + "/" + r.namespace_name + "/" + r.name; break;
    case PrincipalRef::Kind::Arn: s = r.arn; break;
    case PrincipalRef::Kind::Anonymous: s = "anonymous"; break;
    case PrincipalRef::Kind::Service: s = r.name; break;
  }
  if (!r.node_group.empty()) s += "@node:" + r.node_group;
  for (const auto& hop : r.chain) {
    s += " -> " + hop.role_arn;
    if (!hop.has_properties()) continue;
    std::string props;
    auto add = [&](std::string_view key, const std::string& value) {
      props += (props.empty() ? "" : ",") + std::string(key) + "=" + value;
    };
    if (hop.external_id) add("external_id", *hop.external_id);
    if (hop.session_name) add("session_name", *hop.session_name);
    if (hop.source_identity) add("source_identity", *hop.source_identity);
    for (const auto& [k, v] : hop.tags) add("tags", k + ":" + v);
    for (const auto& k : hop.transitive) add("transitive", k);
    s += "{" + props + "}";
  }
  return s;
}

std::string to_string(const ExpectationLine& e) {
  return to_string(e.expect) + " " + to_string(e.principal) + " " + e.action + " " + e.resource_arn;
}

}  // namespace iamsim::model
