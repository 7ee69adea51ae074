// Stage: contract (docs/eval-contract.md). Reads a request with simdjson's on-demand parser: fields
// are read in place, and each policy document is taken as its raw text, which is both the
// cache key and what the policy parser reads on a miss.
#include "engine/contract/eval_request.hpp"

#include <algorithm>

#include <boost/container/small_vector.hpp>

#include "engine/assert.hpp"
#include "engine/syntax/arn.hpp"
#include "engine/syntax/json_errors.hpp"
#include "engine/syntax/parse_policy.hpp"
#include "engine/text.hpp"

namespace iamsim::contract {

struct ReaderMemory::State {
  simdjson::ondemand::parser parser;
  std::string head;  // the fast path's copy of the text before "policies"
  compile::RecentPolicies recent;
  std::size_t fast_reads = 0;
};

ReaderMemory::ReaderMemory() : state_(std::make_unique<State>()) {}
ReaderMemory::~ReaderMemory() = default;
std::size_t ReaderMemory::fast_reads() const { return state_->fast_reads; }

namespace {

namespace od = simdjson::ondemand;
using compile::PolicyKind;

constexpr std::size_t max_request_string_bytes = 65536;

std::string_view type_name(od::json_type t) {
  switch (t) {
    case od::json_type::array: return "an array";
    case od::json_type::object: return "an object";
    case od::json_type::number: return "a number";
    case od::json_type::string: return "a string";
    case od::json_type::boolean: return "a boolean";
    case od::json_type::null: return "null";
  }
  unreachable();
}

struct PendingPolicy {
  enum class Slot { Identity, Boundary, Session, Resource, VpcEndpoint, Scp, Rcp } slot;
  std::size_t level = 0, index = 0;
  std::string_view raw;
  std::string pointer;
};

// Where the value of the first "policies" member starts (just after its ':'), or npos.
// Only a guess: a string that merely looks like the key makes the first read fail.
std::size_t policies_value_start(std::string_view text) {
  constexpr std::string_view key = "\"policies\"";
  for (std::size_t at = text.find(key); at != std::string_view::npos; at = text.find(key, at + 1)) {
    std::size_t colon = at + key.size();
    while (colon < text.size() &&
           (text[colon] == ' ' || text[colon] == '\t' || text[colon] == '\n' || text[colon] == '\r'))
      ++colon;
    if (colon < text.size() && text[colon] == ':') return colon + 1;
  }
  return std::string_view::npos;
}

class RequestReader {
 public:
  RequestReader(const SourceLocation& where, std::string_view text, compile::PolicyCache& cache,
                compile::RecentPolicies& recent, const eval::PolicySource& source, Diagnostics& diags, EvalJob& job)
      : where_(where), text_(text), cache_(cache), recent_(recent), source_(source), diags_(diags), job_(job) {}

  // Fills the job in place: an eval::Request has no cheap move (its resource parts are views).
  // simdjson reads json: the text itself, or with only_known_policies a copy of the text
  // cut at the value of "policies" and closed by "{}}". The policies are then read from the
  // text's own bytes and must all be known (read_known_policies), or the read fails.
  bool read(od::parser& parser, std::string_view json, std::size_t capacity, bool only_known_policies) {
    only_known_policies_ = only_known_policies;
    od::document doc;
    if (auto err = parser.iterate(json.data(), json.size(), capacity).get(doc)) return syntax_error(err, "");
    od::object obj;
    if (auto err = doc.get_object().get(obj)) {
      od::json_type t;
      if (err == simdjson::INCORRECT_TYPE && !doc.type().get(t))
        return fail("", "a request must be a JSON object, not " + std::string(type_name(t)));
      return syntax_error(err, "");
    }
    // At most the nine known fields: an unknown or repeated one ends the read.
    boost::container::small_vector<std::string_view, 9> seen;
    for (auto field_result : obj) {
      od::field field;
      if (auto err = std::move(field_result).get(field)) return syntax_error(err, "");
      std::string_view key;
      if (auto err = field.unescaped_key().get(key)) return syntax_error(err, "");
      const std::string ptr = syntax::json_pointer_escape(key);
      if (std::find(seen.begin(), seen.end(), key) != seen.end())
        return fail(ptr, "field \"" + std::string(key) + "\" is given twice");
      seen.push_back(key);
      od::value value = field.value();
      bool ok = true;
      if (key == "id")
        ok = read_string(value, ptr, job_.id), job_.has_id = ok;
      else if (key == "principal")
        ok = read_string(value, ptr, principal_), has_principal_ = ok;
      else if (key == "action")
        ok = read_string(value, ptr, action_), has_action_ = ok;
      else if (key == "resource")
        ok = read_string(value, ptr, resource_), has_resource_ = ok;
      else if (key == "resource_account")
        ok = read_string(value, ptr, resource_account_);
      else if (key == "context")
        ok = read_context(value, ptr);
      else if (key == "policies") {
        // Usually the last field: then known policies are read from the bytes, and the
        // request ends with them. json and the text agree up to here.
        const char* at = text_.data() + (value.raw_json_token().data() - json.data());
        if (read_known_policies(at, ptr)) return finish();
        if (only_known_policies) return false;
        ok = read_policies(value, ptr);
      } else if (key == "principal_context")
        ok = read_flags(value, ptr, true);
      else if (key == "resource_context")
        ok = read_flags(value, ptr, false);
      else
        return fail(ptr, "unknown field \"" + std::string(key) +
                             "\" (expected id, principal, action, resource, resource_account, context, policies, "
                             "principal_context, resource_context)");
      if (!ok) return false;
    }
    if (only_known_policies) return false;  // json ended before its policies
    // One object and nothing after it: every token must have been read.
    const char* trailing = nullptr;
    if (doc.current_location().get(trailing) != simdjson::OUT_OF_BOUNDS)
      return fail("", "unexpected text after the request object (one request per line)");
    return finish();
  }

