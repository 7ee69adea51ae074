// Stage: report. Command-line questions.
#include "sim-cli/commands/question.hpp"

#include <iostream>

#include <nlohmann/json.hpp>

#include "engine/catalog/aws_catalog.hpp"
#include "engine/syntax/values.hpp"
#include "sim-cli/render/terminal_text.hpp"

namespace iamsim::cli {

namespace {

// A key AWS does not know, or a value its type cannot read, is answered all the same (the
// value is then unreadable, E10): said, not silently accepted.
void warn_about_context_value(const std::string& key, const std::vector<std::string>& values) {
  const auto& catalog = catalog::Catalog::aws();
  const catalog::ConditionKey* known = catalog.find_condition_key(key);
  if (!known) {
    const std::string close = catalog.closest_condition_key(key);
    std::cerr << terminal_safe("iamsim: warning: --context " + key + " is no condition key AWS defines" +
                               (close.empty() ? std::string() : " (did you mean " + close + "?)"))
              << "\n";
    return;
  }
  for (const auto& value : values) {
    bool readable = true;
    switch (known->type) {
      case catalog::KeyType::IpAddress: readable = syntax::parse_cidr(value).has_value(); break;
      case catalog::KeyType::Numeric: readable = syntax::parse_number(value).has_value(); break;
      case catalog::KeyType::Date: readable = syntax::parse_instant(value).has_value(); break;
      case catalog::KeyType::Bool: readable = syntax::parse_bool(value, false).has_value(); break;
      default: break;
    }
    if (!readable)
      std::cerr << terminal_safe("iamsim: warning: --context " + key + ": '" + value + "' is not a value of type " +
                                 std::string(catalog::to_string(known->type)) +
                                 "; conditions that need one resolve to the safe side (E10)")
                << "\n";
  }
}

}  // namespace

std::optional<model::Context> parse_context_options(const std::vector<std::string>& options) {
  model::Context context;
  for (const auto& kv : options) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "iamsim: --context takes KEY=VALUE, not '" << kv << "'\n";
      return std::nullopt;
    }
    const std::string key = kv.substr(0, eq), value = kv.substr(eq + 1);
    model::ContextValue v;
    if (!value.empty() && value.front() == '[') {
      auto parsed = nlohmann::json::parse(value, nullptr, false);
      if (parsed.is_discarded() || !parsed.is_array()) {
        std::cerr << "iamsim: --context " << key << ": '" << value << "' is not a JSON array of strings\n";
        return std::nullopt;
      }
      for (const auto& item : parsed) {
        if (item.is_string())
          v.values.push_back(item.get<std::string>());
        else if (item.is_number() || item.is_boolean())
          v.values.push_back(item.dump());
        else {
          std::cerr << "iamsim: --context " << key << ": array items must be strings, numbers or booleans\n";
          return std::nullopt;
        }
      }
      v.multi_valued = true;
    } else {
      v.values.push_back(value);
    }
    warn_about_context_value(key, v.values);
    context[key] = std::move(v);
  }
  return context;
}

std::optional<model::Question> parse_question(const model::World& world, const std::string& principal,
                                              const std::string& action, const std::string& resource,
                                              const std::vector<std::string>& context) {
  model::Question q;
  auto p = model::parse_principal_ref(principal);
  if (!p) {
    std::cerr << "iamsim: bad principal: " << p.error.display << "\n";
    return std::nullopt;
  }
  if (auto problem = model::find_reference_problem(world, *p.value)) {
    std::cerr << "iamsim: error[" << problem->code << "]: " << problem->message << "\n";
    return std::nullopt;
  }
  auto a = model::parse_action(action);
  if (!a) {
    std::cerr << "iamsim: bad action: " << a.error.display << "\n";
    return std::nullopt;
  }
  auto r = model::parse_resource(resource);
  if (!r) {
    std::cerr << "iamsim: bad resource: " << r.error.display << "\n";
    return std::nullopt;
  }
  if (auto problem = model::find_resource_problem(world, *a.value, *r.value)) {
    std::cerr << "iamsim: error[" << problem->code << "]: " << problem->message << "\n";
    return std::nullopt;
  }
  auto c = parse_context_options(context);
  if (!c) return std::nullopt;
  q.principal = std::move(*p.value);
  q.action = std::move(*a.value);
  q.resource_arn = std::move(*r.value);
  q.context = std::move(*c);
  return q;
}

}  // namespace iamsim::cli
