"""RapidOCR (PaddleOCR's PP-OCR detection and recognition models in ONNX format, run by
onnxruntime on the CPU) as an OCR engine. The models ship inside the ``rapidocr`` wheel and
are loaded from there by path: nothing is downloaded, ever."""
from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np
import rapidocr  # the package only: its pipeline (OpenCV, onnxruntime) loads in _pipeline
from PIL import Image

from plc.ocr.base import Box, OcrError, OcrResult, OcrTimeout, Word
from plc.ocr.layout import assemble
from plc.ocr.pieces import Char, Fragment
from plc.ocr.prepare import clamp_region, prepare

MODELS = Path(rapidocr.__file__).resolve().parent / "models"
DET_MODEL = MODELS / "PP-OCRv6_det_small.onnx"
REC_MODEL = MODELS / "PP-OCRv6_rec_small.onnx"


@functools.cache
def _pipeline(det_side: int, threads: int):
    """The detector and recogniser, loaded once per process and shared by every engine
    object (a job makes a new engine, and loading takes a while). Only the worker processes
    that read pages load them: the web server imports this module without paying for
    OpenCV and onnxruntime."""
    import cv2  # noqa: PLC0415  (see above)

    cv2.setNumThreads(threads)  # its resizes and crops: one thread, like onnxruntime below
    try:
        return rapidocr.RapidOCR(params={
            "Global.log_level": "error",
            "Global.use_cls": False,  # pages are upright (EXIF applied); its 180-degree guesses flip "6 x 7" over
            "Global.max_side_len": 100_000,  # the page is already sized (see det_side)
            "Det.model_path": str(DET_MODEL),
            "Rec.model_path": str(REC_MODEL),
            "Det.limit_type": "max",
            "Det.limit_side_len": det_side,
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": threads,
        })
    except Exception as exc:  # a missing or damaged model file, an onnxruntime that will not load
        raise OcrError(f"RapidOCR could not load its models: {exc}") from exc


@dataclass(kw_only=True, eq=False)
class RapidOcrEngine:
    """RapidOCR on the page prepared as for Tesseract (plc.ocr.prepare: ink made dark, ruled
    lines and photo shading faded), its pieces of text put together into words and lines
    by geometry with math-aware reading (plc.ocr.layout), and what the detector missed of
    a math line read again on its own.

    ``det_side`` is the longest side the text detector sees; ``min_side``/``max_side``
    bound the page the recogniser crops its lines from. ``threads``: onnxruntime's (and
    OpenCV's) threads in this process: one, so that one OCR job runs per core.
    ``timeout`` (seconds) is checked once the page's text is found: a page that took
    longer raises ``OcrTimeout`` (onnxruntime cannot be stopped midway). The switches
    (``prepared``, ``math``, ``use_ink``, ``reread``) turn single steps
    off, to measure each (bench/ocr.py).
    """

    name: ClassVar[str] = "rapidocr"

    timeout: float = 60.0
    det_side: int = 1280
    min_side: int = 1000
    max_side: int = 2000
    threads: int = 1
    text_score: float = 0.5  # below it a piece read is left out: mostly scribbles and sketches
    box_thresh: float = 0.5
    unclip_ratio: float = 1.6
    prepared: bool = True
    math: bool = True
    use_ink: bool = True  # spaces seen in the ink, fraction bars, crossed-out attempts dropped
    reread: bool = True

    def read(self, image: Image.Image, region: Box | None = None) -> OcrResult:
        """Read ``image`` (or only ``region`` of it); word boxes in ``image``'s coordinates."""
        started = time.monotonic()
        crop = clamp_region(region, image.size)
        prepared = prepare(image, region, min_side=self.min_side, max_side=self.max_side,
                           even_background=self.prepared, suppress_colour=self.prepared)
        gray = np.asarray(prepared.image)
        ink = gray < 128
        engine = _pipeline(self.det_side, self.threads)
        fragments, quads = self._detect(engine, gray)
        if time.monotonic() - started > self.timeout:
            raise OcrTimeout(f"RapidOCR did not finish within {self.timeout} s")

        def reread(box: Box) -> tuple[str, float]:
            part = gray[max(0, box[1]):max(0, box[3]), max(0, box[0]):max(0, box[2])]
            if part.size == 0 or part.min() >= 128:
                return "", 0.0
            part = np.pad(part, 8, constant_values=255)
            rec = engine(np.dstack([part] * 3), use_det=False, use_cls=False, use_rec=True)
            return (rec.txts[0], 100.0 * float(rec.scores[0])) if rec.txts else ("", 0.0)

        words = assemble(fragments, slope=_slope(quads), math=self.math,
                         ink=ink if self.use_ink else None, reread=reread if self.reread else None)

        def to_original(box: Box) -> Box:
            left, top = prepared.to_original(box[0], box[1])
            right, bottom = prepared.to_original(box[2], box[3])
            return (
                round(min(max(left, crop[0]), crop[2])),
                round(min(max(top, crop[1]), crop[3])),
                round(min(max(right, crop[0]), crop[2])),
                round(min(max(bottom, crop[1]), crop[3])),
            )

        return _result([Word(w.text, w.confidence, to_original(w.box), w.line) for w in words], self.name)

    def _detect(self, engine, gray: np.ndarray) -> tuple[list[Fragment], list]:
        """Find and read the text on the page ``gray``: the fragments read, and the regions
        found (four corners each)."""
        try:
            out = engine(np.dstack([gray] * 3), use_det=True, use_cls=False, use_rec=True,
                         return_word_box=True, return_single_char_box=True,
                         text_score=self.text_score, box_thresh=self.box_thresh,
                         unclip_ratio=self.unclip_ratio)
        except Exception as exc:
            raise OcrError(f"RapidOCR failed: {exc}") from exc

        def bounds(points) -> Box:
            xs = [float(p[0]) for p in points]
            ys = [float(p[1]) for p in points]
            return (round(min(xs)), round(min(ys)), round(max(xs)), round(max(ys)))

        fragments = [
            Fragment(text, 100.0 * float(score), bounds(quad), tuple(
                Char(ch, 100.0 * float(conf), bounds(points)) for ch, conf, points in chars or ()))
            for text, score, quad, chars in zip(out.txts or (), out.scores or (), _quads(out), _chars(out))
        ]
        return fragments, _quads(out)


def _slope(quads) -> float:
    """How the page's lines slope (pixels down per pixel right): the median slope of the top
    edges of the detected regions at least twice as wide as tall (a photo is often tilted a
    few degrees, enough to move a line's end by a line's height)."""
    slopes = sorted(
        (q[1][1] - q[0][1]) / (q[1][0] - q[0][0])
        for q in (quads if quads is not None else ())
        if q[1][0] - q[0][0] > 2 * max(1.0, q[3][1] - q[0][1])
    )
    return float(slopes[len(slopes) // 2]) if slopes else 0.0


def _quads(out) -> list:
    return list(out.boxes) if out.boxes is not None and len(out.boxes) else []


def _chars(out) -> list:
    """RapidOCR's characters with their boxes, one entry per line (None where it gave none)."""
    results = list(out.word_results or ())
    if len(results) != len(out.txts or ()):
        return [None] * len(out.txts or ())
    return results


def _result(words: list[Word], engine: str) -> OcrResult:
    lines: dict[int, list[str]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word.text)
    text = "\n".join(" ".join(parts) for parts in lines.values())
    confidence = sum(w.confidence for w in words) / len(words) if words else 0.0
    return OcrResult(text, confidence, words, engine)
