#!/usr/bin/env python3
"""Write the two benchmark bodies, deterministically, into OUTDIR.

small.xml  NVR v2.0 `alarmData` / `regionIntrusion` post without images (reference
           viewtron-http-post.md §3.5 layout (a)), ~1.3 KB: what an NVR set to "no images"
           sends.
image.xml  The same event with a ~150 KB overview in `sourceDataInfo` and one ~15 KB crop in
           `targetListInfo/item/targetImageData` (NVR "both images"). The images are valid
           base64 of JPEG-like bytes (FF D8 FF E0 ... FF D9) with random content from a fixed
           seed, so every run posts byte-identical bodies.

Usage: make_bodies.py OUTDIR [--overview-bytes N] [--crop-bytes N]
"""
import argparse
import base64
import os
import random
import sys

SEED = 20241122

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<config version="2.0.0" xmlns="http://www.ipc.com/ver10">
  <messageType>alarmData</messageType>
  <deviceInfo>
    <deviceName><![CDATA[Bench Front Door]]></deviceName>
    <ip><![CDATA[192.168.77.10]]></ip>
    <mac><![CDATA[58:5B:69:40:AB:01]]></mac>
    <channelId>1</channelId>
  </deviceInfo>
  <smartType>regionIntrusion</smartType>
  <currentTime>1732300000123456</currentTime>
  <eventInfo>
    <item>
      <eventId>4711</eventId>
      <targetId>2157</targetId>
      <boundary>area</boundary>
      <pointGroup>
        <item><x>1250</x><y>1875</y></item>
        <item><x>8750</x><y>1875</y></item>
        <item><x>9375</x><y>5000</y></item>
        <item><x>8750</x><y>8125</y></item>
        <item><x>1250</x><y>8125</y></item>
        <item><x>625</x><y>5000</y></item>
      </pointGroup>
      <rect>
        <x1>4100</x1>
        <y1>3300</y1>
        <x2>5200</x2>
        <y2>7400</y2>
      </rect>
    </item>
  </eventInfo>
"""

SOURCE = """  <sourceDataInfo>
    <dataType>0</dataType>
    <width>1920</width>
    <height>1080</height>
    <sourceBase64Length>{length}</sourceBase64Length>
    <sourceBase64Data><![CDATA[{data}]]></sourceBase64Data>
  </sourceDataInfo>
"""

TARGET_OPEN = """  <targetListInfo>
    <item>
      <targetId>2157</targetId>
      <targetType>person</targetType>
"""

TARGET_IMAGE = """      <targetImageData>
        <dataType>0</dataType>
        <width>288</width>
        <height>384</height>
        <targetBase64Length>{length}</targetBase64Length>
        <targetBase64Data>{data}</targetBase64Data>
      </targetImageData>
"""

TARGET_CLOSE = """    </item>
  </targetListInfo>
</config>
"""


def jpeg_like(rng: random.Random, size: int) -> bytes:
    """`size` bytes that start with a JPEG SOI + APP0 marker and end with EOI."""
    if size < 6:
        raise ValueError("image too small")
    return b"\xff\xd8\xff\xe0" + rng.randbytes(size - 6) + b"\xff\xd9"


def build(with_images: bool, overview_bytes: int, crop_bytes: int) -> bytes:
    rng = random.Random(SEED)
    parts = [HEAD]
    target_image = ""
    if with_images:
        src = base64.b64encode(jpeg_like(rng, overview_bytes)).decode("ascii")
        crop = base64.b64encode(jpeg_like(rng, crop_bytes)).decode("ascii")
        parts.append(SOURCE.format(length=len(src), data=src))
        target_image = TARGET_IMAGE.format(length=len(crop), data=crop)
    parts += [TARGET_OPEN, target_image, TARGET_CLOSE]
    return "".join(parts).encode("utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir")
    ap.add_argument("--overview-bytes", type=int, default=150 * 1024,
                    help="decoded size of the overview JPEG (default 153600)")
    ap.add_argument("--crop-bytes", type=int, default=15 * 1024,
                    help="decoded size of the target crop JPEG (default 15360)")
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    for name, with_images in (("small.xml", False), ("image.xml", True)):
        body = build(with_images, args.overview_bytes, args.crop_bytes)
        path = os.path.join(args.outdir, name)
        with open(path, "wb") as f:
            f.write(body)
        print(f"{path}: {len(body)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
