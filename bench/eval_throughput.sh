#!/usr/bin/env bash
# Requests per second of `iamsim eval` on 15,000 self-contained requests made from one of
# the bench requests (bench/requests/basic.json or heavy.json): JSON Lines, one request a
# line, ids numbered. Mode "same" repeats the request as is; mode "distinct" gives every
# request its own policy texts (a Sid suffix), so no compiled policy is reused.
# Usage: bench/eval_throughput.sh BUILD_DIR [basic|heavy] [same|distinct] [JOBS] [RUNS]
set -euo pipefail
build=${1:?build dir}; name=${2:-basic}; mode=${3:-same}; jobs=${4:-1}; runs=${5:-5}
here=$(cd "$(dirname "$0")" && pwd)
input=$(mktemp /tmp/iamsim-eval-XXXXXX.jsonl)
trap 'rm -f "$input"' EXIT
python3 - "$here/requests/$name.json" "$mode" > "$input" <<'PY'
import json, sys
req = json.load(open(sys.argv[1]))
distinct = sys.argv[2] == "distinct"
out = sys.stdout
base = req.get("id", "r")
for i in range(15000):
    req["id"] = f"{base}-{i}"
    text = json.dumps(req, separators=(",", ":"))
    if distinct:
        # Every policy statement gets a Sid unique to this request.
        doc = json.loads(text)
        def tag(policy):
            sts = policy["Statement"] if isinstance(policy["Statement"], list) else [policy["Statement"]]
            for k, st in enumerate(sts):
                st["Sid"] = f"{st.get('Sid', 'S')}R{i}N{k}"
        pol = doc["policies"]
        for p in pol.get("identity", []): tag(p)
        for key in ("resource", "boundary", "session", "vpc_endpoint"):
            if key in pol: tag(pol[key])
        for key in ("scp", "rcp"):
            for level in pol.get(key, []):
                for p in level: tag(p)
        text = json.dumps(doc, separators=(",", ":"))
    out.write(text + "\n")
PY
times=()
for _ in $(seq "$runs"); do
  start=$(date +%s.%N)
  "$build/iamsim" eval -j "$jobs" "$input" > /dev/null 2> /tmp/iamsim-eval-stderr.txt || {
    echo "iamsim eval failed:"; head -5 /tmp/iamsim-eval-stderr.txt; exit 1; }
  end=$(date +%s.%N)
  times+=("$(echo "$end - $start" | bc -l)")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
printf '%s %s -j%s: median %.3f s over %s runs, %.0f requests/s\n' "$name" "$mode" "$jobs" "$median" "$runs" \
  "$(echo "15000 / $median" | bc -l)"
