// Stage: model (load). Node positions, type names and YAML -> JSON for inline policies.
#include "model/load/yaml_support.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "engine/syntax/json_text.hpp"
#include "model/load/input_digest.hpp"

namespace iamsim::model::load {

SourceLocation location_of(const YamlNode& node, const std::string& file) {
  return {file, "", node.line(), node.column()};
}

SourceLocation location_of(const YamlError& error, const std::string& file) {
  return {file, "", error.line, error.column};
}

std::string describe_type(const YamlNode& node) {
  switch (node.kind()) {
    case YamlNode::Kind::mapping: return "a mapping";
    case YamlNode::Kind::sequence: return "a list";
    case YamlNode::Kind::scalar: return "a string";
    case YamlNode::Kind::null: return "null";
    case YamlNode::Kind::missing: return "nothing";
  }
  return "nothing";
}

namespace {

bool is_json_number(std::string_view s) {
  std::size_t i = 0, n = s.size();
  auto digits = [&] {
    std::size_t from = i;
    while (i < n && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    return i > from;
  };
  if (i < n && s[i] == '-') ++i;
  if (i < n && s[i] == '0') {
    ++i;
  } else if (i >= n || s[i] < '1' || s[i] > '9' || !digits()) {
    return false;
  }
  if (i < n && s[i] == '.' && (++i, !digits())) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == n;
}

// Deeper than any policy; and a budget of nodes, since aliases can repeat a subtree
// exponentially often (a "billion laughs" document).
constexpr int max_depth = 64;
constexpr std::size_t max_nodes = 1'000'000;

class JsonWriter {
 public:
  std::optional<YamlError> write(const YamlNode& node, int depth, std::string& out) {
    if (depth > max_depth || ++nodes_ > max_nodes)
      return YamlError{
          node.line(), node.column(),
          depth > max_depth ? "nested too deeply for a policy" : "too large for a policy (aliases repeated too often?)",
          "yaml.limit"};
    switch (node.kind()) {
      case YamlNode::Kind::mapping: {
        out += '{';
        bool first = true;
        for (const auto& [key, value] : node.entries()) {
          if (!key->is_scalar()) return YamlError{key->line(), key->column(), "a policy's keys are strings"};
          if (!first) out += ',';
          first = false;
          syntax::append_json_string(out, key->scalar());
          out += ':';
          if (auto e = write(*value, depth + 1, out)) return e;
        }
        out += '}';
        return std::nullopt;
      }
      case YamlNode::Kind::sequence: {
        out += '[';
        bool first = true;
        for (const YamlNode& item : node.items()) {
          if (!first) out += ',';
          first = false;
          if (auto e = write(item, depth + 1, out)) return e;
        }
        out += ']';
        return std::nullopt;
      }
      case YamlNode::Kind::scalar: {
        const std::string& s = node.scalar();
        if (!node.quoted()) {
          if (s == "true" || s == "True" || s == "TRUE") return out += "true", std::nullopt;
          if (s == "false" || s == "False" || s == "FALSE") return out += "false", std::nullopt;
          if (is_json_number(s)) {
            // 1e400 is JSON's grammar but no double: refused here, where it is written,
            // rather than by the JSON reader at the start of the policy.
            errno = 0;
            const double value = std::strtod(s.c_str(), nullptr);
            if (errno == ERANGE && std::isinf(value))
              return YamlError{node.line(), node.column(), "the number " + s + " is out of range (beyond a double)"};
            return out += s, std::nullopt;
          }
        }
        syntax::append_json_string(out, s);
        return std::nullopt;
      }
      case YamlNode::Kind::null:
      case YamlNode::Kind::missing: out += "null"; return std::nullopt;
    }
    return std::nullopt;
  }

 private:
  std::size_t nodes_ = 0;
};

}  // namespace

JsonConversion yaml_to_json(const YamlNode& node) {
  JsonConversion out;
  out.error = JsonWriter().write(node, 0, out.json);
  return out;
}

std::optional<std::string> read_text_file(const std::filesystem::path& path, std::string* why) {
  auto fail = [&](std::string reason) -> std::optional<std::string> {
    if (why) *why = std::move(reason);
    return std::nullopt;
  };
  // Non-blocking, so that a FIFO named by mistake (or malice) cannot hang the open.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return fail(errno == ENOENT ? "no such file" : std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return fail(std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return fail("is a folder, not a file");
  if (!S_ISREG(st.st_mode)) return fail("is not a regular file (a device, FIFO or socket)");
  struct statfs fs {};
  if (::fstatfs(fd, &fs) == 0 && (fs.f_type == PROC_SUPER_MAGIC || fs.f_type == SYSFS_MAGIC))
    return fail("is a /proc or /sys file, not a file of the repository");
  if (static_cast<std::uintmax_t>(st.st_size) > max_input_file_bytes)
    return fail("is " + std::to_string(st.st_size) + " bytes; files of at most " +
                std::to_string(max_input_file_bytes >> 20) + " MiB are read");
  std::string text(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t got = 0;
  while (got < text.size()) {
    const ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(std::strerror(errno));
    if (n == 0) break;  // shrank while read
    got += static_cast<std::size_t>(n);
  }
  text.resize(got);
  note_input(path, text);  // for a sharded run's world digest
  return text;
}

}  // namespace iamsim::model::load
