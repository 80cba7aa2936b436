"""Checking, decoding and cleaning uploaded photos and scans of student work.

Two stages, kept apart on purpose:

* ``inspect_upload`` is cheap (header reads and a few seeks, no pixel
  decoding) and is what the web request calls.  It identifies the file by its
  content, enforces the size, pixel and page limits, and catches truncated
  uploads.
* ``load_pages`` / ``clean`` / ``thumbnail`` / ``save_jpeg`` / ``blur_boxes``
  do the heavy work and belong in the background job.

Every refusal raises ``WorkRejected`` with a message meant for a teacher.
Plain functions: no Flask, no database.
"""
from __future__ import annotations

import io
import mmap
import os
import re
import secrets
import struct
import threading
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pillow_heif
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import (
    Image,
    ImageCms,
    ImageFilter,
    ImageOps,
    UnidentifiedImageError,
)

from plc.work.errors import WorkRejected

ACCEPTED = "JPEG, PNG, WebP, HEIC/HEIF photos and PDF scans"
MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 50_000_000          # per image; more is a decompression bomb
MAX_PDF_PAGES = 20
DISPLAY_MAX_SIDE = 2400          # the cleaned image people see
THUMB_MAX_SIDE = 480             # phone-sized thumbnail

PDF_RENDER_LONG_SIDE = 2000      # pixels on the long side of a rendered PDF page

pillow_heif.register_heif_opener()

# PDFium is not thread-safe: no two threads may call into it at the same time,
# not even on different documents.  Every pypdfium2 call goes through this lock.
_PDFIUM_LOCK = threading.RLock()

_HINT = "upload a photo (JPEG, PNG, WebP, HEIC) or a PDF scan."
_AGAIN_PHOTO = "take or upload the photo again."

# kind -> Pillow format name; kind -> what to call it in a message
_PILLOW_FORMAT = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "heif": "HEIF"}
_LABEL = {"jpeg": "JPEG", "png": "PNG", "webp": "WebP image", "heif": "HEIC photo", "pdf": "PDF"}


@dataclass(frozen=True)
class Inspected:
    kind: str          # "jpeg" | "png" | "webp" | "heif" | "pdf"
    pages: int         # 1 for images, page count for PDFs
    width: int | None  # pixel size for images from the header, None for PDFs.  JPEG/PNG/WebP:
                       # as stored, before EXIF rotation; HEIF: libheif already applies the
                       # container's rotation, so upright.
    height: int | None


# --------------------------------------------------------------------------
# Identification by content
# --------------------------------------------------------------------------

_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs",
                b"mif1", b"msf1", b"mif2", b"heif"}
_HEVC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
_AVIF_BRANDS = {b"avif", b"avis"}
_VIDEO_BRANDS = {b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"qt  ",
                 b"M4V ", b"M4VP", b"3gp4", b"3gp5", b"3gp6", b"3g2a", b"avc1", b"dash", b"MSNV"}
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P "}
_BMP_DIB_SIZES = {12, 40, 52, 56, 64, 108, 124}


def _not_accepted(what: str) -> WorkRejected:
    return WorkRejected(f"This is {what}; {_HINT}")


