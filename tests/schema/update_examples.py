#!/usr/bin/env python3
"""Regenerates docs/examples/<category>.json from the golden files (fixtures/expected).

Usage: update_examples.py SOURCE_DIR [--expected DIR] [--cam2mqtt BINARY]

Each example is one payload, verbatim, from the fixture listed in EXAMPLES (fixed id and
receivedAt, as the golden test writes them). Variants:
  lpr-none.json    lpr.json without `images` (what images.mode none publishes)
  lpr-base64.json  lpr.json with sourceImage/targetImage instead of `images`; the base64
                   strings come from `BINARY parse --images base64` on the same fixture, so
                   this one is only rewritten when --cam2mqtt is given.
device.json (P/C/device) is not derived from goldens; check_schema.py validates it as is.
check_schema.py fails when an example no longer equals a golden payload: run this script,
review the diff, commit.
"""

import json
import subprocess
import sys
from pathlib import Path

# category -> (fixture under fixtures/expected, index in its array)
EXAMPLES = {
    "lpr": ("nvr_v2/vehicle_lpr.json", 0),
    "face": ("nvr_v2/video_face_detect_two_faces.json", 0),
    "intrusion": ("ipc_v1/pea_perimeter.json", 0),
    "counting": ("nvr_v2/target_counting_by_line.json", 0),
    "metadata": ("nvr_v2/video_metadata.json", 0),
    "motion": ("ipc_v1/motion.json", 0),
    "io": ("ipc_v1/sensor.json", 0),
    "tamper": ("ipc_v1/avd.json", 0),
    "traject": ("traject/two_targets.json", 0),
    "alarm": ("alarm_status/ipc_v1_two_alarms.json", 0),
    "other": ("unknown/falling.json", 0),
}
IMAGE_FIELDS = ("images", "sourceImage", "targetImage")


def write(path, value):
    path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print("wrote", path)


def main(argv):
    args = list(argv[1:])
    if not args:
        sys.stderr.write(__doc__)
        return 2
    root = Path(args.pop(0)).resolve()
    expected = root / "fixtures" / "expected"
    binary = None
    while args:
        opt = args.pop(0)
        if opt == "--expected" and args:
            expected = Path(args.pop(0)).resolve()
        elif opt == "--cam2mqtt" and args:
            binary = args.pop(0)
        else:
            sys.stderr.write("unknown argument %r\n%s" % (opt, __doc__))
            return 2
    out_dir = root / "docs" / "examples"
    out_dir.mkdir(parents=True, exist_ok=True)

    for category, (rel, index) in EXAMPLES.items():
        payloads = json.loads((expected / rel).read_text(encoding="utf-8"))
        payload = payloads[index]
        if payload.get("category") != category:
            sys.stderr.write("%s[%d] is category %r, not %r: fix EXAMPLES\n"
                             % (rel, index, payload.get("category"), category))
            return 1
        write(out_dir / (category + ".json"), payload)

    lpr = json.loads((out_dir / "lpr.json").read_text(encoding="utf-8"))
    without_images = {k: v for k, v in lpr.items() if k not in IMAGE_FIELDS}
    write(out_dir / "lpr-none.json", without_images)
    if binary:
        xml = root / "fixtures" / "xml" / Path(EXAMPLES["lpr"][0]).with_suffix(".xml")
        line = subprocess.run([binary, "parse", "--images", "base64", "--peer", lpr["peerIp"], str(xml)],
                              check=True, capture_output=True, text=True).stdout.splitlines()[0]
        parsed = json.loads(line)
        b64 = dict(without_images)
        for key in ("sourceImage", "targetImage"):
            if key in parsed:
                b64[key] = parsed[key]
        write(out_dir / "lpr-base64.json", b64)
    else:
        print("lpr-base64.json kept (give --cam2mqtt BINARY to rewrite it)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
