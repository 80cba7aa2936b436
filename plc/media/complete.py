"""Whether an upload arrived whole, read from its structure without decoding any pixels."""
from __future__ import annotations

import mmap
import re
import struct
from typing import BinaryIO

from plc.media.errors import damaged


def is_complete(kind: str, f: BinaryIO, size: int) -> bool:
    """False when a file of this kind was cut off; UploadRejected when its structure is
    damaged beyond a cut."""
    return _COMPLETE[kind](f, size)


def _tail(f: BinaryIO, size: int, n: int = 4096) -> bytes:
    f.seek(max(0, size - n))
    return f.read(n)


# A marker inside JPEG entropy-coded data: FF followed by anything but a stuffed
# zero, a restart marker or another fill FF.
_JPEG_MARKER_IN_SCAN = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def _jpeg_complete(f: BinaryIO, size: int) -> bool:
    # Fast path, nearly every photo: the file ends with EOI (maybe zero padded).
    if _tail(f, size).rstrip(b"\x00").endswith(b"\xff\xd9"):
        return True
    # Slow path: walk the segments to the real EOI; phones append data after
    # it (Google/Samsung motion photos carry a video there), which is fine.
    with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        pos = 2
        while pos + 2 <= size:
            if mm[pos] != 0xFF:
                return False
            marker = mm[pos + 1]
            if marker == 0xFF:            # fill byte before a marker
                pos += 1
                continue
            if marker == 0xD9:            # EOI
                return True
            if marker == 0x01 or 0xD0 <= marker <= 0xD7:
                pos += 2
                continue
            if pos + 4 > size:
                return False
            seg_end = pos + 2 + struct.unpack(">H", mm[pos + 2:pos + 4])[0]
            if seg_end > size:
                return False
            if marker == 0xDA:            # start of scan: skip entropy-coded data
                m = _JPEG_MARKER_IN_SCAN.search(mm, seg_end)
                if m is None:
                    return False
                pos = m.start()
            else:
                pos = seg_end
    return False


_PNG_IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"


def _png_complete(f: BinaryIO, size: int) -> bool:
    if _tail(f, size, 64).rstrip(b"\x00").endswith(_PNG_IEND):
        return True
    # Walk the chunks (length-prefixed; a few thousand seeks at most).
    pos = 8
    while pos + 12 <= size:
        f.seek(pos)
        length, ctype = struct.unpack(">I4s", f.read(8))
        end = pos + 12 + length
        if end > size:
            return False
        if ctype == b"IEND":
            return True
        pos = end
    return False


def _webp_complete(f: BinaryIO, size: int) -> bool:
    f.seek(4)
    riff_size = struct.unpack("<I", f.read(4))[0]
    # Extra bytes after the RIFF chunk are ignored by decoders; fewer mean a cut.
    return size >= riff_size + 8


def _heif_complete(f: BinaryIO, size: int) -> bool:
    """Walk the top-level ISO-BMFF boxes: each must fit in the file, and the
    'meta' box (which describes the images) must be there."""
    pos = 0
    seen: set[bytes] = set()
    while pos < size:
        if size - pos < 8:
            f.seek(pos)
            return f.read().strip(b"\x00") == b"" and b"meta" in seen
        f.seek(pos)
        box_size, btype = struct.unpack(">I4s", f.read(8))
        if box_size == 1:
            big = f.read(8)
            if len(big) < 8:
                return False
            box_size = struct.unpack(">Q", big)[0]
        elif box_size == 0:       # runs to the end of the file
            box_size = size - pos
        if box_size < 8:
            if box_size == 0 or btype == b"\x00\x00\x00\x00":  # zero padding
                f.seek(pos)
                return f.read().strip(b"\x00") == b"" and b"meta" in seen
            raise damaged("heif")
        if pos + box_size > size:
            return False
        seen.add(btype)
        pos += box_size
    if b"meta" not in seen:
        raise damaged("heif")
    return True


def _pdf_complete(f: BinaryIO, size: int) -> bool:
    # Every PDF ends with %%EOF; readers look for it in the last 1024 bytes.
    # Allow a little more for scanners that pad the end.
    return b"%%EOF" in _tail(f, size, 4096)


_COMPLETE = {"jpeg": _jpeg_complete, "png": _png_complete, "webp": _webp_complete,
             "heif": _heif_complete, "pdf": _pdf_complete}
