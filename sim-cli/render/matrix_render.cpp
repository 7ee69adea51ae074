// Stage: report. Matrices and their diffs.
#include "sim-cli/render/matrix_render.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "sim-cli/render/json_writer.hpp"

namespace iamsim::cli {

void render_matrix_json(std::string& out, const model::Matrix& m) {
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
  out += "{\n  \"format\": \"iamsim-matrix/v1\",\n  \"world\": ";
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

std::optional<model::Matrix> read_matrix_json(const std::string& text, std::string& error) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("format", "") != "iamsim-matrix/v1") {
    error = "not a matrix written by iamsim matrix (\"format\": \"iamsim-matrix/v1\")";
    return std::nullopt;
  }
  model::Matrix m;
  try {
    m.world = j.value("world", "");
    m.axes.principals = j.at("principals").get<std::vector<std::string>>();
    m.axes.actions = j.at("actions").get<std::vector<std::string>>();
    m.axes.resources = j.at("resources").get<std::vector<std::string>>();
    for (const auto& c : j.at("allowed"))
      m.allowed.push_back({c.at("principal").get<std::string>(), c.at("action").get<std::string>(), c.at("resource").get<std::string>()});
  } catch (const nlohmann::json::exception& e) {
    error = std::string("malformed matrix: ") + e.what();
    return std::nullopt;
  }
  std::sort(m.allowed.begin(), m.allowed.end());
  return m;
}

std::size_t MatrixDiff::widened() const {
  return static_cast<std::size_t>(std::count_if(changes.begin(), changes.end(), [](const DiffEntry& e) { return e.widened; }));
}

MatrixDiff diff_matrices(const model::Matrix& old_m, const model::Matrix& new_m) {
  MatrixDiff d;
  std::vector<model::MatrixCell> gained, lost;
  std::set_difference(new_m.allowed.begin(), new_m.allowed.end(), old_m.allowed.begin(), old_m.allowed.end(),
                      std::back_inserter(gained));
  std::set_difference(old_m.allowed.begin(), old_m.allowed.end(), new_m.allowed.begin(), new_m.allowed.end(),
                      std::back_inserter(lost));
  for (auto& c : gained) d.changes.push_back({std::move(c), true, {}});
  for (auto& c : lost) d.changes.push_back({std::move(c), false, {}});
  return d;
}

void render_diff_text(std::string& out, const MatrixDiff& d, const std::string& old_name, const std::string& new_name) {
  out += "iamsim diff " + old_name + " -> " + new_name + ": " + std::to_string(d.widened()) + " widened, " +
         std::to_string(d.narrowed()) + " narrowed\n";
  for (const auto& e : d.changes) {
    out += e.widened ? "  WIDENED  deny -> allow  " : "  narrowed allow -> deny  ";
    out += e.cell.principal + " " + e.cell.action + " " + e.cell.resource + "\n";
    if (!e.why.empty()) out += "           " + e.why + "\n";
  }
}

void render_diff_json(std::string& out, const MatrixDiff& d) {
  JsonWriter w(out);
  w.begin_object();
  w.key("widened").value(d.widened());
  w.key("narrowed").value(d.narrowed());
  w.key("changes").begin_array();
  for (const auto& e : d.changes) {
    w.begin_object();
    w.key("change").value(e.widened ? "widened" : "narrowed");
    w.key("principal").value(e.cell.principal);
    w.key("action").value(e.cell.action);
    w.key("resource").value(e.cell.resource);
    w.key("before").value(e.widened ? "deny" : "allow");
    w.key("after").value(e.widened ? "allow" : "deny");
    w.key("why").value(e.why);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  out += "\n";
}

}  // namespace iamsim::cli
