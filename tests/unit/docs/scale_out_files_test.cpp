// Tests: docs/scale-out.md shows the GitHub Actions workflow, the Kubernetes Jobs and the
// Dockerfile that docs/scale-out/ holds; each file must be the doc's block, byte for byte, so
// the one a reader copies from the page is the one that was run.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

fs::path source_dir() { return fs::path(IAMSIM_SOURCE_DIR).lexically_normal(); }

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The bodies of the fenced code blocks of a Markdown text.
std::vector<std::string> code_blocks(const std::string& markdown) {
  std::vector<std::string> blocks;
  for (std::size_t pos = markdown.find("\n```"); pos != std::string::npos;) {
    const auto body = markdown.find('\n', pos + 4);
    const auto end = markdown.find("\n```", body);
    if (body == std::string::npos || end == std::string::npos) break;
    blocks.push_back(markdown.substr(body + 1, end + 1 - (body + 1)));
    pos = markdown.find("\n```", end + 4);
  }
  return blocks;
}

}  // namespace

TEST_CASE("docs/scale-out.md shows each file of docs/scale-out/ as it is", "[docs]") {
  const auto blocks = code_blocks(slurp(source_dir() / "docs" / "scale-out.md"));
  REQUIRE(blocks.size() > 4);
  for (const auto* name : {"github-actions.yml", "indexed-job.yaml", "merge-job.yaml", "Dockerfile"}) {
    const auto file = slurp(source_dir() / "docs" / "scale-out" / name);
    INFO(name);
    REQUIRE_FALSE(file.empty());
    CHECK(std::find(blocks.begin(), blocks.end(), file) != blocks.end());
  }
}
