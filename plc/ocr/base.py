"""What an OCR engine is and what it returns.

An engine reads a Pillow image (already upright) and returns the text, every word with its
confidence and box, in the coordinates of the image it was given. ``region`` reads one crop
of that image (used to read the top band of a page first, to find and blur the student's
name before anything is shown) and still returns boxes in full-image coordinates.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from PIL import Image

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
