"""Read the pixels of an 8-bit RGB(A) PNG (what Chromium's screenshots are) with the standard library."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path


def png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """``(width, height, rows)``: each row holds ``width`` pixels of 3 (RGB) or 4 (RGBA) bytes."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    position, idat = 8, []
    width = height = channels = 0
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, "only 8-bit RGB(A), not interlaced"
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat.append(body)
        position += 12 + length
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        _unfilter(kind, line, previous, channels)
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def _unfilter(kind: int, line: bytearray, above: bytearray, bpp: int) -> None:
    """Undo a row's PNG filter in place (0 none, 1 sub, 2 up, 3 average, 4 paeth)."""
    if kind == 0:
        return
    if kind == 2:
        line[:] = bytes((a + b) & 0xFF for a, b in zip(line, above, strict=True))
        return
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
            continue
        up = above[i]
        if kind == 3:
            line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            continue
        corner = above[i - bpp] if i >= bpp else 0
        pa, pb, pc = abs(up - corner), abs(left - corner), abs(left + up - 2 * corner)
        predicted = left if pa <= pb and pa <= pc else up if pb <= pc else corner
        line[i] = (line[i] + predicted) & 0xFF


def distinct_colours(path: Path) -> set[bytes]:
    width, _, rows = png_pixels(path)
    channels = len(rows[0]) // width
    return {row[i : i + channels] for row in rows for i in range(0, len(row), channels)}