def _identify(head: bytes, f: BinaryIO) -> str:
    """Return the kind of an accepted file from its first bytes, or raise
    WorkRejected naming what the file is."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":
        return _identify_ftyp(head)
    if head.startswith(b"%PDF-"):
        return "pdf"

    if head[:6] in (b"GIF87a", b"GIF89a"):
        raise _not_accepted("a GIF image")
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        raise _not_accepted("a TIFF image (or a camera RAW file)")
    if head[:2] == b"BM" and len(head) >= 18 and struct.unpack("<I", head[14:18])[0] in _BMP_DIB_SIZES:
        raise _not_accepted("a BMP image")
    if head[:4] == b"RIFF":
        raise _not_accepted("a video or sound file")
    if head[:12] == b"\x00\x00\x00\x0cjP  \r\n\x87\n" or head[:4] == b"\xff\x4f\xff\x51":
        raise _not_accepted("a JPEG 2000 image")
    if head[:12] == b"\x00\x00\x00\x0cJXL \r\n\x87\n" or head[:2] == b"\xff\x0a":
        raise _not_accepted("a JPEG XL image")
    if head[:4] == b"8BPS":
        raise _not_accepted("a Photoshop file")
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        raise _describe_zip(f)
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _not_accepted("an old-style Microsoft Office document")
    if head[:6] == b"Rar!\x1a\x07":
        raise WorkRejected("This is a RAR archive; unpack it and upload the photos "
                           "(JPEG, PNG, WebP, HEIC) or PDF scans inside.")
    if head[:6] == b"7z\xbc\xaf\x27\x1c":
        raise WorkRejected("This is a 7-Zip archive; unpack it and upload the photos "
                           "(JPEG, PNG, WebP, HEIC) or PDF scans inside.")
    if head[:2] == b"\x1f\x8b":
        raise _not_accepted("a compressed (gzip) file")
    if head[:4] == b"%!PS":
        raise _not_accepted("a PostScript file")
    if head[:5] == b"{\\rtf":
        raise _not_accepted("a rich-text (RTF) document")
    if head[:4] == b"\x1aE\xdf\xa3":
        raise _not_accepted("a video")
    if head[:3] == b"ID3" or head[:4] in (b"OggS", b"fLaC"):
        raise _not_accepted("a sound file")
    # PDF readers accept junk before the header, anywhere in the first 1024
    # bytes; checked only after every other binary signature.
    if b"%PDF-" in head[:1024]:
        return "pdf"

    text = _as_text(head)
    if text is not None:
        start = text.lstrip("\ufeff \t\r\n").lower()
        if "<svg" in start[:4096] and (start.startswith(("<?xml", "<svg", "<!doctype svg", "<!--"))):
            raise _not_accepted("an SVG drawing")
        if start.startswith(("<!doctype html", "<html")):
            raise WorkRejected(f"This is a web page (HTML), not a photo or a PDF; {_HINT}")
        raise WorkRejected(f"This file is text, not a photo or a PDF; {_HINT}")
    raise WorkRejected(f"This file is not a photo or a PDF; {_HINT}")


def _identify_ftyp(head: bytes) -> str:
    size = struct.unpack(">I", head[:4])[0]
    end = min(max(size, 16), len(head))
    brands = {head[8:12]} | {head[i:i + 4] for i in range(16, end - 3, 4)}
    if brands & _HEVC_BRANDS or (brands & _HEIF_BRANDS and not brands & _AVIF_BRANDS):
        return "heif"
    if brands & _AVIF_BRANDS:
        raise _not_accepted("an AVIF image")
    if brands & _AUDIO_BRANDS:
        raise _not_accepted("a sound file")
    if brands & _VIDEO_BRANDS:
        raise _not_accepted("a video")
    raise WorkRejected(f"This file is not a photo or a PDF; {_HINT}")


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


def _describe_zip(f: BinaryIO) -> WorkRejected:
    """Name what a zip file is: Word, Excel, PowerPoint, OpenDocument or a
    plain zip archive (only the central directory is read)."""
    names: list[str] = []
    with suppress(Exception):  # a damaged zip is still a zip
        f.seek(0)
        with zipfile.ZipFile(f) as zf:
            names = zf.namelist()[:2000]
    if any(n.startswith("word/") for n in names):
        return WorkRejected(f"This is a Word document; save it as a PDF first, or {_HINT}")
    if any(n.startswith("ppt/") for n in names):
        return WorkRejected(f"This is a PowerPoint presentation; save it as a PDF first, or {_HINT}")
    if any(n.startswith("xl/") for n in names):
        return WorkRejected(f"This is an Excel spreadsheet; save it as a PDF first, or {_HINT}")
    if "mimetype" in names and "content.xml" in names:
        return WorkRejected(f"This is an OpenDocument file; save it as a PDF first, or {_HINT}")
    return WorkRejected("This is a zip archive; unzip it and upload the photos "
                        "(JPEG, PNG, WebP, HEIC) or PDF scans inside.")


# --------------------------------------------------------------------------
# Truncation checks (no decoding)
# --------------------------------------------------------------------------

def _incomplete(kind: str) -> WorkRejected:
    again = "upload the PDF again." if kind == "pdf" else _AGAIN_PHOTO
    return WorkRejected(f"The {_LABEL[kind]} is incomplete (the upload was cut off); {again}")


def _damaged(kind: str) -> WorkRejected:
    again = "upload the PDF again." if kind == "pdf" else _AGAIN_PHOTO
    return WorkRejected(f"The {_LABEL[kind]} is damaged and cannot be read; {again}")


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
            raise _damaged("heif")
        if pos + box_size > size:
            return False
        seen.add(btype)
        pos += box_size
    if b"meta" not in seen:
        raise _damaged("heif")
    return True


def _pdf_complete(f: BinaryIO, size: int) -> bool:
    # Every PDF ends with %%EOF; readers look for it in the last 1024 bytes.
    # Allow a little more for scanners that pad the end.
    return b"%%EOF" in _tail(f, size, 4096)


_COMPLETE = {"jpeg": _jpeg_complete, "png": _png_complete, "webp": _webp_complete,
             "heif": _heif_complete, "pdf": _pdf_complete}


# --------------------------------------------------------------------------
# Header-level and decoding helpers
# --------------------------------------------------------------------------

@contextmanager
def _bombs_are_errors() -> Iterator[None]:
    """Turn Pillow's DecompressionBombWarning into an exception.  (Python's
    warning filters are process-wide; our own MAX_PIXELS check below is the
    main guard and does not depend on this.)"""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _too_large(width: int | None = None, height: int | None = None) -> WorkRejected:
    limit = f"at most {MAX_PIXELS / 1e6:g} million"
    if width and height:
        return WorkRejected(f"The image is too large: {width} x {height} pixels ({limit}).")
    return WorkRejected(f"The image is too large ({limit} pixels).")


def _header_size(f: BinaryIO, kind: str) -> tuple[int, int] | None:
    """Pixel size read by the format's own plugin class, bypassing Image.open's
    bomb check; used only to word the message for a bomb.  Never decodes."""
    try:
        f.seek(0)
        if kind == "jpeg":
            from PIL import JpegImagePlugin as plugin
            im = plugin.JpegImageFile(f)
        elif kind == "png":
            from PIL import PngImagePlugin as plugin
            im = plugin.PngImageFile(f)
        elif kind == "webp":
            from PIL import WebPImagePlugin as plugin
            im = plugin.WebPImageFile(f)
        else:
            im = pillow_heif.HeifImageFile(f)
        return im.size
    except Exception:  # noqa: BLE001
        return None


def _open_image(f: BinaryIO, kind: str) -> Image.Image:
    """Image.open with only this kind's decoder; bombs and unreadable headers
    become WorkRejected.  Reads headers only."""
    f.seek(0)
    try:
        with _bombs_are_errors():
            im = Image.open(f, formats=[_PILLOW_FORMAT[kind]])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_large(*(_header_size(f, kind) or (None, None))) from None
    except (UnidentifiedImageError, SyntaxError, OSError, ValueError, EOFError,
            struct.error, IndexError, KeyError, TypeError, RuntimeError) as exc:
        raise _damaged(kind) from exc
    width, height = im.size
    if width <= 0 or height <= 0:
        raise _damaged(kind)
    if width * height > MAX_PIXELS:
        raise _too_large(width, height)
    return im


def _human_bytes(n: int) -> str:
    mb = 1024 * 1024
    if n >= mb:
        return f"{n // mb} MB" if n % mb == 0 else f"{n / mb:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def _open_pdf(path: Path) -> pdfium.PdfDocument:
    """Caller holds _PDFIUM_LOCK."""
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD or exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise WorkRejected("The PDF is protected with a password; save or print it "
                               "again without a password, then upload it.") from None
        raise _damaged("pdf") from None


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------

def inspect_upload(path: str | Path, size_limit: int = MAX_FILE_BYTES) -> Inspected:
    """Cheap checks fit for a web request (no pixel decoding).

    Identifies the file by content, enforces ``size_limit``, MAX_PIXELS and
    MAX_PDF_PAGES, and detects truncated or damaged files.  Raises
    WorkRejected with a message for the teacher; returns what was found.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise WorkRejected("The file did not arrive; upload it again.") from None
    if size == 0:
        raise WorkRejected("The file is empty.")
    if size > size_limit:
        raise WorkRejected(f"The file is larger than {_human_bytes(size_limit)}.")

    try:
        f = open(path, "rb")  # noqa: SIM115 - closed by the with-block below
    except OSError:
        raise WorkRejected("The file could not be read; upload it again.") from None
    with f:
        head = f.read(8192)
        kind = _identify(head, f)
        if not _COMPLETE[kind](f, size):
            raise _incomplete(kind)

        if kind == "pdf":
            with _PDFIUM_LOCK:
                pdf = _open_pdf(path)
                try:
                    pages = len(pdf)
                finally:
                    pdf.close()
            if pages <= 0:
                raise WorkRejected("The PDF has no pages.")
            if pages > MAX_PDF_PAGES:
                raise WorkRejected(f"The PDF has {pages} pages; upload at most "
                                   f"{MAX_PDF_PAGES} pages at a time.")
            return Inspected("pdf", pages, None, None)

        im = _open_image(f, kind)
        try:
            return Inspected(kind, 1, im.width, im.height)
        finally:
            im.close()


