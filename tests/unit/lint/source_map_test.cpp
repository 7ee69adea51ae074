// Tests: JSON pointers placed in their source (lint/source_map.hpp): members at their key,
// array items at their value, escaped keys (RFC 6901 ~0, ~1), characters counted as
// characters, and pointers the text does not hold.
#include <catch2/catch.hpp>

#include "lint/source_map.hpp"

using iamsim::lint::locate_json_pointer;

TEST_CASE("lint: a JSON pointer's line and column", "[lint]") {
  const std::string json =
      "{\n"
      "  \"Version\": \"2012-10-17\",\n"
      "  \"Statement\": [\n"
      "    {\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\", \"s3:PutObject\"],\n"
      "     \"Condition\": {\"StringEquals\": {\"a/b~c\": \"x\", \"caf\xc3\xa9\": \"y\"}}}\n"
      "  ]\n"
      "}\n";
  auto at = [&](std::string_view pointer) {
    auto p = locate_json_pointer(json, pointer);
    return p ? std::to_string(p->line) + ":" + std::to_string(p->column) : std::string("none");
  };
  CHECK(at("") == "1:1");
  CHECK(at("/Version") == "2:3");
  CHECK(at("/Statement/0") == "4:5");
  CHECK(at("/Statement/0/Effect") == "4:6");
  CHECK(at("/Statement/0/Action/1") == "4:52");
  CHECK(at("/Statement/0/Condition/StringEquals/a~1b~0c") == "5:37");
  CHECK(at("/Statement/1") == "none");
  CHECK(at("/Statement/0/Nope") == "none");
  CHECK(at("/Version/0") == "none");
  // A string holding brackets and quotes does not confuse the scanner.
  const std::string tricky = R"({"Sid": "a]}\"[{", "Effect": "Deny"})";
  REQUIRE(locate_json_pointer(tricky, "/Effect"));
  CHECK(locate_json_pointer(tricky, "/Effect")->column == 20);
}
