// The Catch2 entry point for every unit, corpus and CLI test.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
