#!/usr/bin/env python3
"""Checks that the published JSON matches the documented schemas (docs/schema/).

Validates
  * every element of every fixtures/expected/**/*.json and fixtures/{hikvision,cvedia}/
    *.expected.json (each file is a JSON array: the lines
    one post produces): event payloads against docs/schema/event.schema.json, {"heartbeat": ...}
    and {"error": ...} lines against docs/schema/parse-output.schema.json;
  * every docs/examples/*.json: <category>[-<variant>].json against the event schema (and its
    category must match the file name; every category needs an example), device.json against
    docs/schema/device.schema.json, heartbeat*.json / parse-error*.json against parse-output;
    <category>.json must equal a payload in fixtures/expected (examples are real encoder
    output; tests/schema/update_examples.py regenerates them) and <category>-<variant>.json
    must equal <category>.json except for the image fields;
  * cross-field rules a JSON Schema cannot express (targetId/targetType repeat targets[0], the
    receive-time fallback, canonical target types, image topics);
  * itself: deliberately broken payloads must be rejected, so this test can fail.

Usage: check_schema.py SOURCE_DIR [FILE_OR_DIR...]
  With extra arguments, those expected-style files (arrays) are checked instead of
  fixtures/expected. Exit status 0 when everything is valid, 1 otherwise; every violation is
  printed as FILE[#/index]: /json/pointer: message.

Needs the Debian package python3-jsonschema (4.10 on bookworm; newer versions work too).
"""

import copy
import json
import sys
from pathlib import Path

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:  # pragma: no cover - depends on the host
    sys.stderr.write("check_schema: python3-jsonschema is not installed "
                     "(apt-get install -y python3-jsonschema)\n")
    sys.exit(1)

CATEGORIES = ["lpr", "face", "intrusion", "counting", "metadata", "motion", "io", "tamper",
              "traject", "alarm", "other"]
CANONICAL_TYPES = {"1": "person", "person": "person", "2": "car", "car": "car",
                   "4": "motorcycle", "motor": "motorcycle", "motorcycle": "motorcycle"}
# Each source's own words on top of the shared ones (src/parse/hikvision_parser.cpp
# set_hikvision_target_type, src/parse/cvedia_decoder.cpp canonical_class).
SOURCE_TYPES = {
    "hikvision": {"human": "person", "vehicle": "car"},
    "cvedia": {"people": "person", "human": "person", "vehicle": "car", "motorbike": "motorcycle"},
}


def pointer(parts):
    """RFC 6901 JSON pointer of a path (deque/list of keys and indexes)."""
    if not parts:
        return "/"
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def make_validator(schema_path):
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    checker = getattr(Draft202012Validator, "FORMAT_CHECKER", None) or jsonschema.FormatChecker()
    return Draft202012Validator(schema, format_checker=checker)


def schema_errors(validator, instance):
    """Schema violations as (pointer, message) pairs, in document order."""
    out = []
    for err in sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path]):
        message = err.message
        if err.validator == "not" and err.validator_value == {}:
            schema_path = list(err.absolute_schema_path)
            cut = max((i for i, p in enumerate(schema_path) if p == "properties"), default=len(schema_path))
            message = "field not allowed here (condition: %s)" % pointer(schema_path[:cut])
        where = "/".join(str(p) for p in err.absolute_schema_path)
        out.append((pointer(err.absolute_path), "%s  [schema: %s]" % (message, where)))
    return out


