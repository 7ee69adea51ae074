// Stage: lint. JSON pointers to lines and columns: a small scanner over the JSON text (which
// the policy parser has already accepted), or a walk down the YAML node tree.
#include "lint/source_map.hpp"

#include <filesystem>
#include <vector>

#include "model/load/yaml_document.hpp"
#include "model/load/yaml_support.hpp"

namespace iamsim::lint {
namespace {

using model::load::YamlNode;

std::vector<std::string> pointer_tokens(std::string_view pointer) {
  std::vector<std::string> out;
  if (pointer.empty()) return out;
  std::size_t start = 1;  // pointers start with '/'
  while (start <= pointer.size()) {
    auto end = pointer.find('/', start);
    if (end == std::string_view::npos) end = pointer.size();
    std::string token;
    for (std::size_t i = start; i < end; ++i) {
      if (pointer[i] == '~' && i + 1 < end && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
        token += pointer[i + 1] == '0' ? '~' : '/';
        ++i;
      } else {
        token += pointer[i];
      }
    }
    out.push_back(std::move(token));
    start = end + 1;
  }
  return out;
}

std::optional<std::size_t> index_of(const std::string& token) {
  if (token.empty() || token.size() > 9) return std::nullopt;
  std::size_t n = 0;
  for (char c : token) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  return n;
}

// Reads JSON text position by position, counting lines and columns (in characters: UTF-8
// continuation bytes do not count).
class JsonScanner {
 public:
  explicit JsonScanner(std::string_view text) : s_(text) {}

  std::optional<TextPosition> find(const std::vector<std::string>& tokens) {
    skip_ws();
    for (std::size_t t = 0; t < tokens.size(); ++t) {
      const bool last = t + 1 == tokens.size();
      if (peek() == '{') {
        advance();
        bool found = false;
        while (true) {
          skip_ws();
          if (peek() == '}' || at_end()) return std::nullopt;
          const TextPosition key_at = here();
          std::string key;
          if (!read_string(key)) return std::nullopt;
          skip_ws();
          if (peek() != ':') return std::nullopt;
          advance();
          skip_ws();
          if (key == tokens[t]) {
            if (last) return key_at;
            found = true;
            break;
          }
          if (!skip_value()) return std::nullopt;
          skip_ws();
          if (peek() == ',') advance();
        }
        if (!found) return std::nullopt;
      } else if (peek() == '[') {
        const auto wanted = index_of(tokens[t]);
        if (!wanted) return std::nullopt;
        advance();
        for (std::size_t i = 0;; ++i) {
          skip_ws();
          if (peek() == ']' || at_end()) return std::nullopt;
          if (i == *wanted) break;
          if (!skip_value()) return std::nullopt;
          skip_ws();
          if (peek() == ',') advance();
        }
        if (last) return here();
      } else {
        return std::nullopt;
      }
    }
    return here();
  }

 private:
  bool at_end() const { return i_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[i_]; }
  TextPosition here() const { return {line_, column_}; }
  void advance() {
    const char c = s_[i_++];
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++column_;
    }
  }
  void skip_ws() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) advance();
  }
  // A string's text with the simple escapes decoded; \u escapes are kept as written, which
  // is enough to compare with the keys of policies (ASCII names).
  bool read_string(std::string& out) {
    if (peek() != '"') return false;
    advance();
    while (!at_end()) {
      char c = peek();
      advance();
      if (c == '"') return true;
      if (c == '\\' && !at_end()) {
        const char e = peek();
        advance();
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'u': out += "\\u"; break;
          default: out += e;
        }
        continue;
      }
      out += c;
    }
    return false;
  }
  bool skip_value() {
    const char c = peek();
    if (c == '"') {
      std::string ignored;
      return read_string(ignored);
    }
    if (c == '{' || c == '[') {
      // Strings may hold brackets: skip them whole; count the rest.
      int depth = 0;
      while (!at_end()) {
        const char d = peek();
        if (d == '"') {
          std::string ignored;
          if (!read_string(ignored)) return false;
          continue;
        }
        advance();
        if (d == '{' || d == '[') ++depth;
        if (d == '}' || d == ']') {
          if (--depth == 0) return true;
        }
      }
      return false;
    }
    while (!at_end() && peek() != ',' && peek() != '}' && peek() != ']' && peek() != ' ' && peek() != '\n' &&
           peek() != '\r' && peek() != '\t')
      advance();
    return true;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  int line_ = 1, column_ = 1;
};

