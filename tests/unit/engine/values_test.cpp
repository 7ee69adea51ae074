// Tests: the typed value readers (engine/syntax/values.hpp): CIDRs (C12), instants (C9),
// numbers (C8), booleans (C10) and base64 (C11). Each must read a value fully or reject it.
#include <catch2/catch.hpp>

#include "engine/syntax/values.hpp"

using namespace iamsim::syntax;

namespace {

Cidr cidr(const char* text) {
  INFO(text);
  auto c = parse_cidr(text);
  REQUIRE(c);
  return *c;
}

bool contains(const char* network, const char* address) { return cidr(network).contains(cidr(address)); }

}  // namespace

// ---------------------------------------------------------------------------------------
// CIDRs (C12)

TEST_CASE("C12 an IPv4 CIDR keeps its bytes and prefix", "[engine][values][C12]") {
  const Cidr c = cidr("10.20.30.40/8");
  CHECK(c.v4);
  CHECK(c.prefix == 8);
  CHECK(c.bytes[0] == 10);
  CHECK(c.bytes[1] == 20);
  CHECK(c.bytes[2] == 30);
  CHECK(c.bytes[3] == 40);
}

TEST_CASE("C12 IPv4 prefix bounds are /0 to /32", "[engine][values][C12]") {
  CHECK(cidr("0.0.0.0/0").prefix == 0);
  CHECK(cidr("203.0.113.5/32").prefix == 32);
  CHECK_FALSE(parse_cidr("203.0.113.5/33"));
  CHECK_FALSE(parse_cidr("1.2.3.4/40"));
}

TEST_CASE("C12 a bare address is a /32 (IPv4) or a /128 (IPv6)", "[engine][values][C12]") {
  const Cidr v4 = cidr("203.0.113.5");
  CHECK(v4.v4);
  CHECK(v4.prefix == 32);
  const Cidr v6 = cidr("2001:db8::1");
  CHECK_FALSE(v6.v4);
  CHECK(v6.prefix == 128);
}

TEST_CASE("C12 IPv6 forms: ::, compressed, full, embedded IPv4", "[engine][values][C12]") {
  const Cidr all_zero = cidr("::");
  CHECK_FALSE(all_zero.v4);
  CHECK(all_zero.prefix == 128);
  for (auto b : all_zero.bytes) CHECK(b == 0);

  const Cidr loopback = cidr("::1");
  CHECK(loopback.bytes[15] == 1);
  CHECK(loopback.bytes[14] == 0);

  const Cidr trailing = cidr("fe80::");
  CHECK(trailing.bytes[0] == 0xfe);
  CHECK(trailing.bytes[1] == 0x80);
  CHECK(trailing.bytes[15] == 0);

  // The compressed and the full form are the same address.
  CHECK(cidr("2001:db8::1").bytes == cidr("2001:0db8:0:0:0:0:0:1").bytes);
  CHECK(cidr("2001:DB8::1").bytes == cidr("2001:db8::1").bytes);

  const Cidr mapped = cidr("::ffff:1.2.3.4");
  CHECK_FALSE(mapped.v4);
  CHECK(mapped.prefix == 128);
  CHECK(mapped.bytes[9] == 0);
  CHECK(mapped.bytes[10] == 0xff);
  CHECK(mapped.bytes[11] == 0xff);
  CHECK(mapped.bytes[12] == 1);
  CHECK(mapped.bytes[13] == 2);
  CHECK(mapped.bytes[14] == 3);
  CHECK(mapped.bytes[15] == 4);

  CHECK(cidr("2001:db8::/32").prefix == 32);
  CHECK(cidr("::/0").prefix == 0);
  CHECK_FALSE(parse_cidr("2001:db8::/129"));
}

