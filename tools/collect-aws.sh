#!/usr/bin/env bash
# Writes an export folder (docs/exports.md) of the accounts the given credentials reach:
# every file is the unmodified output of one read-only `aws` or `kubectl` command.
#
#   tools/collect-aws.sh --out EXPORT [--organization] [--region R ...] [--cluster NAME ...] [--profile P ...]
#
# --organization  also walk AWS Organizations (management account or delegated administrator)
# --region R      regions for KMS, EKS and VPC endpoints (default: the CLI's configured region)
# --cluster NAME  also run `kubectl get ... -A -o yaml` for that cluster, with the current
#                 kubectl context (which must point at it)
# --profile P     one account per profile (default: the current credentials)
#
# It needs aws (v2), jq, and kubectl for --cluster. It changes nothing: the permissions it
# needs are listed, as an IAM policy, in docs/exports.md.
set -euo pipefail

out="" organization=0
regions=() clusters=() profiles=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --organization) organization=1; shift ;;
    --region) regions+=("$2"); shift 2 ;;
    --cluster) clusters+=("$2"); shift 2 ;;
    --profile) profiles+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "collect-aws.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ -n "$out" ]] || { echo "collect-aws.sh: --out EXPORT is required" >&2; exit 2; }
for tool in aws jq; do command -v "$tool" >/dev/null || { echo "collect-aws.sh: $tool is not installed" >&2; exit 2; }; done
[[ ${#profiles[@]} -gt 0 ]] || profiles=("")

# run FILE COMMAND...: COMMAND's output into FILE; a failure (not found, no permission) leaves
# no file and is reported, since a missing file is what the readers warn about.
run() {
  local file="$1"; shift
  mkdir -p "$(dirname "$file")"
  if ! "$@" --output json > "$file.tmp" 2> "$file.err"; then
    echo "collect-aws.sh: $* failed: $(head -c 300 "$file.err")" >&2
    rm -f "$file.tmp" "$file.err"
    rmdir -p --ignore-fail-on-non-empty "$(dirname "$file")" 2>/dev/null || true
    return 0
  else
    mv "$file.tmp" "$file"
  fi
  rm -f "$file.err"
}

# Reads no output of a failed command: prints nothing.
list() { "$@" --output json 2>/dev/null || echo '{}'; }

collect_account() {
  local -a p=()
  [[ -n "$1" ]] && p=(--profile "$1")
  local account
  account=$(aws "${p[@]}" sts get-caller-identity --query Account --output text)
  local a="$out/accounts/$account"
  echo "collect-aws.sh: account $account" >&2

  run "$a/iam/get-account-authorization-details.json" aws "${p[@]}" iam get-account-authorization-details
  for arn in $(list aws "${p[@]}" iam list-open-id-connect-providers | jq -r '.OpenIDConnectProviderList[]?.Arn'); do
    run "$a/iam/oidc-providers/${arn##*/}.json" aws "${p[@]}" iam get-open-id-connect-provider --open-id-connect-provider-arn "$arn"
  done

  for bucket in $(list aws "${p[@]}" s3api list-buckets | jq -r '.Buckets[]?.Name'); do
    local b="$a/s3/$bucket"
    run "$b/get-bucket-location.json" aws "${p[@]}" s3api get-bucket-location --bucket "$bucket"
    run "$b/get-bucket-policy.json" aws "${p[@]}" s3api get-bucket-policy --bucket "$bucket"
    run "$b/get-bucket-encryption.json" aws "${p[@]}" s3api get-bucket-encryption --bucket "$bucket"
    run "$b/get-bucket-tagging.json" aws "${p[@]}" s3api get-bucket-tagging --bucket "$bucket"
    run "$b/get-public-access-block.json" aws "${p[@]}" s3api get-public-access-block --bucket "$bucket"
    run "$b/get-bucket-ownership-controls.json" aws "${p[@]}" s3api get-bucket-ownership-controls --bucket "$bucket"
    run "$b/get-bucket-acl.json" aws "${p[@]}" s3api get-bucket-acl --bucket "$bucket"
  done
  [[ -d "$a/s3" ]] && run "$a/s3/s3control-get-public-access-block.json" aws "${p[@]}" s3control get-public-access-block --account-id "$account"

  local -a rs=("${regions[@]}")
  [[ ${#rs[@]} -gt 0 ]] || rs=("$(aws "${p[@]}" configure get region || echo us-east-1)")
  for region in "${rs[@]}"; do
    local r="$a/$region"
    run "$r/kms/list-aliases.json" aws "${p[@]}" --region "$region" kms list-aliases
    for key in $(list aws "${p[@]}" --region "$region" kms list-keys | jq -r '.Keys[]?.KeyId'); do
      run "$r/kms/$key/describe-key.json" aws "${p[@]}" --region "$region" kms describe-key --key-id "$key"
      run "$r/kms/$key/get-key-policy.json" aws "${p[@]}" --region "$region" kms get-key-policy --key-id "$key" --policy-name default
      run "$r/kms/$key/list-resource-tags.json" aws "${p[@]}" --region "$region" kms list-resource-tags --key-id "$key"
      run "$r/kms/$key/list-grants.json" aws "${p[@]}" --region "$region" kms list-grants --key-id "$key"
    done
    local points
    points=$(list aws "${p[@]}" --region "$region" s3control list-access-points --account-id "$account")
    if [[ $(jq '.AccessPointList | length' <<< "$points") -gt 0 ]]; then
      run "$r/s3control/list-access-points.json" aws "${p[@]}" --region "$region" s3control list-access-points --account-id "$account"
      for name in $(jq -r '.AccessPointList[]?.Name' <<< "$points"); do
        local ap="$r/s3control/access-points/$name"
        run "$ap/get-access-point.json" aws "${p[@]}" --region "$region" s3control get-access-point --account-id "$account" --name "$name"
        run "$ap/get-access-point-policy.json" aws "${p[@]}" --region "$region" s3control get-access-point-policy --account-id "$account" --name "$name"
      done
    fi
    for cluster in $(list aws "${p[@]}" --region "$region" eks list-clusters | jq -r '.clusters[]?'); do
      local c="$r/eks/$cluster"
      run "$c/describe-cluster.json" aws "${p[@]}" --region "$region" eks describe-cluster --name "$cluster"
      for id in $(list aws "${p[@]}" --region "$region" eks list-pod-identity-associations --cluster-name "$cluster" |
                  jq -r '.associations[]?.associationId'); do
        run "$c/pod-identity-associations/$id.json" aws "${p[@]}" --region "$region" eks describe-pod-identity-association \
          --cluster-name "$cluster" --association-id "$id"
      done
      for group in $(list aws "${p[@]}" --region "$region" eks list-nodegroups --cluster-name "$cluster" | jq -r '.nodegroups[]?'); do
        local g="$c/nodegroups/$group"
        run "$g/describe-nodegroup.json" aws "${p[@]}" --region "$region" eks describe-nodegroup --cluster-name "$cluster" --nodegroup-name "$group"
        local lt
        lt=$(jq -r '.nodegroup.launchTemplate // empty | "\(.id) \(.version)"' "$g/describe-nodegroup.json" 2>/dev/null || true)
        if [[ -n "$lt" ]]; then
          run "$g/describe-launch-template-versions.json" aws "${p[@]}" --region "$region" ec2 describe-launch-template-versions \
            --launch-template-id "${lt% *}" --versions "${lt#* }"
        fi
      done
      for profile in $(list aws "${p[@]}" --region "$region" eks list-fargate-profiles --cluster-name "$cluster" | jq -r '.fargateProfileNames[]?'); do
        run "$c/fargate-profiles/$profile.json" aws "${p[@]}" --region "$region" eks describe-fargate-profile --cluster-name "$cluster" --fargate-profile-name "$profile"
      done
      for wanted in "${clusters[@]}"; do
        if [[ "$wanted" == "$cluster" ]]; then
          command -v kubectl >/dev/null || { echo "collect-aws.sh: kubectl is not installed" >&2; exit 2; }
          mkdir -p "$c/kubectl"
          local kinds=serviceaccounts,pods,deployments,statefulsets,daemonsets,replicasets,jobs,cronjobs
          kubectl api-resources -o name 2>/dev/null | grep -q '^inferenceservices\.' && kinds+=,inferenceservices
          kubectl get "$kinds" -A -o yaml > "$c/kubectl/get-all-A.yaml"
        fi
      done
    done
    run "$r/ec2/describe-vpc-endpoints.json" aws "${p[@]}" --region "$region" ec2 describe-vpc-endpoints
  done
}

collect_organization() {
  local -a p=()
  [[ -n "$1" ]] && p=(--profile "$1")
  local o="$out/organizations"
  echo "collect-aws.sh: organization" >&2
  run "$o/describe-organization.json" aws "${p[@]}" organizations describe-organization
  run "$o/list-roots.json" aws "${p[@]}" organizations list-roots
  local -a parents
  mapfile -t parents < <(jq -r '.Roots[]?.Id' "$o/list-roots.json")
  while [[ ${#parents[@]} -gt 0 ]]; do
    local parent="${parents[0]}"
    parents=("${parents[@]:1}")
    run "$o/list-organizational-units-for-parent.$parent.json" aws "${p[@]}" organizations list-organizational-units-for-parent --parent-id "$parent"
    run "$o/list-accounts-for-parent.$parent.json" aws "${p[@]}" organizations list-accounts-for-parent --parent-id "$parent"
    mapfile -t -O "${#parents[@]}" parents < <(jq -r '.OrganizationalUnits[]?.Id' "$o/list-organizational-units-for-parent.$parent.json")
  done
  for type in SERVICE_CONTROL_POLICY RESOURCE_CONTROL_POLICY; do
    run "$o/list-policies.$type.json" aws "${p[@]}" organizations list-policies --filter "$type"
    [[ -f "$o/list-policies.$type.json" ]] || continue
    for id in $(jq -r '.Policies[]?.Id' "$o/list-policies.$type.json"); do
      run "$o/describe-policy.$id.json" aws "${p[@]}" organizations describe-policy --policy-id "$id"
      run "$o/list-targets-for-policy.$id.json" aws "${p[@]}" organizations list-targets-for-policy --policy-id "$id"
    done
  done
}

mkdir -p "$out"
for profile in "${profiles[@]}"; do collect_account "$profile"; done
if [[ $organization -eq 1 ]]; then collect_organization "${profiles[0]}"; fi
echo "collect-aws.sh: wrote $out (check it with: iamsim check $out)" >&2
