// Stage: shared (data). Reading the catalogue file and looking things up in it. The reader
// keeps views into the text (which lives as long as the program) rather than copies, so the
// whole catalogue reads in a few milliseconds (bench: BM_catalog_load).
#include "engine/catalog/aws_catalog.hpp"

#include <algorithm>
#include <stdexcept>
#include <unordered_map>

#include "engine/catalog/arn_format.hpp"
#include "engine/compile/pattern.hpp"
#include "engine/syntax/arn_view.hpp"
#include "engine/text.hpp"

namespace iamsim::catalog {
namespace {

// -1, 0, 1 as a compares to b, ignoring ASCII case.
int compare_icase(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    const char x = ascii_lower(a[i]), y = ascii_lower(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

bool less_icase(std::string_view a, std::string_view b) { return compare_icase(a, b) < 0; }

std::vector<std::string_view> split(std::string_view line, char separator) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const auto at = line.find(separator, start);
    out.push_back(line.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

std::optional<KeyType> key_type(std::string_view text, bool& multivalued) {
  multivalued = text.starts_with("ArrayOf");
  if (multivalued) text.remove_prefix(7);
  if (text == "String") return KeyType::String;
  if (text == "ARN") return KeyType::Arn;
  if (text == "Numeric") return KeyType::Numeric;
  if (text == "Date") return KeyType::Date;
  if (text == "Bool") return KeyType::Bool;
  if (text == "IPAddress") return KeyType::IpAddress;
  if (text == "Binary") return KeyType::Binary;
  return std::nullopt;
}

bool templated(std::string_view name) {
  return name.find("${") != std::string_view::npos || name.find('<') != std::string_view::npos;
}

// A key template's placeholders (${...} or <...>) stand for one or more characters; the rest
// compares in any case (C3).
bool template_matches(std::string_view pattern, std::string_view key) {
  if (pattern.empty()) return key.empty();
  const char c = pattern.front();
  if (c == '$' && pattern.size() > 1 && pattern[1] == '{') {
    const auto close = pattern.find('}');
    if (close != std::string_view::npos) {
      const auto rest = pattern.substr(close + 1);
      for (std::size_t taken = 1; taken <= key.size(); ++taken)
        if (template_matches(rest, key.substr(taken))) return true;
      return false;
    }
  }
  if (c == '<') {
    const auto close = pattern.find('>');
    if (close != std::string_view::npos) {
      const auto rest = pattern.substr(close + 1);
      for (std::size_t taken = 1; taken <= key.size(); ++taken)
        if (template_matches(rest, key.substr(taken))) return true;
      return false;
    }
  }
  return !key.empty() && ascii_lower(c) == ascii_lower(key.front()) &&
         template_matches(pattern.substr(1), key.substr(1));
}

// The service field of an ARN or ARN form: "s3" in arn:${Partition}:s3:::${BucketName}.
std::string_view service_field(std::string_view arn) {
  const auto view = syntax::split_arn(arn);
  return view ? view->service : std::string_view();
}

}  // namespace

struct Catalog::Data {
  std::string_view text;
  std::string package, version, updated;
  std::vector<Service> services;
  std::vector<Action> actions;
  std::vector<ResourceType> resource_types;
  std::vector<const ResourceType*> action_types;  // every action's resource types, end to end
  std::vector<ConditionKey> keys;                 // exact names, sorted, one per name (any case)
  std::vector<ConditionKey> templates;            // names with placeholders, one per name
  // ARN forms by the service their ARN names ("iam" for sts's role type too); forms whose
  // service field is a placeholder are under "".
  std::unordered_map<std::string, std::vector<std::pair<const ResourceType*, std::string_view>>> forms;
};

Catalog::Catalog(std::unique_ptr<Data> data) : data_(std::move(data)) {}
Catalog::~Catalog() = default;

const Catalog& Catalog::aws() {
  static const std::unique_ptr<Catalog> catalog = [] {
    std::string error;
    auto c = parse(embedded_catalog_text(), error);
    // The file is checked by the tests; a bad one is a build fault, not bad input.
    if (!c) throw std::logic_error("the embedded AWS catalogue is malformed: " + error);
    return c;
  }();
  return *catalog;
}

std::unique_ptr<Catalog> Catalog::parse(std::string_view text, std::string& error) {
  auto d = std::make_unique<Data>();
  d->text = text;
  // Positions first: spans are made once every vector has its final size.
  struct ServiceAt {
    std::size_t actions_begin, types_begin;
  };
  std::vector<ServiceAt> service_at;
  std::vector<std::pair<std::size_t, std::size_t>> action_type_range;  // per action, in action_types
  std::vector<std::vector<std::size_t>> action_type_index;             // resolved later to pointers
  std::vector<std::size_t> flat_types;
  std::size_t line_number = 0, start = 0;
  bool header = false;
  auto fail = [&](std::string why) {
    error = "line " + std::to_string(line_number) + ": " + why;
    return nullptr;
  };
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    const auto f = split(line, '\t');
    const std::string_view kind = f[0];
    if (kind == "C") {
      if (f.size() != 5 || f[1] != "1") return fail("unsupported catalogue format (expected C, 1, ...)");
      d->package = f[2];
      d->version = f[3];
      d->updated = f[4];
      header = true;
      continue;
    }
    if (!header) return fail("the C line must come first");
    if (kind == "S") {
      if (f.size() != 4) return fail("a service line has 4 fields");
      Service s;
      s.prefix = f[1];
      s.name = f[2];
      s.rcp = f[3] == "rcp";
      d->services.push_back(s);
      service_at.push_back({d->actions.size(), d->resource_types.size()});
      continue;
    }
    if (d->services.empty()) return fail("a line before the first service");
    const std::string_view service = d->services.back().prefix;
    if (kind == "R") {
      if (f.size() < 3) return fail("a resource line has a name and at least one ARN form");
      ResourceType r;
      r.service = service;
      r.name = f[1];
      r.formats.assign(f.begin() + 2, f.end());
      d->resource_types.push_back(std::move(r));
    } else if (kind == "A") {
      if (f.size() != 4) return fail("an action line has 4 fields");
      Action a;
      a.service = service;
      a.name = f[1];
      for (char c : f[2]) {
        switch (c) {
          case 'L': a.levels |= static_cast<std::uint8_t>(AccessLevel::List); break;
          case 'R': a.levels |= static_cast<std::uint8_t>(AccessLevel::Read); break;
          case 'W': a.levels |= static_cast<std::uint8_t>(AccessLevel::Write); break;
          case 'P': a.levels |= static_cast<std::uint8_t>(AccessLevel::PermissionsManagement); break;
          case 'T': a.levels |= static_cast<std::uint8_t>(AccessLevel::Tagging); break;
          default: return fail("unknown access level '" + std::string(1, c) + "'");
        }
      }
      const std::size_t first = flat_types.size();
      if (f[3] != "-") {
        const std::size_t types_begin = service_at.back().types_begin;
        for (auto name : split(f[3], ',')) {
          auto begin = d->resource_types.begin() + static_cast<std::ptrdiff_t>(types_begin);
          auto it = std::find_if(begin, d->resource_types.end(), [&](const ResourceType& r) { return r.name == name; });
          if (it == d->resource_types.end())
            return fail(std::string(service) + ":" + std::string(a.name) + " names an unknown resource type '" +
                        std::string(name) + "'");
          flat_types.push_back(static_cast<std::size_t>(it - d->resource_types.begin()));
        }
      }
      action_type_range.emplace_back(first, flat_types.size());
      d->actions.push_back(a);
    } else if (kind == "K") {
      if (f.size() != 3) return fail("a condition key line has 3 fields");
      ConditionKey k;
      k.name = f[1];
      bool multivalued = false;
      const auto type = key_type(f[2], multivalued);
      if (!type) return fail("unknown condition key type '" + std::string(f[2]) + "'");
      k.type = *type;
      k.multivalued = multivalued;
      k.templated = templated(k.name);
      (k.templated ? d->templates : d->keys).push_back(k);
    } else {
      return fail("unknown line kind '" + std::string(kind) + "'");
    }
  }
  if (!header) return fail("no catalogue header (C line)");

  // Spans, now that the vectors stay put.
  d->action_types.reserve(flat_types.size());
  for (std::size_t i : flat_types) d->action_types.push_back(&d->resource_types[i]);
  for (std::size_t i = 0; i < d->actions.size(); ++i) {
    const auto [first, last] = action_type_range[i];
    d->actions[i].resource_types = std::span<const ResourceType* const>(d->action_types.data() + first, last - first);
  }
  for (std::size_t i = 0; i < d->services.size(); ++i) {
    const std::size_t actions_end = i + 1 < d->services.size() ? service_at[i + 1].actions_begin : d->actions.size();
    const std::size_t types_end = i + 1 < d->services.size() ? service_at[i + 1].types_begin : d->resource_types.size();
    d->services[i].actions = std::span<const Action>(d->actions.data() + service_at[i].actions_begin,
                                                     actions_end - service_at[i].actions_begin);
    d->services[i].resource_types = std::span<const ResourceType>(d->resource_types.data() + service_at[i].types_begin,
                                                                  types_end - service_at[i].types_begin);
    // Lookups search by name: each name once (in any case), in order.
    auto out_of_order = [](const auto& a, const auto& b) { return !less_icase(a.name, b.name); };
    const auto& actions = d->services[i].actions;
    if (auto it = std::adjacent_find(actions.begin(), actions.end(), out_of_order); it != actions.end()) {
      error = "the actions of " + std::string(d->services[i].prefix) + " are not sorted, or " + std::string(it->name) +
              " comes twice";
      return nullptr;
    }
  }
  if (auto it = std::adjacent_find(d->services.begin(), d->services.end(),
                                   [](const Service& a, const Service& b) { return !less_icase(a.prefix, b.prefix); });
      it != d->services.end()) {
    error = "the services are not sorted, or " + std::string(it->prefix) + " comes twice";
    return nullptr;
  }
  // Condition keys: the guide's global keys first, so their types win; one entry per name.
  for (const auto& g : global_condition_keys()) (g.templated ? d->templates : d->keys).push_back(g);
  auto unique_by_name = [](std::vector<ConditionKey>& keys) {
    std::stable_sort(keys.begin(), keys.end(), [](const ConditionKey& a, const ConditionKey& b) {
      if (a.global != b.global) return a.global;  // global first among equals, kept by unique
      return false;
    });
    std::stable_sort(keys.begin(), keys.end(),
                     [](const ConditionKey& a, const ConditionKey& b) { return less_icase(a.name, b.name); });
    keys.erase(
        std::unique(keys.begin(), keys.end(),
                    [](const ConditionKey& a, const ConditionKey& b) { return compare_icase(a.name, b.name) == 0; }),
        keys.end());
  };
  unique_by_name(d->keys);
  unique_by_name(d->templates);
  for (const auto& r : d->resource_types)
    for (auto form : r.formats) {
      const auto service = service_field(form);
      d->forms[service.starts_with("${") ? std::string() : ascii_lowered(service)].emplace_back(&r, form);
    }
  return std::unique_ptr<Catalog>(new Catalog(std::move(d)));
}

std::string Catalog::source() const { return data_->package + " " + data_->version + " (" + data_->updated + ")"; }

std::span<const Service> Catalog::services() const { return data_->services; }

const Service* Catalog::find_service(std::string_view prefix) const {
  const auto& s = data_->services;
  auto it = std::lower_bound(s.begin(), s.end(), prefix,
                             [](const Service& a, std::string_view b) { return less_icase(a.prefix, b); });
  return it != s.end() && compare_icase(it->prefix, prefix) == 0 ? &*it : nullptr;
}

const Action* Catalog::find_action(std::string_view action) const {
  const auto colon = action.find(':');
  if (colon == std::string_view::npos) return nullptr;
  const Service* service = find_service(action.substr(0, colon));
  if (!service) return nullptr;
  const auto name = action.substr(colon + 1);
  auto it = std::lower_bound(service->actions.begin(), service->actions.end(), name,
                             [](const Action& a, std::string_view b) { return less_icase(a.name, b); });
  return it != service->actions.end() && compare_icase(it->name, name) == 0 ? &*it : nullptr;
}

std::vector<const Action*> Catalog::expand(std::string_view pattern) const {
  std::vector<const Action*> out;
  const auto colon = pattern.find(':');
  const std::string_view service_part = colon == std::string_view::npos ? pattern : pattern.substr(0, colon);
  const std::string_view name_part = colon == std::string_view::npos ? "*" : pattern.substr(colon + 1);
  if (colon == std::string_view::npos && pattern != "*") return out;
  const auto service_pattern = compile::Pattern::from_text(service_part, true, true, true);
  const auto name_pattern = compile::Pattern::from_text(name_part, true, true, true);
  for (const auto& s : data_->services) {
    if (service_pattern.match(s.prefix, true, nullptr) != compile::MatchResult::Match) continue;
    for (const auto& a : s.actions)
      if (name_pattern.match(a.name, true, nullptr) == compile::MatchResult::Match) out.push_back(&a);
  }
  return out;
}

const ConditionKey* Catalog::find_condition_key(std::string_view key) const {
  const auto& keys = data_->keys;
  auto it = std::lower_bound(keys.begin(), keys.end(), key,
                             [](const ConditionKey& a, std::string_view b) { return less_icase(a.name, b); });
  if (it != keys.end() && compare_icase(it->name, key) == 0) return &*it;
  for (const auto& t : data_->templates)
    if (template_matches(t.name, key)) return &t;
  // PROVIDER:claim for an OIDC provider the catalogue does not name: a host before the claim.
  const auto colon = key.rfind(':');
  if (colon != std::string_view::npos && key.substr(0, colon).find('.') != std::string_view::npos)
    for (const auto& claim : web_identity_claims())
      if (compare_icase(claim.name.substr(claim.name.rfind(':') + 1), key.substr(colon + 1)) == 0) return &claim;
  return nullptr;
}

std::vector<const ResourceType*> Catalog::resource_types_of(std::string_view arn) const {
  std::vector<const ResourceType*> out;
  auto scan = [&](const std::string& service) {
    auto it = data_->forms.find(service);
    if (it == data_->forms.end()) return;
    for (const auto& [type, form] : it->second)
      if (std::find(out.begin(), out.end(), type) == out.end() && arn_format_admits(form, arn, false))
        out.push_back(type);
  };
  scan(ascii_lowered(service_field(arn)));
  scan("");
  return out;
}

std::vector<std::string> Catalog::rcp_services() const {
  std::vector<std::string> out;
  for (const auto& s : data_->services)
    if (s.rcp) out.emplace_back(s.prefix);
  return out;
}

std::vector<const ResourceType*> plainest_first(const Action& action) {
  std::vector<const ResourceType*> out(action.resource_types.begin(), action.resource_types.end());
  auto placeholders = [](const ResourceType* t) {
    std::size_t n = 0;
    const std::string_view form = t->formats.front();
    for (auto at = form.find("${"); at != std::string_view::npos; at = form.find("${", at + 2)) ++n;
    return n;
  };
  std::stable_sort(out.begin(), out.end(),
                   [&](const ResourceType* a, const ResourceType* b) { return placeholders(a) < placeholders(b); });
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > limit) return limit + 1;
  std::vector<std::size_t> row(a.size() + 1), next(a.size() + 1);
  for (std::size_t i = 0; i <= a.size(); ++i) row[i] = i;
  for (std::size_t j = 1; j <= b.size(); ++j) {
    next[0] = j;
    std::size_t best = next[0];
    for (std::size_t i = 1; i <= a.size(); ++i) {
      const std::size_t cost = ascii_lower(a[i - 1]) == ascii_lower(b[j - 1]) ? 0 : 1;
      next[i] = std::min({row[i] + 1, next[i - 1] + 1, row[i - 1] + cost});
      best = std::min(best, next[i]);
    }
    if (best > limit) return limit + 1;
    row.swap(next);
  }
  return row[a.size()];
}

namespace {

// Close enough to be a typo: about a third of the word may differ.
std::size_t typo_limit(std::string_view word) { return std::max<std::size_t>(2, word.size() / 3); }

template <typename Range, typename Name>
std::string closest(const Range& candidates, std::string_view word, Name name) {
  std::size_t best = typo_limit(word) + 1;
  std::string out;
  for (const auto& c : candidates) {
    const std::string_view n = name(c);
    const std::size_t d = edit_distance(n, word, best - 1);
    if (d < best) {
      best = d;
      out = std::string(n);
    }
  }
  return out;
}

}  // namespace

std::string Catalog::closest_service(std::string_view prefix) const {
  return closest(data_->services, prefix, [](const Service& s) { return s.prefix; });
}

std::string Catalog::closest_action(std::string_view action) const {
  const auto colon = action.find(':');
  if (colon == std::string_view::npos) return {};
  const std::string_view prefix = action.substr(0, colon), name = action.substr(colon + 1);
  const Service* service = find_service(prefix);
  std::string service_name = service ? std::string(service->prefix) : closest_service(prefix);
  if (service_name.empty()) return {};
  if (!service) service = find_service(service_name);
  if (const Action* exact = find_action(service_name + ":" + std::string(name))) return exact->full_name();
  const std::string best = closest(service->actions, name, [](const Action& a) { return a.name; });
  return best.empty() ? std::string() : service_name + ":" + best;
}

std::string Catalog::closest_condition_key(std::string_view key) const {
  return closest(data_->keys, key, [](const ConditionKey& k) { return k.name; });
}

std::string_view to_string(AccessLevel level) {
  switch (level) {
    case AccessLevel::List: return "List";
    case AccessLevel::Read: return "Read";
    case AccessLevel::Write: return "Write";
    case AccessLevel::PermissionsManagement: return "Permissions management";
    case AccessLevel::Tagging: return "Tagging";
  }
  return "";
}

std::string_view to_string(KeyType type) {
  switch (type) {
    case KeyType::String: return "String";
    case KeyType::Arn: return "ARN";
    case KeyType::Numeric: return "Numeric";
    case KeyType::Date: return "Date";
    case KeyType::Bool: return "Bool";
    case KeyType::IpAddress: return "IPAddress";
    case KeyType::Binary: return "Binary";
  }
  return "";
}

}  // namespace iamsim::catalog
