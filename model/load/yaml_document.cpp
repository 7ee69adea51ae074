// Stage: model (load). Builds the node tree from libyaml's parser events. libyaml reads
// YAML about ten times faster than yaml-cpp, which matters for worlds of tens of megabytes.
#include "model/load/yaml_document.hpp"

#include <yaml.h>

#include <algorithm>
#include <string>
#include <unordered_map>

namespace iamsim::model::load {

const YamlNode& YamlNode::missing() {
  static const YamlNode node;
  return node;
}

const YamlNode& YamlNode::operator[](std::string_view key) const {
  for (const auto& [k, v] : entries_)
    if (k->kind_ == Kind::scalar && k->text_ == key) return *v;
  return missing();
}

class YamlBuilder {
 public:
  YamlBuilder(YamlStream& out, std::size_t text_bytes) : out_(out), text_bytes_(text_bytes) {}

  // Takes one event; false when the stream is broken (the error is set).
  bool take(const yaml_event_t& e) {
    switch (e.type) {
      case YAML_DOCUMENT_START_EVENT: anchors_.clear(); return true;
      case YAML_SCALAR_EVENT: {
        const auto& s = e.data.scalar;
        if (s.length > YamlLimits::max_scalar_bytes) {
          fail_limit(e.start_mark, "a string of " + std::to_string(s.length) + " bytes; at most " +
                                       std::to_string(YamlLimits::max_scalar_bytes) + " are read");
          return false;
        }
        YamlNode& n = make(e.start_mark);
        written_nodes_ += 1;
        expanded_nodes_ += 1;
        expanded_bytes_ += s.length;
        n.text_.assign(reinterpret_cast<const char*>(s.value), s.length);
        std::string_view tag = s.tag ? reinterpret_cast<const char*>(s.tag) : "";
        n.quoted_ = s.style != YAML_PLAIN_SCALAR_STYLE || tag == YAML_STR_TAG;
        bool null_text =
            n.text_.empty() || n.text_ == "~" || n.text_ == "null" || n.text_ == "Null" || n.text_ == "NULL";
        n.kind_ = (tag == YAML_NULL_TAG || (null_text && !n.quoted_)) ? YamlNode::Kind::null : YamlNode::Kind::scalar;
        if (n.kind_ == YamlNode::Kind::null) n.text_.clear();
        if (s.anchor) anchors_[reinterpret_cast<const char*>(s.anchor)] = {&n, 1, s.length};
        attach(n);
        return true;
      }
      case YAML_SEQUENCE_START_EVENT: return open(YamlNode::Kind::sequence, e.start_mark, e.data.sequence_start.anchor);
      case YAML_MAPPING_START_EVENT: return open(YamlNode::Kind::mapping, e.start_mark, e.data.mapping_start.anchor);
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: {
        Open done = std::move(open_.back());
        open_.pop_back();
        if (!done.anchor.empty())
          anchors_[done.anchor] = {done.node, expanded_nodes_ - done.nodes_before, expanded_bytes_ - done.bytes_before};
        attach(*done.node);
        return true;
      }
      case YAML_ALIAS_EVENT: {
        const char* name = reinterpret_cast<const char*>(e.data.alias.anchor);
        auto it = anchors_.find(name);
        if (it == anchors_.end()) {
          fail(e.start_mark, std::string("unknown anchor '") + name +
                                 "' (an alias names an anchor defined before it, outside itself)");
          return false;
        }
        const Anchor& a = it->second;
        expanded_nodes_ += a.nodes;
        expanded_bytes_ += a.bytes;
        const std::size_t node_budget =
            std::max(YamlLimits::alias_nodes + written_nodes_, YamlLimits::alias_factor * written_nodes_);
        const std::size_t byte_budget =
            std::max(YamlLimits::alias_bytes + text_bytes_, YamlLimits::alias_factor * text_bytes_);
        if (expanded_nodes_ > node_budget || expanded_bytes_ > byte_budget) {
          fail_limit(e.start_mark, std::string("alias *") + name + " (" + std::to_string(a.nodes) + " nodes, " +
                                       std::to_string(a.bytes) + " bytes of text) expands the document past " +
                                       (expanded_nodes_ > node_budget ? std::to_string(node_budget) + " nodes"
                                                                      : std::to_string(byte_budget) + " bytes") +
                                       "; aliases may add " + std::to_string(YamlLimits::alias_nodes) + " nodes and " +
                                       std::to_string(YamlLimits::alias_bytes >> 20) +
                                       " MiB, or double the document, whichever is more");
          return false;
        }
        attach(*a.node);
        return true;
      }
      default: return true;
    }
  }

