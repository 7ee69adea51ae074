#!/usr/bin/env bash
# The proof engine at scale (bench/README.md, "Proofs"): `never outside-org s3:GetObject
# s3://BUCKET/*` for every bucket of a genworld world, in one `iamsim prove` run, with the
# whole run's time and memory and each claim's time (median, 90th percentile, worst).
# Usage: bench/prove_scale.sh WORLD.yaml [JOBS]   (needs jq; build/iamsim built)
set -euo pipefail
world=${1:?usage: bench/prove_scale.sh WORLD.yaml [JOBS]}
jobs=${2:-2}
iamsim=${IAMSIM:-./build/iamsim}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The buckets: every `- name:` under an account's `buckets:` of the world file.
awk '/^    buckets:/{b=1;next} b && /^      - name:/{print $3} /^    [a-z_]+:/ && !/buckets:/{b=0}' "$world" >"$out/buckets"
claims=()
while read -r b; do claims+=("never outside-org s3:GetObject s3://$b/*"); done <"$out/buckets"
status=0
/usr/bin/time -q -f "%e s, %M KB peak" -o "$out/time" "$iamsim" prove "$world" "${claims[@]}" --format json -j "$jobs" \
  >"$out/claims.json" || status=$?
[ "$status" -le 1 ] || { echo "iamsim prove failed ($status)" >&2; exit "$status"; }
echo "claims: ${#claims[@]}, whole run: $(cat "$out/time")"
jq -r '.[].verdict' "$out/claims.json" | sort | uniq -c
jq -r '.[].milliseconds' "$out/claims.json" | sort -n |
  awk '{a[NR]=$1} END {print "per claim: median " a[int((NR+1)/2)] " ms, p90 " a[int(NR*0.9)] " ms, worst " a[NR] " ms"}'
