#!/usr/bin/env python3
"""Fake CVEDIA-RT server for the sources tests (cvedia-rt-sse.md §10), python3 stdlib only.

GET /v1/core/instance/{INSTANCE}/consume_events_sse[?events=a,b] streams Server-Sent Events
(chunked, ids from 1 per connection, the ?events= filter honoured); any other instance is 404.
GET /v1/core/instance/{INSTANCE}/consume_events answers a JSON array of {dataType, jsonObject}
(the pending events, drained) or 204. Prints "port N" on stdout once listening; logs each request
to stderr as "REQ <monotonic seconds> <path>".

Usage: fake_cvedia.py SCENARIO
  all   every event name with crops before and after their events, in every framing quirk
        (BOM, CRLF, multi-line data, comments, no event: line, field without colon, malformed
        JSON, records split across writes); then `: ping` each second
  cut   1st connection: two events, then half a record and the TCP connection dropped;
        later ones (ids restart): the same two again, the end, one new event; then pings
  retry each connection: `retry: 2500`, one event, then a clean end of the stream
  late  an event at once, its crop 3 s later, then pings
  silent  an event at once, then silence with the TCP connection open (the watchdog's case)
  nocrop  two events naming crops that never come (N-ONE, N-TWO), then pings
  dropwait  1st connection: an event (D-ONE), then the connection dropped before its crop;
        later ones: the same event again, its crop 0.3 s later, then pings
  poll  the `all` records on the first consume_events call, then 204; the SSE path is 404
  slowpoll  consume_events: 204 at once on the 1st call; the 2nd answers after 1.5 s with the
        `slow` records (an event whose crop never comes, an event with its crop, a crop for an
        event that never comes); 204 after that. The SSE path is 404
  hangpoll  as slowpoll, but the 2nd call never answers
"""
import base64, http.server, json, sys, threading, time

from fakelib import reply, serve

SCENARIO = sys.argv[1] if len(sys.argv) > 1 else "all"
INSTANCE = "3f1c6a2e-0000-4000-8000-00000000cafe"
JPEG = base64.b64encode(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 40 + b"\xff\xd9").decode()
connections = 0
lock = threading.Lock()