 private:
  bool finish() {
    if (!has_principal_) return fail("", "missing field \"principal\"");
    if (!has_action_) return fail("", "missing field \"action\"");
    if (!has_resource_) return fail("", "missing field \"resource\"");
    eval::Request& r = job_.request;
    std::string error;
    auto principal = eval::parse_principal(principal_, error);
    if (!principal) return fail("/principal", error);
    r.principal = std::move(*principal);
    r.principal.management_account = management_account_;
    r.principal.service_linked_role = service_linked_role_;
    r.principal.unique_id = unique_id_;
    if (has_role_path_ && !set_role_path(r.principal)) return false;
    r.principal.has_boundary = has_boundary_;
    const auto colon = action_.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == action_.size() ||
        action_.find_first_of("*? ") != std::string::npos)
      return fail("/action", "\"" + action_ + "\" is not an action: expected service:ActionName without wildcards");
    r.set_action(action_);
    syntax::ArnError arn_error;
    auto arn = syntax::parse_arn(resource_, &arn_error);
    if (!arn) return fail("/resource", arn_error.message + "\n" + syntax::caret_line(resource_, arn_error.column));
    r.set_resource(resource_);
    // X6: the account field "aws" is AWS's namespace, no account: it never conflicts with
    // resource_account, and is never the resource's account.
    const std::string_view arn_account = syntax::is_aws_namespace(arn->account) ? "" : arn->account;
    if (!resource_account_.empty()) {
      if (!syntax::is_account_id(resource_account_))
        return fail("/resource_account", "\"" + resource_account_ + "\" is not a 12-digit account id");
      if (!arn_account.empty() && arn_account != resource_account_)
        return fail("/resource_account", "resource_account " + resource_account_ + " differs from the account " +
                                             std::string(arn->account) + " in the resource ARN");
      r.resource_account = resource_account_;
    } else {
      r.resource_account = arn_account;
    }
    r.resource_in_management_account = resource_management_account_;
    r.resource_is_aws_managed_key = aws_managed_key_;
    r.fill_derived_keys();
    if (!compile_policies()) return false;
    job_.policies = job_.layers.view();
    if (r.resource_account.empty() && !r.resource_owned_by_aws() && job_.layers.resource && r.principal.is_iam())
      job_.warnings.push_back({"eval.resource-account-assumed",
                               "resource_account is not given and the resource ARN names no account: the resource is "
                               "taken to be in the principal's account"});
    return true;
  }

