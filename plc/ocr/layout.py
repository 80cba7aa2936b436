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

import numpy as np

from plc.ocr.base import Box, Word
from plc.ocr.mathtext import AS_DIGIT, is_math_line, normalise, read_math, sign_spans

NUMBER = re.compile(r"\d{1,3}")
DENOMINATOR = re.compile(r"(\d{1,3})([,.']?)")  # "6," in "4/6, 3/6" (a comma may read as ')
Reader = Callable[[Box], tuple[str, float]]
"""Reads one small part of the page on its own: its text and confidence (0-100)."""
SPACE = 0.2
"""A gap without ink wider than this share of the line's height is a space between words."""
REREAD_CONFIDENCE = 50.0
"""What is read again on its own counts from this confidence (0-100) up."""
SCRIBBLE_CONFIDENCE = 75.0
SCRIBBLE_INK = 0.18


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


def find_bar(ink: np.ndarray, rows: tuple[int, int], left: int, right: int, height: int) -> tuple[int, int, int] | None:
    """A fraction bar in ``rows`` (top, bottom) under or over numbers spanning ``left``..
    ``right``, ``height`` tall (``ink``: True where the page is dark), as (row, its left
    end, its right end): one unbroken run of ink across at least 60% of their width, about
    centred on them, and not much longer (at most 1.5 times their width, or their width and
    half their height): the rule under a column addition runs on under its sign, a line
    of the page runs across it. And a bar stands free: within a quarter of the height
    above and below it there is a row without ink along it (the top stroke of a 5 or a 7
    runs on into the digit). The most covering row wins; None when there is none."""
    width = right - left
    longest = max(1.5 * width, width + height / 2)
    clear = max(3, height // 4)
    best, best_cover = None, 0.0
    for row in range(max(0, rows[0]), min(len(ink), rows[1])):
        line = ink[row]
        edges = np.flatnonzero(np.diff(np.concatenate(([False], line, [False])).astype(np.int8)))
        for start, end in zip(edges[::2], edges[1::2]):
            cover = (min(end, right) - max(start, left)) / max(1, width)
            centred = abs((left - start) - (end - right)) <= width / 2
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
    height = max(_height(upper), _height(lower))
    return right - left >= 2 and find_bar(ink, rows, left, right, height) is not None


def ink_share(ink: np.ndarray, box: Box) -> float:
    """The share of dark pixels in ``box``."""
    area = ink[max(0, box[1]):max(0, box[3]), max(0, box[0]):max(0, box[2])]
    return float(area.mean()) if area.size else 0.0


def is_scribble(fragment: Fragment, ink: np.ndarray) -> bool:
    """A crossed-out attempt: the recogniser reads the zigzag over it as letters ("VNWEMSW",
    "OWA"), unsure of them, in a box far darker than handwriting (a fifth of it ink where
    writing has a tenth)."""
    text = fragment.text.replace(" ", "")
    return (
        len(text) >= 2 and not any(ch.isdigit() for ch in text)
        and fragment.confidence < SCRIBBLE_CONFIDENCE and ink_share(ink, fragment.box) >= SCRIBBLE_INK
    )


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
    return [_word(w) for w in words if w]


def _stacked(top: Fragment, bottom: Fragment, ink: np.ndarray) -> bool:
    """Whether ``top`` sits right above ``bottom`` like a numerator over its denominator:
    both a small number, overlapping across at least half the narrower one, of like
    height, their middles one digit's height apart (give or take), and a bar in the page's
    ``ink`` between them."""
    if not (NUMBER.fullmatch(top.text) and DENOMINATOR.fullmatch(bottom.text)):
        return False
    a, b = top.box, bottom.box
    if _overlap(a[0], a[2], b[0], b[2]) < 0.5 * min(_width(a), _width(b)):
        return False
    tall = max(_height(a), _height(b))
    apart = (b[1] + b[3]) / 2 - (a[1] + a[3]) / 2  # the detector's boxes have margins: they may overlap
    if not (0.6 * tall <= apart <= 1.9 * tall and abs(_height(a) - _height(b)) < 0.5 * tall):
        return False
    return has_bar(ink, a, b)


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
        out.append(_fraction(top, pieces[j]))
    return out + [f for k, f in enumerate(pieces) if k not in used]


def _fraction(top: Fragment, bottom: Fragment) -> Fragment:
    """One word "3/4" from a numerator and the denominator under it; a comma after the
    denominator (read as ' at times) goes after the whole fraction."""
    box = _union([top.box, bottom.box])
    slash = Char("/", min(top.confidence, bottom.confidence), (box[0], top.box[3], box[2], max(top.box[3], bottom.box[1])))
    denominator = DENOMINATOR.fullmatch(bottom.text).group(1)
    after = tuple(Char(",", c.confidence, c.box) for c in bottom.chars[len(denominator):])
    return Fragment(f"{top.text}/{denominator}" + "," * len(after), slash.confidence, box,
                    (*top.chars, slash, *bottom.chars[:len(denominator)], *after))


def _part(box: Box, i: int, n: int) -> Box:
    """The i-th of n equal slices of a box, left to right."""
    step = (box[2] - box[0]) / max(1, n)
    return (round(box[0] + i * step), box[1], round(box[0] + (i + 1) * step), box[3])


def _bar_near(ink: np.ndarray, number: Box, above: bool) -> tuple[int, int, int] | None:
    """A fraction bar right above (or below) a number, within half its height."""
    height = _height(number)
    # the detector's box has a margin around the digits: the bar may lie inside it
    rows = (number[1] - height // 2, number[1] + height // 3) if above else \
        (number[3] - height // 3, number[3] + height // 2)
    return find_bar(ink, rows, number[0], number[2], height)


def read_stacked(fragment: Fragment, ink: np.ndarray, reread: Reader) -> Fragment:
    """A stacked fraction the detector took as one piece (read as "m" or "8"): when a bar
    runs across the middle third of a short piece, the parts above and below it are read
    on their own, and if both are numbers the piece is that fraction."""
    left, top, right, bottom = fragment.box
    height = _height(fragment.box)
    if len(fragment.text.replace(" ", "")) > 3 or "/" in fragment.text:
        return fragment
    bar = find_bar(ink, (top + height // 3, bottom - height // 3), left, right, height // 2)
    if bar is None:
        return fragment
    row = bar[0]
    parts = []
    for box in ((left, top, right, row - 2), (left, row + 3, right, bottom)):
        text, confidence = reread(box)
        digits = "".join(AS_DIGIT.get(c, c) for ch in text for c in normalise(ch))
        if not NUMBER.fullmatch(digits) or confidence < REREAD_CONFIDENCE:
            return fragment
        parts.append(Fragment(digits, confidence, box, tuple(
            Char(ch, confidence, _part(box, i, len(digits))) for i, ch in enumerate(digits))))
    return _fraction(*parts)


def complete_fractions(words: list[Fragment], ink: np.ndarray, reread: Reader) -> list[Fragment]:
    """A number with a fraction bar above (or below) it and nothing read on the other side
    (a thin "1" the detector missed): the other side read again on its own, and the two
    joined as a fraction."""
    out = []
    for word in words:
        joined = None
        if NUMBER.fullmatch(word.text):
            for above in (True, False):
                bar = _bar_near(ink, word.box, above)
                if bar is None:
                    continue
                row, left, right = bar
                height = _height(word.box)
                other = (left, row - height - height // 4, right, row - 2) if above else \
                    (left, row + 3, right, row + height + height // 4)
                if any(_overlap(other[0], other[2], w.box[0], w.box[2]) and
                       _overlap(other[1], other[3], w.box[1], w.box[3]) for w in words if w is not word):
                    continue  # something was read there
                text, confidence = reread(other)
                digits = "".join(AS_DIGIT.get(c, c) for ch in text for c in normalise(ch))
                if not NUMBER.fullmatch(digits):
                    continue
                found = Fragment(digits, confidence, other, tuple(
                    Char(ch, confidence, _part(other, i, len(digits))) for i, ch in enumerate(digits)))
                top, bottom = (found, word) if above else (word, found)
                joined = _fraction(top, bottom)
                break
        out.append(joined or word)
    return out


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
    for i, word in enumerate(line):
        out.append(word)
        after = line[i + 1] if i + 1 < len(line) else None
        height = _height(word.box)
        band = [word.box] + ([after.box] if after else [])
        region = (word.box[2], min(b[1] for b in band), after.box[0] if after else word.box[2] + 3 * height,
                  max(b[3] for b in band))
        for blob in _ink_blobs(ink, region, SPACE * height):
            if after is None and blob[0] - word.box[2] > 1.5 * height:
                break  # far from the line's end: a sketch beside the work, not the line
            text, confidence = reread(blob)
            text = "".join(normalise(ch) for ch in text)
            text = "".join(AS_DIGIT.get(ch, ch) for ch in text)
            if text and confidence >= REREAD_CONFIDENCE and all(ch.isdigit() or ch in "+-=x÷?/" for ch in text):
                out.append(Fragment(text, confidence, blob, tuple(
                    Char(ch, confidence, _part(blob, k, len(text))) for k, ch in enumerate(text))))
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
