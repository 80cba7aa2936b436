"""OCR engines for photos of student work.

Plain Python: no Flask, no database. An engine reads a Pillow image (already
upright: the caller applies ``ImageOps.exif_transpose``) and returns the text,
every word with its confidence and box, in the coordinates of the image it was
given. ``region`` reads one crop of that image (used to read the top band of a
page first, to find and blur the student's name before anything is shown) and
still returns boxes in full-image coordinates.

Engines are looked up by name (``get_engine``) so another one can be chosen by
configuration; ``register_engine`` adds one.

Measured with TesseractEngine's defaults (Tesseract 5.3, Debian's eng model,
2-core machine) on shared/tools/make_student_work.py pages, 24 of each, the
four Debian handwriting fonts installed; character error rate (CER) against
the page's lines ("Name: ...", the task, the work):

    set                      CER    plain pytesseract --psm 6   s/page
    clean 1200x1600          0.35   0.49                        0.2
    --photo (12 MP)          0.38   0.97                        0.4
    --photo --megapixels 3   0.45   1.62                        0.35

(s/page: read() alone; reading the name band, top quarter, takes 0.15 s.)
Of that CER, about 0.03 is letter case (the Humor Sans font writes in
capitals) and up to 0.1 is spacing ("8+5=13" for "8 + 5 = 13"). Whole-page
psm 4 / 11 instead of 6: 0.42 / 0.38 clean, 0.60 / 0.40 photo. Without the
brightest-channel grayscale: 0.48 clean, 0.50 photo; without the evened
background: 0.47 clean, 0.47 photo, 1.62 at 3 MP (shading and the desk are
read as rows of junk).
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PIL import Image, ImageChops, ImageFilter, ImageMath, ImageOps

# Tesseract's OpenMP threads fight each other when several OCR processes run
# at once (one per core is the plan): one thread per tesseract process.
# pytesseract starts tesseract with this process's environment.
os.environ["OMP_THREAD_LIMIT"] = "1"

import pytesseract
from pytesseract import Output

LOW_CONFIDENCE = 60
"""Words read with a confidence under this (0-100) are marked in the UI."""

Box = tuple[int, int, int, int]


class OcrError(Exception):
    """The OCR engine failed on an image."""


class OcrTimeout(OcrError):
    """The OCR engine did not finish within its time limit."""


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float  # 0-100
    box: Box  # left, top, right, bottom in the coordinates of the image given to read()
    line: int  # a line number unique within the page, in reading order


@dataclass(frozen=True)
class OcrResult:
    text: str  # lines joined with "\n", as read (a blank line between paragraphs)
    confidence: float  # mean word confidence 0-100 (0 when no words)
    words: list[Word]
    engine: str


class OcrEngine(Protocol):
    name: str

    def read(self, image: Image.Image, region: Box | None = None) -> OcrResult: ...


# --------------------------------------------------------------------------
# Preprocessing


def _flatten(image: Image.Image) -> Image.Image:
    """RGB (or L) with any transparency composited onto white."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        white.alpha_composite(rgba)
        return white.convert("RGB")
    if image.mode in ("1", "L", "I", "I;16", "F"):
        return image.convert("L")
    return image.convert("RGB")


def _ink_gray(image: Image.Image, suppress_colour: bool) -> Image.Image:
    """Grayscale in which the ink is dark.

    With ``suppress_colour`` the brightest channel of each pixel is used: dark
    pencil or pen ink stays dark while the light blue rules and the red margin
    of lined paper (bright in at least one channel) fade into the paper.
    """
    if image.mode == "L":
        return image
    if not suppress_colour:
        return image.convert("L")
    r, g, b = image.split()
    return ImageChops.lighter(ImageChops.lighter(r, g), b)


def _even_background(gray: Image.Image, white_point: float, factor: int) -> Image.Image:
    """Divide the image by an estimate of the paper's own brightness, so
    shading across a photo (and a darker desk around the page) turns white,
    then push everything lighter than ``white_point`` of the paper to white
    (this is what fades the ruled lines the rest of the way).

    The background is a morphological closing of a copy ``factor`` times
    smaller (wider than any pen stroke), blurred and scaled back up.
    """
    small = gray.reduce(factor) if factor > 1 else gray
    # a closing (max, then min): pen strokes vanish, while large dark areas
    # such as the desk around a photographed page keep their edges, so they
    # divide out to white instead of leaving dark bands for tesseract to read
    small = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.MinFilter(5))
    small = small.filter(ImageFilter.GaussianBlur(1))
    background = small.resize(gray.size, Image.BILINEAR)
    gain = 255.0 / max(white_point, 1e-3)
    return ImageMath.lambda_eval(
        lambda a: a["convert"](
            a["min"](a["float"](a["g"]) * gain / a["max"](a["b"], 1), 255), "L"
        ),
        g=gray,
        b=background,
    )


@dataclass(frozen=True)
class Prepared:
    image: Image.Image  # what Tesseract reads
    scale: float  # prepared pixels per original pixel
    border: int  # white border added around the scaled crop, in prepared pixels
    origin: tuple[int, int]  # where the crop starts in the original image

    def to_original(self, x: float, y: float) -> tuple[float, float]:
        """A point of the prepared image in the original image's coordinates."""
        return (
            self.origin[0] + (x - self.border) / self.scale,
            self.origin[1] + (y - self.border) / self.scale,
        )


def page_scale(size: tuple[int, int], min_side: int = 1000, max_side: int = 2000) -> float:
    """How much to resize a page of this size before OCR: small images (shorter
    side under ``min_side``) up, at most 4x; large ones (longer side over
    ``max_side``) down. A 12 MP phone photo of a page has letters far taller
    than Tesseract needs, which costs time and, measured on the synthetic
    pages, a little accuracy too."""
    w, h = size
    scale = 1.0
    if min(w, h) < min_side:
        scale = min(4.0, min_side / max(1, min(w, h)))
    if max(w, h) * scale > max_side:
        scale = max_side / max(w, h)
    return scale