TEST_CASE("C12 invalid CIDRs are rejected", "[engine][values][C12]") {
  const char* invalid[] = {
      "",                   // nothing
      "abc",                // no address
      "999.1.1.1/40",       // octet and prefix out of range
      "999.1.1.1",          // octet > 255
      "256.0.0.0",          //
      "01.2.3.4",           // leading zero
      "1.2.3.04",           // leading zero
      "1.2.3",              // too few octets
      "1.2.3.4.5",          // too many octets
      "1234.1.1.1",         // four digits
      "1.2.3.4/",           // empty prefix
      "1.2.3.4/x",          // prefix not a number
      "1.2.3.4/8x",         // trailing text
      "1.2.3.4/+8",         // signed prefix
      "1.2.3.4 /8",         // space
      "1:2:3:4:5:6:7:8:9",  // too many groups
      "1:2:3:4:5:6:7",      // too few groups without ::
      "1:2:3:4:5:6:7:8::",  // :: standing for no group
      "::1:2:3:4:5:6:7:8",  //
      "1::2::3",            // two ::
      ":::",                //
      ":1:2:3:4:5:6:7",     // single leading colon
      "1:2:3:4:5:6:7:",     // single trailing colon
      "12345::",            // group of five digits
      "g::1",               // not hex
      "::ffff:1.2.3.999",   // bad embedded IPv4
      "::ffff:1.2.3",       //
  };
  for (const char* text : invalid) {
    INFO(text);
    CHECK_FALSE(parse_cidr(text));
  }
}

// Regression: parse_cidr read the prefix with std::from_chars<int>, which accepts a
// leading '-', so "10.0.0.0/-0" was read as 10.0.0.0/0 (everything).
TEST_CASE("C12 a negative or over-long prefix such as /-0 is rejected", "[engine][values][C12]") {
  CHECK_FALSE(parse_cidr("10.0.0.0/-0"));
  CHECK_FALSE(parse_cidr("::/-0"));
  CHECK_FALSE(parse_cidr("10.0.0.0/0008"));
  CHECK(parse_cidr("10.0.0.0/08"));
}

TEST_CASE("C12 contains() at the prefix boundaries", "[engine][values][C12]") {
  // Octet boundary.
  CHECK(contains("10.1.0.0/16", "10.1.0.0"));
  CHECK(contains("10.1.0.0/16", "10.1.255.255"));
  CHECK_FALSE(contains("10.1.0.0/16", "10.0.255.255"));
  CHECK_FALSE(contains("10.1.0.0/16", "10.2.0.0"));
  // Inside an octet: /30 is .4 to .7.
  CHECK(contains("192.168.1.4/30", "192.168.1.4"));
  CHECK(contains("192.168.1.4/30", "192.168.1.7"));
  CHECK_FALSE(contains("192.168.1.4/30", "192.168.1.3"));
  CHECK_FALSE(contains("192.168.1.4/30", "192.168.1.8"));
  // /31 and /1.
  CHECK(contains("192.168.1.6/31", "192.168.1.7"));
  CHECK_FALSE(contains("192.168.1.6/31", "192.168.1.5"));
  CHECK(contains("128.0.0.0/1", "255.255.255.255"));
  CHECK_FALSE(contains("128.0.0.0/1", "127.255.255.255"));
  // Host bits in the network do not matter.
  CHECK(contains("10.1.2.3/8", "10.200.0.1"));
  // /32 is one address; /0 is every IPv4 address.
  CHECK(contains("203.0.113.5", "203.0.113.5"));
  CHECK_FALSE(contains("203.0.113.5", "203.0.113.6"));
  CHECK(contains("0.0.0.0/0", "255.255.255.255"));
  // IPv6.
  CHECK(contains("2001:db8::/32", "2001:db8:ffff::1"));
  CHECK_FALSE(contains("2001:db8::/32", "2001:db9::"));
  CHECK(contains("2001:db8::/127", "2001:db8::1"));
  CHECK_FALSE(contains("2001:db8::/127", "2001:db8::2"));
  CHECK(contains("::/0", "ffff::"));
  CHECK(contains("2001:db8::1", "2001:db8::1"));
  CHECK_FALSE(contains("2001:db8::1", "2001:db8::2"));
  // The families never mix.
  CHECK_FALSE(contains("0.0.0.0/0", "::1"));
  CHECK_FALSE(contains("::/0", "1.2.3.4"));
}

// ---------------------------------------------------------------------------------------
// Instants (C9): milliseconds since the epoch

