"""How well an OCR engine reads: the character error rate (CER) of its text against the
text on the page.

Measured with TesseractEngine's defaults (Tesseract 5.3, Debian's eng model,
2-core machine) on shared/tools/make_student_work.py pages, 24 of each, the
four Debian handwriting fonts installed; CER against the page's lines
("Name: ...", the task, the work):

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

import re

from rapidfuzz.distance import Levenshtein


def _normalise(text: str) -> str:
    """Whitespace runs collapsed to one space, lines stripped, blank lines dropped."""
    lines = (re.sub(r"\s+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


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
    return Levenshtein.distance(e, g) / len(e)
