// Stage: prove. Is there a request, among all that one caller can send on objects under a
// pattern, that `eval::authorize` allows under one policy set? The request's free parts (an
// outside caller's account and names, the object key, every context key the world does not
// fix) are solver variables (Z3); the set's statements and layers become one formula with
// authorize's semantics (docs/proof-engine.md). What the encoding does not model is a free
// boolean ("havoc"): it may take either value, so "no request" stays a proof, and a request
// found through one is only a candidate that authorize decides.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/eval/authorize.hpp"

namespace iamsim::prove {

// The form of a caller from outside the world. Its identity side is its own account's and is
// assumed to allow (the set carries an allow-everything identity policy); it has no SCPs,
// boundary or session policy.
enum class OutsiderForm { User, RoleSession, Root, Anonymous };
std::string_view to_string(OutsiderForm form);

// Where the request comes from (the couplings AWS keeps between the network keys).
// ServiceCall: the call S3 makes to KMS with the caller's credentials for an SSE-KMS object
// (B7): only the client's keys that reach such a call are on it (B8, shared with the S3
// request), none of the network keys, and kms:EncryptionContext:aws:s3:arn is the object.
enum class Origin { Internet, WorldEndpoint, OtherEndpoint, ServiceCall };

struct RequestSpace {
  // The caller: a principal of the world, whose keys `fixed` holds (a key of the principal it
  // does not hold, such as a tag it lacks, is absent); or, without one, any caller of `form`
  // from outside the world.
  std::optional<eval::Principal> principal;
  OutsiderForm form = OutsiderForm::User;
  std::string action;           // one action
  std::string resource_prefix;  // "arn:aws:s3:::BUCKET/": the resource is this + a non-empty key
  std::string key_glob = "*";   // the key matches this IAM wildcard pattern ('*', '?')
  bool exact_resource = false;  // the resource is resource_prefix itself (a role, a bucket)
  std::string resource_account;
  bool resource_in_management_account = false;  // R4
  std::vector<std::string> excluded_accounts;   // an outsider's account is none of these
  std::vector<std::string> excluded_org_ids;    // its aws:PrincipalOrgID, when present, none of these
  eval::Context fixed;  // keys the world fixes (the principal's, aws:ResourceAccount, aws:ResourceOrgID...)
  Origin origin = Origin::Internet;
  std::string endpoint_id, vpc_id;           // WorldEndpoint (vpc_id may be empty: any)
  std::vector<std::string> world_endpoints;  // OtherEndpoint: its id is none of these
  std::string encrypted_object_prefix;       // ServiceCall: "arn:aws:s3:::BUCKET/", before the object key
};

struct Search {
  enum class Verdict { Found, None, Unknown } verdict = Verdict::Unknown;
  std::optional<eval::Request> request;  // Found: authorize allows it
  // Found by find_new_request: the same request as the baseline side sees it (its caller,
  // what its world fixes), which authorize denies under the baseline's set.
  std::optional<eval::Request> baseline_request;
  // Found by find_request_with_service_call: the KMS call S3 makes for it, which authorize
  // allows under the key's set.
  std::optional<eval::Request> service_call;
  std::vector<std::string> havoc;  // what the formula did not model
  // None, from a plain search: what keeps the space out. The Deny statements that refuse a
  // request the grants would let in; or, when the grants let in none, the layers that grant
  // nothing of the space ("the resource policy", "the SCPs of level 1 (root first)", ...).
  std::vector<eval::StatementRef> bounding_denies;
  std::vector<std::string> missing_grants;
  // Two of missing_grants' names, which a caller may word for its own resource.
  static constexpr std::string_view resource_layer = "the resource policy";
  static constexpr std::string_view no_single_layer = "no layer with every other at once";
  std::string unknown_reason;  // Unknown: why
};

// Thrown when the solver's request is one authorize denies though no havoc was involved:
// the two engines disagree, which is a bug (exit 3).
class EngineDisagreement : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// The solver's workspace. Making one costs milliseconds, more than many searches: a sequence
// of searches (one claim's) shares one. Its answers depend on what it has seen, so a shared
// one gives the same answers only to the same sequence: one per claim, never per thread.
class SearchContext {
 public:
  SearchContext();
  ~SearchContext();
  SearchContext(const SearchContext&) = delete;
  SearchContext& operator=(const SearchContext&) = delete;
  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

Search find_allowed_request(SearchContext& context, const RequestSpace& space, const eval::PolicySet& set,
                            const Semantics& semantics, std::chrono::milliseconds timeout = std::chrono::seconds(20));
// Is there a request that `set` allows and `baseline_set` denies (no_new_access)? The two
// spaces describe one request as two worlds see it: the same action, resource and origin,
// their free keys shared (the caller's free parts too, for an outsider); what each world
// fixes (its caller's ARN, tags, organization) is its own. Without `baseline_set` the
// baseline allows nothing: the plain search.
Search find_new_request(SearchContext& context, const RequestSpace& space, const eval::PolicySet& set,
                        const RequestSpace& baseline_space, const eval::PolicySet* baseline_set,
                        const Semantics& semantics, std::chrono::milliseconds timeout = std::chrono::seconds(20));

// Is there a request that `set` allows and whose KMS call (`call_space`, origin ServiceCall:
// the same caller, the keys that reach the call shared) `call_set` allows too (B7)? Both are
// replayed through authorize.
Search find_request_with_service_call(SearchContext& context, const RequestSpace& space, const eval::PolicySet& set,
                                      const RequestSpace& call_space, const eval::PolicySet& call_set,
                                      const Semantics& semantics,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(20));

// The same in a workspace of its own.
Search find_allowed_request(const RequestSpace& space, const eval::PolicySet& set, const Semantics& semantics,
                            std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace iamsim::prove
