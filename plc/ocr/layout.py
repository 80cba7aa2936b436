"""Putting the pieces of text read on a page together into words and lines by geometry.

A detector such as RapidOCR's finds pieces of text (a whole line, a word, or one digit)
in no reliable order. Here they become words on lines in reading order: pieces split
into words at spaces (also those only the ink shows); crossed-out attempts left out;
stacked fractions as one word "3/4" on the line their bar sits on (plc.ocr.fractions);
pieces whose heights overlap form a line; and a line of math gets its numbers and signs
as words, with digits preferred (plc.ocr.mathtext), and what the detector missed between
them read again.
"""
from __future__ import annotations

import numpy as np

from plc.ocr.base import Box, Word
from plc.ocr.fractions import complete_fractions, join_fractions, read_stacked
from plc.ocr.mathtext import AS_DIGIT, is_math_line, normalise, read_math, sign_spans
from plc.ocr.pieces import (
    REREAD_CONFIDENCE, Char, Fragment, Reader, evenly, height, ink_share, overlap, word,
)

SPACE = 0.2
"""A gap without ink wider than this share of the line's height is a space between words."""
SCRIBBLE_CONFIDENCE = 75.0
SCRIBBLE_INK = 0.18


def is_scribble(fragment: Fragment, ink: np.ndarray) -> bool:
    """A crossed-out attempt: the recogniser reads the zigzag over it as letters ("VNWEMSW",
    "OWA"), unsure of them, in a box far darker than handwriting (a fifth of it ink where
    writing has a tenth)."""
    text = fragment.text.replace(" ", "")
    return (
        len(text) >= 2 and not any(ch.isdigit() for ch in text)
        and fragment.confidence < SCRIBBLE_CONFIDENCE and ink_share(ink, fragment.box) >= SCRIBBLE_INK
    )


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


def _blank_run(ink: np.ndarray, left: Char, right: Char, top: int, bottom: int) -> int:
    """The widest run of columns without ink between the middles of two characters."""
    x0, x1 = (left.box[0] + left.box[2]) // 2, (right.box[0] + right.box[2]) // 2
    columns = ink[max(0, top):max(0, bottom), max(0, x0):max(0, x1)].any(axis=0)
    widest = run = 0
    for dark in columns:
        run = 0 if dark else run + 1
        widest = max(widest, run)
    return widest


def split_words(fragment: Fragment, ink: np.ndarray | None = None) -> list[Fragment]:
    """The fragment's words: split at spaces, after a colon before a letter ("NAME:AVA"),
    and, when the page's ``ink`` is given, where the page has a space the recogniser left
    out (columns without ink wider than SPACE of the line's height: "1 2 3" read "123")."""
    chars = _chars(fragment)
    top, bottom = fragment.box[1], fragment.box[3]
    words: list[list[Char]] = [[]]
    for char in chars:
        if char is None:
            words.append([])
            continue
        if words[-1] and (
            (words[-1][-1].text == ":" and char.text.isalpha())
            or (ink is not None and _blank_run(ink, words[-1][-1], char, top, bottom) > SPACE * (bottom - top))
        ):
            words.append([])
        words[-1].append(char)
    return [word(w) for w in words if w]


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
        half = height(frag.box) / 2
        best, best_share = None, 0.0
        for members, band in lines:
            share = overlap(band[0], band[1], middle - half, middle + half) / min(
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
    parts = [word(list(w.chars[a:b])) for w in line for a, b in sign_spans(w.text)]
    texts = read_math([p.text for p in parts])
    return [Fragment(t, p.confidence, p.box, p.chars) for t, p in zip(texts, parts)]


def _ink_blobs(ink: np.ndarray, box: Box, gap: float) -> list[Box]:
    """The boxes of the groups of ink inside ``box``, groups apart by more than ``gap`` blank
    columns; a group touching the left or right side of ``box`` belongs to what is beside
    it and is left out."""
    left, top, right, bottom = (max(0, v) for v in box)
    area = ink[top:bottom, left:right]
    if area.size == 0:
        return []
    columns = area.any(axis=0)
    blobs, start, blank = [], None, 0
    for x, dark in enumerate([*columns, False]):
        if dark:
            start = x if start is None else start
            blank = 0
            continue
        blank += 1
        if start is not None and (blank > gap or x == len(columns)):
            end = x - blank + 1
            if start > 0 and end < len(columns):
                rows = np.flatnonzero(area[:, start:end].any(axis=1))
                blobs.append((left + start, top + int(rows[0]), left + end, top + int(rows[-1]) + 1))
            start = None
    return blobs


def read_gaps(line: list[Fragment], ink: np.ndarray, reread: Reader) -> list[Fragment]:
    """A math line with what the detector missed between its words, and just after its last
    one, read on its own: ink with nothing read from it that reads as digits or signs (a
    thin "-", "= 1" after a fraction)."""
    out: list[Fragment] = []
    for i, current in enumerate(line):
        out.append(current)
        after = line[i + 1] if i + 1 < len(line) else None
        tall = height(current.box)
        band = [current.box] + ([after.box] if after else [])
        region = (current.box[2], min(b[1] for b in band), after.box[0] if after else current.box[2] + 3 * tall,
                  max(b[3] for b in band))
        for blob in _ink_blobs(ink, region, SPACE * tall):
            if after is None and blob[0] - current.box[2] > 1.5 * tall:
                break  # far from the line's end: a sketch beside the work, not the line
            text, confidence = reread(blob)
            text = "".join(AS_DIGIT.get(c, c) for ch in text for c in normalise(ch))
            if text and confidence >= REREAD_CONFIDENCE and all(ch.isdigit() or ch in "+-=x÷?/" for ch in text):
                out.append(evenly(text, confidence, blob))
    return out


def assemble(
    fragments: list[Fragment],
    *,
    slope: float = 0.0,
    math: bool = True,
    ink: np.ndarray | None = None,
    reread: Reader | None = None,
) -> list[Word]:
    """Words in reading order with line numbers, from the fragments an engine read on a
    page whose lines slope by ``slope``, math lines read as math (with ``math``). ``ink``
    (True where the page is dark, in the fragments' coordinates), when given: spaces the
    recogniser left out are found, crossed-out attempts are left out, and with ``math``
    stacked fractions (with a bar) are joined, and with ``reread`` what the detector missed
    or merged (half of a fraction, a sign between two numbers, a fraction read as one
    letter) is read again."""
    if ink is not None:
        fragments = [f for f in fragments if not is_scribble(f, ink)]
    if math and ink is not None and reread is not None:
        fragments = [read_stacked(f, ink, reread) for f in fragments]
    words = [w for f in fragments for w in split_words(f, ink)]
    if math and ink is not None:
        words = join_fractions(words, ink)
        if reread is not None:
            words = complete_fractions(words, ink, reread)
    out: list[Word] = []
    for number, line in enumerate(group_lines(words, slope)):
        if math and is_math_line([w.text for w in line]):
            if ink is not None and reread is not None:
                line = read_gaps(line, ink, reread)
            line = _math_words(line)
        out.extend(Word(w.text, w.confidence, w.box, number) for w in line)
    return out
