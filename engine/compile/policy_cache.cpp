// Stage: compile. Sharded read-mostly map from (kind, text) to compiled policy.
#include "engine/compile/policy_cache.hpp"

#include <cstring>

#include "engine/syntax/parse_policy.hpp"

namespace iamsim::compile {

std::shared_ptr<const CachedPolicy> PolicyCache::get(std::string_view text, PolicyKind kind,
                                                     const SourceLocation& origin, Diagnostics& diagnostics,
                                                     RecentPolicies* recent) {
  const auto k = static_cast<std::size_t>(kind);
  if (recent)
    for (const CacheEntry* e : recent->entries_[k])
      if (e && e->text.size() == text.size() && (e->text.data() == text.data() || e->text == text)) return e->compiled;
  auto remember = [&](const CacheEntry* e) {
    if (!recent) return;
    recent->entries_[k][recent->next_[k]] = e;
    recent->next_[k] = (recent->next_[k] + 1) % RecentPolicies::count;
  };
  // Shard by length (free to compute); the map hashes the text once.
  auto& shard = shards_[text.size() % shard_count];
  auto& entries = shard.entries[k];
  {
    std::shared_lock lock(shard.mutex);
    auto it = entries.find(text);
    if (it != entries.end()) {
      remember(it->second.get());
      return it->second->compiled;
    }
  }
  // Compile with an empty origin pointer so the cached warnings are relative; the caller
  // adds its own location when it reports them.
  Diagnostics local;
  SourceLocation relative = origin;
  relative.pointer.clear();
  auto compiled = compile_policy_text(text, kind, semantics_, relative, local);
  if (!compiled) {
    for (auto d : local.items()) {
      d.where.pointer = origin.pointer + d.where.pointer;
      if (d.severity == Severity::Error)
        diagnostics.error(d.code, d.where, d.message);
      else
        diagnostics.warning(d.code, d.where, d.message);
    }
    return nullptr;
  }
  auto entry = std::make_shared<CachedPolicy>();
  entry->policy = std::move(compiled);
  entry->warnings = local.items();
  if (bytes_.fetch_add(text.size()) + text.size() <= max_bytes_) {
    auto owned = std::make_unique<CacheEntry>(CacheEntry{std::string(text), entry});
    const std::string_view key = owned->text;
    std::unique_lock lock(shard.mutex);
    auto [it, inserted] = entries.emplace(key, std::move(owned));
    remember(it->second.get());
  }
  return entry;
}

std::string_view RecentPolicies::prefix_of(std::string_view input) const {
  // Any match will do: a JSON object is never the beginning of another one, so texts that
  // both match differ only in the space after the object, which the caller reads on.
  for (const auto& of_kind : entries_)
    for (const CacheEntry* e : of_kind)
      if (e && e->text.size() <= input.size() && std::memcmp(e->text.data(), input.data(), e->text.size()) == 0)
        return e->text;
  return {};
}

}  // namespace iamsim::compile
