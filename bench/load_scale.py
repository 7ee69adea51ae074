#!/usr/bin/env python3
"""Loading at scale (issue 13): time and peak memory of `iamsim check` on generated worlds
that grow one dimension at a time, to show that loading stays linear.

  bench/load_scale.py BUILD/iamsim [--quick] [--runs N]

Three series, each at three sizes (halving twice from the largest):
  roles             one account with N roles (duplicate checks: hashed)
  service-accounts  one cluster whose manifest declares N service accounts
  scenario-bytes    a scenario of about N MB (users with inline policies)
Files are generated into a temporary folder and removed; nothing is committed. Each run is
`/usr/bin/time -v iamsim check -j 2 FILE`; the table gives wall time and maximum RSS.
With --runs N (default 2) each file is loaded N times and the row keeps the lowest wall
time: on a shared machine the other runs' load only ever adds time.
"""
import os
import re
import subprocess
import sys
import tempfile

HEAD = 'apiVersion: iamsim/v1\n'
TRUST = ('policies:\n  trust: {document: {Version: "2012-10-17", Statement: [{Effect: Allow, '
         'Principal: {AWS: "111111111111"}, Action: "sts:AssumeRole"}]}}\n')
EXPECT = ('expectations:\n  - deny arn:aws:iam::111111111111:user/alice s3:GetObject '
          'arn:aws:s3:::data/x\n')


def roles(folder, n):
    path = os.path.join(folder, f'roles-{n}.yaml')
    with open(path, 'w') as f:
        f.write(HEAD + TRUST + 'accounts:\n  - id: "111111111111"\n    users: [{name: alice}]\n'
                '    buckets: [{name: data}]\n    roles:\n')
        for i in range(n):
            f.write(f'      - {{name: role-{i}, trust: trust}}\n')
        f.write(EXPECT)
    return path


def service_accounts(folder, n):
    manifest = os.path.join(folder, f'sa-{n}.yaml')
    with open(manifest, 'w') as f:
        for i in range(n):
            f.write('---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n'
                    f'  name: sa-{i}\n  namespace: ns-{i % 100}\n')
    path = os.path.join(folder, f'sa-world-{n}.yaml')
    with open(path, 'w') as f:
        f.write(HEAD + 'accounts:\n  - id: "111111111111"\n    users: [{name: alice}]\n'
                '    buckets: [{name: data}]\n'
                f'    clusters: [{{name: c, manifests: [sa-{n}.yaml]}}]\n' + EXPECT)
    return path


def scenario_bytes(folder, megabytes):
    path = os.path.join(folder, f'big-{megabytes}mb.yaml')
    target = megabytes * 1_000_000
    with open(path, 'w') as f:
        f.write(HEAD + 'accounts:\n  - id: "111111111111"\n    buckets: [{name: data}]\n'
                '    users:\n      - {name: alice}\n')
        i = 0
        while f.tell() < target:
            f.write(f'      - name: user-{i}\n        tags: {{team: t{i % 50}, cost: c{i % 7}}}\n'
                    '        policies:\n          - document:\n              Version: "2012-10-17"\n'
                    '              Statement:\n'
                    f'                - {{Sid: Read{i}, Effect: Allow, Action: ["s3:GetObject", "s3:ListBucket"], '
                    f'Resource: ["arn:aws:s3:::bucket-{i % 1000}", "arn:aws:s3:::bucket-{i % 1000}/*"]}}\n')
            i += 1
        f.write(EXPECT)
    return path


def measure(binary, path):
    r = subprocess.run(['/usr/bin/time', '-v', binary, 'check', '-j', '2', path],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = re.search(r'Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)', r.stderr)
    rss = re.search(r'Maximum resident set size \(kbytes\): (\d+)', r.stderr)
    seconds = (int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))) if wall else -1
    return r.returncode, seconds, int(rss.group(1)) / 1024 if rss else -1


def main():
    binary = os.path.abspath(sys.argv[1])
    quick = '--quick' in sys.argv
    runs = int(sys.argv[sys.argv.index('--runs') + 1]) if '--runs' in sys.argv else 2
    series = [('roles', roles, [25_000, 50_000, 100_000]),
              ('service accounts', service_accounts, [250_000, 500_000, 1_000_000]),
              ('scenario MB', scenario_bytes, [50, 100, 200])]
    print('| series | size | file MB | exit | wall s | peak RSS MB |')
    print('| --- | --- | --- | --- | --- | --- |')
    with tempfile.TemporaryDirectory() as folder:
        for name, make, sizes in series:
            for size in sizes[:1] if quick else sizes:
                path = make(folder, size)
                mb = sum(os.path.getsize(os.path.join(folder, p)) for p in os.listdir(folder)) / 1e6
                code, seconds, rss = min((measure(binary, path) for _ in range(runs)), key=lambda m: m[1])
                print(f'| {name} | {size:,} | {mb:.0f} | {code} | {seconds:.2f} | {rss:.0f} |', flush=True)
                for p in os.listdir(folder):
                    os.remove(os.path.join(folder, p))


if __name__ == '__main__':
    main()
