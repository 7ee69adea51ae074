// Stage: report. A small streaming JSON writer: output is built by appending to a string,
// with strings escaped per RFC 8259, so a result line costs no DOM.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "engine/syntax/json_text.hpp"

namespace iamsim::cli {

using syntax::append_json_escaped;
using syntax::append_json_string;

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}
  JsonWriter& begin_object() {
    separate();
    out_ += '{';
    first_ = true;
    return *this;
  }
  JsonWriter& end_object() {
    out_ += '}';
    first_ = false;
    return *this;
  }
  JsonWriter& begin_array() {
    separate();
    out_ += '[';
    first_ = true;
    return *this;
  }
  JsonWriter& end_array() {
    out_ += ']';
    first_ = false;
    return *this;
  }
  JsonWriter& key(std::string_view k) {
    open_string();
    append_json_escaped(out_, k);
    out_.append("\":", 2);
    first_ = true;  // the value follows without a comma
    return *this;
  }
  JsonWriter& value(std::string_view s) {
    open_string();
    append_json_escaped(out_, s);
    out_ += '"';
    return *this;
  }
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  // One string value given in pieces, written as if joined: saves building it first.
  JsonWriter& value_joined(std::initializer_list<std::string_view> pieces) {
    open_string();
    for (std::string_view piece : pieces) append_json_escaped(out_, piece);
    out_ += '"';
    return *this;
  }
  JsonWriter& value(bool b) {
    separate();
    out_ += b ? "true" : "false";
    return *this;
  }
  JsonWriter& value(long long n) {
    separate();
    out_ += std::to_string(n);
    return *this;
  }
  JsonWriter& value(int n) { return value(static_cast<long long>(n)); }
  JsonWriter& value(std::size_t n) {
    separate();
    out_ += std::to_string(n);
    return *this;
  }
  JsonWriter& null() {
    separate();
    out_ += "null";
    return *this;
  }
  JsonWriter& raw(std::string_view json) {
    separate();
    out_ += json;
    return *this;
  }

 private:
  void separate() {
    if (!first_) out_ += ',';
    first_ = false;
  }
  // The separator and a string's opening quote in one append: a result line has dozens.
  void open_string() {
    if (first_)
      out_ += '"';
    else
      out_.append(",\"", 2);
    first_ = false;
  }
  std::string& out_;
  bool first_ = true;
};

}  // namespace iamsim::cli
