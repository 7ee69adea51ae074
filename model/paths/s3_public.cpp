// Stage: paths. B4, B5.
#include "model/paths/s3_public.hpp"

#include <algorithm>
#include <iterator>

namespace iamsim::model {
namespace {

bool pinning_key(std::string_view lower_key, bool kms_caller_account) {
  if (kms_caller_account && lower_key == "kms:calleraccount") return true;
  static constexpr std::string_view keys[] = {"aws:principalorgid",
                                              "aws:principalarn",
                                              "aws:principalaccount",
                                              "aws:sourcearn",
                                              "aws:sourcevpc",
                                              "aws:sourcevpce",
                                              "aws:sourceowner",
                                              "aws:sourceaccount",
                                              "aws:userid",
                                              "s3:dataaccesspointarn",
                                              "s3:dataaccesspointaccount",
                                              "s3:x-amz-server-side-encryption-aws-kms-key-id",
                                              "aws:sourceip"};
  return std::find(std::begin(keys), std::end(keys), lower_key) != std::end(keys);
}

bool wild(std::string_view text) { return text.find_first_of("*?") != std::string_view::npos; }

// IPv4 no broader than /8 and outside RFC 1918; IPv6 no broader than /32.
bool pinning_cidr(const syntax::Cidr& c) {
  if (!c.v4) return c.prefix >= 32;
  if (c.prefix < 8) return false;
  const auto a = c.bytes[0], b = c.bytes[1];
  return !(a == 10 || (a == 172 && (b & 0xF0) == 16) || (a == 192 && b == 168));
}

}  // namespace

bool pins_caller(const compile::CompiledCondition& c, PinRules rules) {
  // Negated operators, ...IfExists and ForAllValues let requests without the key through.
  if (c.negated || c.if_exists || c.qualifier == compile::SetQualifier::ForAllValues) return false;
  if (!pinning_key(c.key, rules.kms_caller_account)) return false;
  if (c.key == "aws:sourceip") {
    if (c.type != compile::ValueType::Ip || c.cidrs.empty()) return false;
    return std::all_of(c.cidrs.begin(), c.cidrs.end(), pinning_cidr);
  }
  if (c.type == compile::ValueType::String) {
    if (c.strings.empty()) return false;
    for (const auto& p : c.strings) {
      if (p.has_variables() || p.source().empty()) return false;
      if (c.comparison == compile::Comparison::Like && wild(p.source())) return false;
      if (c.key == "aws:userid" && p.source().find(':') != std::string::npos) return false;  // AROLEID:*
    }
    return true;
  }
  if (c.type == compile::ValueType::Arn) {
    if (c.arns.empty()) return false;
    for (const auto& parts : c.arns)
      for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto& p = parts[i];
        if (p.has_variables()) return false;
        if (!wild(p.source())) continue;
        // A bucket policy may wildcard the access point name when the account is fixed (B5).
        const bool name_part = i == 5 && c.key == "s3:dataaccesspointarn" && !rules.access_point;
        if (!name_part) return false;
      }
    return true;
  }
  return false;
}

bool is_public_policy(const compile::CompiledPolicy& policy, bool access_point) {
  return !public_statements(policy, access_point).empty();
}

std::vector<std::uint32_t> public_statements(const compile::CompiledPolicy& policy, bool access_point) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < policy.statements.size(); ++i) {
    const auto& st = policy.statements[i];
    if (st.effect != compile::Effect::Allow) continue;
    const auto& pr = st.principal;
    bool open = !pr.present || pr.negated || pr.everyone;
    for (const auto& f : pr.federated)
      if (f.find(":oidc-provider/") == std::string::npos && f.find(":saml-provider/") == std::string::npos) open = true;
    if (!open) continue;
    if (std::none_of(st.conditions.begin(), st.conditions.end(), [&](const compile::CompiledCondition& c) {
          return pins_caller(c, {access_point, false});
        }))
      out.push_back(i);
  }
  return out;
}

PublicAccessBlock effective_block(const Account* account, const Bucket& bucket, const AccessPoint* access_point) {
  PublicAccessBlock out;
  auto merge = [&](const std::optional<PublicAccessBlock>& p) {
    if (!p) return;
    out.block_public_acls |= p->block_public_acls;
    out.ignore_public_acls |= p->ignore_public_acls;
    out.block_public_policy |= p->block_public_policy;
    out.restrict_public_buckets |= p->restrict_public_buckets;
  };
  if (account) merge(account->public_access_block);
  merge(bucket.public_access_block);
  if (access_point) merge(access_point->public_access_block);
  return out;
}

}  // namespace iamsim::model
