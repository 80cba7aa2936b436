"""The cheap checks fit for a web request: no pixel is decoded, only headers are read and a
few seeks made. What the file is, whether it is whole, and within the size, pixel and
page limits."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from plc.media import pdf
from plc.media.complete import is_complete
from plc.media.decode import open_image
from plc.media.errors import UploadRejected, incomplete, too_big, too_many_pages
from plc.media.limits import MAX_FILE_BYTES, MAX_PDF_PAGES
from plc.media.sniff import identify


@dataclass(frozen=True)
class Inspected:
    kind: str          # "jpeg" | "png" | "webp" | "heif" | "pdf"
    pages: int         # 1 for images, page count for PDFs
    width: int | None  # pixel size for images from the header, None for PDFs.  JPEG/PNG/WebP:
                       # as stored, before EXIF rotation; HEIF: libheif already applies the
                       # container's rotation, so upright.
    height: int | None


def inspect_upload(path: str | Path, size_limit: int = MAX_FILE_BYTES) -> Inspected:
    """Identify the file by content, enforce ``size_limit``, MAX_PIXELS and MAX_PDF_PAGES,
    and detect truncated or damaged files.  Raises UploadRejected with a message for the
    person who sent it; returns what was found."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UploadRejected("The file did not arrive; upload it again.") from None
    if size == 0:
        raise UploadRejected("The file is empty.")
    if size > size_limit:
        raise too_big(size_limit)

    try:
        f = open(path, "rb")  # noqa: SIM115 - closed by the with-block below
    except OSError:
        raise UploadRejected("The file could not be read; upload it again.") from None
    with f:
        kind = identify(f.read(8192), f)
        if not is_complete(kind, f, size):
            raise incomplete(kind)

        if kind == "pdf":
            pages = pdf.page_count(path)
            if pages <= 0:
                raise UploadRejected("The PDF has no pages.")
            if pages > MAX_PDF_PAGES:
                raise too_many_pages(pages)
            return Inspected("pdf", pages, None, None)

        im = open_image(f, kind)
        try:
            return Inspected(kind, 1, im.width, im.height)
        finally:
            im.close()
