"""Pieces of text read on a page, with their boxes: what plc.ocr.layout and plc.ocr.fractions
put together into words and lines. Boxes are (left, top, right, bottom) in the coordinates
of the page the engine was given; ``ink`` is that page as an array, True where it is dark."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from plc.ocr.base import Box
from plc.ocr.mathtext import AS_DIGIT, normalise

Reader = Callable[[Box], tuple[str, float]]
"""Reads one small part of the page on its own: its text and confidence (0-100)."""

NUMBER = re.compile(r"\d{1,3}")
"""A number as a numerator or denominator is written."""
REREAD_CONFIDENCE = 50.0
"""What is read again on its own counts from this confidence (0-100) up."""


@dataclass(frozen=True)
class Char:
    text: str
    confidence: float  # 0-100
    box: Box


@dataclass(frozen=True)
class Fragment:
    """A piece of text as an engine read it. ``chars``: its characters but spaces, each with
    a box, when the engine gives them (every word plc.ocr.layout makes has them)."""

    text: str
    confidence: float  # 0-100
    box: Box
    chars: tuple[Char, ...] = ()


def height(box: Box) -> int:
    return max(1, box[3] - box[1])


def width(box: Box) -> int:
    return max(1, box[2] - box[0])


def union(boxes) -> Box:
    boxes = list(boxes)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    """How far two spans overlap (0 when they do not)."""
    return max(0.0, min(a1, b1) - max(a0, b0))


def ink_share(ink: np.ndarray, box: Box) -> float:
    """The share of dark pixels in ``box``."""
    area = ink[max(0, box[1]):max(0, box[3]), max(0, box[0]):max(0, box[2])]
    return float(area.mean()) if area.size else 0.0


def word(chars: list[Char]) -> Fragment:
    """One word from its characters: as sure as its least sure one."""
    return Fragment("".join(c.text for c in chars), min(c.confidence for c in chars),
                    union(c.box for c in chars), tuple(chars))


def evenly(text: str, confidence: float, box: Box) -> Fragment:
    """A fragment whose characters share its box evenly, left to right."""
    step = (box[2] - box[0]) / max(1, len(text))
    return Fragment(text, confidence, box, tuple(
        Char(ch, confidence, (round(box[0] + i * step), box[1], round(box[0] + (i + 1) * step), box[3]))
        for i, ch in enumerate(text)))


def read_number(reread: Reader, box: Box, least_confidence: float = REREAD_CONFIDENCE) -> Fragment | None:
    """``box`` read on its own as a small number (look-alike letters taken as the digits
    they look like), or None when it does not read as one, this sure at least."""
    text, confidence = reread(box)
    digits = "".join(AS_DIGIT.get(c, c) for ch in text for c in normalise(ch))
    if not NUMBER.fullmatch(digits) or confidence < least_confidence:
        return None
    return evenly(digits, confidence, box)
