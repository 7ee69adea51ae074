#!/bin/sh
# tools/collect-aws.sh against stand-ins of aws and kubectl that answer from an estate's
# export folder: what it writes must be that folder, file for file and byte for byte. Two
# estates: export/ (an organization of three accounts) and export-extras/ (Block Public
# Access, ACLs, access points, grants, node groups, Fargate).
set -eu
src="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

collect() {  # ESTATE CLUSTER_DIR OUT ARGS...
  estate="$1"; cluster_dir="$2"; out="$3"; shift 3
  FAKE_AWS_EXPORT="$estate" FAKE_KUBECTL_CLUSTER_DIR="$cluster_dir" PATH="$src/tests/tools/fake-cli:$PATH" \
    "$src/tools/collect-aws.sh" --out "$out" "$@" 2> "$work/log" || { cat "$work/log"; exit 1; }
  diff -r "$estate" "$out"
}

export_dir="$src/tests/estates/export"
collect "$export_dir" "$export_dir/accounts/444444444444/us-west-2/eks/apps-prod" "$work/out" --organization \
  --region us-west-2 --cluster apps-prod --profile p333333333333 --profile p444444444444 --profile p555555555555
extras="$src/tests/estates/export-extras"
collect "$extras" "$extras/accounts/666666666666/us-west-2/eks/extras-eks" "$work/extras" \
  --region us-west-2 --cluster extras-eks --profile p666666666666
echo "collect-aws.sh wrote both export folders exactly"
