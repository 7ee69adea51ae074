// Stage: compile (eval batch). Sharded read-mostly map from (kind, text) to compiled policy.
#include "sim-cli/eval/policy_cache.hpp"

#include "engine/syntax/parse_policy.hpp"

namespace iamsim::cli {

std::shared_ptr<const CachedPolicy> PolicyCache::get(std::string_view text, compile::PolicyKind kind,
                                                     const SourceLocation& origin, Diagnostics& diagnostics) {
  std::string key;
  key.reserve(text.size() + 1);
  key += static_cast<char>('A' + static_cast<int>(kind));
  key += text;
  Shard& shard = shards_[std::hash<std::string>{}(key) % shard_count];
  {
    std::shared_lock lock(shard.mutex);
    auto it = shard.entries.find(key);
    if (it != shard.entries.end()) return it->second;
  }
  // Compile with an empty origin pointer so the cached warnings are relative; the caller
  // adds its own location when it reports them.
  Diagnostics local;
  SourceLocation relative = origin;
  relative.pointer.clear();
  auto compiled = compile::compile_policy_text(text, kind, semantics_, relative, local);
  if (!compiled) {
    for (auto d : local.items()) {
      d.where.pointer = origin.pointer + d.where.pointer;
      if (d.severity == Severity::Error) diagnostics.error(d.code, d.where, d.message);
      else diagnostics.warning(d.code, d.where, d.message);
    }
    return nullptr;
  }
  auto entry = std::make_shared<CachedPolicy>();
  entry->policy = std::move(compiled);
  entry->warnings = local.items();
  std::unique_lock lock(shard.mutex);
  if (bytes_.fetch_add(key.size()) + key.size() <= max_bytes_) shard.entries.emplace(std::move(key), entry);
  return entry;
}

}  // namespace iamsim::cli
