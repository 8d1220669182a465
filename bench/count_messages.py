#!/usr/bin/env python3
"""Count event messages read from `mosquitto_sub -F '%t %p'` on stdin.

Each input line is "<topic> <payload>" (event payloads are one-line JSON). Lines whose topic
matches --topic-regex are events: counted, and de-duplicated by their JSON `id` (QoS 1 may
deliver a message twice; the daemon's `id` is unique per published message). Lines on the
probe topic only mark the subscriber as ready. The current counts are rewritten atomically
to --status every --interval seconds and once more at end of input, as one line:

    lines=<event lines> unique=<distinct ids> noid=<events without a readable id> probes=<n>

Stdlib only; exits at end of input.
"""
import argparse
import json
import os
import re
import sys
import threading

ID_RE = re.compile(rb'"id"\s*:\s*"([^"]*)"')


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--status", required=True)
    ap.add_argument("--topic-regex", default=r"^cam2mqtt/[^/]+/intrusion$")
    ap.add_argument("--probe-topic", default="bench/probe")
    ap.add_argument("--interval", type=float, default=0.25)
    args = ap.parse_args()

    topic_re = re.compile(args.topic_regex.encode())
    probe = args.probe_topic.encode()
    counts = {"lines": 0, "noid": 0, "probes": 0}
    ids = set()
    lock = threading.Lock()

    def write_status() -> None:
        with lock:
            text = (f"lines={counts['lines']} unique={len(ids)} noid={counts['noid']} "
                    f"probes={counts['probes']}\n")
            tmp = args.status + ".tmp"
            with open(tmp, "w") as f:
                f.write(text)
            os.replace(tmp, args.status)

    stop = threading.Event()

    def writer() -> None:
        while not stop.wait(args.interval):
            write_status()

    write_status()
    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    for raw in sys.stdin.buffer:
        topic, _, payload = raw.rstrip(b"\n").partition(b" ")
        if topic == probe:
            with lock:
                counts["probes"] += 1
            continue
        if not topic_re.match(topic):
            continue
        msg_id = None
        try:
            value = json.loads(payload)
            if isinstance(value, dict) and isinstance(value.get("id"), (str, int)):
                msg_id = str(value["id"])
        except ValueError:
            m = ID_RE.search(payload)
            msg_id = m.group(1).decode("utf-8", "replace") if m else None
        with lock:
            counts["lines"] += 1
            if msg_id is None:
                counts["noid"] += 1
            else:
                ids.add(msg_id)
    stop.set()
    thread.join(timeout=2)
    write_status()
    return 0


if __name__ == "__main__":
    sys.exit(main())
