"""Tesseract 5 (through pytesseract) as an OCR engine."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pytesseract
from PIL import Image
from pytesseract import Output

from plc.ocr.base import Box, OcrError, OcrResult, OcrTimeout, Word
from plc.ocr.prepare import Prepared, clamp_region, prepare


@dataclass(kw_only=True, eq=False)
class TesseractEngine:
    """Tesseract, tuned for a page of handwritten work on lined paper.

    Defaults, chosen by measuring on make_student_work.py pages (figures in
    bench/ocr_measure.py): ``--psm 6`` (one uniform block of text: better than 4 and 11 on
    whole pages, clean or photographed); ``region_psm`` 11 (sparse text) when reading a
    region, such as the name band cut from the top of a photo, where the page's edges and
    the cut-off line below upset psm 6's single-block layout and it can miss the "Name:"
    line altogether; ``--oem 1`` (LSTM; Debian's eng model has no legacy engine); the
    brightest-channel grayscale and the evened background that fade ruled lines, photo
    shading and the desk; a resize to between 1000 px on the short side and 2000 px on the
    long side. The printed samples in shared/testdata/printed read exactly with these
    defaults.

    ``timeout`` (seconds) bounds one tesseract run: past it, ``OcrTimeout``.
    The tesseract process runs with OMP_THREAD_LIMIT=1 (set in plc/config.py): run
    one OCR job per core rather than one job on all cores.
    """

    name: ClassVar[str] = "tesseract"

    psm: int = 6
    region_psm: int | None = 11
    oem: int = 1
    lang: str = "eng"
    timeout: float = 30.0
    dpi: int | None = 300
    extra_config: str = ""
    min_side: int = 1000
    max_side: int = 2000
    border: int = 20
    suppress_colour: bool = True
    even_background: bool = True
    white_point: float = 0.9

    def config(self, region: bool = False) -> str:
        """The command-line options given to tesseract (for a region read, or
        for a whole page)."""
        psm = self.region_psm if region and self.region_psm is not None else self.psm
        parts = [f"--psm {psm}", f"--oem {self.oem}"]
        if self.dpi:
            parts.append(f"--dpi {self.dpi}")  # the prepared image has no trustworthy DPI
        if self.extra_config:
            parts.append(self.extra_config)
        return " ".join(parts)

    def prepare(self, image: Image.Image, region: Box | None = None) -> Prepared:
        return prepare(
            image,
            region,
            min_side=self.min_side,
            max_side=self.max_side,
            border=self.border,
            suppress_colour=self.suppress_colour,
            even_background=self.even_background,
            white_point=self.white_point,
        )

    def read(self, image: Image.Image, region: Box | None = None) -> OcrResult:
        """Read ``image`` (or only ``region`` of it: left, top, right, bottom in
        the image's coordinates). Word boxes are in ``image``'s coordinates."""
        prepared = self.prepare(image, region)
        try:
            data = pytesseract.image_to_data(
                prepared.image,
                lang=self.lang,
                config=self.config(region is not None),
                timeout=self.timeout,
                output_type=Output.DICT,
            )
        except RuntimeError as exc:  # how pytesseract says it killed tesseract
            if "timeout" in str(exc).lower():
                raise OcrTimeout(f"tesseract did not finish within {self.timeout} s") from exc
            raise OcrError(f"tesseract failed: {exc}") from exc
        except (pytesseract.TesseractError, OSError) as exc:
            raise OcrError(f"tesseract failed: {exc}") from exc
        return self._result(data, prepared, clamp_region(region, image.size))

    def _result(self, data: dict, prepared: Prepared, crop: Box) -> OcrResult:
        def point(x: float, y: float) -> tuple[int, int]:
            px, py = prepared.to_original(x, y)
            return (
                round(min(max(px, crop[0]), crop[2])),
                round(min(max(py, crop[1]), crop[3])),
            )

        words: list[Word] = []
        line_ids: dict[tuple[int, int, int], int] = {}
        paragraph_of_line: list[tuple[int, int]] = []
        for i, raw in enumerate(data["text"]):
            text = (raw or "").strip()
            conf = float(data["conf"][i])
            if not text or conf < 0:  # conf -1: a page/block/paragraph/line row
                continue
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            if key not in line_ids:
                line_ids[key] = len(line_ids)
                paragraph_of_line.append(key[:2])
            left, top = data["left"][i], data["top"][i]
            right, bottom = left + data["width"][i], top + data["height"][i]
            box = (*point(left, top), *point(right, bottom))
            words.append(Word(text, min(100.0, max(0.0, conf)), box, line_ids[key]))

        lines: list[list[str]] = [[] for _ in line_ids]
        for word in words:
            lines[word.line].append(word.text)
        out: list[str] = []
        for n, line_words in enumerate(lines):
            if n and paragraph_of_line[n] != paragraph_of_line[n - 1]:
                out.append("")  # a blank line between paragraphs, as tesseract prints
            out.append(" ".join(line_words))
        confidence = sum(w.confidence for w in words) / len(words) if words else 0.0
        return OcrResult("\n".join(out), confidence, words, self.name)