def semantic_errors(ev):
    """Rules between fields that the schema cannot state. Only for schema-valid events."""
    out = []
    targets = ev.get("targets", [])
    first = targets[0] if targets else {"id": "", "type": ""}
    if ev["targetId"] != first["id"]:
        out.append(("/targetId", "must repeat targets[0].id (%r), got %r" % (first["id"], ev["targetId"])))
    if ev["targetType"] != first["type"]:
        out.append(("/targetType", "must repeat targets[0].type (%r), got %r" % (first["type"], ev["targetType"])))
    words = dict(CANONICAL_TYPES, **SOURCE_TYPES.get(ev["source"], {}))
    for i, t in enumerate(targets):
        raw = t["typeRaw"].strip()
        want = words.get(raw.lower(), raw.lower() if ev["source"] == "cvedia" else raw)
        if t["type"] != want:
            out.append(("/targets/%d/type" % i, "typeRaw %r must give type %r, got %r" % (t["typeRaw"], want, t["type"])))
    if ev["eventTimeSource"] == "receive" and ev["eventTime"] != ev["receivedAt"]:
        out.append(("/eventTime", "eventTimeSource is receive, so eventTime must equal receivedAt (%s)" % ev["receivedAt"]))
    for which, meta in ev.get("images", {}).items():
        suffix = "/%s/%s/image/%s" % (ev["cameraKey"], ev["category"], which)
        if not meta["topic"].endswith(suffix) or meta["topic"] == suffix:
            out.append(("/images/%s/topic" % which, "must be P%s, got %r" % (suffix, meta["topic"])))
    return out


class Checker:
    def __init__(self, root):
        schema_dir = root / "docs" / "schema"
        self.event = make_validator(schema_dir / "event.schema.json")
        self.device = make_validator(schema_dir / "device.schema.json")
        self.parse_output = make_validator(schema_dir / "parse-output.schema.json")
        self.failures = []
        self.checked = 0
        self.payloads = []  # every element of the expected files, for the example check

    def problems(self, instance, kind):
        """Violations of one JSON value; kind is event, device, parse-output or line (auto)."""
        if kind == "line":
            is_event = not (isinstance(instance, dict) and ("error" in instance or "heartbeat" in instance))
            kind = "event" if is_event else "parse-output"
        validator = {"event": self.event, "device": self.device, "parse-output": self.parse_output}[kind]
        errs = schema_errors(validator, instance)
        if not errs and kind == "event":
            errs = semantic_errors(instance)
        return errs

    def check(self, label, instance, kind):
        self.checked += 1
        for where, message in self.problems(instance, kind):
            self.failures.append("%s: %s: %s" % (label, where, message))

    def fail(self, message):
        self.failures.append(message)


def load_json(checker, path, rel):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        checker.fail("%s: not valid JSON: %s" % (rel, exc))
        return None


def check_expected_files(checker, root, files):
    for path in files:
        rel = path.relative_to(root) if path.is_relative_to(root) else path
        data = load_json(checker, path, rel)
        if data is None:
            continue
        if not isinstance(data, list) or not data:
            checker.fail("%s: /: must be a non-empty JSON array of payloads" % rel)
            continue
        for i, element in enumerate(data):
            checker.check("%s#/%d" % (rel, i), element, "line")
            checker.payloads.append(element)


def strip_images(payload):
    return {k: v for k, v in payload.items() if k not in ("images", "sourceImage", "targetImage")}


def check_examples(checker, root, compare_with_goldens):
    """Examples must be valid, and (<category>.json) verbatim encoder output of a fixture."""
    example_dir = root / "docs" / "examples"
    files = sorted(example_dir.glob("*.json"))
    if not files:
        checker.fail("%s: no examples found (one per category expected)" % example_dir.relative_to(root))
        return
    seen = set()
    for path in files:
        rel = path.relative_to(root)
        data = load_json(checker, path, rel)
        if data is None:
            continue
        stem = path.stem
        base = stem.split("-", 1)[0]
        if stem == "device":
            checker.check(str(rel), data, "device")
        elif stem.startswith("heartbeat") or stem.startswith("parse-error"):
            checker.check(str(rel), data, "parse-output")
        elif base in CATEGORIES:
            checker.check(str(rel), data, "event")
            if isinstance(data, dict) and data.get("category") != base:
                checker.fail("%s: /category: file is named for %r but the payload says %r"
                             % (rel, base, data.get("category")))
            if stem == base:
                seen.add(base)
                if compare_with_goldens and checker.payloads and data not in checker.payloads:
                    checker.fail("%s: no longer equals any payload in fixtures/expected; regenerate "
                                 "with tests/schema/update_examples.py and review the diff" % rel)
            else:
                main_path = example_dir / (base + ".json")
                if not main_path.exists():
                    checker.fail("%s: variant of a missing %s" % (rel, main_path.name))
                elif isinstance(data, dict) and strip_images(data) != strip_images(
                        json.loads(main_path.read_text(encoding="utf-8"))):
                    checker.fail("%s: must equal %s except for the image fields" % (rel, main_path.name))
        else:
            checker.fail("%s: unknown example name (use <category>[-variant].json, device.json, "
                         "heartbeat*.json or parse-error*.json)" % rel)
    for missing in [c for c in CATEGORIES if c not in seen]:
        checker.fail("docs/examples/%s.json: missing (every category needs an example)" % missing)


