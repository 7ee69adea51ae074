// Bench: synthetic world generator. Chooses the expectations: for each kind of path (an
// IRSA role reached, a :sub that does not match, an SCP that denies, ...) it picks a
// principal, action and resource from the world, asks the oracle, and keeps the question
// only when the oracle's answer and reason are the ones the kind is about.
#pragma once

#include <string>
#include <vector>

#include "model.hpp"
#include "oracle.hpp"
#include "rng.hpp"

namespace genworld {

struct Expectation {
  std::string kind;  // e.g. irsa-wrong-sub
  PrincipalSpec principal;
  std::string action;
  ResourceSpec resource;
  Verdict verdict;
  bool long_form = false;
};

// Every kind the generator knows, in the order a world is guaranteed to cover them.
std::vector<std::string> expectation_kinds();

// One sentence on what a kind checks, with the rules of docs/rules.md it rests on.
std::string kind_description(const std::string& kind);

std::vector<Expectation> make_expectations(const World& world, const Oracle& oracle, Rng rng, int count);

std::string principal_text(const World& world, const PrincipalSpec& p);
std::string resource_text(const World& world, const ResourceSpec& r);

}  // namespace genworld
