// Stage: paths. A question about the world ("can PRINCIPAL do ACTION on RESOURCE?") becomes
// the chain of calls AWS really sees: the pod's credentials (IRSA or Pod Identity), each
// role assumed in turn, the request itself, and the KMS call S3 makes for SSE-KMS objects.
// Each hop is decided by the engine and kept, with its request and policies, for the
// explanation. A missing link (no annotation, no OIDC provider, an unknown role) is a deny
// that says which link is missing.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/eval/authorize.hpp"
#include "model/paths/compiled_world.hpp"
#include "model/paths/notes.hpp"

namespace iamsim::model {

// One request the engine decided, with its policies. A value: the decision refers to the
// compiled world's policies, not to this policy set, so it can be copied and kept (as long
// as the compiled world lives).
struct EvaluatedRequest {
  eval::Request request;
  eval::PolicySet policies;
  eval::Decision decision;
};

// InstanceMetadata: the pod takes its node's instance role from IMDS (K8); the hop's request
// is EC2 assuming that role for the instance profile.
enum class HopKind { Credentials, WebIdentity, PodIdentity, TagSession, AssumeRole, InstanceMetadata, Request, Kms };
std::string_view to_string(HopKind kind);

struct Hop {
  HopKind kind = HopKind::Request;
  std::string title;  // "assume role arn:... via web identity (IRSA)"
  eval::Outcome outcome = eval::Outcome::ImplicitDeny;
  std::shared_ptr<const EvaluatedRequest> evaluated;  // null when a missing link decided
  std::optional<Note> missing_link;                   // why no request could be made
  std::vector<Note> notes;                            // findings worth a warning

  bool allowed() const { return outcome == eval::Outcome::Allow; }
};

struct Access {
  // When the answer differs by where the pod runs (K9): Allow, the access that exists somewhere.
  eval::Outcome outcome = eval::Outcome::ImplicitDeny;
  std::vector<Hop> hops;  // in order; the last one decided when denied
  // K9: the outcome on each place the pod may run ("node group general"), when it may run
  // on more than one; the hops are those of the first allowed place, else of the first.
  std::vector<std::pair<std::string, eval::Outcome>> placements;
  bool allowed() const { return outcome == eval::Outcome::Allow; }
  // The hop that denied, or null when allowed.
  const Hop* deciding_hop() const;
};

struct Question {
  PrincipalRef principal;
  std::string action;
  std::string resource_arn;
  Context context;  // on top of the world's defaults
};

// The identity side of a caller from an account outside the world: its policies are its own,
// so they are taken to allow everything (design: outsiders control their own account).
const eval::AttachedPolicy& outsider_identity_policy();

// B7: the KMS action S3 calls with the caller's credentials for an S3 action on an SSE-KMS
// object (`action` lower-cased): kms:Decrypt for reads, kms:GenerateDataKey for writes;
// empty for actions that make no KMS call.
std::string_view kms_action_for_s3(std::string_view action);

// B8: does the client's context key reach a call a service makes on its behalf with its
// credentials (S3 -> KMS for SSE-KMS objects)? Those of the credentials and the session, the
// time and the transport do; the network keys and the first request's own keys do not.
bool reaches_service_call(std::string_view key_name);

// Does an outcome satisfy an expectation? (`deny` accepts either kind.)
bool satisfies(eval::Outcome outcome, Expect expect);
// K9: an expectation about a pod holds only if it holds wherever the pod may run.
bool satisfies(const Access& access, Expect expect);

// Answers questions about one compiled world; thread-safe. How a principal reference
// gets its credentials is computed once per reference and shared: lookups take a shared
// lock, so threads contend only when a new reference is resolved.
class AccessResolver {
 public:
  explicit AccessResolver(std::shared_ptr<const CompiledWorld> world);
  ~AccessResolver();

  Access decide(const Question& question) const;
  const CompiledWorld& world() const { return *world_; }

  struct Session;  // who makes the next call, and how it got its credentials

 private:
  std::shared_ptr<const Session> session_for(const PrincipalRef& principal) const;
  std::shared_ptr<const Session> resolve(const PrincipalRef& principal) const;
  Access decide_on(const Question& question, const Session& session) const;

  std::shared_ptr<const CompiledWorld> world_;
  mutable std::shared_mutex mutex_;
  mutable std::unordered_map<std::string, std::shared_ptr<const Session>> sessions_;
};

}  // namespace iamsim::model
