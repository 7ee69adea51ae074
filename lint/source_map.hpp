// Stage: lint. Where a JSON pointer of a policy document is written: a line and column in the
// policy's own JSON or YAML file, or in the scenario file that holds it inline. Findings are
// made with pointers (as the policy parser reports them) and placed here, once, for display.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "engine/diagnostic.hpp"
#include "model/world.hpp"

namespace iamsim::lint {

// The 1-based line and column (in characters) of the value or member `pointer` names in a
// JSON text; nullopt when the text does not hold it. A member is placed at its key.
struct TextPosition {
  int line = 0, column = 0;
};
std::optional<TextPosition> locate_json_pointer(std::string_view json, std::string_view pointer);

class SourceMap {
 public:
  SourceMap();
  ~SourceMap();

  // The location of `pointer` (relative to the document's root) in the document's source:
  // its file, line and column when they can be found, and the pointer.
  SourceLocation locate(const model::PolicyDocument& document, std::string_view pointer);

 private:
  struct YamlFile;
  const YamlFile* yaml_file(const std::string& path);
  std::map<std::string, std::unique_ptr<YamlFile>> yaml_files_;  // read once each
};

}  // namespace iamsim::lint
