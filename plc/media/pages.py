"""The pages of an inspected upload as images: the full decode, for the background job."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from PIL import Image

from plc.media import pdf
from plc.media.checks import Inspected
from plc.media.decode import PILLOW_FORMAT, load_image
from plc.media.errors import HINT, UploadRejected


def load_pages(path: str | Path, inspected: Inspected, only_page: int | None = None) -> Iterator[Image.Image]:
    """One upright RGB image per page (transparency flattened onto white), or just page
    `only_page` (1-based). The file is decoded as the kind inspected, by that decoder alone.
    Raises UploadRejected."""
    path = Path(path)
    if inspected.kind == "pdf":
        yield from pdf.render_pages(path, only_page)
        return
    if inspected.kind not in PILLOW_FORMAT:
        raise UploadRejected(f"This file is not a photo or a PDF; {HINT}")
    yield load_image(path, inspected.kind)
