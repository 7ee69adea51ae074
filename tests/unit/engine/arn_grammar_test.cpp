// Tests: the X3 ARN grammar (engine/syntax/arn.hpp): six parts, the resource part keeps
// colons and slashes, empty region/account, and errors with a column and a caret line (RS1).
#include <catch2/catch.hpp>

#include "engine/syntax/arn.hpp"

using iamsim::syntax::ArnError;
using iamsim::syntax::caret_line;
using iamsim::syntax::parse_arn;

TEST_CASE("RS1 an ARN splits into partition, service, region, account and resource", "[engine][arn][RS1]") {
  const auto arn = parse_arn("arn:aws:s3:us-east-1:111111111111:bucket/key");
  REQUIRE(arn);
  CHECK(arn->partition == "aws");
  CHECK(arn->service == "s3");
  CHECK(arn->region == "us-east-1");
  CHECK(arn->account == "111111111111");
  CHECK(arn->resource == "bucket/key");

  const auto cn = parse_arn("arn:aws-cn:iam::222222222222:role/app");
  REQUIRE(cn);
  CHECK(cn->partition == "aws-cn");
  CHECK(cn->service == "iam");
}

TEST_CASE("RS1 the resource part keeps its colons and slashes", "[engine][arn][RS1]") {
  const auto arn = parse_arn("arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/f:*");
  REQUIRE(arn);
  CHECK(arn->region == "us-east-1");
  CHECK(arn->account == "111111111111");
  CHECK(arn->resource == "log-group:/aws/lambda/f:*");

  const auto colons = parse_arn("arn:aws:svc:r:a:x:y:z");
  REQUIRE(colons);
  CHECK(colons->account == "a");
  CHECK(colons->resource == "x:y:z");

  const auto slashes = parse_arn("arn:aws:s3:::bucket//a/b/");
  REQUIRE(slashes);
  CHECK(slashes->resource == "bucket//a/b/");
}

TEST_CASE("RS1 the region and the account may be empty", "[engine][arn][RS1]") {
  const auto s3 = parse_arn("arn:aws:s3:::data-bucket");
  REQUIRE(s3);
  CHECK(s3->region.empty());
  CHECK(s3->account.empty());
  CHECK(s3->resource == "data-bucket");

  const auto iam = parse_arn("arn:aws:iam::111111111111:user/alice");
  REQUIRE(iam);
  CHECK(iam->region.empty());
  CHECK(iam->account == "111111111111");

  const auto regional = parse_arn("arn:aws:sqs:eu-west-1::queue");
  REQUIRE(regional);
  CHECK(regional->region == "eu-west-1");
  CHECK(regional->account.empty());
}

TEST_CASE("RS1 wildcards and variables are plain characters to the grammar", "[engine][arn][RS1]") {
  const auto arn = parse_arn("arn:aws:s3:*:*:home/${aws:username}/*");
  REQUIRE(arn);
  CHECK(arn->region == "*");
  CHECK(arn->account == "*");
  CHECK(arn->resource == "home/${aws:username}/*");
}

TEST_CASE("RS1 an ARN error names the column where the grammar failed", "[engine][arn][RS1]") {
  struct Case {
    const char* text;
    std::size_t column;
    const char* message;
  };
  const Case cases[] = {
      {"", 0, "expected an ARN of the form"},
      {"bucket/key", 0, "expected an ARN of the form"},
      {"arnx:aws:s3:::b", 3, "expected ':'"},
      {"arn::s3:::b", 4, "expected a partition"},
      {"arn:aws::::b", 8, "expected a service name"},
      {"arn:aws:s3:::", 13, "expected a resource part"},
      // Text that ends before the fifth ':' says how many parts it has.
      {"arn:aws", 7, "separated by five ':'; this one has 1"},
      {"arn:aws:s3", 10, "separated by five ':'; this one has 2"},
      {"arn:aws:s3:us-east-1", 20, "separated by five ':'; this one has 3"},
      {"arn:aws:s3:us-east-1:111111111111", 33, "separated by five ':'; this one has 4"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    ArnError err;
    err.column = 999;
    CHECK_FALSE(parse_arn(c.text, &err));
    CHECK(err.column == c.column);
    CHECK_THAT(err.message, Catch::Contains(c.message));
  }
}

TEST_CASE("RS1 parse_arn without an error out-parameter still rejects", "[engine][arn][RS1]") {
  CHECK_FALSE(parse_arn("arn:aws:s3"));
  CHECK(parse_arn("arn:aws:s3:::b"));
}

TEST_CASE("RS1 caret_line puts the caret under the failing column", "[engine][arn][RS1]") {
  CHECK(caret_line("arn:aws", 7) == "  arn:aws\n         ^");
  CHECK(caret_line("abc", 0) == "  abc\n  ^");

  const std::string text = "arn:aws:s3:us-east-1";
  ArnError err;
  REQUIRE_FALSE(parse_arn(text, &err));
  const std::string line = caret_line(text, err.column);
  const auto newline = line.find('\n');
  REQUIRE(newline != std::string::npos);
  CHECK(line.substr(0, newline) == "  " + text);
  // The caret sits under the character after "us-east-1" (the missing ':').
  CHECK(line.find('^') - (newline + 1) == 2 + 20);
  CHECK(line.back() == '^');
}

TEST_CASE("RS1 caret_line cuts a long text to a window around the column", "[engine][arn][RS1]") {
  std::string text;
  for (int i = 0; i < 200; ++i) text += static_cast<char>('a' + i % 26);
  for (std::size_t column : {std::size_t{0}, std::size_t{59}, std::size_t{61}, std::size_t{150}, std::size_t{199}}) {
    INFO("column " << column);
    const std::string line = caret_line(text, column);
    const auto newline = line.find('\n');
    REQUIRE(newline != std::string::npos);
    const std::string first = line.substr(0, newline);
    const std::string second = line.substr(newline + 1);
    // The caret sits under the very character the column names.
    const auto caret = second.find('^');
    REQUIRE(caret != std::string::npos);
    REQUIRE(caret < first.size());
    CHECK(first[caret] == text[column]);
    CHECK(second.find_first_not_of(' ') == caret);
    // The window is bounded, and cut ends are marked.
    CHECK(first.size() <= 2 + 3 + 120 + 3);
    CHECK((first.compare(2, 3, "...") == 0) == (column > 60));
    CHECK((first.size() >= 3 && first.compare(first.size() - 3, 3, "...") == 0) == (column + 60 < text.size()));
  }
}