// The node `tokens` names below `node`, placed at its key when it is a member.
std::optional<TextPosition> find_yaml(const YamlNode& root, const std::vector<std::string>& tokens) {
  const YamlNode* node = &root;
  for (std::size_t t = 0; t < tokens.size(); ++t) {
    const bool last = t + 1 == tokens.size();
    if (node->is_map()) {
      const YamlNode* next = nullptr;
      for (const auto& [key, value] : node->entries()) {
        if (key->scalar() != tokens[t]) continue;
        if (last) return TextPosition{key->line(), key->column()};
        next = value;
        break;
      }
      if (!next) return std::nullopt;
      node = next;
    } else if (node->is_sequence()) {
      const auto wanted = index_of(tokens[t]);
      if (!wanted || *wanted >= node->items().size()) return std::nullopt;
      auto it = node->items().begin();
      for (std::size_t i = 0; i < *wanted; ++i) ++it;
      node = &*it;
    } else {
      return std::nullopt;
    }
  }
  return TextPosition{node->line(), node->column()};
}

// The mapping node that starts at line:column (an inline policy document in a scenario).
const YamlNode* node_at(const YamlNode& node, int line, int column, int depth = 0) {
  if (node.line() == line && node.column() == column && node.is_map()) return &node;
  if (depth > 200) return nullptr;
  if (node.is_map())
    for (const auto& [key, value] : node.entries())
      if (const YamlNode* found = node_at(*value, line, column, depth + 1)) return found;
  if (node.is_sequence())
    for (const YamlNode& item : node.items())
      if (const YamlNode* found = node_at(item, line, column, depth + 1)) return found;
  return nullptr;
}

bool is_yaml_file(const std::string& path) {
  const auto ext = std::filesystem::path(path).extension().string();
  return ext == ".yaml" || ext == ".yml";
}

}  // namespace

std::optional<TextPosition> locate_json_pointer(std::string_view json, std::string_view pointer) {
  return JsonScanner(json).find(pointer_tokens(pointer));
}

struct SourceMap::YamlFile {
  std::string text;
  model::load::YamlStream stream;
};

SourceMap::SourceMap() = default;
SourceMap::~SourceMap() = default;

const SourceMap::YamlFile* SourceMap::yaml_file(const std::string& path) {
  auto it = yaml_files_.find(path);
  if (it == yaml_files_.end()) {
    auto file = std::make_unique<YamlFile>();
    if (auto text = model::load::read_text_file(path)) {
      file->text = std::move(*text);
      file->stream = model::load::parse_yaml(file->text);
    }
    it = yaml_files_.emplace(path, std::move(file)).first;
  }
  return it->second->stream.documents().empty() ? nullptr : it->second.get();
}

SourceLocation SourceMap::locate(const model::PolicyDocument& document, std::string_view pointer) {
  SourceLocation out = document.origin;
  out.pointer = document.origin.pointer + std::string(pointer);
  if (document.builtin || out.file.starts_with("builtin:")) return out;
  const auto tokens = pointer_tokens(pointer);
  std::optional<TextPosition> at;
  if (document.origin.line > 0) {
    // Inline: the document is a mapping of the scenario file.
    if (const YamlFile* f = yaml_file(document.origin.file))
      for (const YamlNode* root : f->stream.documents())
        if (const YamlNode* body = node_at(*root, document.origin.line, document.origin.column)) {
          at = find_yaml(*body, tokens);
          break;
        }
  } else if (is_yaml_file(document.origin.file)) {
    if (const YamlFile* f = yaml_file(document.origin.file)) at = find_yaml(*f->stream.documents().front(), tokens);
  } else {
    at = locate_json_pointer(document.json_text, pointer);
  }
  if (at) {
    out.line = at->line;
    out.column = at->column;
  }
  return out;
}

}  // namespace iamsim::lint
