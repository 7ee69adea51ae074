// Stage: lint. The table of finding ids (docs/lint.md documents each, with an example and a
// fix; a test holds the two together).
#include "lint/rules.hpp"

#include <algorithm>

namespace iamsim::lint {

std::span<const Rule> rules() {
  static const Rule table[] = {
      // ---- one policy document ----------------------------------------------------------
      {"policy.invalid", Level::Error, "AWS would reject this policy",
       "The policy breaks the policy grammar or a rule of its kind, so AWS refuses it on upload (the message names "
       "the rule, G1-G10, P, A, RS, C or PV).",
       "Correct the element the location points at.", 5.0},
      {"policy.warning", Level::Warning, "The policy compiler warns",
       "The policy parses, but the compiler found something that does not do what it seems to (the message says "
       "what).",
       "Read the message and correct the element it points at.", 0.0},
      {"policy.size", Level::Error, "Policy over its AWS size limit",
       "The policy is larger than AWS accepts for its kind (Q1, Q3, Q5-Q7, S5, KM4, V3): the upload fails.",
       "Split the policy, drop repeated statements, or use wildcards and tags to shorten it.", 0.0},
      {"policy.no-version", Level::Warning, "No Version element",
       "Without \"Version\": \"2012-10-17\" a policy uses the 2008 language: ${...} policy variables are literal "
       "text (G3, PV1).",
       "Add \"Version\": \"2012-10-17\" at the top of the policy.", 2.0},
      {"policy.version-variables", Level::Warning, "Policy variable under the old policy language",
       "The policy has no Version or Version 2008-10-17, yet a value holds ${...}: AWS reads it as literal text, so "
       "the statement matches nothing it was meant to (G3, PV1).",
       "Set \"Version\": \"2012-10-17\".", 4.0},
      {"policy.notprincipal-allow", Level::Warning, "NotPrincipal with Allow",
       "An Allow with NotPrincipal grants to every principal except those listed, anonymous callers included (P7). "
       "AWS recommends never combining them.",
       "Use Principal with the principals that should be allowed.", 8.0},
      {"policy.notresource-allow", Level::Warning, "NotResource with Allow",
       "An Allow with NotResource grants the actions on every resource except those listed, including resources "
       "created later and in other accounts.",
       "List the resources in Resource instead.", 6.0},
      {"policy.unknown-action", Level::Warning, "Unknown action",
       "The action (or every action a wildcard could mean) is not in AWS's service catalogue: a typo or a retired "
       "action. AWS accepts the policy, and the statement never matches that action (A1).",
       "Use the action's exact name; the message names the closest known one.", 0.0},
      {"policy.unknown-condition-key", Level::Warning, "Unknown condition key",
       "No AWS service defines this condition key, and it is not a global key, a tag key or a claim of a web "
       "identity provider. A request never carries it, so the condition never holds (or, with ...IfExists, always "
       "does) (C3, E11).",
       "Use the key's exact name; the message names the closest known one.", 3.0},
      {"policy.operator-type-mismatch", Level::Warning, "Condition operator does not fit the key's type",
       "The operator compares a different type than the key holds (a String operator on an IP address or a date, "
       "a Numeric operator on a string...), so it never matches as intended (C1, C9-C12).",
       "Use an operator of the key's type: IpAddress for IP keys, Date... for dates, Numeric... for numbers, Bool "
       "for booleans.",
       3.0},
      {"policy.set-operator-single-valued", Level::Warning, "Set operator on a single-valued key",
       "ForAllValues and ForAnyValue are for keys that carry a list. On a single-valued key ForAllValues holds when "
       "the key is missing, and both read as a different test than intended (C14, C15).",
       "Drop the ForAllValues:/ForAnyValue: prefix.", 5.0},
      {"policy.wildcard-without-like", Level::Warning, "Wildcard in an ...Equals condition",
       "StringEquals and ArnEquals compare '*' and '?' literally: the value matches only text that holds a star "
       "(C7, C13).",
       "Use StringLike or ArnLike, or remove the wildcard.", 4.0},
      {"policy.resource-type-mismatch", Level::Warning, "Action cannot apply to the statement's resources",
       "None of the statement's resources has a type the action works on (s3:GetObject on a bucket ARN, "
       "s3:ListBucket on objects, an action that takes only \"*\"): the statement grants or denies nothing for it "
       "(B1, RS6).",
       "Add the ARN form the message names (BUCKET for bucket actions, BUCKET/* for object actions), or \"*\".", 3.0},
      {"policy.broad-action", Level::Warning, "Grant of every action of a service",
       "The statement allows \"*\" or SERVICE:*, which includes writing, deleting and changing permissions, where "
       "a workload usually needs a few reads.",
       "List the actions the principal needs; the message names those the scenario's expectations use.", 6.0},
      {"policy.passrole-any-role", Level::Warning, "iam:PassRole on every role",
       "Passing any role to a service lets the principal run code with that role's permissions: a path to every "
       "permission in the account.",
       "Name the roles in Resource, and restrict iam:PassedToService.", 8.0},
      {"policy.public-resource-policy", Level::Error, "Public resource policy",
       "A statement allows everyone (Principal \"*\" or a public web identity provider) without pinning the caller "
       "to fixed values of a principal, an organization, a source account, network or endpoint: S3 counts the "
       "bucket as public (B5), and a key or role policy is open to anyone.",
       "Name the principals, or add a condition on aws:PrincipalOrgID, aws:SourceVpce, aws:SourceAccount or "
       "similar with fixed values.",
       9.0},
      {"policy.trust-foreign-account", Level::Warning, "Role trusts a whole foreign account",
       "The trust policy lets every principal that another account allows call sts:AssumeRole, with no "
       "sts:ExternalId or aws:PrincipalOrgID condition: the confused-deputy case (T1, T11).",
       "Name the role that should assume it, or require sts:ExternalId or aws:PrincipalOrgID.", 7.0},
      {"policy.multivalued-key", Level::Warning, "Multivalued key without a set operator",
       "The key carries a list (aws:TagKeys, aws:PrincipalOrgPaths...); without ForAnyValue: or ForAllValues: the "
       "operator's meaning on the list is not what most readers expect (C14, C15).",
       "Say how the values combine: ForAnyValue: or ForAllValues:.", 3.0},
      {"policy.duplicate-sid", Level::Warning, "Duplicate Sid",
       "Two statements share a Sid; AWS refuses this in some policy kinds and it makes explanations ambiguous.",
       "Give every statement its own Sid.", 0.0},
      // ---- a world: proven by a path --------------------------------------------------------
      {"world.web-identity-no-sub", Level::Warning, "Web-identity trust without a :sub condition",
       "The role's trust policy admits the cluster's OIDC provider but does not test the token's :sub claim, so "
       "every service account of the cluster that is annotated with the role can assume it (K1). The evidence "
       "lists those that can today.",
       "Add StringEquals on PROVIDER:sub = system:serviceaccount:NAMESPACE:NAME.", 8.0},
      {"world.web-identity-sub-wildcard", Level::Warning, "Wildcard :sub in a web-identity trust",
       "StringLike with '*' on :sub admits every service account whose name fits the pattern (K1): new namespaces "
       "and service accounts get the role without a change to IAM.",
       "Pin :sub with StringEquals to the service accounts that need the role.", 6.0},
      {"world.irsa-trust-mismatch", Level::Error, "IRSA annotation the role does not accept",
       "A service account is annotated with a role whose trust policy does not admit its token (the :sub or :aud "
       "does not match, the OIDC provider is missing or has another audience, or the role does not exist): its "
       "pods' AWS calls will fail (K1, K2, T6).",
       "Admit the service account in the role's trust policy, register the cluster's issuer, or fix the "
       "annotation.",
       0.0},
      {"world.pod-identity-trust-mismatch", Level::Error, "Pod Identity association the role does not accept",
       "A Pod Identity association names a role whose trust policy does not let pods.eks.amazonaws.com assume it "
       "(or a target role that refuses the association's role), or a role the world does not have: the pods get no "
       "credentials (K5, K7).",
       "Allow pods.eks.amazonaws.com sts:AssumeRole and sts:TagSession in the trust policy.", 0.0},
      {"world.pod-identity-no-tag-session", Level::Error, "Pod Identity role without sts:TagSession",
       "EKS Pod Identity tags every session with six kubernetes-* and eks-cluster-* tags, which needs sts:TagSession "
       "in the trust policy; without it the pods get no credentials (K5, K6, T8).",
       "Add sts:TagSession to the trust statement for pods.eks.amazonaws.com.", 0.0},
      {"world.target-role-no-external-id", Level::Warning, "Target role without sts:ExternalId",
       "A Pod Identity target role lets the association's role assume it without testing sts:ExternalId (K7): any "
       "other user of that role can assume the target too.",
       "Require the association's external id: StringEquals sts:ExternalId.", 5.0},
      {"world.kms-key-blocks-reader", Level::Error, "KMS key policy refuses a reader of the bucket",
       "The bucket is encrypted with a KMS key (SSE-KMS), and principals the bucket's policies let read or write "
       "objects are refused by KMS: reading needs kms:Decrypt and writing kms:GenerateDataKey on the key, through "
       "its key policy (B7, KM1-KM3). Model loading fails at the KMS hop.",
       "Grant the principals kms:Decrypt (and kms:GenerateDataKey) in the key policy, or enable IAM policies there "
       "and grant them in the identity policies.",
       0.0},
      {"world.node-role-reachable", Level::Warning, "Pods reach a node role with more access than their own",
       "Pods of a service account can run on a node group whose instance metadata they reach (IMDSv1 allowed, "
       "IMDSv2 with a hop limit of 2 or more, or the host network), and the node's instance role may do what the "
       "service account's own credentials (IRSA, Pod Identity, or none) may not (K8, K9). The evidence gives each "
       "service account's path through the node.",
       "Require IMDSv2 with a hop limit of 1 on the node group (http_tokens: required, hop_limit: 1), keep pods "
       "off the host network, and leave the node role only what the kubelet needs.",
       6.0},
      // ---- expectations -------------------------------------------------------------------
      {"expectation.resource-type", Level::Warning, "Expectation asks an action of the wrong kind of resource",
       "The expectation's action does not apply to its resource's type (s3:GetObject of a bucket, s3:ListBucket of "
       "an object): AWS never makes such a request, so the answer says nothing about real access (B1, RS6).",
       "Ask of the ARN form the message names.", 0.0},
      {"expectation.unknown-action", Level::Warning, "Expectation names an unknown action",
       "The expectation's action is not in AWS's service catalogue.", "Use the action's exact name.", 0.0},
      {"expectation.failed", Level::Error, "Expectation does not hold",
       "`iamsim check` decided the expectation's request and got another answer than the scenario expects.",
       "Change the policies, or the expectation if the new answer is the intended one.", 0.0},
  };
  return table;
}

const Rule* find_rule(std::string_view id) {
  const auto table = rules();
  auto it = std::find_if(table.begin(), table.end(), [&](const Rule& r) { return r.id == id; });
  return it == table.end() ? nullptr : &*it;
}

std::string_view to_string(Level level) {
  switch (level) {
    case Level::Error: return "error";
    case Level::Warning: return "warning";
    case Level::Note: return "note";
  }
  return "";
}

}  // namespace iamsim::lint
