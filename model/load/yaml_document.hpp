// Stage: model (load). YAML text -> a read-only tree of nodes with their positions, built
// from libyaml's events. Scenario files and manifests are read through it.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace iamsim::model::load {

// One node: a scalar, a list or a mapping, or `missing` for a key that is not there.
// Plain scalars `~`, `null`, `Null`, `NULL` and the empty one are null (YAML's core schema);
// every other scalar keeps its text, and the loaders decide what it means.
class YamlNode {
 public:
  enum class Kind { missing, null, scalar, sequence, mapping };
  using Entry = std::pair<const YamlNode*, const YamlNode*>;  // key, value

  Kind kind() const { return kind_; }
  bool defined() const { return kind_ != Kind::missing; }
  bool present() const { return kind_ != Kind::missing && kind_ != Kind::null; }
  bool is_null() const { return kind_ == Kind::null; }
  bool is_scalar() const { return kind_ == Kind::scalar; }
  bool is_sequence() const { return kind_ == Kind::sequence; }
  bool is_map() const { return kind_ == Kind::mapping; }

  // A scalar's text; empty for other kinds.
  const std::string& scalar() const { return text_; }
  // Written in quotes, as a block scalar or tagged !!str: always a string, whatever it says.
  bool quoted() const { return quoted_; }

  // 1-based position of the node's first character; 0 for a missing node.
  int line() const { return line_; }
  int column() const { return column_; }

  // A list's items, as nodes (empty for other kinds).
  class Items {
   public:
    class iterator {
     public:
      explicit iterator(const YamlNode* const* at) : at_(at) {}
      const YamlNode& operator*() const { return **at_; }
      iterator& operator++() {
        ++at_;
        return *this;
      }
      bool operator==(const iterator&) const = default;

     private:
      const YamlNode* const* at_;
    };
    Items(const YamlNode* const* first, std::size_t size) : first_(first), size_(size) {}
    iterator begin() const { return iterator(first_); }
    iterator end() const { return iterator(first_ + size_); }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }

   private:
    const YamlNode* const* first_;
    std::size_t size_;
  };
  Items items() const { return Items(items_.data(), items_.size()); }
  const std::vector<Entry>& entries() const { return entries_; }  // a mapping's, in order

  // The value of the first entry whose key is the scalar `key`; the missing node when this
  // is no mapping or has no such key.
  const YamlNode& operator[](std::string_view key) const;

  static const YamlNode& missing();

 private:
  friend class YamlBuilder;
  Kind kind_ = Kind::missing;
  bool quoted_ = false;
  int line_ = 0, column_ = 0;
  std::string text_;
  std::vector<const YamlNode*> items_;
  std::vector<Entry> entries_;
};

struct YamlError {
  int line = 0, column = 0;  // 1-based
  std::string message;
  std::string code = "yaml.syntax";  // or yaml.limit: past a limit of YamlLimits
};

// Every document of a YAML stream. Nodes live as long as the stream; an alias is the node
// its anchor names (the tree shares it), and may only name a node that is complete.
class YamlStream {
 public:
  const std::vector<const YamlNode*>& documents() const { return documents_; }
  const std::optional<YamlError>& error() const { return error_; }

 private:
  friend class YamlBuilder;
  std::deque<YamlNode> nodes_;
  std::vector<const YamlNode*> documents_;
  std::optional<YamlError> error_;
};

// What a YAML stream may hold (docs/scenario-format.md, "Limits"). Aliases share the node
// they name, so the tree stays the size of the text; but every reader walks the expanded
// document, so its expanded size is bounded: aliases may add at most `alias_nodes` nodes
// and `alias_bytes` bytes of scalars, or `alias_factor` times the text's own nodes and
// bytes when that is more. Nesting is refused past `max_depth` as the parser meets it,
// before libyaml's cost (quadratic in the depth) grows.
struct YamlLimits {
  static constexpr int max_depth = 256;
  static constexpr std::size_t alias_nodes = 1'000'000;
  static constexpr std::size_t alias_bytes = 32u << 20;  // 32 MiB
  static constexpr std::size_t alias_factor = 2;
  static constexpr std::size_t max_scalar_bytes = 8u << 20;  // 8 MiB: far beyond a Kubernetes object
};

// Reads the whole text; on a syntax error, or past a limit of YamlLimits, error() says
// where and the documents are those read before it.
YamlStream parse_yaml(std::string_view text);

}  // namespace iamsim::model::load