def load_pages(path: str | Path, inspected: Inspected, only_page: int | None = None) -> Iterator[Image.Image]:
    """Full decode, for the background job: yields one upright RGB image per
    page (transparency flattened onto white), or just page `only_page` (1-based).
    PDF pages are rendered at about PDF_RENDER_LONG_SIDE pixels on the long side.
    Raises WorkRejected."""
    path = Path(path)
    if inspected.kind == "pdf":
        yield from _load_pdf_pages(path, only_page)
        return
    if inspected.kind not in _PILLOW_FORMAT:
        raise WorkRejected(f"This file is not a photo or a PDF; {_HINT}")
    yield _load_image(path, inspected.kind)


def _load_image(path: Path, kind: str) -> Image.Image:
    with open(path, "rb") as f:
        im = _open_image(f, kind)
        try:
            with _bombs_are_errors():
                im.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_large(*im.size) from None
        except (OSError, EOFError) as exc:
            if "truncated" in str(exc).lower() or isinstance(exc, EOFError):
                raise _incomplete(kind) from None
            raise _damaged(kind) from None
        except Exception:  # noqa: BLE001 - any decoder failure is a damaged file
            raise _damaged(kind) from None
    _upright(im)
    return _flatten_to_rgb(im)


def _upright(im: Image.Image) -> None:
    """Apply the EXIF orientation in place (no copy when there is none)."""
    with suppress(Exception):  # unreadable EXIF: keep the pixels as stored
        ImageOps.exif_transpose(im, in_place=True)


