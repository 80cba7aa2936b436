"""Finding the student's name on a page of work, to blur it.

The page's top band (``name_band``) is read first; ``find_name_box`` then
looks in the words read for a "Name:" label and returns the box of what
follows it on the same line. Errs on the side of covering too much: a name
left readable is worse than a few blurred digits.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from plc.ocr.base import Box, Word

NAME_BAND_FRACTION = 0.25
"""The top part of a page read first for the name (the generator's pages put
the "Name:" line at about 14% of the page height; phone photos add a margin
of desk around the page)."""

LABEL = "name"
STOP_LABELS = ("date", "class", "period", "teacher")
"""Labels that end the name when they follow it on the same line."""

PAD = 0.25
"""Padding added on every side of the name's box, as a share of the line's
height: OCR boxes are tight around the strokes, and a blur must not leave the
tops of tall letters readable."""


def _letters(text: str) -> str:
    """Lower-case letters only, with the usual OCR confusion 'rn' for 'm'
    undone (so 'Narne' reads as 'name')."""
    return re.sub(r"[^a-z]", "", text.lower()).replace("rn", "m")


def _label_distance(text: str, first_on_line: bool) -> float | None:
    """How far ``text`` (one OCR token, or two run together) is from the
    label 'name', or None when it does not look like that label.

    Edit distance on the letters, where up to two extra letters at the end
    (a colon read as 's' or 'z': 'Names', 'Nameez') cost half each. A slip
    (up to 1.5) counts only with a label's look: first word on its line, a
    leading N, or a colon or dash after it; up to 2 only with both the first
    place on the line and a colon ('Naw Qe:'), so that words like 'same' in
    the work are not taken for labels.
    """
    letters = _letters(text)
    if len(letters) < 3 or _is_stop_letters(letters):
        return None
    distance = min(
        Levenshtein.distance(letters[: len(letters) - extra], LABEL) + 0.5 * extra
        for extra in range(min(2, len(letters) - 3) + 1)
    )
    colon = text.rstrip().endswith((":", ";", "-"))
    if distance == 0:
        return 0.0
    if distance <= 1.5 and (first_on_line or colon or letters[0] == "n"):
        return distance
    if distance <= 2 and first_on_line and colon:
        return distance
    return None


def _split_glued(word: Word, first_on_line: bool) -> tuple[float, Box] | None:
    """A token like 'Name:Liam' (label and name read as one word): the label's
    distance and the box of the part after the label, estimated by the share
    of characters."""
    m = re.match(r"^([A-Za-z ]{3,7}?\s*[:;\-]+)\s*(\S.*)$", word.text)
    if not m:
        return None
    distance = _label_distance(m.group(1), first_on_line)
    if distance is None:
        return None
    left, top, right, bottom = word.box
    share = m.start(2) / max(1, len(word.text))
    return distance, (int(left + (right - left) * share), top, right, bottom)


def _is_stop_letters(letters: str) -> bool:
    for label in STOP_LABELS:
        if letters == label:
            return True
        if len(label) >= 5 and Levenshtein.distance(letters, label) <= 1:
            return True
    return False


def _is_stop(word: Word) -> bool:
    letters = _letters(word.text)
    return bool(letters) and _is_stop_letters(letters)


def _same_line(label: Word, word: Word) -> bool:
    height = _height(label.box)
    middle = (word.box[1] + word.box[3]) / 2
    if _height(word.box) > 3 * height or not (
        label.box[1] - height <= middle <= label.box[3] + height
    ):
        return False  # a page edge or a rule read as a tall '|', or another line
    if word.line == label.line:
        return True
    # tesseract may put a name written higher or lower on a line of its own:
    # a word beside the label, overlapping half its height, counts too
    top = max(label.box[1], word.box[1])
    bottom = min(label.box[3], word.box[3])
    smaller = min(label.box[3] - label.box[1], word.box[3] - word.box[1])
    return smaller > 0 and bottom - top >= 0.5 * smaller


def _height(box: Box) -> int:
    return max(1, box[3] - box[1])


def _pad(box: Box, line_height: int) -> Box:
    pad = round(PAD * line_height)
    left, top, right, bottom = box
    return (max(0, left - pad), max(0, top - pad), right + pad, bottom + pad)


def _union(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _candidates(words: list[Word]):
    """Label candidates as (distance, first word's index, last word's index,
    box of a name glued to the label or None), for single tokens and for
    pairs of short tokens on one line ('Nam' 'e', 'Name' ':')."""
    line_left: dict[int, int] = {}
    for word in words:
        if any(ch.isalnum() for ch in word.text):  # not a '|' read off a page edge
            line_left[word.line] = min(line_left.get(word.line, word.box[0]), word.box[0])
    for i, word in enumerate(words):
        first = word.box[0] <= line_left.get(word.line, word.box[0])
        glued = _split_glued(word, first)
        if glued is not None:
            yield glued[0], i, i, glued[1]
            continue
        d = _label_distance(word.text, first)
        if d is not None:
            yield d, i, i, None
        if i + 1 < len(words) and words[i + 1].line == word.line:
            nxt = words[i + 1]
            if len(_letters(word.text)) < 5 and len(_letters(nxt.text)) < 4:
                d = _label_distance(word.text + nxt.text, first)
                if d is not None:
                    yield d, i, i + 1, None


@dataclass(frozen=True)
class NameFinding:
    """Where the name seems to be, and whether that is sure enough to blur it and show the page
    without a person looking first."""

    box: Box | None
    sure: bool


UNLABELLED_NAME = re.compile(r"^[A-Z][a-z]{1,11}[.,]?$")
"""A short capitalised word: alone on its line in the top band, likely a name written without
a label."""


def find_name(words: list[Word], *, right_edge: int | None = None, band_bottom: int | None = None) -> NameFinding:
    """The name's box, sure only when the label reads exactly 'Name' (OCR's 'rn' for 'm' aside)
    and words follow it. A misread label ('Nane', 'Mame'), a label with nothing readable after
    it, a lone capitalised word in the top band (above ``band_bottom``: a name without a label),
    or nothing at all, is unsure: the page waits for a person to check it."""
    found = _find(words, right_edge)
    if found is not None:
        box, distance, named = found
        # 'Name' in the work below the top band ('Name the shape') is no label
        in_band = band_bottom is None or box[1] < band_bottom
        return NameFinding(box, sure=distance == 0 and named and in_band)
    return NameFinding(_unlabelled_name(words, band_bottom), sure=False)


def _unlabelled_name(words: list[Word], band_bottom: int | None) -> Box | None:
    lines: dict[int, list[Word]] = {}
    for word in words:
        if word.text.strip() and (band_bottom is None or word.box[3] <= band_bottom):
            lines.setdefault(word.line, []).append(word)
    for line in lines.values():
        names = [w for w in line if UNLABELLED_NAME.match(w.text.strip())]
        if names and len(line) <= 3:
            return _pad(_union([w.box for w in names]), _height(_union([w.box for w in line])))
    return None


def find_name_box(words: list[Word], *, right_edge: int | None = None) -> Box | None:
    """The box of the student's name: the words that follow a label like
    'Name', 'Name:', 'name -', 'NAME' on the same line, up to the end of that
    line or the next label-like word ('Date', 'Class', 'Period', 'Teacher').

    OCR slips in the label are tolerated: 'rn' for 'm' ('Narne'), one letter
    wrong, missing or extra ('Nane:', 'Nam e', 'Mame'), a colon read as a
    letter ('Names', 'Nameez'); a looser match ('Naw Qe:') only as the first
    word of its line with a colon after it (see ``_label_distance``). A word
    like 'same' inside the work is not a label. Tesseract's line numbers are
    trusted, plus words beside the label overlapping half its height (a name
    written a little higher); a word over three times the label's height (a
    page edge read as '|') is not part of the name.

    When the label is found but nothing follows it on
    its line (the name may be unreadable handwriting), a box right of the
    label, at the line's height, to the next label or ``right_edge`` (default:
    the right end of all the words, and at least eight line heights). None
    when there is no label.

    Words are in reading order (as an OcrEngine returns them). The box is
    padded by a quarter of the line height on every side and may reach past
    the image: clip it when cropping. When several labels are found, the
    closest match to 'name', then the first in reading order, wins.
    """
    found = _find(words, right_edge)
    return found[0] if found else None


def _find(words: list[Word], right_edge: int | None) -> tuple[Box, float, bool] | None:
    """The name's box (see ``find_name_box``), how far the label was from 'name', and whether
    words were read after the label."""
    words = [w for w in words if w.text.strip()]
    # best match, then the first line, then the leftmost; of a label read as
    # one token and as two ('Name' ':'), the one taking in both
    candidates = sorted(
        _candidates(words),
        key=lambda c: (c[0], words[c[1]].line, words[c[1]].box[0], c[1] - c[2]),
    )
    if not candidates:
        return None
    distance, first, last, glued = candidates[0]
    label = _union([words[first].box, words[last].box])
    label_word = Word(words[last].text, 0.0, label, words[first].line)

    following = sorted(
        (
            w
            for j, w in enumerate(words)
            if not first <= j <= last and w.box[0] >= label[2] - 2 and _same_line(label_word, w)
        ),
        key=lambda w: w.box[0],
    )
    stop = next((w for w in following if _is_stop(w)), None)
    name_words: list[Word] = []
    for word in following:
        if word is stop:
            break
        if not name_words and re.fullmatch(r"[:;\-=.,]{1,2}", word.text):
            continue  # the label's own colon or dash, read as a word
        name_words.append(word)

    boxes = [w.box for w in name_words] + ([glued] if glued is not None else [])
    line = _union([label] + boxes)
    line_height = line[3] - line[1]
    if boxes:
        name = _union(boxes)
        return _pad((name[0], line[1], name[2], line[3]), line_height), distance, True

    # a label with nothing readable after it
    if stop is not None:
        right_edge = stop.box[0]
    elif right_edge is None:
        right_edge = max(max(w.box[2] for w in words), label[2] + 8 * _height(label))
    return _pad((label[2], line[1], max(label[2] + 1, right_edge), line[3]), line_height), distance, False


def without_name_lines(text: str) -> str:
    """The text without lines that start with a name label ('Name: Noah', 'Nme - Liam'): a
    person's correction, copied from the page, must not bring back the name the OCR text left
    out. A near miss counts only with a colon or dash after it ('Same 13' stays)."""
    kept = []
    for line in text.splitlines():
        first, after = (line.split() + ["", ""])[:2]
        distance = _label_distance(first, True) if first else None
        marked = re.search(r"[:;\-]$", first) or after in (":", ";", "-")
        labelled = distance == 0 or (distance is not None and distance <= 1 and marked)
        if not labelled:
            kept.append(line)
    return "\n".join(kept)


def name_band(width: int, height: int) -> Box:
    """The top part of a page where the 'Name:' line usually is (the top
    quarter), read first so the name is blurred before any thumbnail exists."""
    return (0, 0, width, max(1, round(height * NAME_BAND_FRACTION)))


PREVIEW_NAME_LINES = 3
"""How many of a text's first lines may hold the "Name:" label a preview leaves out."""


def _is_name_label(token: str) -> bool:
    """A line's first token read as the label: 'Name', 'Name:', 'Narne:', 'Name:Liam'; a slip
    only with a colon or dash after it, so that 'Same as 6 x 12' is work, not a label."""
    glued = re.match(r"^([A-Za-z ]{3,7}?\s*[:;\-]+)\s*\S", token)
    label = glued.group(1) if glued else token
    distance = _label_distance(label, first_on_line=True)
    return distance is not None and (distance == 0 or label.rstrip().endswith((":", ";", "-")))


def text_after_name_line(text: str | None) -> str:
    """What a preview of a page shows: its text after the "Name:" line (when one of the first
    lines starts with that label), else the whole text."""
    lines = (text or "").strip().splitlines()
    for index, line in enumerate(lines[:PREVIEW_NAME_LINES]):
        words = line.split()
        if words and _is_name_label(words[0]):
            return "\n".join(lines[index + 1:]).strip()
    return "\n".join(lines)
