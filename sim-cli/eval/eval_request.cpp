// Stage: syntax (eval contract). Reads a request with simdjson's on-demand parser: fields
// are read in place, and each policy document is taken as its raw text, which is both the
// cache key and what the policy parser reads on a miss.
#include "sim-cli/eval/eval_request.hpp"

#include <algorithm>

#include "engine/syntax/arn.hpp"
#include "engine/syntax/json_errors.hpp"
#include "engine/syntax/parse_policy.hpp"
#include "engine/text.hpp"

namespace iamsim::cli {
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
  return "a value";
}

struct PendingPolicy {
  enum class Slot { Identity, Boundary, Session, Resource, VpcEndpoint, Scp, Rcp } slot;
  std::size_t level = 0, index = 0;
  std::string_view raw;
  std::string pointer;
  std::string name;
};

class RequestReader {
 public:
  RequestReader(const SourceLocation& where, std::string_view text, compile::PolicyCache& cache, Diagnostics& diags)
      : where_(where), text_(text), cache_(cache), diags_(diags) {}

  std::optional<EvalJob> read(od::parser& parser, std::size_t capacity) {
    od::document doc;
    if (auto err = parser.iterate(text_.data(), text_.size(), capacity).get(doc)) return syntax_error(err, "");
    od::object obj;
    if (auto err = doc.get_object().get(obj)) {
      od::json_type t;
      if (err == simdjson::INCORRECT_TYPE && !doc.type().get(t))
        return fail("", "a request must be a JSON object, not " + std::string(type_name(t)));
      return syntax_error(err, "");
    }
    std::vector<std::string_view> seen;
    for (auto field_result : obj) {
      od::field field;
      if (auto err = std::move(field_result).get(field)) return syntax_error(err, "");
      std::string_view key;
      if (auto err = field.unescaped_key().get(key)) return syntax_error(err, "");
      const std::string ptr = syntax::json_pointer_escape(key);
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) return fail(ptr, "field \"" + std::string(key) + "\" is given twice");
      seen.push_back(key);
      od::value value = field.value();
      bool ok = true;
      if (key == "id") ok = read_string(value, ptr, job_.id), job_.has_id = ok;
      else if (key == "principal") ok = read_string(value, ptr, principal_), has_principal_ = ok;
      else if (key == "action") ok = read_string(value, ptr, action_), has_action_ = ok;
      else if (key == "resource") ok = read_string(value, ptr, resource_), has_resource_ = ok;
      else if (key == "resource_account") ok = read_string(value, ptr, resource_account_);
      else if (key == "context") ok = read_context(value, ptr);
      else if (key == "policies") ok = read_policies(value, ptr);
      else if (key == "principal_context") ok = read_flags(value, ptr, true);
      else if (key == "resource_context") ok = read_flags(value, ptr, false);
      else
        return fail(ptr, "unknown field \"" + std::string(key) +
                             "\" (expected id, principal, action, resource, resource_account, context, policies, "
                             "principal_context, resource_context)");
      if (!ok) return std::nullopt;
    }
    // One object and nothing after it: every token must have been read.
    const char* trailing = nullptr;
    if (doc.current_location().get(trailing) != simdjson::OUT_OF_BOUNDS)
      return fail("", "unexpected text after the request object (one request per line)");
    return finish();
  }

 private:
  std::optional<EvalJob> finish() {
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
    if (!resource_account_.empty()) {
      if (resource_account_.size() != 12 || resource_account_.find_first_not_of("0123456789") != std::string::npos)
        return fail("/resource_account", "\"" + resource_account_ + "\" is not a 12-digit account id");
      if (!arn->account.empty() && arn->account != resource_account_)
        return fail("/resource_account", "resource_account " + resource_account_ + " differs from the account " +
                                             arn->account + " in the resource ARN");
      r.resource_account = resource_account_;
    } else {
      r.resource_account = arn->account;
    }
    r.resource_in_management_account = resource_management_account_;
    r.resource_is_aws_managed_key = aws_managed_key_;
    r.fill_derived_keys();
    if (!compile_policies()) return std::nullopt;
    if (r.resource_account.empty() && job_.policies.resource && r.principal.is_iam())
      job_.warnings.push_back("resource_account is not given and the resource ARN names no account: the resource is "
                              "taken to be in the principal's account");
    return std::move(job_);
  }

  bool compile_policies() {
    const auto resource_kind = eval::resource_policy_kind(job_.request);
    for (const auto& p : pending_) {
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
      SourceLocation origin = where_;
      origin.pointer = p.pointer;
      Diagnostics policy_diagnostics;
      auto cached = cache_.get(p.raw, kind, origin, policy_diagnostics);
      if (!cached) {
        failed_ = true;
        // Malformed JSON inside a policy: name the line and column within the request.
        bool malformed = false;
        for (const auto& d : policy_diagnostics.items()) malformed |= d.code == "json.syntax";
        if (malformed && !syntax::describe_json_syntax_error(text_, where_.line).empty())
          syntax_error(simdjson::TAPE_ERROR, p.pointer);
        else
          diags_.append(policy_diagnostics);
        continue;
      }
      eval::AttachedPolicy attached{cached->policy.get(), p.name, p.pointer, where_.file};
      job_.owned.push_back({std::move(cached), p.pointer});
      auto& ps = job_.policies;
      switch (p.slot) {
        case PendingPolicy::Slot::Identity: ps.identity.push_back(std::move(attached)); break;
        case PendingPolicy::Slot::Boundary: ps.boundary = std::move(attached); break;
        case PendingPolicy::Slot::Session: ps.session = std::move(attached); break;
        case PendingPolicy::Slot::Resource: ps.resource = std::move(attached); break;
        case PendingPolicy::Slot::VpcEndpoint: ps.vpc_endpoint = std::move(attached); break;
        case PendingPolicy::Slot::Scp: (*ps.scp)[p.level].push_back(std::move(attached)); break;
        case PendingPolicy::Slot::Rcp: ps.rcp[p.level].push_back(std::move(attached)); break;
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
    if (err == simdjson::INCORRECT_TYPE && !v.type().get(t) && syntax::describe_json_syntax_error(text_, where_.line).empty())
      fail(ptr, "expected " + std::string(expected) + ", not " + std::string(type_name(t)));
    else
      syntax_error(err, ptr);
    return false;
  }

  // A context value: a string, number, boolean, or an array of those (design.md 4).
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
        while (!token.empty() && (token.back() == ' ' || token.back() == '\n' || token.back() == '\r' || token.back() == '\t'))
          token.remove_suffix(1);
        out.assign(token);
        return true;
      }
      default:
        // A misspelled literal (nul) shows up as a type; it is a syntax error.
        if (!syntax::describe_json_syntax_error(text_, where_.line).empty()) return syntax_error(simdjson::TAPE_ERROR, ptr), false;
        fail(ptr, "a context value must be a string, number, boolean or an array of them, not " +
                      std::string(type_name(t)));
        return false;
    }
  }

  bool read_context(od::value& v, const std::string& ptr) {
    od::object obj;
    if (auto err = v.get_object().get(obj)) return type_error(v, err, ptr, "an object of condition keys");
    for (auto field_result : obj) {
      od::field field;
      if (auto err = std::move(field_result).get(field)) return syntax_error(err, ptr), false;
      std::string_view key;
      if (auto err = field.unescaped_key().get(key)) return syntax_error(err, ptr), false;
      const std::string kptr = ptr + syntax::json_pointer_escape(key);
      if (key.empty()) return fail(kptr, "a context key cannot be empty"), false;
      if (key.size() > max_request_string_bytes)
        return fail(ptr, "a context key of " + std::to_string(key.size()) + " bytes is longer than the " +
                             std::to_string(max_request_string_bytes) + "-byte limit"),
               false;
      if (job_.request.context.has(ascii_lowered(key)))
        return fail(kptr, "context key \"" + std::string(key) + "\" is given twice (keys are case-insensitive, C3)"), false;
      const std::string name(key);
      od::value value = field.value();
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
        job_.request.context.set(name, std::move(values), true);
      } else {
        std::string s;
        if (!read_scalar(value, kptr, s)) return false;
        job_.request.context.set(name, std::move(s));
      }
    }
    return true;
  }

  bool read_document(od::value& v, const std::string& ptr, PendingPolicy p) {
    od::object obj;
    if (auto err = v.get_object().get(obj)) return type_error(v, err, ptr, "a policy document (an object)");
    if (auto err = obj.raw_json().get(p.raw)) return syntax_error(err, ptr), false;
    p.pointer = ptr;
    pending_.push_back(std::move(p));
    return true;
  }

  bool read_levels(od::value& v, const std::string& ptr, PendingPolicy::Slot slot, const char* name) {
    od::array levels;
    if (auto err = v.get_array().get(levels)) return type_error(v, err, ptr, "an array of levels, each an array of policies");
    std::size_t level = 0;
    for (auto level_result : levels) {
      od::value level_value;
      if (auto err = std::move(level_result).get(level_value)) return syntax_error(err, ptr), false;
      const std::string lptr = ptr + "/" + std::to_string(level);
      od::array docs;
      if (auto err = level_value.get_array().get(docs)) return type_error(level_value, err, lptr, "an array of policies");
      auto& ps = job_.policies;
      if (slot == PendingPolicy::Slot::Scp) ps.scp->emplace_back();
      else ps.rcp.emplace_back();
      std::size_t index = 0;
      for (auto doc_result : docs) {
        od::value doc;
        if (auto err = std::move(doc_result).get(doc)) return syntax_error(err, lptr), false;
        const std::string label = std::string(name) + "[" + std::to_string(level) + "][" + std::to_string(index) + "]";
        if (!read_document(doc, lptr + "/" + std::to_string(index), {slot, level, index, {}, {}, label})) return false;
        ++index;
      }
      if (slot == PendingPolicy::Slot::Scp && index == 0)
        job_.warnings.push_back("SCP level " + std::to_string(level) +
                                " has no policies: nothing at that level allows (S4 requires at least one)");
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
      using S = PendingPolicy::Slot;
      if (key == "identity") {
        od::array arr;
        if (auto err = value.get_array().get(arr)) return type_error(value, err, kptr, "an array of policies");
        std::size_t i = 0;
        for (auto item_result : arr) {
          od::value item;
          if (auto err = std::move(item_result).get(item)) return syntax_error(err, kptr), false;
          if (!read_document(item, kptr + "/" + std::to_string(i), {S::Identity, 0, i, {}, {}, "identity[" + std::to_string(i) + "]"}))
            return false;
          ++i;
        }
      } else if (key == "boundary" || key == "session" || key == "resource" || key == "vpc_endpoint") {
        const S slot = key == "boundary" ? S::Boundary : key == "session" ? S::Session : key == "resource" ? S::Resource : S::VpcEndpoint;
        if (slot == S::Boundary) has_boundary_ = true;
        if (!read_document(value, kptr, {slot, 0, 0, {}, {}, std::string(key)})) return false;
      } else if (key == "scp") {
        job_.policies.scp.emplace();
        if (!read_levels(value, kptr, S::Scp, "scp")) return false;
      } else if (key == "rcp") {
        if (!read_levels(value, kptr, S::Rcp, "rcp")) return false;
      } else {
        return fail(kptr, "unknown policy layer \"" + std::string(key) +
                              "\" (expected identity, boundary, session, resource, scp, rcp, vpc_endpoint)"),
               false;
      }
    }
    return true;
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
      if (principal_side && key == "management_account") ok = read_bool(value, kptr, management_account_);
      else if (principal_side && key == "service_linked_role") ok = read_bool(value, kptr, service_linked_role_);
      else if (principal_side && key == "unique_id") ok = read_string(value, kptr, unique_id_);
      else if (!principal_side && key == "management_account") ok = read_bool(value, kptr, resource_management_account_);
      else if (!principal_side && key == "aws_managed_key") ok = read_bool(value, kptr, aws_managed_key_);
      else
        return fail(kptr, "unknown field \"" + std::string(key) + "\" (expected " +
                              (principal_side ? "management_account, service_linked_role, unique_id"
                                              : "management_account, aws_managed_key") + ")"),
               false;
      if (!ok) return false;
    }
    return true;
  }

  std::nullopt_t fail(const std::string& pointer, std::string message) {
    SourceLocation w = where_;
    w.pointer = pointer;
    diags_.error("eval.input", w, std::move(message));
    return std::nullopt;
  }

  std::nullopt_t syntax_error(simdjson::error_code err, const std::string& pointer) {
    std::string detail = syntax::describe_json_syntax_error(text_, where_.line);
    if (detail.empty()) detail = simdjson::error_message(err);
    SourceLocation w = where_;
    w.pointer = pointer;
    diags_.error("json.syntax", w, "not valid JSON: " + syntax::printable_utf8(detail));
    return std::nullopt;
  }

  const SourceLocation& where_;
  std::string_view text_;
  compile::PolicyCache& cache_;
  Diagnostics& diags_;
  EvalJob job_;
  std::string principal_, action_, resource_, resource_account_, unique_id_;
  bool has_principal_ = false, has_action_ = false, has_resource_ = false, has_boundary_ = false;
  bool management_account_ = false, service_linked_role_ = false;
  bool resource_management_account_ = false, aws_managed_key_ = false;
  bool failed_ = false;
  std::vector<PendingPolicy> pending_;
};

}  // namespace

std::optional<EvalJob> read_eval_request(std::string_view text, std::size_t capacity, const SourceLocation& where,
                                         compile::PolicyCache& cache, Diagnostics& diagnostics) {
  thread_local od::parser parser;
  return RequestReader(where, text, cache, diagnostics).read(parser, capacity);
}

std::vector<std::string> EvalJob::all_warnings() const {
  std::vector<std::string> out = warnings;
  for (const auto& o : owned)
    for (const auto& w : o.cached->warnings) out.push_back(w.message + " (at " + o.pointer + w.where.pointer + ")");
  return out;
}

}  // namespace iamsim::cli
