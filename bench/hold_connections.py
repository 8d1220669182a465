#!/usr/bin/env python3
"""Open N keep-alive HTTP connections to a server and hold them open.

On every connection one POST of BODY (keep-alive) is sent and its reply read in full, so
each connection has been through a whole request on the server side, as a camera's
persistent connection has. When all N replies are in (or the deadline passed), the status
line "READY open=<n> ok=<n> failed=<n>" is printed and, with --ready-file, written to that
file; the connections are then held for --hold seconds (or until --release-file appears)
and closed. Stdlib only; every wait is bounded.

Usage: hold_connections.py HOST PORT BODY [-n 1000] [--hold 10] [--ready-file F]
       [--release-file F] [--timeout 30]
Exit status: 0 when every connection got a 2xx reply, 1 otherwise.
"""
import argparse
import errno
import os
import resource
import selectors
import socket
import sys
import time


def raise_nofile(need: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = need + 64
    if soft < want:
        new = want if hard == resource.RLIM_INFINITY else min(want, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))


class Conn:
    __slots__ = ("sock", "out", "buf", "status", "done", "error")

    def __init__(self, sock: socket.socket, request: bytes):
        self.sock = sock
        self.out = memoryview(request)
        self.buf = b""
        self.status = 0
        self.done = False
        self.error = ""

    def response_complete(self) -> bool:
        head_end = self.buf.find(b"\r\n\r\n")
        if head_end < 0:
            return False
        head = self.buf[:head_end].decode("latin-1")
        lines = head.split("\r\n")
        try:
            self.status = int(lines[0].split()[1])
        except (IndexError, ValueError):
            self.error = "bad status line"
            return True
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip() or 0)
        return len(self.buf) - (head_end + 4) >= length


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("body")
    ap.add_argument("-n", "--connections", type=int, default=1000)
    ap.add_argument("--hold", type=float, default=10.0, help="seconds to hold (max)")
    ap.add_argument("--ready-file", default="")
    ap.add_argument("--release-file", default="", help="close early when this file exists")
    ap.add_argument("--timeout", type=float, default=30.0,
                    help="deadline for connecting and reading all replies")
    args = ap.parse_args()

    raise_nofile(args.connections)
    with open(args.body, "rb") as f:
        body = f.read()
    request = (
        f"POST /API HTTP/1.1\r\nHost: {args.host}:{args.port}\r\n"
        f"Content-Type: application/xml\r\nConnection: keep-alive\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode("ascii") + body

    deadline = time.monotonic() + args.timeout
    sel = selectors.DefaultSelector()
    conns = []
    connect_failed = 0
    # Connect one by one (loopback: fast) with a non-blocking socket, so a full accept queue
    # never blocks us past the deadline.
    for _ in range(args.connections):
        if time.monotonic() > deadline:
            break
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setblocking(False)
        rc = s.connect_ex((args.host, args.port))
        if rc not in (0, errno.EINPROGRESS):
            connect_failed += 1
            s.close()
            continue
        c = Conn(s, request)
        conns.append(c)
        sel.register(s, selectors.EVENT_WRITE, c)

    pending = len(conns)
    while pending and time.monotonic() < deadline:
        for key, mask in sel.select(timeout=0.5):
            c = key.data
            try:
                if mask & selectors.EVENT_WRITE and c.out:
                    n = c.sock.send(c.out)
                    c.out = c.out[n:]
                    if not c.out:
                        sel.modify(c.sock, selectors.EVENT_READ, c)
                elif mask & selectors.EVENT_READ:
                    chunk = c.sock.recv(65536)
                    if not chunk:
                        c.error = "closed by server"
                    c.buf += chunk
                    if c.error or c.response_complete():
                        c.done = True
            except OSError as e:
                c.error = e.strerror or str(e)
                c.done = True
            if c.done:
                sel.unregister(c.sock)
                pending -= 1

    ok = sum(1 for c in conns if c.done and not c.error and 200 <= c.status < 300)
    failed = len(conns) - ok + connect_failed
    errors = {}
    for c in conns:
        if not (c.done and not c.error and 200 <= c.status < 300):
            why = c.error or (f"status {c.status}" if c.done else "no reply before deadline")
            errors[why] = errors.get(why, 0) + 1
    status = f"READY open={len(conns)} ok={ok} failed={failed}"
    if errors:
        status += " errors=" + ",".join(f"{k}:{v}" for k, v in sorted(errors.items()))
    print(status, flush=True)
    if args.ready_file:
        with open(args.ready_file + ".tmp", "w") as f:
            f.write(status + "\n")
        os.replace(args.ready_file + ".tmp", args.ready_file)

    hold_until = time.monotonic() + args.hold
    while time.monotonic() < hold_until:
        if args.release_file and os.path.exists(args.release_file):
            break
        time.sleep(0.1)
    for c in conns:
        c.sock.close()
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
