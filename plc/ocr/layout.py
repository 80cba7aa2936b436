"""Putting the pieces of text read on a page together into words and lines by geometry.

A detector such as RapidOCR's finds pieces of text (a whole line, a word, or one digit)
in no reliable order. Here they become words on lines in reading order: pieces split
into words at spaces and at wide gaps between letters; a stacked fraction (a number above
a number with a short bar between them) becomes one word "3/4" on the line its bar sits
on; pieces whose heights overlap form a line; and a line of math gets its numbers and
signs as words, with digits preferred (plc.ocr.mathtext).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from plc.ocr.base import Box, Word
from plc.ocr.mathtext import is_math_line, normalise, read_math, sign_spans

NUMBER = re.compile(r"\d{1,3}")
WORD_GAP = 0.5
"""A gap between two letters wider than this share of a letter's width splits a word."""


@dataclass(frozen=True)
class Char:
    text: str
    confidence: float  # 0-100
    box: Box


@dataclass(frozen=True)
class Fragment:
    """A piece of text as an engine read it, in the coordinates of the page it was given.
    ``chars``: its characters but spaces, each with a box, when the engine gives them."""

    text: str
    confidence: float  # 0-100
    box: Box
    chars: tuple[Char, ...] = ()


BarCheck = Callable[[Box, Box], bool]
"""Whether there is a short horizontal stroke between two boxes (the upper one first)."""


def _height(box: Box) -> int:
    return max(1, box[3] - box[1])


def _width(box: Box) -> int:
    return max(1, box[2] - box[0])


def _union(boxes) -> Box:
    boxes = list(boxes)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


def _chars(fragment: Fragment) -> list[Char | None]:
    """The fragment's text character by character (None for a space), each normalised
    (plc.ocr.mathtext) and boxed: with the engine's boxes when they match the text, else
    with the fragment's box shared out evenly."""
    given = list(fragment.chars)
    if len(given) != sum(not ch.isspace() for ch in fragment.text):
        left, top, right, bottom = fragment.box
        n = max(1, len(fragment.text))
        step = (right - left) / n
        given = [Char(ch, fragment.confidence, (round(left + i * step), top, round(left + (i + 1) * step), bottom))
                 for i, ch in enumerate(fragment.text) if not ch.isspace()]
    out: list[Char | None] = []
    it = iter(given)
    for ch in fragment.text:
        if ch.isspace():
            out.append(None)
            continue
        char = next(it)
        out.extend(Char(c, char.confidence, char.box) for c in normalise(ch) if not c.isspace())
    return out


def _word(chars: list[Char]) -> Fragment:
    return Fragment("".join(c.text for c in chars), min(c.confidence for c in chars),
                    _union(c.box for c in chars), tuple(chars))