TEST_CASE("C9 ISO 8601 dates, times, fractions and Z", "[engine][values][C9]") {
  CHECK(parse_instant("1970-01-01") == 0);
  CHECK(parse_instant("2020-01-01") == 1577836800000);
  CHECK(parse_instant("2020-01-01T00:00:01Z") == 1577836801000);
  CHECK(parse_instant("2020-01-01T00:00:01z") == 1577836801000);
  CHECK(parse_instant("2020-01-01T00:00:01") == 1577836801000);
  CHECK(parse_instant("2020-01-01T12:34Z") == 1577836800000 + (12 * 3600 + 34 * 60) * 1000LL);
  CHECK(parse_instant("2020-01-01T00:00:00.5Z") == 1577836800500);
  CHECK(parse_instant("2020-01-01T00:00:00.123456Z") == 1577836800123);
  CHECK(parse_instant("2020-01-01T00:00:00.1Z") == 1577836800100);
  CHECK(*parse_instant("2020-01-01T00:00:00.999Z") < *parse_instant("2020-01-01T00:00:01Z"));
  CHECK(parse_instant("2020-02-29") == 1582934400000);
  CHECK(parse_instant("2000-02-29"));
}

TEST_CASE("C9 an offset is subtracted: +02:00 is two hours earlier in UTC", "[engine][values][C9]") {
  CHECK(parse_instant("2020-01-01T02:00:00+02:00") == parse_instant("2020-01-01T00:00:00Z"));
  CHECK(parse_instant("2019-12-31T19:00:00-05:00") == parse_instant("2020-01-01T00:00:00Z"));
  CHECK(parse_instant("2020-01-01T00:00:00+0530") == 1577836800000 - (5 * 3600 + 30 * 60) * 1000LL);
  CHECK(parse_instant("2020-01-01T00:00:00+00:00") == 1577836800000);
}

TEST_CASE("C9 epoch seconds are instants too", "[engine][values][C9]") {
  CHECK(parse_instant("0") == 0);
  CHECK(parse_instant("1577836800") == parse_instant("2020-01-01T00:00:00Z"));
  CHECK(parse_instant("253402300799") == 253402300799000);
  CHECK_FALSE(parse_instant("253402300800"));
  CHECK_FALSE(parse_instant("99999999999999999999999"));
  CHECK_FALSE(parse_instant("-1"));
}

TEST_CASE("C9 impossible and malformed dates are rejected", "[engine][values][C9]") {
  const char* invalid[] = {
      "",
      "yesterday",
      "2021-02-29",                 // not a leap year
      "1900-02-29",                 // century, not a leap year
      "2020-13-01",                 // month 13
      "2020-00-10",                 // month 0
      "2020-01-32",                 //
      "2020-04-31",                 // April has 30 days
      "2020-01-00",                 //
      "2020-01-01T24:00:00Z",       // hour 24
      "2020-01-01T23:60:00Z",       // minute 60
      "2020-01-01T23:59:61Z",       // second 61
      "2020-1-1",                   // one-digit month and day
      "20-01-01",                   // two-digit year
      "2020-01-01T",                // T without a time
      "2020-01-01T10",              // hour without minutes
      "2020-01-01 10:00:00Z",       // space instead of T
      "2020-01-01X",                //
      "2020-01-01T00:00:00ZZ",      //
      "2020-01-01T00:00:00+2",      // one-digit offset
      "2020-01-01T00:00:00+24:00",  // offset hour 24
      "2020-01-01T00:00:00.Z",      // empty fraction
  };
  for (const char* text : invalid) {
    INFO(text);
    CHECK_FALSE(parse_instant(text));
  }
}

// ---------------------------------------------------------------------------------------
// Numbers (C8)

TEST_CASE("C8 integers, decimals and negatives are numbers", "[engine][values][C8]") {
  CHECK(parse_number("42") == 42.0);
  CHECK(parse_number("0") == 0.0);
  CHECK(parse_number("-3") == -3.0);
  CHECK(parse_number("2.5") == 2.5);
  CHECK(parse_number("-0.25") == -0.25);
  CHECK(parse_number("+7") == 7.0);
  CHECK(parse_number("1.50") == 1.5);
  CHECK(parse_number("3600") == 3600.0);
}