def ev(name, event_id, **extra):
    body = {"$id": name, "$version": 1, "instance_id": INSTANCE, "event_id": event_id,
            "ref_tracking_id": "trk-" + event_id, "object_class": "Person",
            "location": {"x": 0.25, "y": 0.5, "width": 0.125, "height": 0.25},
            "event_timestamp_ms": 32000, "system_timestamp": int(time.time() * 1000),
            "system_datetime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    body.update(extra)
    return name, json.dumps(body)


def crop(ref):
    return "crop", json.dumps({"$id": "crop", "$version": 1, "instance_id": INSTANCE, "ref_event_id": ref,
                               "ref_tracking_id": "trk-" + ref, "confidence": 0.9, "image": JPEG,
                               "location": {"x": 0.25, "y": 0.5, "width": 0.125, "height": 0.25},
                               "crop_timestamp_ms": 31990, "event_timestamp_ms": 32000})


# The published events of `all`/`poll`: (name, event_id) -> (category, subtype).
def all_records():
    return [
        crop("E-INTR"),  # before its event
        ev("event-intrusion", "E-INTR", area_id="a1", area_name="Front gate"),
        ev("event-line-crossing", "E-LINE", tripwire_id="t1", tripwire_name="Doorway", crossing_direction="down"),
        crop("E-LINE"),  # after its event
        ev("event-intrusion-end", "E-INTR", area_id="a1", area_name="Front gate", event_duration_ms=4200),
        ev("event-area-enter", "E-ENTER", area_name="Yard"),
        ev("event-area-exit", "E-EXIT", area_name="Yard"),
        ev("event-loitering", "E-LOIT"),
        ev("event-loitering-end", "E-LOIT", event_duration_ms=9000),
        ev("event-crowd-detection", "E-CROWD"),
        ev("event-dwelling", "E-DWELL"),
        ev("event-tailgating", "E-TAIL"),
        ev("event-object-left-removed", "E-LEFT"),
        ev("event-armed-person", "E-ARMED"),
        ev("event-armed-person-end", "E-ARMED"),
        ev("event-fallen-person", "E-FALL"),
        ev("event-fallen-person-end", "E-FALL"),
        ev("event-count-changed", "E-COUNT", count=7, tripwire_name="Doorway"),
        ev("event-brand-new-thing", "E-NEW"),
        ("statistics", json.dumps({"$id": "statistics", "fps": 10.0, "instance_id": INSTANCE})),
        ("event-status-changed", json.dumps({"$id": "event-status-changed", "instance_id": INSTANCE})),
        ("track", json.dumps({"$id": "track", "tracking_id": "trk-1", "object_class": "Person",
                              "location": {"x": 0.1, "y": 0.1, "width": 0.1, "height": 0.1}})),
        ("attribute", json.dumps({"$id": "attribute", "ref_tracking_id": "trk-1", "color": "red"})),
    ]


# The records of `slowpoll`'s slow answer.
def slow_records():
    return [ev("event-line-crossing", "P-ONE"), ev("event-intrusion", "P-TWO"), crop("P-TWO"), crop("P-GONE")]


def sse(seq, name, data, eol="\n", with_event=True, split_data=False):
    lines = [f"id: {seq}"]
    if with_event:
        lines.append(f"event: {name}")
    if split_data:  # one JSON value over several data: lines
        cut = data.index(",") + 1
        lines += ["data: " + data[:cut], "data:" + data[cut:]]
    else:
        lines.append("data: " + data)
    return eol.join(lines) + eol + eol


def framed_all(wanted):
    """The `all` records as SSE text, in every framing quirk."""
    out = ["\ufeff: welcome\n"]
    seq = 0
    for i, (name, data) in enumerate(all_records()):
        if wanted and name not in wanted:
            continue
        seq += 1
        if name == "event-dwelling":
            out.append(sse(seq, name, data, with_event=False))  # routed by $id
        elif name == "event-line-crossing":
            out.append(sse(seq, name, data, split_data=True))
        else:
            out.append(sse(seq, name, data, eol="\r\n" if i % 2 else "\n"))
        if i == 3:
            out.append(": ping\nbogus-field-without-colon\n")
    out.append("id: 99\nevent: event-intrusion\ndata: {not json\n\n")
    return "".join(out)


def wanted_events(path):
    if "?events=" not in path:
        return None
    return set(path.split("?events=", 1)[1].split(","))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def chunk(self, text):
        data = text.encode() if isinstance(text, str) else text
        if data:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

    def pings(self):
        while True:
            time.sleep(1)
            self.chunk(": ping\n")

    def do_GET(self):
        global connections
        sys.stderr.write(f"REQ {time.monotonic():.3f} {self.path}\n")
        sys.stderr.flush()
        base = f"/v1/core/instance/{INSTANCE}/"
        path = self.path.split("?", 1)[0]
        if path == base + "consume_events":
            return self.poll()
        if path != base + "consume_events_sse" or SCENARIO in ("poll", "slowpoll", "hangpoll"):
            return reply(self, 404, "application/json", b'{"error":"instance not found"}')
        with lock:
            connections += 1
            n = connections
        self.send_response(200)
        for k, v in (("Content-Type", "text/event-stream"), ("Cache-Control", "no-cache"),
                     ("Connection", "keep-alive"), ("Transfer-Encoding", "chunked")):
            self.send_header(k, v)
        self.end_headers()
        try:
            getattr(self, "scenario_" + SCENARIO)(n, wanted_events(self.path))
        except (BrokenPipeError, ConnectionResetError):
            pass

    def scenario_all(self, n, wanted):
        text = framed_all(wanted).encode()
        for i in range(0, len(text), 13):  # records split at arbitrary byte boundaries
            self.chunk(text[i:i + 13])
        self.pings()

    def scenario_cut(self, n, wanted):
        first = [ev("event-line-crossing", "C-ONE"), ev("event-intrusion", "C-TWO")]
        if n == 1:
            self.chunk("".join(sse(i + 1, *r) for i, r in enumerate(first)))
            name, data = ev("event-line-crossing", "C-HALF")
            self.chunk(f"id: 3\nevent: {name}\ndata: {data[:40]}")
            time.sleep(0.2)
            self.connection.shutdown(2)  # dropped mid-record, no last chunk
            self.close_connection = True
            return
        again = first + [ev("event-intrusion-end", "C-TWO", event_duration_ms=1500), ev("event-line-crossing", "C-NEW")]
        self.chunk("".join(sse(i + 1, *r) for i, r in enumerate(again)))
        self.pings()

    def scenario_retry(self, n, wanted):
        self.chunk("retry: 2500\n\n" + sse(1, *ev("event-line-crossing", "R-ONE")))
        time.sleep(0.2)
        self.chunk("")
        self.wfile.write(b"0\r\n\r\n")  # a clean end of the stream
        self.wfile.flush()
        self.close_connection = True

    def scenario_late(self, n, wanted):
        self.chunk(sse(1, *ev("event-line-crossing", "L-ONE")))
        time.sleep(3)
        self.chunk(sse(2, *crop("L-ONE")))
        self.pings()

    def scenario_nocrop(self, n, wanted):
        self.chunk(sse(1, *ev("event-line-crossing", "N-ONE")) + sse(2, *ev("event-intrusion", "N-TWO")))
        self.pings()

    def scenario_dropwait(self, n, wanted):
        self.chunk(sse(1, *ev("event-intrusion", "D-ONE")))
        if n == 1:
            time.sleep(0.2)
            self.connection.shutdown(2)
            self.close_connection = True
            return
        time.sleep(0.3)
        self.chunk(sse(2, *crop("D-ONE")))
        self.pings()

    def scenario_silent(self, n, wanted):
        self.chunk(sse(1, *ev("event-line-crossing", "S-ONE")))
        time.sleep(3600)

    def poll(self):
        global connections
        with lock:
            connections += 1
            n = connections
        if SCENARIO == "poll" and n == 1:
            records = all_records()
        elif SCENARIO in ("slowpoll", "hangpoll") and n == 2:
            time.sleep(1.5 if SCENARIO == "slowpoll" else 3600)
            records = slow_records()
        else:
            return reply(self, 204, None, b"")
        body = json.dumps([{"dataType": name, "jsonObject": data} for name, data in records]).encode()
        try:
            reply(self, 200, "application/json", body)
        except (BrokenPipeError, ConnectionResetError):
            sys.stderr.write(f"LOST {time.monotonic():.3f} {len(records)} records: the client had gone\n")
            sys.stderr.flush()


serve(Handler)
