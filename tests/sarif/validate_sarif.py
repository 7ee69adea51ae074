#!/usr/bin/env python3
"""Test: iamsim's SARIF output is valid SARIF 2.1.0.

Runs `iamsim lint` and `iamsim check` with --format sarif on the shipped scenarios and on
test inputs, and validates each log against the SARIF 2.1.0 JSON schema
(tests/data/sarif-schema-2.1.0.json) with the jsonschema package (Debian: python3-jsonschema).
Beyond the schema it checks what code-scanning views rely on: every result names a rule of the
driver, locations are relative URIs with a start line, fingerprints are present, identical
across two runs, and distinct per result, and security rules carry security-severity.

Usage: validate_sarif.py IAMSIM_BINARY SOURCE_DIR
"""
import json
import os
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("sarif-schema: the jsonschema package is missing (Debian: apt-get install python3-jsonschema)")


def run(binary, args, cwd):
    done = subprocess.run([binary] + args, cwd=cwd, capture_output=True, text=True, timeout=120)
    if done.returncode not in (0, 1):
        sys.exit(f"sarif-schema: iamsim {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return json.loads(done.stdout)


def check_log(log, validator, what):
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    for e in errors[:10]:
        print(f"{what}: schema: {'/'.join(map(str, e.path))}: {e.message}", file=sys.stderr)
    if errors:
        return False
    ok = True
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    fingerprints = set()
    for r in run["results"]:
        if r["ruleId"] not in ids or ids[r["ruleIndex"]] != r["ruleId"]:
            print(f"{what}: result names rule {r['ruleId']} not at its ruleIndex", file=sys.stderr)
            ok = False
        for loc in r.get("locations", []):
            art = loc["physicalLocation"]["artifactLocation"]
            if art["uri"].startswith("/") or "://" in art["uri"]:
                print(f"{what}: location URI is not relative: {art['uri']}", file=sys.stderr)
                ok = False
            if loc["physicalLocation"].get("region", {}).get("startLine", 0) < 1:
                print(f"{what}: a location of {r['ruleId']} has no start line", file=sys.stderr)
                ok = False
        fp = r["partialFingerprints"]["iamsimFinding/v1"]
        if fp in fingerprints:
            print(f"{what}: two results share the fingerprint {fp}", file=sys.stderr)
            ok = False
        fingerprints.add(fp)
    for rule in rules:
        tags = rule.get("properties", {}).get("tags", [])
        if "security" in tags and "security-severity" not in rule["properties"]:
            print(f"{what}: security rule {rule['id']} has no security-severity", file=sys.stderr)
            ok = False
    return ok


def main():
    binary, source = sys.argv[1], sys.argv[2]
    with open(os.path.join(source, "tests", "data", "sarif-schema-2.1.0.json")) as f:
        schema = json.load(f)
    validator = jsonschema.Draft4Validator(schema)
    runs = [
        ["lint", "scenarios/", "--format", "sarif"],
        ["lint", "tests/scenarios/", "--format", "sarif"],
        ["lint", "tests/cli/lint/aws-docs/policies", "--format", "sarif"],
        ["check", "scenarios/", "--format", "sarif"],
        ["check", "tests/cli/check/failing-world/world.yaml", "--format", "sarif"],
        ["check", "tests/cli/check/expectation-resource-type/world.yaml", "--format", "sarif"],
    ]
    ok = True
    results = 0
    for args in runs:
        what = "iamsim " + " ".join(args)
        log = run(binary, args, source)
        again = run(binary, args, source)
        ok &= check_log(log, validator, what)
        first = [r["partialFingerprints"] for r in log["runs"][0]["results"]]
        second = [r["partialFingerprints"] for r in again["runs"][0]["results"]]
        if first != second:
            print(f"{what}: fingerprints differ between two runs", file=sys.stderr)
            ok = False
        results += len(log["runs"][0]["results"])
    if results == 0:
        sys.exit("sarif-schema: no results at all: the inputs no longer exercise SARIF")
    print(f"sarif-schema: {len(runs)} logs, {results} results valid against SARIF 2.1.0")
    sys.exit(0 if ok else 1)


main()
