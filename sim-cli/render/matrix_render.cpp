// Stage: report. Matrices and their diffs.
#include "sim-cli/render/matrix_render.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "sim-cli/render/json_writer.hpp"

namespace iamsim::cli {

void render_matrix_json(std::string& out, const model::Matrix& m, std::string_view shard_info) {
  // One cell a line keeps a committed matrix readable in a pull request's diff.
  auto list = [&](const char* key, const std::vector<std::string>& values) {
    out += "  ";
    append_json_string(out, key);
    out += ": [";
    for (std::size_t i = 0; i < values.size(); ++i) {
      out += i ? ",\n    " : "\n    ";
      append_json_string(out, values[i]);
    }
    out += values.empty() ? "],\n" : "\n  ],\n";
  };
  out += "{\n  \"format\": \"iamsim-matrix/v1\",\n";
  if (!shard_info.empty()) {
    out += "  \"iamsim_shard\": ";
    out += shard_info;
    out += ",\n";
  }
  out += "  \"world\": ";
  append_json_string(out, m.world);
  out += ",\n";
  list("principals", m.axes.principals);
  list("actions", m.axes.actions);
  list("resources", m.axes.resources);
  out += "  \"allowed\": [";
  for (std::size_t i = 0; i < m.allowed.size(); ++i) {
    out += i ? ",\n    " : "\n    ";
    JsonWriter w(out);
    w.begin_object();
    w.key("principal").value(m.allowed[i].principal);
    w.key("action").value(m.allowed[i].action);
    w.key("resource").value(m.allowed[i].resource);
    w.end_object();
  }
  out += m.allowed.empty() ? "]\n}\n" : "\n  ]\n}\n";
}

std::optional<model::Matrix> read_matrix_json(const std::string& text, std::string& error, bool allow_shard) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("format", "") != "iamsim-matrix/v1") {
    error = "not a matrix written by iamsim matrix (\"format\": \"iamsim-matrix/v1\")";
    return std::nullopt;
  }
  if (j.contains("iamsim_shard") && !allow_shard) {
    const auto& s = j["iamsim_shard"];
    const std::string which = s.is_object() && s.contains("index") && s.contains("count")
                                  ? " " + s["index"].dump() + "/" + s["count"].dump()
                                  : "";
    error = "is shard" + which +
            " of a matrix (--shard): the other cells are in the other shards; join them with iamsim merge first";
    return std::nullopt;
  }
  model::Matrix m;
  // Each field is checked, so a hand-edited matrix gets an error naming the field.
  auto type_of = [](const nlohmann::json& v) { return std::string(v.type_name()); };
  auto read_text = [&](const nlohmann::json& v, const std::string& ptr, std::string& out) {
    if (!v.is_string()) {
      error = "malformed matrix: " + ptr + " must be a string, found " + (v.is_null() ? "null" : "a " + type_of(v));
      return false;
    }
    out = v.get<std::string>();
    return true;
  };
  auto list = [&](const char* key, std::vector<std::string>& out) {
    const std::string ptr = std::string("/") + key;
    if (!j.contains(key) || !j[key].is_array()) {
      error = "malformed matrix: " + ptr + " must be an array of strings";
      return false;
    }
    for (std::size_t i = 0; i < j[key].size(); ++i)
      if (!read_text(j[key][i], ptr + "/" + std::to_string(i), out.emplace_back())) return false;
    return true;
  };
  if (j.contains("world") && !read_text(j["world"], "/world", m.world)) return std::nullopt;
  if (!list("principals", m.axes.principals) || !list("actions", m.axes.actions) ||
      !list("resources", m.axes.resources))
    return std::nullopt;
  if (!j.contains("allowed") || !j["allowed"].is_array()) {
    error = "malformed matrix: /allowed must be an array of cells";
    return std::nullopt;
  }
  for (std::size_t i = 0; i < j["allowed"].size(); ++i) {
    const auto& c = j["allowed"][i];
    const std::string ptr = "/allowed/" + std::to_string(i);
    if (!c.is_object()) {
      error = "malformed matrix: " + ptr + " must be an object {principal, action, resource}";
      return std::nullopt;
    }
    model::MatrixCell cell;
    for (auto [key, field] :
         {std::pair{"principal", &cell.principal}, {"action", &cell.action}, {"resource", &cell.resource}}) {
      if (!c.contains(key)) {
        error = "malformed matrix: " + ptr + " has no \"" + key + "\"";
        return std::nullopt;
      }
      if (!read_text(c[key], ptr + "/" + key, *field)) return std::nullopt;
    }
    m.allowed.push_back(std::move(cell));
  }
  std::sort(m.allowed.begin(), m.allowed.end());
  return m;
}

std::size_t MatrixDiff::widened() const {
  return static_cast<std::size_t>(
      std::count_if(changes.begin(), changes.end(), [](const DiffEntry& e) { return e.widened; }));
}

MatrixDiff diff_matrices(const model::Matrix& old_m, const model::Matrix& new_m) {
  MatrixDiff d;
  std::vector<model::MatrixCell> gained, lost;
  std::set_difference(new_m.allowed.begin(), new_m.allowed.end(), old_m.allowed.begin(), old_m.allowed.end(),
                      std::back_inserter(gained));
  std::set_difference(old_m.allowed.begin(), old_m.allowed.end(), new_m.allowed.begin(), new_m.allowed.end(),
                      std::back_inserter(lost));
  for (auto& c : gained) d.changes.push_back({std::move(c), true, {}, {}});
  for (auto& c : lost) d.changes.push_back({std::move(c), false, {}, {}});
  return d;
}

}  // namespace iamsim::cli
