"""Stacked fractions: a number over a short bar over a number, read as one word "3/4".

The detector finds the numerator and the denominator as two pieces (joined here when a bar
lies between them), misses a thin "1" (read again on its own when a bar has a number on
one side only), or takes the whole fraction as one piece read as a letter (read again as
two numbers when a bar crosses its middle).
"""
from __future__ import annotations

import re

import numpy as np

from plc.ocr.base import Box
from plc.ocr.pieces import (
    NUMBER, Char, Fragment, Reader, height, overlap, read_number, union, width,
)

DENOMINATOR = re.compile(r"(\d{1,3})([,.']?)")  # "6," in "4/6, 3/6" (a comma may read as ')


def find_bar(ink: np.ndarray, rows: tuple[int, int], left: int, right: int, tall: int) -> tuple[int, int, int] | None:
    """A fraction bar in ``rows`` (top, bottom) under or over numbers spanning ``left``..
    ``right``, ``tall`` high, as (row, its left end, its right end): one unbroken run of ink
    across at least 60% of their width, about centred on them, and not much longer (at most
    1.5 times their width, or their width and half their height): the rule under a column
    addition runs on under its sign, a line of the page runs across it. And a bar stands
    free: within a quarter of the height above and below it there is a row without ink
    along it (the top stroke of a 5 or a 7 runs on into the digit). The most covering row
    wins; None when there is none."""
    span = right - left
    longest = max(1.5 * span, span + tall / 2)
    clear = max(3, tall // 4)
    best, best_cover = None, 0.0
    for row in range(max(0, rows[0]), min(len(ink), rows[1])):
        edges = np.flatnonzero(np.diff(np.concatenate(([False], ink[row], [False])).astype(np.int8)))
        for start, end in zip(edges[::2], edges[1::2]):
            cover = (min(end, right) - max(start, left)) / max(1, span)
            centred = abs((left - start) - (end - right)) <= span / 2
            if not (cover >= 0.6 and end - start <= longest and centred and cover > best_cover):
                continue
            above = ink[max(0, row - clear):row, start:end].any(axis=1)
            below = ink[row + 1:row + 1 + clear, start:end].any(axis=1)
            if not above.all() and not below.all():
                best, best_cover = (row, int(start), int(end)), cover
    return best


def has_bar(ink: np.ndarray, upper: Box, lower: Box) -> bool:
    """Whether a fraction bar lies between ``upper`` and ``lower``, below the upper one's
    middle and above the lower one's."""
    left, right = min(upper[0], lower[0]), max(upper[2], lower[2])
    rows = ((upper[1] + upper[3]) // 2, (lower[1] + lower[3]) // 2 + 1)
    return right - left >= 2 and find_bar(ink, rows, left, right, max(height(upper), height(lower))) is not None


def _stacked(top: Fragment, bottom: Fragment, ink: np.ndarray) -> bool:
    """Whether ``top`` sits right above ``bottom`` like a numerator over its denominator:
    both a small number, overlapping across at least half the narrower one, of like
    height, their middles one digit's height apart (give or take), and a bar between them."""
    if not (NUMBER.fullmatch(top.text) and DENOMINATOR.fullmatch(bottom.text)):
        return False
    a, b = top.box, bottom.box
    if overlap(a[0], a[2], b[0], b[2]) < 0.5 * min(width(a), width(b)):
        return False
    tall = max(height(a), height(b))
    apart = (b[1] + b[3]) / 2 - (a[1] + a[3]) / 2  # the detector's boxes have margins: they may overlap
    if not (0.6 * tall <= apart <= 1.9 * tall and abs(height(a) - height(b)) < 0.5 * tall):
        return False
    return has_bar(ink, a, b)


def fraction(top: Fragment, bottom: Fragment) -> Fragment:
    """One word "3/4" from a numerator and the denominator under it; a comma after the
    denominator (read as ' at times) goes after the whole fraction."""
    box = union([top.box, bottom.box])
    slash = Char("/", min(top.confidence, bottom.confidence),
                 (box[0], top.box[3], box[2], max(top.box[3], bottom.box[1])))
    denominator = DENOMINATOR.fullmatch(bottom.text).group(1)
    after = tuple(Char(",", c.confidence, c.box) for c in bottom.chars[len(denominator):])
    return Fragment(f"{top.text}/{denominator}" + "," * len(after), slash.confidence, box,
                    (*top.chars, slash, *bottom.chars[:len(denominator)], *after))


def join_fractions(words: list[Fragment], ink: np.ndarray) -> list[Fragment]:
    """Numerators and denominators written one above the other, as one word "3/4" each."""
    pieces = sorted(words, key=lambda f: (f.box[1], f.box[0]))
    used: set[int] = set()
    out: list[Fragment] = []
    for i, top in enumerate(pieces):
        if i in used:
            continue
        below = [j for j in range(i + 1, len(pieces)) if j not in used and _stacked(top, pieces[j], ink)]
        if not below:
            continue
        j = min(below, key=lambda k: pieces[k].box[1] - top.box[3])
        used.update((i, j))
        out.append(fraction(top, pieces[j]))
    return out + [f for k, f in enumerate(pieces) if k not in used]


def read_stacked(piece: Fragment, ink: np.ndarray, reread: Reader) -> Fragment:
    """A stacked fraction the detector took as one piece (read as "m" or "8"): when a bar
    runs across the middle third of a short piece, the parts above and below it are read
    on their own, and if both are numbers the piece is that fraction."""
    left, top, right, bottom = piece.box
    tall = height(piece.box)
    if len(piece.text.replace(" ", "")) > 3 or "/" in piece.text:
        return piece
    bar = find_bar(ink, (top + tall // 3, bottom - tall // 3), left, right, tall // 2)
    if bar is None:
        return piece
    numerator = read_number(reread, (left, top, right, bar[0] - 2))
    denominator = numerator and read_number(reread, (left, bar[0] + 3, right, bottom))
    return fraction(numerator, denominator) if numerator and denominator else piece


def _bar_near(ink: np.ndarray, number: Box, above: bool) -> tuple[int, int, int] | None:
    """A fraction bar right above (or below) a number, within half its height."""
    tall = height(number)
    # the detector's box has a margin around the digits: the bar may lie inside it
    rows = (number[1] - tall // 2, number[1] + tall // 3) if above else \
        (number[3] - tall // 3, number[3] + tall // 2)
    return find_bar(ink, rows, number[0], number[2], tall)


def complete_fractions(words: list[Fragment], ink: np.ndarray, reread: Reader) -> list[Fragment]:
    """A number with a fraction bar above (or below) it and nothing read on the other side
    (a thin "1" the detector missed): the other side read again on its own, and the two
    joined as a fraction."""
    out = []
    for word in words:
        joined = None
        for above in (True, False) if NUMBER.fullmatch(word.text) else ():
            bar = _bar_near(ink, word.box, above)
            if bar is None:
                continue
            row, left, right = bar
            tall = height(word.box)
            other = (left, row - tall - tall // 4, right, row - 2) if above else \
                (left, row + 3, right, row + tall + tall // 4)
            if any(overlap(other[0], other[2], w.box[0], w.box[2]) and overlap(other[1], other[3], w.box[1], w.box[3])
                   for w in words if w is not word):
                continue  # something was read there
            found = read_number(reread, other, least_confidence=0.0)
            if found is not None:
                joined = fraction(found, word) if above else fraction(word, found)
                break
        out.append(joined or word)
    return out
