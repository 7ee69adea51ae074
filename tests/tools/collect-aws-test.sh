#!/bin/sh
# tools/collect-aws.sh against stand-ins of aws and kubectl that answer from the estate's
# export folder: what it writes must be that folder, file for file and byte for byte.
set -eu
src="$1"
export_dir="$src/tests/estates/export"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export FAKE_AWS_EXPORT="$export_dir"
export FAKE_KUBECTL_CLUSTER_DIR="$export_dir/accounts/444444444444/us-west-2/eks/apps-prod"
PATH="$src/tests/tools/fake-cli:$PATH" "$src/tools/collect-aws.sh" --out "$work/out" --organization \
  --region us-west-2 --cluster apps-prod --profile p333333333333 --profile p444444444444 --profile p555555555555 \
  2> "$work/log" || { cat "$work/log"; exit 1; }
diff -r "$export_dir" "$work/out"
echo "collect-aws.sh wrote the export folder exactly"