  // P1: an assumed-role ARN does not carry its role's path; principal_context.role_path
  // states it, so the role ARN (and aws:PrincipalArn) are whole.
  bool set_role_path(eval::Principal& p) {
    const char* where = "/principal_context/role_path";
    if (p.kind != eval::PrincipalKind::RoleSession || !p.session_known)
      return fail(where, "role_path is for an assumed-role principal: a role ARN carries its own path");
    // An IAM path (Q4): starts and ends with '/', printable ASCII, at most 512 characters.
    const bool iam_path = role_path_.size() <= 512 && role_path_.starts_with('/') && role_path_.ends_with('/') &&
                          std::all_of(role_path_.begin(), role_path_.end(), [](char c) { return c > ' ' && c < 127; });
    if (!iam_path) return fail(where, "\"" + role_path_ + "\" is not an IAM path: it starts and ends with '/'");
    p.role_arn = "arn:" + p.partition + ":iam::" + p.account + ":role" + role_path_ + p.name;
    p.role_path_known = true;
    return true;
  }

  bool compile_policies() {
    const auto resource_kind = eval::resource_policy_kind(job_.request);
    SourceLocation origin = where_;  // one for all: a hit reads none of it
    job_.owned.reserve(pending_.size());
    for (auto& p : pending_) {
      PolicyKind kind = PolicyKind::Identity;
      switch (p.slot) {
        case PendingPolicy::Slot::Identity: kind = PolicyKind::Identity; break;
        case PendingPolicy::Slot::Boundary: kind = PolicyKind::Boundary; break;
        case PendingPolicy::Slot::Session: kind = PolicyKind::Session; break;
        case PendingPolicy::Slot::VpcEndpoint: kind = PolicyKind::VpcEndpoint; break;
        case PendingPolicy::Slot::Scp: kind = PolicyKind::Scp; break;
        case PendingPolicy::Slot::Rcp: kind = PolicyKind::Rcp; break;
        case PendingPolicy::Slot::Resource:
          kind = resource_kind == eval::ResourcePolicyKind::RoleTrust ? PolicyKind::RoleTrust
                 : resource_kind == eval::ResourcePolicyKind::KmsKey  ? PolicyKind::KmsKey
                                                                      : PolicyKind::Resource;
          break;
      }
      origin.pointer = p.pointer;
      Diagnostics policy_diagnostics;
      auto cached = cache_.get(p.raw, kind, origin, policy_diagnostics, &recent_);
      if (!cached) {
        failed_ = true;
        // Malformed JSON inside a policy: name the line and column within the request.
        bool malformed = false;
        for (const auto& d : policy_diagnostics.items()) malformed |= d.code == "json.syntax";
        if (malformed && !json_syntax_detail().empty())
          syntax_error(simdjson::TAPE_ERROR, p.pointer);
        else
          diags_.append(policy_diagnostics);
        continue;
      }
      const eval::AttachedPolicy attached{cached->policy.get(), &source_};
      job_.owned.push_back({std::move(cached), std::move(p.pointer)});
      auto& ps = job_.layers;
      switch (p.slot) {
        case PendingPolicy::Slot::Identity: ps.identity.push_back(attached); break;
        case PendingPolicy::Slot::Boundary: ps.boundary = attached; break;
        case PendingPolicy::Slot::Session: ps.session = attached; break;
        case PendingPolicy::Slot::Resource: ps.resource = attached; break;
        case PendingPolicy::Slot::VpcEndpoint: ps.vpc_endpoint = attached; break;
        case PendingPolicy::Slot::Scp: (*ps.scp)[p.level].push_back(attached); break;
        case PendingPolicy::Slot::Rcp: ps.rcp[p.level].push_back(attached); break;
      }
    }
    return !failed_;
  }

  bool read_string(od::value& v, const std::string& ptr, std::string& out) {
    std::string_view s;
    if (auto err = v.get_string().get(s)) return type_error(v, err, ptr, "a string");
    if (s.size() > max_request_string_bytes) {
      fail(ptr, "string of " + std::to_string(s.size()) + " bytes is longer than the " +
                    std::to_string(max_request_string_bytes) + "-byte limit");
      return false;
    }
    out.assign(s);
    return true;
  }

  bool read_bool(od::value& v, const std::string& ptr, bool& out) {
    if (auto err = v.get_bool().get(out)) return type_error(v, err, ptr, "true or false");
    return true;
  }

  bool type_error(od::value& v, simdjson::error_code err, const std::string& ptr, std::string_view expected) {
    od::json_type t;
    // A misspelled literal (tru, nul) looks like a type error to simdjson; it is a syntax error.
    if (err == simdjson::INCORRECT_TYPE && !v.type().get(t) && json_syntax_detail().empty())
      fail(ptr, "expected " + std::string(expected) + ", not " + std::string(type_name(t)));
    else
      syntax_error(err, ptr);
    return false;
  }

