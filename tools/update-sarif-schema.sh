#!/bin/sh
# Maintainer script: refreshes tests/data/sarif-schema-2.1.0.json, the OASIS SARIF 2.1.0 JSON
# schema (its final text, "2.1.0-rtm.5"), as the MIT-licensed npm package
# @microsoft/jest-sarif ships it. The tests never download it: the file is committed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null)
tar -xzf "$work"/microsoft-jest-sarif-*.tgz -C "$work"
cp "$work/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$root/tests/data/sarif-schema-2.1.0.json"