# --- self-test -------------------------------------------------------------------------------

def valid_event():
    """A complete split-mode lpr payload as src/encode/event_json.cpp writes it."""
    return {
        "id": "0190a1b2-c3d4-7e5f-8a6b-1c2d3e4f5a6b", "source": "viewtron", "deviceType": "NVR",
        "format": "v2", "configVersion": "2.0.0", "category": "lpr", "eventType": "vehicle",
        "eventDescription": "License Plate Detection", "subtype": "plate", "cameraKey": "gate-ch2",
        "cameraName": "Gate", "cameraIp": "192.168.1.60", "peerIp": "192.168.1.60",
        "cameraMac": "00:18:ae:12:34:56", "channelId": "2", "timestamp": "1774792701902505",
        "eventTime": "2026-03-29T13:58:21.902505Z", "eventTimeSource": "device",
        "receivedAt": "2026-03-29T13:58:22.000000Z", "eventId": "", "targetId": "5",
        "targetType": "car",
        "targets": [{"id": "5", "type": "car", "typeRaw": "car",
                     "box": {"x1": 1104, "y1": 546, "x2": 1232, "y2": 610, "scale": "px"}}],
        "plateNumber": "ABC1234", "plateColor": "white", "plateGroup": "", "carOwner": "",
        "vehicle": None, "hasImages": True,
        "images": {"target": {"topic": "cam2mqtt/gate-ch2/lpr/image/target", "bytes": 11,
                              "width": 128, "height": 64}},
    }


def valid_alarm():
    """A complete alarm status payload (no targets, no images)."""
    ev = valid_event()
    for key in ("plateNumber", "plateColor", "plateGroup", "carOwner", "vehicle", "targets", "images"):
        del ev[key]
    ev.update(category="alarm", eventType="perimeterAlarm", eventDescription="Alarm Status",
              subtype="", targetId="", targetType="", active=True, alarmName="perimeterAlarm",
              alarmId="1", relatedCategory="intrusion", hasImages=False)
    return ev


def mutated(change, base=valid_event):
    ev = base()
    change(ev)
    return ev


