"""PDF scans through PDFium (pypdfium2): counting pages and rendering them as images."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from plc.media.errors import UploadRejected, damaged, too_many_pages
from plc.media.limits import MAX_PDF_PAGES, PDF_RENDER_LONG_SIDE

# PDFium is not thread-safe: no two threads may call into it at the same time,
# not even on different documents.  Every pypdfium2 call goes through this lock.
_PDFIUM_LOCK = threading.RLock()


def _open(path: Path) -> pdfium.PdfDocument:
    """Caller holds _PDFIUM_LOCK."""
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD or exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise UploadRejected("The PDF is protected with a password; save or print it "
                                 "again without a password, then upload it.") from None
        raise damaged("pdf") from None


def page_count(path: Path) -> int:
    """The number of pages, without rendering any; UploadRejected for a locked or damaged PDF."""
    with _PDFIUM_LOCK:
        pdf = _open(path)
        try:
            return len(pdf)
        finally:
            pdf.close()


def render_pages(path: Path, only_page: int | None = None) -> Iterator[Image.Image]:
    """Each page (or only page `only_page`, 1-based) as an RGB image on white, about
    PDF_RENDER_LONG_SIDE pixels on its long side."""
    with _PDFIUM_LOCK:
        pdf = _open(path)
    try:
        with _PDFIUM_LOCK:
            count = len(pdf)
        if count > MAX_PDF_PAGES:
            raise too_many_pages(count)
        indexes = range(count) if only_page is None else [i for i in (only_page - 1,) if 0 <= i < count]
        for index in indexes:
            with _PDFIUM_LOCK:
                image = _render(pdf, index)
            yield image   # the lock is not held while the caller works
    finally:
        with _PDFIUM_LOCK:
            pdf.close()


def _render(pdf: pdfium.PdfDocument, index: int) -> Image.Image:
    """Caller holds _PDFIUM_LOCK."""
    try:
        page = pdf[index]
        try:
            w, h = page.get_size()
            if not (w > 0 and h > 0):
                raise UploadRejected(f"Page {index + 1} of the PDF is empty or damaged; "
                                     "upload the PDF again.")
            scale = PDF_RENDER_LONG_SIDE / max(w, h)
            bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255), draw_annots=True)
            image = bitmap.to_pil().convert("RGB")  # copies out of PDFium's buffer
            bitmap.close()
            return image
        finally:
            page.close()
    except pdfium.PdfiumError:
        raise UploadRejected(f"Page {index + 1} of the PDF could not be read; "
                             "upload the PDF again.") from None