def split_words(fragment: Fragment) -> list[Fragment]:
    """The fragment's words: split at spaces and at gaps wider than WORD_GAP of the
    median letter width (a space the recogniser missed: "NAME:AVA")."""
    chars = _chars(fragment)
    widths = sorted(_width(c.box) for c in chars if c is not None)
    if not widths:
        return []
    wide_gap = WORD_GAP * widths[len(widths) // 2]
    words: list[list[Char]] = [[]]
    for char in chars:
        if char is None:
            words.append([])
            continue
        if words[-1] and char.box[0] - words[-1][-1].box[2] > wide_gap:
            words.append([])
        words[-1].append(char)
    return [_word(w) for w in words if w]


def _stacked(top: Fragment, bottom: Fragment, has_bar: BarCheck | None) -> bool:
    """Whether ``top`` sits right above ``bottom`` like a numerator over its denominator:
    both a small number, overlapping across at least half the narrower one, of like
    height, a gap under one digit's height between them, and a bar in it."""
    if not (NUMBER.fullmatch(top.text) and NUMBER.fullmatch(bottom.text)):
        return False
    a, b = top.box, bottom.box
    if _overlap(a[0], a[2], b[0], b[2]) < 0.5 * min(_width(a), _width(b)):
        return False
    tall = max(_height(a), _height(b))
    if not (-0.15 * tall <= b[1] - a[3] <= 0.9 * tall and abs(_height(a) - _height(b)) < 0.5 * tall):
        return False
    return has_bar is None or has_bar(a, b)


def join_fractions(words: list[Fragment], has_bar: BarCheck | None = None) -> list[Fragment]:
    """Numerators and denominators written one above the other, as one word "3/4" each."""
    pieces = sorted(words, key=lambda f: (f.box[1], f.box[0]))
    used: set[int] = set()
    out: list[Fragment] = []
    for i, top in enumerate(pieces):
        if i in used:
            continue
        below = [j for j in range(i + 1, len(pieces)) if j not in used and _stacked(top, pieces[j], has_bar)]
        if not below:
            continue
        j = min(below, key=lambda k: pieces[k].box[1] - top.box[3])
        bottom = pieces[j]
        used.update((i, j))
        box = _union([top.box, bottom.box])
        slash = Char("/", min(top.confidence, bottom.confidence),
                     (box[0], top.box[3], box[2], bottom.box[1]))
        out.append(Fragment(f"{top.text}/{bottom.text}", slash.confidence, box,
                            (*top.chars, slash, *bottom.chars)))
    return out + [f for k, f in enumerate(pieces) if k not in used]


def _middle(frag: Fragment, slope: float) -> float:
    """The fragment's vertical middle with the page's tilt taken out."""
    return (frag.box[1] + frag.box[3]) / 2 - slope * (frag.box[0] + frag.box[2]) / 2


def group_lines(fragments: list[Fragment], slope: float = 0.0) -> list[list[Fragment]]:
    """Fragments in lines, top to bottom, each line left to right. ``slope`` is the tilt of
    the page's lines (pixels down per pixel right). Going down the page, a fragment joins
    the line whose band (the spans of what is on it so far) holds its middle, else starts
    a new one."""
    lines: list[tuple[list[Fragment], list[float]]] = []  # fragments, [top, bottom] of the band
    for frag in sorted(fragments, key=lambda f: _middle(f, slope)):
        middle = _middle(frag, slope)
        half = _height(frag.box) / 2
        best, best_share = None, 0.0
        for members, band in lines:
            share = _overlap(band[0], band[1], middle - half, middle + half) / min(
                2 * half, band[1] - band[0] or 1)
            if band[0] <= middle <= band[1] and share > best_share:
                best, best_share = (members, band), share
        if best is None:
            lines.append(([frag], [middle - half, middle + half]))
        else:
            best[0].append(frag)
            best[1][0] = min(best[1][0], middle - half)
            best[1][1] = max(best[1][1], middle + half)
    return [sorted(members, key=lambda f: f.box[0]) for members, _ in lines]


def _math_words(line: list[Fragment]) -> list[Fragment]:
    """A math line's words split at signs, read with digits preferred."""
    parts = [
        _word(list(word.chars[a:b])) if len(word.chars) == len(word.text) else word
        for word in line
        for a, b in (sign_spans(word.text) if len(word.chars) == len(word.text) else [(0, len(word.text))])
    ]
    texts = read_math([p.text for p in parts])
    return [Fragment(t, p.confidence, p.box, p.chars) for t, p in zip(texts, parts)]


def assemble(
    fragments: list[Fragment],
    *,
    slope: float = 0.0,
    math: bool = True,
    has_bar: BarCheck | None = None,
) -> list[Word]:
    """Words in reading order with line numbers, from the fragments an engine read on a
    page whose lines slope by ``slope``. With ``math``: stacked fractions (those with a
    bar, when ``has_bar`` is given) joined, and math lines read as math."""
    words = [w for f in fragments for w in split_words(f)]
    if math:
        words = join_fractions(words, has_bar)
    out: list[Word] = []
    for number, line in enumerate(group_lines(words, slope)):
        if math and is_math_line([w.text for w in line]):
            line = _math_words(line)
        out.extend(Word(w.text, w.confidence, w.box, number) for w in line)
    return out
