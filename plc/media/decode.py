"""Reading a picture with Pillow (pillow-heif for HEIC): a header-only open that refuses
bombs, and the full decode into an upright RGB image."""
from __future__ import annotations

import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

import pillow_heif
from PIL import Image, ImageOps, UnidentifiedImageError

from plc.media.colour import flatten_to_rgb
from plc.media.errors import damaged, incomplete, too_many_pixels
from plc.media.limits import MAX_PIXELS

pillow_heif.register_heif_opener()

# kind -> Pillow format name
PILLOW_FORMAT = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "heif": "HEIF"}


@contextmanager
def _bombs_are_errors() -> Iterator[None]:
    """Turn Pillow's DecompressionBombWarning into an exception.  (Python's
    warning filters are process-wide; our own MAX_PIXELS check below is the
    main guard and does not depend on this.)"""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


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


def open_image(f: BinaryIO, kind: str) -> Image.Image:
    """Image.open with only this kind's decoder; bombs and unreadable headers
    become UploadRejected.  Reads headers only."""
    f.seek(0)
    try:
        with _bombs_are_errors():
            im = Image.open(f, formats=[PILLOW_FORMAT[kind]])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels(*(_header_size(f, kind) or (None, None))) from None
    except (UnidentifiedImageError, SyntaxError, OSError, ValueError, EOFError,
            struct.error, IndexError, KeyError, TypeError, RuntimeError) as exc:
        raise damaged(kind) from exc
    width, height = im.size
    if width <= 0 or height <= 0:
        raise damaged(kind)
    if width * height > MAX_PIXELS:
        raise too_many_pixels(width, height)
    return im


def load_image(path: Path, kind: str) -> Image.Image:
    """The whole picture decoded, upright (EXIF orientation applied), RGB on white."""
    with open(path, "rb") as f:
        im = open_image(f, kind)
        try:
            with _bombs_are_errors():
                im.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many_pixels(*im.size) from None
        except (OSError, EOFError) as exc:
            if "truncated" in str(exc).lower() or isinstance(exc, EOFError):
                raise incomplete(kind) from None
            raise damaged(kind) from None
        except Exception:  # noqa: BLE001 - any decoder failure is a damaged file
            raise damaged(kind) from None
    _upright(im)
    return flatten_to_rgb(im)


def _upright(im: Image.Image) -> None:
    """Apply the EXIF orientation in place (no copy when there is none)."""
    with suppress(Exception):  # unreadable EXIF: keep the pixels as stored
        ImageOps.exif_transpose(im, in_place=True)