  void fail(const yaml_mark_t& mark, std::string message) {
    fail(static_cast<int>(mark.line) + 1, static_cast<int>(mark.column) + 1, std::move(message));
  }
  void fail(int line, int column, std::string message, std::string code = "yaml.syntax") {
    out_.error_ = YamlError{line, column, std::move(message), std::move(code)};
  }
  void fail_limit(const yaml_mark_t& mark, std::string message) {
    fail(static_cast<int>(mark.line) + 1, static_cast<int>(mark.column) + 1, std::move(message), "yaml.limit");
  }

 private:
  struct Open {
    YamlNode* node;
    std::string anchor;  // registered once the collection is complete
    const YamlNode* pending_key = nullptr;
    std::size_t nodes_before = 0, bytes_before = 0;  // the expanded size when it opened
  };
  // An anchored node and its expanded size: what each alias to it adds.
  struct Anchor {
    const YamlNode* node = nullptr;
    std::size_t nodes = 0, bytes = 0;
  };

  YamlNode& make(const yaml_mark_t& mark) {
    YamlNode& n = out_.nodes_.emplace_back();
    n.line_ = static_cast<int>(mark.line) + 1;
    n.column_ = static_cast<int>(mark.column) + 1;
    return n;
  }

  bool open(YamlNode::Kind kind, const yaml_mark_t& mark, const yaml_char_t* anchor) {
    if (open_.size() >= static_cast<std::size_t>(YamlLimits::max_depth)) {
      fail_limit(mark, "nested deeper than " + std::to_string(YamlLimits::max_depth) + " levels");
      return false;
    }
    YamlNode& n = make(mark);
    n.kind_ = kind;
    written_nodes_ += 1;
    expanded_nodes_ += 1;
    open_.push_back(
        {&n, anchor ? reinterpret_cast<const char*>(anchor) : "", nullptr, expanded_nodes_ - 1, expanded_bytes_});
    return true;
  }

  // Puts a finished node where it belongs: a document root, a list item, a key or a value.
  void attach(const YamlNode& n) {
    if (open_.empty()) {
      out_.documents_.push_back(&n);
      return;
    }
    Open& parent = open_.back();
    if (parent.node->kind_ == YamlNode::Kind::sequence) {
      parent.node->items_.push_back(&n);
    } else if (!parent.pending_key) {
      parent.pending_key = &n;
    } else {
      parent.node->entries_.emplace_back(parent.pending_key, &n);
      parent.pending_key = nullptr;
    }
  }

  YamlStream& out_;
  std::vector<Open> open_;
  std::unordered_map<std::string, Anchor> anchors_;
  // Over the whole stream: nodes as written, and nodes and scalar bytes with every alias
  // expanded (what the readers will walk).
  std::size_t text_bytes_ = 0, written_nodes_ = 0, expanded_nodes_ = 0, expanded_bytes_ = 0;
};

namespace {

std::pair<int, int> position_of(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  int line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i)
    if (text[i] == '\n') ++line, line_start = i + 1;
  return {line, static_cast<int>(offset - line_start) + 1};
}

}  // namespace

YamlStream parse_yaml(std::string_view text) {
  YamlStream out;
  YamlBuilder builder(out, text.size());
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) {
    builder.fail(1, 1, "cannot start the YAML parser (out of memory)");
    return out;
  }
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  for (;;) {
    yaml_event_t event;
    if (!yaml_parser_parse(&parser, &event)) {
      std::string message = parser.problem ? parser.problem : "malformed YAML";
      if (parser.context) message += std::string(" ") + parser.context;
      if (parser.error == YAML_READER_ERROR) {
        // Bad bytes (invalid UTF-8, control characters) come with an offset, not a mark.
        auto [line, column] = position_of(text, parser.problem_offset);
        builder.fail(line, column, message + " (byte " + std::to_string(parser.problem_offset) + ")");
      } else {
        builder.fail(parser.problem_mark, std::move(message));
      }
      break;
    }
    bool ok = builder.take(event);
    bool end = event.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&event);
    if (!ok || end) break;
  }
  yaml_parser_delete(&parser);
  return out;
}

}  // namespace iamsim::model::load