  // A context value: a string, number, boolean, or an array of those (docs/eval-contract.md).
  bool read_scalar(od::value& v, const std::string& ptr, std::string& out) {
    od::json_type t;
    if (auto err = v.type().get(t)) return syntax_error(err, ptr), false;
    switch (t) {
      case od::json_type::string: return read_string(v, ptr, out);
      case od::json_type::boolean: {
        bool b = false;
        if (!read_bool(v, ptr, b)) return false;
        out = b ? "true" : "false";
        return true;
      }
      case od::json_type::number: {
        double check = 0;
        if (auto err = v.get_double().get(check)) return syntax_error(err, ptr), false;
        std::string_view token = v.raw_json_token();
        while (!token.empty() &&
               (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' || token.back() == '\t'))
          token.remove_suffix(1);
        out.assign(token);
        return true;
      }
      default:
        // A misspelled literal (nul) shows up as a type; it is a syntax error.
        if (!json_syntax_detail().empty()) return syntax_error(simdjson::TAPE_ERROR, ptr), false;
        fail(ptr,
             "a context value must be a string, number, boolean or an array of them, not " + std::string(type_name(t)));
        return false;
    }
  }

  bool read_context(od::value& v, const std::string& ptr) {
    od::object obj;
    if (auto err = v.get_object().get(obj)) return type_error(v, err, ptr, "an object of condition keys");
    std::string kptr;  // one buffer for every key's pointer
    for (auto field_result : obj) {
      od::field field;
      if (auto err = std::move(field_result).get(field)) return syntax_error(err, ptr), false;
      std::string_view key;
      if (auto err = field.unescaped_key().get(key)) return syntax_error(err, ptr), false;
      kptr.assign(ptr).append(syntax::json_pointer_escape(key));
      if (key.empty()) return fail(kptr, "a context key cannot be empty"), false;
      if (key.size() > max_request_string_bytes)
        return fail(ptr, "a context key of " + std::to_string(key.size()) + " bytes is longer than the " +
                             std::to_string(max_request_string_bytes) + "-byte limit"),
               false;
      if (job_.request.context.has(key))
        return fail(kptr, "context key \"" + std::string(key) + "\" is given twice (keys are case-insensitive, C3)"),
               false;
      od::value value = field.value();  // key stays valid: simdjson unescapes strings one after another
      od::json_type t;
      if (auto err = value.type().get(t)) return syntax_error(err, kptr), false;
      std::vector<std::string> values;
      if (t == od::json_type::array) {
        od::array arr;
        if (auto err = value.get_array().get(arr)) return syntax_error(err, kptr), false;
        std::size_t i = 0;
        for (auto item_result : arr) {
          od::value item;
          if (auto err = std::move(item_result).get(item)) return syntax_error(err, kptr), false;
          std::string s;
          if (!read_scalar(item, kptr + "/" + std::to_string(i++), s)) return false;
          values.push_back(std::move(s));
        }
        job_.request.context.set(key, std::move(values), true);
      } else {
        values.emplace_back();
        if (!read_scalar(value, kptr, values.back())) return false;
        job_.request.context.set(key, std::move(values), false);
      }
    }
    return true;
  }

  // The policy layers and how each is given: an array of policies, one policy, or an array
  // of levels, each an array of policies (docs/eval-contract.md).
  using S = PendingPolicy::Slot;
  enum class Shape { List, Single, Levels };
  struct LayerName {
    std::string_view key;
    S slot;
    Shape shape;
  };
  static constexpr LayerName layer_names[] = {{"identity", S::Identity, Shape::List},
                                              {"boundary", S::Boundary, Shape::Single},
                                              {"session", S::Session, Shape::Single},
                                              {"resource", S::Resource, Shape::Single},
                                              {"scp", S::Scp, Shape::Levels},
                                              {"rcp", S::Rcp, Shape::Levels},
                                              {"vpc_endpoint", S::VpcEndpoint, Shape::Single}};
  static const LayerName* find_layer(std::string_view key) {
    for (const auto& l : layer_names)
      if (l.key == key) return &l;
    return nullptr;
  }

  // What a layer, a level and a policy add to the job. Both readers of the policies object
  // (read_policies and read_known_policies) go through these.
  void begin_layer(const LayerName& layer) {
    if (layer.slot == S::Boundary) has_boundary_ = true;
    if (layer.slot == S::Scp) job_.layers.scp.emplace();
  }
  void begin_level(const LayerName& layer) {
    if (layer.slot == S::Scp)
      job_.layers.scp->emplace_back();
    else
      job_.layers.rcp.emplace_back();
  }
  void end_level(const LayerName& layer, std::size_t level, std::size_t policies) {
    if (layer.slot == S::Scp && policies == 0)
      job_.warnings.push_back(
          {"eval.empty-scp-level", "SCP level " + std::to_string(level) +
                                       " has no policies: nothing at that level allows (S4 requires at least one)"});
  }
  // Where a policy is: its JSON pointer in the request. (Results name it by its place,
  // "identity[0]", from the layer and position the decision records.)
  static std::string policy_pointer(const LayerName& layer, const std::string& kptr, std::size_t level,
                                    std::size_t index) {
    std::string out;
    out.reserve(kptr.size() + 24);  // one allocation: every request has these
    out += kptr;
    if (layer.shape == Shape::Levels) out += "/" + std::to_string(level);
    if (layer.shape != Shape::Single) out += "/" + std::to_string(index);
    return out;
  }
  void add_policy(const LayerName& layer, std::string pointer, std::size_t level, std::size_t index,
                  std::string_view raw) {
    pending_.push_back({layer.slot, level, index, raw, std::move(pointer)});
  }

  // A policy document: its raw text (up to the next token) is compiled in finish().
  bool read_document(od::value& v, const LayerName& layer, const std::string& kptr, std::size_t level,
                     std::size_t index) {
    std::string ptr = policy_pointer(layer, kptr, level, index);
    od::object obj;
    if (auto err = v.get_object().get(obj)) return type_error(v, err, ptr, "a policy document (an object)");
    std::string_view raw;
    if (auto err = obj.raw_json().get(raw)) return syntax_error(err, ptr), false;
    add_policy(layer, std::move(ptr), level, index, raw);
    return true;
  }

  bool read_levels(od::value& v, const LayerName& layer, const std::string& kptr) {
    od::array levels;
    if (auto err = v.get_array().get(levels))
      return type_error(v, err, kptr, "an array of levels, each an array of policies");
    std::size_t level = 0;
    for (auto level_result : levels) {
      od::value level_value;
      if (auto err = std::move(level_result).get(level_value)) return syntax_error(err, kptr), false;
      const std::string lptr = kptr + "/" + std::to_string(level);
      od::array docs;
      if (auto err = level_value.get_array().get(docs))
        return type_error(level_value, err, lptr, "an array of policies");
      begin_level(layer);
      std::size_t index = 0;
      for (auto doc_result : docs) {
        od::value doc;
        if (auto err = std::move(doc_result).get(doc)) return syntax_error(err, lptr), false;
        if (!read_document(doc, layer, kptr, level, index)) return false;
        ++index;
      }
      end_level(layer, level, index);
      ++level;
    }
    return true;
  }

  bool read_policies(od::value& v, const std::string& ptr) {
    od::object obj;
    if (auto err = v.get_object().get(obj)) return type_error(v, err, ptr, "an object of policy layers");
    std::vector<std::string> seen;
    for (auto field_result : obj) {
      od::field field;
      if (auto err = std::move(field_result).get(field)) return syntax_error(err, ptr), false;
      std::string_view key;
      if (auto err = field.unescaped_key().get(key)) return syntax_error(err, ptr), false;
      const std::string kptr = ptr + syntax::json_pointer_escape(key);
      if (std::find(seen.begin(), seen.end(), key) != seen.end())
        return fail(kptr, "layer \"" + std::string(key) + "\" is given twice"), false;
      seen.emplace_back(key);
      od::value value = field.value();
      const LayerName* layer = find_layer(key);
      if (!layer)
        return fail(kptr, "unknown policy layer \"" + std::string(key) +
                              "\" (expected identity, boundary, session, resource, scp, rcp, vpc_endpoint)"),
               false;
      begin_layer(*layer);
      if (layer->shape == Shape::Levels) {
        if (!read_levels(value, *layer, kptr)) return false;
      } else if (layer->shape == Shape::Single) {
        if (!read_document(value, *layer, kptr, 0, 0)) return false;
      } else {
        od::array arr;
        if (auto err = value.get_array().get(arr)) return type_error(value, err, kptr, "an array of policies");
        std::size_t i = 0;
        for (auto item_result : arr) {
          od::value item;
          if (auto err = std::move(item_result).get(item)) return syntax_error(err, kptr), false;
          if (!read_document(item, *layer, kptr, 0, i)) return false;
          ++i;
        }
      }
    }
    return true;
  }

  // The policies object when it is the request's last field and every policy in it is a
  // text this thread compiled recently, as in a batch that repeats its policies. Reading
  // it from the bytes, a known policy's end is found by comparing it with the known text,
  // where simdjson would walk each of its tokens. p: the object's first byte. Anything
  // else (a new text, an escaped or repeated key, a problem to report) returns false with
  // the job as it was, and read_policies reads the object the usual way.
  bool read_known_policies(const char* p, const std::string& ptr) {
    const char* const end = text_.data() + text_.size();
    auto skip_space = [&] {
      while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) ++p;
    };
    auto eat = [&](char c) {
      skip_space();
      if (p == end || *p != c) return false;
      ++p;
      return true;
    };
    // A known policy, and the space after it: raw_json's view includes it. When there is
    // no more space than the known text has, raw is the cache's copy, which the cache
    // recognizes without comparing.
    auto document = [&](std::string_view& raw) {
      skip_space();
      const std::string_view known = recent_.prefix_of(std::string_view(p, static_cast<std::size_t>(end - p)));
      if (known.empty()) return false;
      const char* start = p;
      p += known.size();
      skip_space();
      raw = p == start + known.size() ? known : std::string_view(start, static_cast<std::size_t>(p - start));
      return true;
    };
    // Elements of an array, after its '[': each read by element(), which returns false to
    // give up.
    auto elements = [&](auto&& element) {
      if (eat(']')) return true;
      do {
        if (!element()) return false;
      } while (eat(','));
      return eat(']');
    };
    auto read_layer = [&](const LayerName& layer, const std::string& kptr) {
      std::string_view raw;
      if (layer.shape == Shape::Single) {
        if (!document(raw)) return false;
        add_policy(layer, policy_pointer(layer, kptr, 0, 0), 0, 0, raw);
        return true;
      }
      if (!eat('[')) return false;
      if (layer.shape == Shape::List) {
        std::size_t index = 0;
        return elements([&] {
          if (!document(raw)) return false;
          add_policy(layer, policy_pointer(layer, kptr, 0, index), 0, index, raw);
          ++index;
          return true;
        });
      }
      std::size_t level = 0;
      return elements([&] {
        if (!eat('[')) return false;
        begin_level(layer);
        std::size_t index = 0;
        if (!elements([&] {
              if (!document(raw)) return false;
              add_policy(layer, policy_pointer(layer, kptr, level, index), level, index, raw);
              ++index;
              return true;
            }))
          return false;
        end_level(layer, level, index);
        ++level;
        return true;
      });
    };
    auto read_object = [&] {
      if (!eat('{')) return false;
      if (eat('}')) return true;
      unsigned seen = 0;  // bit per layer_names entry
      do {
        if (!eat('"')) return false;
        const char* key_end = p;
        while (key_end < end && *key_end != '"' && *key_end != '\\') ++key_end;
        if (key_end == end || *key_end != '"') return false;
        const LayerName* layer = find_layer(std::string_view(p, static_cast<std::size_t>(key_end - p)));
        p = key_end + 1;
        if (!layer || !eat(':')) return false;
        const unsigned bit = 1u << (layer - layer_names);
        if (seen & bit) return false;
        seen |= bit;
        begin_layer(*layer);
        std::string kptr = ptr;
        kptr += '/';
        kptr += layer->key;
        if (!read_layer(*layer, kptr)) return false;
      } while (eat(','));
      return eat('}');
    };
    // The request object must end right after it.
    if (read_object() && eat('}') && (skip_space(), p == end)) return true;
    // "policies" is read once, so what the job held before it is nothing.
    pending_.clear();
    job_.layers.scp.reset();
    job_.layers.rcp.clear();
    job_.warnings.clear();
    has_boundary_ = false;
    return false;
  }

  bool read_flags(od::value& v, const std::string& ptr, bool principal_side) {
    od::object obj;
    if (auto err = v.get_object().get(obj)) return type_error(v, err, ptr, "an object");
    for (auto field_result : obj) {
      od::field field;
      if (auto err = std::move(field_result).get(field)) return syntax_error(err, ptr), false;
      std::string_view key;
      if (auto err = field.unescaped_key().get(key)) return syntax_error(err, ptr), false;
      const std::string kptr = ptr + syntax::json_pointer_escape(key);
      od::value value = field.value();
      bool ok = true;
      if (principal_side && key == "management_account")
        ok = read_bool(value, kptr, management_account_);
      else if (principal_side && key == "service_linked_role")
        ok = read_bool(value, kptr, service_linked_role_);
      else if (principal_side && key == "unique_id")
        ok = read_string(value, kptr, unique_id_);
      else if (principal_side && key == "role_path")
        ok = read_string(value, kptr, role_path_) && (has_role_path_ = true);
      else if (!principal_side && key == "management_account")
        ok = read_bool(value, kptr, resource_management_account_);
      else if (!principal_side && key == "aws_managed_key")
        ok = read_bool(value, kptr, aws_managed_key_);
      else
        return fail(kptr, "unknown field \"" + std::string(key) + "\" (expected " +
                              (principal_side ? "management_account, service_linked_role, unique_id, role_path"
                                              : "management_account, aws_managed_key") +
                              ")"),
               false;
      if (!ok) return false;
    }
    return true;
  }

  // Where the text stops being JSON ("line L, column C: what"), or "". Not looked for in a
  // first read of only the known policies: a failed one is read again, and that read tells.
  std::string json_syntax_detail() const {
    return only_known_policies_ ? std::string() : syntax::describe_json_syntax_error(text_, where_.line);
  }

  bool fail(const std::string& pointer, std::string message) {
    SourceLocation w = where_;
    w.pointer = pointer;
    diags_.error("eval.input", w, std::move(message));
    return false;
  }

  bool syntax_error(simdjson::error_code err, const std::string& pointer) {
    std::string detail = json_syntax_detail();
    if (detail.empty()) detail = simdjson::error_message(err);
    SourceLocation w = where_;
    w.pointer = pointer;
    diags_.error("json.syntax", w, "not valid JSON: " + syntax::printable_utf8(detail));
    return false;
  }

  const SourceLocation& where_;
  std::string_view text_;
  compile::PolicyCache& cache_;
  compile::RecentPolicies& recent_;
  const eval::PolicySource& source_;
  Diagnostics& diags_;
  EvalJob& job_;
  std::string principal_, action_, resource_, resource_account_, unique_id_, role_path_;
  bool has_role_path_ = false;
  bool has_principal_ = false, has_action_ = false, has_resource_ = false, has_boundary_ = false;
  bool management_account_ = false, service_linked_role_ = false;
  bool resource_management_account_ = false, aws_managed_key_ = false;
  bool failed_ = false;
  bool only_known_policies_ = false;
  boost::container::small_vector<PendingPolicy, 8> pending_;
};

}  // namespace

bool read_eval_request(std::string_view text, std::size_t capacity, const SourceLocation& where,
                       compile::PolicyCache& cache, const eval::PolicySource& source, ReaderMemory& memory,
                       Diagnostics& diagnostics, EvalJob& job, ReadPath path) {
  auto& state = memory.state();
  if (const std::size_t at = path == ReadPath::FastFirst ? policies_value_start(text) : std::string_view::npos;
      at != std::string_view::npos) {
    std::string& head = state.head;
    head.assign(text, 0, at);
    head += "{}}";
    const std::size_t size = head.size();
    head.append(simdjson::SIMDJSON_PADDING, ' ');
    Diagnostics unused;
    if (RequestReader(where, text, cache, state.recent, source, unused, job)
            .read(state.parser, {head.data(), size}, head.size(), true)) {
      ++state.fast_reads;
      return true;
    }
    job = EvalJob();
  }
  return RequestReader(where, text, cache, state.recent, source, diagnostics, job)
      .read(state.parser, text, capacity, false);
}

std::optional<EvalJob> read_eval_request(std::string_view text, std::size_t capacity, const SourceLocation& where,
                                         compile::PolicyCache& cache, const eval::PolicySource& source,
                                         ReaderMemory& memory, Diagnostics& diagnostics, ReadPath path) {
  std::optional<EvalJob> job(std::in_place);
  if (!read_eval_request(text, capacity, where, cache, source, memory, diagnostics, *job, path)) job.reset();
  return job;
}

}  // namespace iamsim::contract
