#!/usr/bin/env python3
"""Fake Hikvision camera for the sources tests (hikvision-isapi.md §7), python3 stdlib only.

GET /ISAPI/Event/notification/alertStream answers 401 with a Digest challenge (qop=auth, fresh
nonce) until a valid Authorization arrives; with a valid one it streams a finite multipart body.
Prints "port N" on stdout once listening; logs each request to stderr as "REQ <path> <auth-kind>".
GET /ISAPI/System/deviceInfo (same Digest) answers a DeviceInfo document (model DS-2CD2185FWD-I).
GET /ISAPI/Streaming/channels/101/picture (same Digest) answers a small JPEG (snapshots).
Usage: fake_hikvision.py USER PASSWORD [finite|stall|stale|images|xmlpicture|lostpicture|slowpicture]
  finite: the body ends after one part (Content-Length); stall: chunked, one part, then silence
  with the TCP connection kept open (the daemon's watchdog must reconnect); stale: as finite, but
  every correct answer to a fresh nonce gets 401 stale=true with a renewed nonce first (logged as
  "STALE"); images: as finite, the alert announces one binary picture and a JPEG part follows;
  xmlpicture: as finite, the picture URL answers an XML ResponseStatus (statusCode 6);
  lostpicture: as stall, but the alert announces a binary picture that never comes;
  slowpicture: as stall, and the picture URL never answers an authenticated request (a snapshot
  still in flight when the daemon stops).
"""
import hashlib, http.server, os, re, sys, time

from fakelib import reply, serve

USER, PASSWORD = sys.argv[1], sys.argv[2]
MODE = sys.argv[3] if len(sys.argv) > 3 else "finite"
REALM = "IP Camera(C1234)"
nonces = set()
renewed = set()  # stale mode: nonces handed out with stale=true (accepted)

def h(s):
    return hashlib.md5(s.encode()).hexdigest()

def digest_ok(header, method, uri):
    fields = dict(re.findall(r'(\w+)="?([^",]*)"?', header))
    if fields.get("username") != USER or fields.get("nonce") not in nonces:
        return False
    ha1 = h(f"{USER}:{REALM}:{PASSWORD}")
    ha2 = h(f"{method}:{fields.get('uri', '')}")
    want = h(f"{ha1}:{fields['nonce']}:{fields.get('nc','')}:{fields.get('cnonce','')}:{fields.get('qop','')}:{ha2}")
    return fields.get("response") == want and fields.get("uri") == uri

ALERT = ('<EventNotificationAlert version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">'
         '<ipAddress>127.0.0.1</ipAddress><channelID>1</channelID><eventType>VMD</eventType>'
         '<eventState>active</eventState></EventNotificationAlert>\r\n')

DEVICE_INFO = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<DeviceInfo version="2.0" xmlns="http://www.hikvision.com/ver20/XMLSchema">'
               '<deviceName>IP CAMERA</deviceName><model>DS-2CD2185FWD-I</model>'
               '<serialNumber>DS-2CD2185FWD-I20180101AAWR123456789</serialNumber>'
               '<macAddress>44:19:b6:00:12:ab</macAddress><firmwareVersion>V5.5.0</firmwareVersion>'
               '</DeviceInfo>').encode()

# A small valid-looking JPEG with every byte value in it (the image path must be binary-safe).
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256)) * 2 + b"\xff\xd9"
PICTURE_PATH = "/ISAPI/Streaming/channels/101/picture"

def alert_with_picture():
    return ALERT.replace("</EventNotificationAlert>",
                         "<detectionPictureTransType>binary</detectionPictureTransType>"
                         "<detectionPicturesNumber>1</detectionPicturesNumber></EventNotificationAlert>")

def stream_parts():
    """The parts of one finite stream: (content type, bytes)."""
    if MODE == "images":
        return [("application/xml", alert_with_picture().encode()), ("image/jpeg", JPEG)]
    return [("application/xml", ALERT.encode())]

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a):
        pass
    def log(self, what):
        sys.stderr.write(what + "\n")
        sys.stderr.flush()
    def challenge(self, stale):
        nonce = os.urandom(8).hex()
        nonces.add(nonce)
        if stale:
            renewed.add(nonce)
        self.send_response(401)
        self.send_header("WWW-Authenticate", f'Digest realm="{REALM}", qop="auth", nonce="{nonce}", '
                                             f'stale="{"TRUE" if stale else "FALSE"}"')
        self.send_body(None, "text/html", b"<html>401 Unauthorized</html>")
    def do_GET(self):
        auth = self.headers.get("Authorization", "")
        self.log(f"REQ {self.path} {auth.split(' ')[0] if auth else 'none'}")
        if not auth.startswith("Digest ") or not digest_ok(auth[7:], "GET", self.path):
            self.challenge(False)
            return
        nonce = dict(re.findall(r'(\w+)="?([^",]*)"?', auth[7:])).get("nonce")
        if MODE == "stale" and nonce not in renewed:
            # The camera renewed its nonce between challenge and answer: the right credentials
            # with an old nonce get 401 stale=true, and the client must simply answer again.
            self.log("STALE")
            self.challenge(True)
            return
        if self.path == "/ISAPI/System/deviceInfo":
            self.send_body(200, "application/xml", DEVICE_INFO)
            return
        if self.path == PICTURE_PATH and MODE == "xmlpicture":
            self.send_body(200, "application/xml", b'<?xml version="1.0" encoding="UTF-8"?>\n<ResponseStatus>'
                           b'<statusCode>6</statusCode><statusString>Invalid Content</statusString></ResponseStatus>')
            return
        if self.path == PICTURE_PATH and MODE == "slowpicture":
            time.sleep(3600)
            return
        if self.path == PICTURE_PATH:
            self.send_body(200, "image/jpeg", JPEG)
            return
        part = (alert_with_picture() if MODE == "lostpicture" else ALERT).encode()
        if MODE in ("stall", "lostpicture", "slowpicture"):
            self.send_response(200)
            self.send_header("Content-Type", "multipart/mixed; boundary=boundary")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"--boundary\r\nContent-Type: application/xml\r\n\r\n" + part + b"\r\n--boundary\r\n"
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.flush()
            time.sleep(3600)
            return
        body = b"".join(b"--boundary\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s\r\n"
                        % (ctype.encode(), len(data), data) for ctype, data in stream_parts()) + b"--boundary--\r\n"
        self.send_body(200, "multipart/mixed; boundary=boundary", body)
    send_body = reply

serve(Handler)
