#!/usr/bin/env python3
"""Where the machine's CPU went during one wrk run, from a system-wide `perf record -a -e cpu-clock`.

Groups the samples by process role (daemon, broker, subscriber, wrk, reference server, idle,
other), each split into user space and kernel, and prints what the request rate could at most
become if the daemon's user space cost nothing, or if the daemon cost nothing at all, as a
percentage of the reference rate:

    rate_if = rate * busy / (busy - removed)

where busy is every non-idle sample. This assumes the other processes' cost per event stays
what it was and the machine stays as busy, so it is an upper bound for what work on the daemon
alone can reach in this topology (the broker, the subscriber and wrk share the same cores).

Usage: cpu_shares.py PERF_DATA --rate R [--reference REF]   (stdlib only; needs `perf`)
"""
import argparse
import re
import subprocess
import sys
from collections import defaultdict

ROLES = [  # (role, regex on the thread's comm)
    ("daemon", re.compile(r"^(cam2mqtt|MQTTAsync_\w+)$")),
    ("broker", re.compile(r"^mosquitto$")),
    ("subscriber", re.compile(r"^(mosquitto_sub|python3)$")),
    ("wrk", re.compile(r"^wrk$")),
    ("reference", re.compile(r"^limit_server$")),
    ("idle", re.compile(r"^swapper")),
]
LINE = re.compile(r"^\s*([0-9.]+)%\s+(\S+)\s+(\S+)")


def role_of(comm: str) -> str:
    for role, pattern in ROLES:
        if pattern.match(comm):
            return role
    return "other"


def shares(perf_data: str) -> dict:
    out = subprocess.run(
        ["perf", "report", "-i", perf_data, "--stdio", "--no-children", "--sort", "comm,dso", "-g", "none"],
        check=True, capture_output=True, text=True).stdout
    table = defaultdict(lambda: {"user": 0.0, "kernel": 0.0})
    for line in out.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        pct, comm, dso = float(m.group(1)), m.group(2), m.group(3)
        table[role_of(comm)]["kernel" if dso == "[kernel.kallsyms]" else "user"] += pct
    return table


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("perf_data")
    ap.add_argument("--rate", type=float, required=True, help="requests/s measured during the recording")
    ap.add_argument("--reference", type=float, default=0.0, help="the reference server's requests/s")
    args = ap.parse_args()
    table = shares(args.perf_data)
    total = sum(v["user"] + v["kernel"] for v in table.values())
    if total <= 0:
        print("  cpu: no samples", file=sys.stderr)
        return 1
    scale = 100.0 / total  # perf rounds; normalise to 100 %

    def pct(role, kind=None):
        v = table.get(role, {"user": 0.0, "kernel": 0.0})
        return scale * (v[kind] if kind else v["user"] + v["kernel"])

    parts = []
    for role in ["daemon", "reference", "broker", "subscriber", "wrk", "other", "idle"]:
        if role in table:
            parts.append(f"{role} {pct(role):.1f} (user {pct(role, 'user'):.1f}, kernel {pct(role, 'kernel'):.1f})")
    print("  cpu %: " + "; ".join(parts))
    busy = 100.0 - pct("idle")
    if "daemon" in table and busy > 0:
        def ceiling(removed):
            rate = args.rate * busy / max(busy - removed, 1e-9)
            ratio = f" = {100 * rate / args.reference:.0f} % of reference" if args.reference > 0 else ""
            return f"{rate:.0f} req/s{ratio}"
        print(f"  ceiling at this rate ({args.rate:.0f} req/s): daemon user space free -> "
              f"{ceiling(pct('daemon', 'user'))}; whole daemon free -> {ceiling(pct('daemon'))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
