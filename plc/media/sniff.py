"""What a file is, from its first bytes rather than its name: one of the kinds we accept, or
an UploadRejected that names what it is instead, so that people know what to do.

The `filetype` library knows the signatures; this module keeps the rules it lacks: the
HEIF brands libheif reads, formats it does not know, PDF's leading junk, text and zips."""
from __future__ import annotations

import struct
import zipfile
from contextlib import suppress
from typing import BinaryIO

import filetype

from plc.media.errors import HINT, UploadRejected, not_accepted

# MIME type filetype reports -> kind
_ACCEPTED = {"image/jpeg": "jpeg", "image/png": "png", "image/apng": "png", "image/webp": "webp",
             "application/pdf": "pdf"}
# MIME type filetype reports -> how a message names the file
_NAMED = {
    "image/gif": "a GIF image",
    "image/tiff": "a TIFF image (or a camera RAW file)",
    "image/x-canon-cr2": "a TIFF image (or a camera RAW file)",
    "image/bmp": "a BMP image",
    "image/vnd.adobe.photoshop": "a Photoshop file",
    "application/gzip": "a compressed (gzip) file",
    "application/postscript": "a PostScript file",
    "application/rtf": "a rich-text (RTF) document",
    "video/x-matroska": "a video",
    "video/webm": "a video",
    "audio/mpeg": "a sound file",
    "audio/ogg": "a sound file",
    "audio/x-flac": "a sound file",
}
# Formats that begin with text: a file that reads as text is taken for one of these only.
_TEXT_FORMATS = {"application/pdf", "application/postscript", "application/rtf"}
_ARCHIVES = {"application/x-rar-compressed": "a RAR archive", "application/x-7z-compressed": "a 7-Zip archive"}
_ZIPS = {
    "application/zip", "application/epub+zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
# What filetype does not know, or knows only in part, named all the same.
_UNKNOWN_TO_LIBRARY = (
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "a JPEG 2000 image"),  # filetype: the jp2 brand only
    (b"\xff\x4f\xff\x51", "a JPEG 2000 image"),                # a bare codestream
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n", "a JPEG XL image"),
    (b"\xff\x0a", "a JPEG XL image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old-style Microsoft Office document"),
    (b"RIFF", "a video or sound file"),                        # WebP aside, RIFF holds video or sound
)

# ISO-BMFF brands (HEIC photos, AVIF, MP4 videos): filetype's HEIC rule takes only the "heic"
# brand, while libheif also reads heix, hevc, mif1 and the rest.
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs",
                b"mif1", b"msf1", b"mif2", b"heif"}
_HEVC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_AVIF_BRANDS = {b"avif", b"avis"}
_VIDEO_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"qt  ",
                 b"M4V ", b"M4VP", b"3gp4", b"3gp5", b"3gp6", b"3g2a", b"avc1", b"dash", b"MSNV"}
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P "}

_INSIDE = "upload the photos (JPEG, PNG, WebP, HEIC) or PDF scans inside."


def identify(head: bytes, f: BinaryIO) -> str:
    """The kind of an accepted file ("jpeg", "png", "webp", "heif" or "pdf") from its first bytes, or UploadRejected
    naming what the file is. `f` is the open file, read only to look inside a zip."""
    if head[4:8] == b"ftyp":
        return _identify_ftyp(head)
    guess = filetype.guess(head)
    mime = guess.mime if guess else None
    if mime in _ACCEPTED:
        return _ACCEPTED[mime]
    if mime in _ZIPS:
        raise _describe_zip(f)
    if mime in _ARCHIVES:
        raise UploadRejected(f"This is {_ARCHIVES[mime]}; unpack it and {_INSIDE}")
    # The library decides from a few bytes; a text file that happens to start with "BM" or
    # "GIF" is still text.
    if mime in _NAMED and (mime in _TEXT_FORMATS or _as_text(head) is None):
        raise not_accepted(_NAMED[mime])
    for signature, what in _UNKNOWN_TO_LIBRARY:
        if head.startswith(signature):
            raise not_accepted(what)
    # PDF readers accept junk before the header, anywhere in the first 1024 bytes;
    # checked only after every binary signature.
    if b"%PDF-" in head[:1024]:
        return "pdf"
    raise _not_a_picture(head)


def _identify_ftyp(head: bytes) -> str:
    size = struct.unpack(">I", head[:4])[0]
    end = min(max(size, 16), len(head))
    brands = {head[8:12]} | {head[i:i + 4] for i in range(16, end - 3, 4)}
    if brands & _HEVC_BRANDS or (brands & _HEIF_BRANDS and not brands & _AVIF_BRANDS):
        return "heif"
    if brands & _AVIF_BRANDS:
        raise not_accepted("an AVIF image")
    if brands & _AUDIO_BRANDS:
        raise not_accepted("a sound file")
    if brands & _VIDEO_BRANDS:
        raise not_accepted("a video")
    raise UploadRejected(f"This file is not a photo or a PDF; {HINT}")


def _not_a_picture(head: bytes) -> UploadRejected:
    """What to say about a file no signature named: an SVG drawing, a web page, text, or
    just not a photo."""
    text = _as_text(head)
    if text is None:
        return UploadRejected(f"This file is not a photo or a PDF; {HINT}")
    start = text.lstrip("\ufeff \t\r\n").lower()
    if "<svg" in start[:4096] and start.startswith(("<?xml", "<svg", "<!doctype svg", "<!--")):
        return not_accepted("an SVG drawing")
    if start.startswith(("<!doctype html", "<html")):
        return UploadRejected(f"This is a web page (HTML), not a photo or a PDF; {HINT}")
    return UploadRejected(f"This file is text, not a photo or a PDF; {HINT}")


def _as_text(head: bytes) -> str | None:
    """The head decoded as text if it looks like text (no NUL bytes, UTF-8 or
    mostly printable Latin-1), else None."""
    if b"\x00" in head:
        if head[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with a byte-order mark
            try:
                return head.decode("utf-16", errors="ignore")
            except Exception:  # noqa: BLE001
                return None
        return None
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut at the end of the head
            return head[:exc.start].decode("utf-8", errors="ignore")
    printable = sum(1 for b in head if b >= 32 or b in (9, 10, 13))
    if printable >= 0.95 * len(head):
        return head.decode("latin-1")
    return None


def _describe_zip(f: BinaryIO) -> UploadRejected:
    """Name what a zip file is: Word, Excel, PowerPoint, OpenDocument or a
    plain zip archive (only the central directory is read)."""
    names: list[str] = []
    with suppress(Exception):  # a damaged zip is still a zip
        f.seek(0)
        with zipfile.ZipFile(f) as zf:
            names = zf.namelist()[:2000]
    if any(n.startswith("word/") for n in names):
        return UploadRejected(f"This is a Word document; save it as a PDF first, or {HINT}")
    if any(n.startswith("ppt/") for n in names):
        return UploadRejected(f"This is a PowerPoint presentation; save it as a PDF first, or {HINT}")
    if any(n.startswith("xl/") for n in names):
        return UploadRejected(f"This is an Excel spreadsheet; save it as a PDF first, or {HINT}")
    if "mimetype" in names and "content.xml" in names:
        return UploadRejected(f"This is an OpenDocument file; save it as a PDF first, or {HINT}")
    return UploadRejected(f"This is a zip archive; unzip it and {_INSIDE}")