TEST_CASE("C8 exponents, empty text and other non-numbers are rejected", "[engine][values][C8]") {
  const char* invalid[] = {"", "1e5", "1E5", "2.5e-3", "abc", "1.2.3", " 5", "5 ", "0x10", "-", "+", "ten", "1,000"};
  for (const char* text : invalid) {
    INFO(text);
    CHECK_FALSE(parse_number(text));
  }
}

// Regression: parse_number used std::from_chars(chars_format::fixed), which also reads
// "nan" and "inf", after skipping one '+', so "+-5" read as -5. None of these is an integer
// or a decimal (C8): a policy value like "nan" must be rejected (docs/rules.md choice 10).
TEST_CASE("C8 nan, inf and a doubled sign are not numbers", "[engine][values][C8]") {
  CHECK_FALSE(parse_number("nan"));
  CHECK_FALSE(parse_number("inf"));
  CHECK_FALSE(parse_number("-infinity"));
  CHECK_FALSE(parse_number("+-5"));
}

// ---------------------------------------------------------------------------------------
// Booleans (C10)

TEST_CASE("C10 booleans are read case-insensitively by default", "[engine][values][C10]") {
  CHECK(parse_bool("true", false) == true);
  CHECK(parse_bool("false", false) == false);
  CHECK(parse_bool("True", false) == true);
  CHECK(parse_bool("TRUE", false) == true);
  CHECK(parse_bool("fAlSe", false) == false);
}

TEST_CASE("C10 case-sensitive booleans accept only lower case", "[engine][values][C10]") {
  CHECK(parse_bool("true", true) == true);
  CHECK(parse_bool("false", true) == false);
  CHECK_FALSE(parse_bool("True", true));
  CHECK_FALSE(parse_bool("FALSE", true));
}

TEST_CASE("C10 other words are not booleans in either mode", "[engine][values][C10]") {
  for (bool case_sensitive : {false, true}) {
    for (const char* text : {"", "yes", "no", "1", "0", "truee", "tru", " true", "true "}) {
      INFO(text << " case_sensitive=" << case_sensitive);
      CHECK_FALSE(parse_bool(text, case_sensitive));
    }
  }
}

// ---------------------------------------------------------------------------------------
// Base64 (C11)

TEST_CASE("C11 base64 decodes with and without padding", "[engine][values][C11]") {
  CHECK(decode_base64("") == std::string());
  CHECK(decode_base64("QQ==") == std::string("A"));
  CHECK(decode_base64("QUI=") == std::string("AB"));
  CHECK(decode_base64("QUJD") == std::string("ABC"));
  CHECK(decode_base64("aGVsbG8gd29ybGQ=") == std::string("hello world"));
  CHECK(decode_base64("AP8=") == std::string("\x00\xff", 2));
  CHECK(decode_base64("+/+/") == std::string("\xfb\xff\xbf", 3));
}

TEST_CASE("C11 invalid base64 is rejected", "[engine][values][C11]") {
  const char* invalid[] = {
      "QQ",        // missing padding (length not a multiple of 4)
      "QQ=",       //
      "Q===",      // three padding characters
      "====",      //
      "QQ=A",      // data after padding
      "QQ==QUJD",  // padding in the middle
      "QU!D",      // not in the alphabet
      "-_-_",      // URL-safe alphabet
      "QUJD\n",    // whitespace
      "QU D",      //
  };
  for (const char* text : invalid) {
    INFO(text);
    CHECK_FALSE(decode_base64(text));
  }
  // The length rule holds for a view into longer valid text: nothing past the view is read.
  const std::string buffer = "QUJDQUJD";
  CHECK_FALSE(decode_base64(std::string_view(buffer).substr(0, 6)));
  CHECK_FALSE(decode_base64(std::string_view(buffer).substr(0, 7)));
  CHECK(decode_base64(std::string_view(buffer).substr(0, 4)) == std::string("ABC"));
}