def _load_pdf_pages(path: Path, only_page: int | None = None) -> Iterator[Image.Image]:
    with _PDFIUM_LOCK:
        pdf = _open_pdf(path)
    try:
        with _PDFIUM_LOCK:
            count = len(pdf)
        if count > MAX_PDF_PAGES:
            raise WorkRejected(f"The PDF has {count} pages; upload at most "
                               f"{MAX_PDF_PAGES} pages at a time.")
        indexes = range(count) if only_page is None else [i for i in (only_page - 1,) if 0 <= i < count]
        for index in indexes:
            with _PDFIUM_LOCK:
                try:
                    page = pdf[index]
                    try:
                        w, h = page.get_size()
                        if not (w > 0 and h > 0):
                            raise WorkRejected(f"Page {index + 1} of the PDF is empty or damaged; "
                                               "upload the PDF again.")
                        scale = PDF_RENDER_LONG_SIDE / max(w, h)
                        bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255),
                                             draw_annots=True)
                        image = bitmap.to_pil().convert("RGB")  # copies out of PDFium's buffer
                        bitmap.close()
                    finally:
                        page.close()
                except pdfium.PdfiumError:
                    raise WorkRejected(f"Page {index + 1} of the PDF could not be read; "
                                       "upload the PDF again.") from None
            yield image   # the lock is not held while the caller works
    finally:
        with _PDFIUM_LOCK:
            pdf.close()


def _has_alpha(im: Image.Image) -> bool:
    return im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        im.mode in ("P", "L", "RGB", "1") and "transparency" in im.info)


def _normalize_mode(im: Image.Image) -> Image.Image:
    """RGB or RGBA, whatever the input mode (may return im itself)."""
    if im.mode in ("RGB", "RGBA") and not (im.mode == "RGB" and "transparency" in im.info):
        return im
    if im.mode in ("I;16", "I;16L", "I;16B", "I;16N") or (im.mode == "I" and im.getextrema()[1] > 255):
        # 16-bit greyscale (some scanners): scale to 8 bits instead of clipping.
        return im.point(lambda v: v / 256).convert("L").convert("RGB")
    if im.mode == "CMYK" and im.info.get("icc_profile"):
        try:
            out = ImageCms.profileToProfile(
                im, ImageCms.ImageCmsProfile(io.BytesIO(im.info["icc_profile"])),
                _SRGB, outputMode="RGB")
            out.info.pop("icc_profile", None)
            return out
        except Exception:  # noqa: BLE001, S110 - a broken profile: convert naively below
            pass
    return im.convert("RGBA" if _has_alpha(im) else "RGB")