def self_test(checker):
    """The schemas must accept good payloads and reject broken ones; else this test is moot."""
    ok = True
    for name, good in (("lpr", valid_event()), ("alarm", valid_alarm())):
        for where, message in checker.problems(good, "event"):
            ok = False
            checker.fail("self-test: the reference %s payload is rejected: %s: %s" % (name, where, message))

    bad_events = {
        "missing id": mutated(lambda e: e.pop("id")),
        "wrong scale": mutated(lambda e: e["targets"][0]["box"].update(scale=100)),
        "undocumented field": mutated(lambda e: e.update(undocumentedField=5)),
        "unknown category": mutated(lambda e: e.update(category="doorbell")),
        "lpr without plateNumber": mutated(lambda e: e.pop("plateNumber")),
        "plate fields outside lpr": mutated(lambda e: e.update(category="intrusion", subtype="regionIntrusion")),
        "alarm without active": mutated(lambda e: e.pop("active"), valid_alarm),
        "time without microseconds": mutated(lambda e: e.update(eventTime="2026-03-29T13:58:21Z")),
        "upper-case MAC": mutated(lambda e: e.update(cameraMac="00:18:AE:12:34:56")),
        "split and base64 at once": mutated(lambda e: e.update(sourceImage="AAAA")),
        "images without hasImages": mutated(lambda e: e.update(hasImages=False)),
        "raw target type with a canonical name": mutated(
            lambda e: e["targets"][0].update(type="motor", typeRaw="motor")),
        "targetId not repeating targets[0]": mutated(lambda e: e.update(targetId="6")),
        "receive time that is not receivedAt": mutated(lambda e: e.update(eventTimeSource="receive")),
        "image topic of another category": mutated(
            lambda e: e["images"]["target"].update(topic="cam2mqtt/gate-ch2/face/image/target")),
        "subtype outside the vocabulary": mutated(lambda e: e.update(subtype="numberPlate")),
        "endReason on a start": mutated(lambda e: e.update(active=True, endReason="timeout"), valid_alarm),
        "durationMs without active": mutated(lambda e: e.update(durationMs=1200)),
        "negative count": mutated(lambda e: e.update(count=-1)),
        "score above 1": mutated(lambda e: e.update(score=1.5)),
        "retransmission false": mutated(lambda e: e.update(retransmission=False)),
    }
    for name, ev in bad_events.items():
        if not checker.problems(ev, "event"):
            ok = False
            checker.fail("self-test: a payload with %s was accepted by event.schema.json" % name)

    bad_lines = {
        "unknown error kind": {"error": {"kind": "oops", "message": "x"}, "file": "a.xml"},
        "error without file": {"error": {"kind": "not_xml", "message": "x"}},
        "heartbeat missing mac": {"heartbeat": {"name": "", "ip": "", "serial": "", "deviceNo": "",
                                                "model": "", "channel": "", "deviceType": "IPC"}},
    }
    for name, line in bad_lines.items():
        if not checker.problems(line, "line"):
            ok = False
            checker.fail("self-test: a parse line with %s was accepted" % name)
    bad_device = {"name": "Gate", "ip": "", "mac": "", "serial": "", "deviceNo": "", "model": "",
                  "channel": "", "deviceType": "IPC", "cameraKey": "a/b", "peerIp": "192.168.1.60",
                  "firstSeen": "2026-03-29T13:58:21.000000Z", "lastSeen": "2026-03-29T13:58:21.000000Z"}
    if not checker.problems(bad_device, "device"):
        ok = False
        checker.fail("self-test: a device payload with a '/' in cameraKey was accepted")
    return ok


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    root = Path(argv[1]).resolve()
    checker = Checker(root)
    self_ok = self_test(checker)

    if len(argv) > 2:
        files = []
        for arg in argv[2:]:
            p = Path(arg).resolve()
            files.extend(sorted(p.rglob("*.json")) if p.is_dir() else [p])
        source = " ".join(argv[2:])
    else:
        expected_dir = root / "fixtures" / "expected"
        files = sorted(expected_dir.rglob("*.json")) if expected_dir.is_dir() else []
        # The outbound sources keep each golden beside its input (fixtures/<source>/*.expected.json).
        for source_dir in ("hikvision", "cvedia"):
            files += sorted((root / "fixtures" / source_dir).glob("*.expected.json"))
        source = str(expected_dir) + " and fixtures/{hikvision,cvedia}"
    if not files:
        checker.fail("%s: no payload files to check (generate them: UPDATE_GOLDEN=1 "
                     "./tests/unit/golden/test_golden)" % source)
    check_expected_files(checker, root, files)
    check_examples(checker, root, compare_with_goldens=len(argv) == 2)

    if checker.failures:
        for line in checker.failures:
            print("FAIL " + line)
        print("schema_payloads: %d problem(s) in %d value(s) from %d file(s)%s"
              % (len(checker.failures), checker.checked, len(files),
                 "" if self_ok else "; the self-test failed"))
        return 1
    print("schema_payloads: OK, %d value(s) valid (%d expected file(s) and docs/examples), "
          "self-test passed" % (checker.checked, len(files)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