def prepare(
    image: Image.Image,
    region: Box | None = None,
    *,
    min_side: int = 1000,
    max_side: int = 2000,
    border: int = 20,
    suppress_colour: bool = True,
    even_background: bool = True,
    white_point: float = 0.9,
    autocontrast_cutoff: float = 1.0,
) -> Prepared:
    """The image Tesseract is given: the region (default all) of ``image``,
    grayscale, resized by the scale chosen for the whole page (so a region
    reads exactly as it would within the page), shading evened out, contrast
    stretched, with a white border."""
    box = clamp_region(region, image.size)
    crop = image if box == (0, 0, *image.size) else image.crop(box)
    gray = _ink_gray(_flatten(crop), suppress_colour)
    scale = page_scale(image.size, min_side, max_side)
    if scale != 1.0:
        w, h = gray.size
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        gray = gray.resize(size, Image.LANCZOS if scale < 1 else Image.BICUBIC)
    if even_background:
        page_long_side = max(image.size) * scale
        gray = _even_background(gray, white_point, max(1, round(page_long_side / 300)))
    gray = ImageOps.autocontrast(gray, cutoff=autocontrast_cutoff)
    if border:
        gray = ImageOps.expand(gray, border=border, fill=255)
    return Prepared(gray, scale, border, (box[0], box[1]))


def clamp_region(region: Box | None, size: tuple[int, int]) -> Box:
    """``region`` (default: the whole image) clipped to an image of ``size``;
    ValueError when nothing of it is inside."""
    w, h = size
    if region is None:
        return (0, 0, w, h)
    left, top, right, bottom = (round(v) for v in region)
    left, right = max(0, min(left, w)), max(0, min(right, w))
    top, bottom = max(0, min(top, h)), max(0, min(bottom, h))
    if right <= left or bottom <= top:
        raise ValueError(f"region {region} is empty inside an image of size {size}")
    return (left, top, right, bottom)


# --------------------------------------------------------------------------
# Tesseract


class TesseractEngine:
    """Tesseract 5 (through pytesseract), tuned for a page of handwritten work
    on lined paper.

    Defaults, measured on make_student_work.py pages: ``--psm 6`` (one
    uniform block of text: better than 4 and 11 on whole pages, clean or
    photographed); ``region_psm`` 11 (sparse text) when reading a region, such
    as the name band cut from the top of a photo, where the page's edges and
    the cut-off line below upset psm 6's single-block layout and it can miss
    the "Name:" line altogether; ``--oem 1`` (LSTM; Debian's eng model has no
    legacy engine); the brightest-channel grayscale and the evened background
    that fade ruled lines, photo shading and the desk; a resize to between
    1000 px on the short side and 2000 px on the long side. The printed
    samples in shared/testdata/printed read exactly with these defaults.

    ``timeout`` (seconds) bounds one tesseract run: past it, ``OcrTimeout``.
    The tesseract process runs with OMP_THREAD_LIMIT=1 (set at import): run
    one OCR job per core rather than one job on all cores.
    """

    name = "tesseract"

    def __init__(
        self,
        *,
        psm: int = 6,
        region_psm: int | None = 11,
        oem: int = 1,
        lang: str = "eng",
        timeout: float = 30.0,
        dpi: int | None = 300,
        extra_config: str = "",
        min_side: int = 1000,
        max_side: int = 2000,
        border: int = 20,
        suppress_colour: bool = True,
        even_background: bool = True,
        white_point: float = 0.9,
    ) -> None:
        self.psm = psm
        self.region_psm = region_psm
        self.oem = oem
        self.lang = lang
        self.timeout = timeout
        self.dpi = dpi
        self.extra_config = extra_config
        self.min_side = min_side
        self.max_side = max_side
        self.border = border
        self.suppress_colour = suppress_colour
        self.even_background = even_background
        self.white_point = white_point

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


# --------------------------------------------------------------------------
# Registry

_ENGINES: dict[str, Callable[..., OcrEngine]] = {}


def register_engine(name: str, factory: Callable[..., OcrEngine]) -> None:
    """Make an engine available to ``get_engine`` under ``name``."""
    _ENGINES[name] = factory


def get_engine(name: str, **options) -> OcrEngine:
    """A new engine by its configured name; ``options`` go to its constructor."""
    try:
        factory = _ENGINES[name]
    except KeyError:
        known = ", ".join(sorted(_ENGINES)) or "none"
        raise ValueError(f"unknown OCR engine {name!r}; known engines: {known}") from None
    return factory(**options)


register_engine(TesseractEngine.name, TesseractEngine)


# --------------------------------------------------------------------------
# Measuring


def _normalise(text: str) -> str:
    """Whitespace runs collapsed to one space, lines stripped, blank lines dropped."""
    lines = (re.sub(r"\s+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _levenshtein(a: str, b: str) -> int:
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def character_error_rate(expected: str, got: str, *, ignore_case: bool = False) -> float:
    """Levenshtein distance between the two texts divided by the length of the
    expected one, after normalising whitespace (runs collapsed, lines stripped,
    blank lines dropped). 0.0 when both are empty; 1.0 when only ``expected``
    is empty. Can exceed 1 when ``got`` has many extra characters."""
    e, g = _normalise(expected), _normalise(got)
    if ignore_case:
        e, g = e.casefold(), g.casefold()
    if not e:
        return 0.0 if not g else 1.0
    return _levenshtein(e, g) / len(e)