def _flatten_to_rgb(im: Image.Image) -> Image.Image:
    im = _normalize_mode(im)
    if im.mode == "RGBA":
        background = Image.new("RGB", im.size, (255, 255, 255))
        background.paste(im, mask=im.getchannel("A"))
        background.info = {k: v for k, v in im.info.items() if k == "icc_profile"}
        return background
    return im


_SRGB = ImageCms.createProfile("sRGB")


def _to_srgb(im: Image.Image) -> Image.Image:
    """Convert from an embedded RGB colour profile (e.g. an iPhone's Display
    P3) to sRGB, so colours stay right once the profile is dropped."""
    icc = im.info.get("icc_profile")
    if not icc or im.mode != "RGB":
        return im
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if profile.profile.xcolor_space.strip() != "RGB":
            return im
        return ImageCms.profileToProfile(im, profile, _SRGB, outputMode="RGB")
    except Exception:  # noqa: BLE001 - a broken profile: keep the pixels
        return im


def _fit(image: Image.Image, max_side: int) -> Image.Image:
    """A new RGB image with no metadata, at most max_side on the long side."""
    im = _normalize_mode(image)
    w, h = im.size
    long_side = max(w, h)
    if long_side > max_side:
        scale = max_side / long_side
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        # LANCZOS after a cheap box reduction by an integer factor: the same
        # quality as a plain LANCZOS resize for these ratios, several times faster.
        im = im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    im = _flatten_to_rgb(im)          # after resizing: cheaper, and Pillow resizes alpha correctly
    im = _to_srgb(im)
    out = Image.new("RGB", im.size)   # a fresh image: no info, no EXIF, no ICC, no XMP
    out.paste(im)
    return out


def clean(image: Image.Image) -> Image.Image:
    """A new RGB image with no metadata (no EXIF, GPS, ICC profile or XMP),
    transparency flattened onto white, scaled down (never up) to at most
    DISPLAY_MAX_SIDE on the long side."""
    return _fit(image, DISPLAY_MAX_SIDE)


def thumbnail(image: Image.Image) -> Image.Image:
    """Phone-sized copy: at most THUMB_MAX_SIDE on the long side, RGB, no metadata."""
    return _fit(image, THUMB_MAX_SIDE)


def save_jpeg(image: Image.Image, path: str | Path, quality: int = 85) -> None:
    """Write a progressive JPEG with no metadata, atomically (temp file in the
    same folder, fsync, os.replace), creating parent folders."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if image.mode not in ("RGB", "L") or image.info:
        image = _fit(image, max(image.size))   # fresh RGB copy without metadata
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    # os.open with 0o666 so the final file gets the usual umask-based mode.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            image.save(fh, "JPEG", quality=quality, progressive=True, optimize=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    with suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def blur_boxes(image: Image.Image, boxes: list[tuple[int, int, int, int]],
               strength: int | None = None) -> Image.Image:
    """A copy in which each (left, top, right, bottom) box, clipped to the
    image and padded a little, is made unreadable: pixelated into blocks about
    a third of the box height, then blurred.  ``strength`` overrides that block
    size in pixels.  Boxes outside the image are ignored."""
    out = image.copy()
    if out.mode not in ("RGB", "RGBA", "L", "LA"):
        out = out.convert("RGBA" if _has_alpha(out) else "RGB")
    width, height = out.size
    for box in boxes:
        left, top, right, bottom = (int(v) for v in box)
        if right < left:
            left, right = right, left
        if bottom < top:
            top, bottom = bottom, top
        box_h = max(1, bottom - top)
        pad = max(4, box_h // 8)
        left, top = max(0, left - pad), max(0, top - pad)
        right, bottom = min(width, right + pad), min(height, bottom + pad)
        if right - left < 1 or bottom - top < 1:
            continue
        region = out.crop((left, top, right, bottom))
        rw, rh = region.size
        block = strength if strength and strength > 0 else max(6, box_h // 3)
        small = region.resize((max(1, rw // block), max(1, rh // block)), Image.Resampling.BOX)
        region = small.resize((rw, rh), Image.Resampling.NEAREST)
        region = region.filter(ImageFilter.GaussianBlur(max(2, block // 2)))
        out.paste(region, (left, top))
    return out
