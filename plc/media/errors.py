"""Why an upload cannot be used, in the words of the person who sent it."""
from __future__ import annotations

from enum import StrEnum

from plc.errors import UserError
from plc.media.limits import MAX_PDF_PAGES, MAX_PIXELS

HINT = "upload a photo (JPEG, PNG, WebP, HEIC) or a PDF scan."
_AGAIN_PHOTO = "take or upload the photo again."
_AGAIN_PDF = "upload the PDF again."

# kind -> what to call it in a message
LABEL = {"jpeg": "JPEG", "png": "PNG", "webp": "WebP image", "heif": "HEIC photo", "pdf": "PDF"}


class Reason(StrEnum):
    """What kind of refusal, for a caller that words its own message."""

    BYTES = "bytes"      # over the size limit
    PIXELS = "pixels"    # too many pixels (a decompression bomb, or just too big)
    CONTENT = "content"  # anything else: not an accepted kind, cut off, damaged, locked


class UploadRejected(UserError):
    """An uploaded file that cannot be used; the message says why and what to do."""

    def __init__(self, message: str, reason: Reason = Reason.CONTENT) -> None:
        super().__init__(message)
        self.reason = reason


def not_accepted(what: str) -> UploadRejected:
    return UploadRejected(f"This is {what}; {HINT}")


def incomplete(kind: str) -> UploadRejected:
    again = _AGAIN_PDF if kind == "pdf" else _AGAIN_PHOTO
    return UploadRejected(f"The {LABEL[kind]} is incomplete (the upload was cut off); {again}")


def damaged(kind: str) -> UploadRejected:
    again = _AGAIN_PDF if kind == "pdf" else _AGAIN_PHOTO
    return UploadRejected(f"The {LABEL[kind]} is damaged and cannot be read; {again}")


def too_many_pixels(width: int | None = None, height: int | None = None) -> UploadRejected:
    limit = f"at most {MAX_PIXELS / 1e6:g} million"
    if width and height:
        return UploadRejected(f"The image is too large: {width} x {height} pixels ({limit}).", Reason.PIXELS)
    return UploadRejected(f"The image is too large ({limit} pixels).", Reason.PIXELS)


def too_many_pages(pages: int) -> UploadRejected:
    return UploadRejected(f"The PDF has {pages} pages; upload at most {MAX_PDF_PAGES} pages at a time.")


def too_big(limit: int) -> UploadRejected:
    return UploadRejected(f"The file is larger than {human_bytes(limit)}.", Reason.BYTES)


def human_bytes(n: int) -> str:
    mb = 1024 * 1024
    if n >= mb:
        return f"{n // mb} MB" if n % mb == 0 else f"{n / mb:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"
