"""Pieces of text put together into words and lines by geometry: lines on a tilted page,
stacked fractions (with their bar, and with a half the detector missed), spaces seen in
the ink, crossed-out attempts left out."""
from __future__ import annotations

import numpy as np

from plc.ocr.fractions import join_fractions
from plc.ocr.layout import assemble, group_lines, split_words
from plc.ocr.pieces import Char, Fragment


def frag(text: str, box, confidence: float = 95.0) -> Fragment:
    return Fragment(text, confidence, box)


def lines_of(words) -> list[str]:
    out: dict[int, list[str]] = {}
    for word in words:
        out.setdefault(word.line, []).append(word.text)
    return [" ".join(parts) for parts in out.values()]


def page(width=1000, height=800) -> np.ndarray:
    return np.zeros((height, width), dtype=bool)


def draw(ink: np.ndarray, box) -> None:
    ink[box[1]:box[3], box[0]:box[2]] = True


def write(ink: np.ndarray, box) -> None:
    """Strokes of writing in box: upright lines 4 px wide, 6 px apart."""
    for x in range(box[0] + 2, box[2] - 2, 10):
        ink[box[1]:box[3], x:x + 4] = True


def test_pieces_on_one_line_are_read_left_to_right_and_lines_top_to_bottom():
    pieces = [frag("13", (400, 200, 450, 240)), frag("8 + 5 =", (100, 202, 380, 242)),
              frag("Name: Ava", (100, 100, 400, 140))]
    assert lines_of(assemble(pieces)) == ["Name: Ava", "8 + 5 = 13"]


def test_a_tilted_page_keeps_each_line_whole():
    # lines 60 px apart on a page tilted so that a line drops 60 px over 600 px
    slope = 0.1
    pieces = []
    for row, texts in enumerate([["8", "+", "2", "=", "10"], ["10", "+", "3", "=", "13"]]):
        for i, text in enumerate(texts):
            x = 100 + 150 * i
            y = 100 + 60 * row + round(slope * x)
            pieces.append(frag(text, (x, y, x + 40, y + 40)))
    assert lines_of(assemble(pieces, slope=slope)) == ["8 + 2 = 10", "10 + 3 = 13"]
    untilted = [" ".join(f.text for f in line) for line in group_lines(pieces, 0.0)]
    assert untilted != ["8 + 2 = 10", "10 + 3 = 13"]  # without the tilt taken out, they mix up


def stacked_row(ink: np.ndarray | None):
    """'3/4 + 1/8 = 7/8' written stacked: numerators above bars, denominators below, the
    signs centred on the bars (at y = 300)."""
    pieces = []
    x = 100
    for part in ["3/4", "+", "1/8", "=", "7/8"]:
        if "/" in part:
            top, bottom = part.split("/")
            pieces += [frag(top, (x + 5, 255, x + 35, 292)), frag(bottom, (x + 5, 308, x + 35, 345))]
            if ink is not None:
                draw(ink, (x, 299, x + 40, 302))
            x += 60
        else:
            pieces.append(frag(part, (x, 285, x + 30, 315)))
            x += 50
    return pieces


def test_a_stacked_fraction_is_one_word_on_the_line_of_its_bar():
    ink = page()
    words = assemble(stacked_row(ink), ink=ink)
    assert lines_of(words) == ["3/4 + 1/8 = 7/8"]
    three_quarters = words[0]
    assert three_quarters.box == (105, 255, 135, 345)  # numerator and denominator together


def test_numbers_one_above_the_other_without_a_bar_are_not_a_fraction():
    # a column addition: 48 over 37, no bar between them
    pieces = [frag("48", (130, 100, 190, 150)), frag("+ 37", (100, 160, 190, 210)), frag("85", (130, 240, 190, 290))]
    ink = page()
    for piece in pieces:
        write(ink, piece.box)
    draw(ink, (95, 222, 200, 225))  # the rule under the addition, under the + sign too
    assert lines_of(assemble(pieces, ink=ink)) == ["48", "+ 37", "85"]
    column = [frag("48", (130, 100, 190, 150)), frag("37", (130, 160, 190, 210))]
    assert [w.text for w in join_fractions(column, page())] == ["48", "37"]  # no bar at all
    ink[152:155, 125:195] = True  # with a short bar between them, they are one
    assert [w.text for w in join_fractions(column, ink)] == ["48/37"]


def test_the_half_of_a_fraction_the_detector_missed_is_read_again():
    ink = page()
    pieces = [p for p in stacked_row(ink) if p.text != "1"]  # the thin 1 of 1/8 was not found
    asked = []

    def reread(box):
        asked.append(box)
        return "l", 80.0  # a 1 read as a letter l, on its own

    words = assemble(pieces, ink=ink, reread=reread)
    assert lines_of(words) == ["3/4 + 1/8 = 7/8"]
    (box,) = asked
    assert box[0] <= 210 and box[2] >= 240 and box[3] < 300  # above the bar of 1/8


def test_a_space_the_recogniser_left_out_is_seen_in_the_ink():
    ink = page()
    chars = []
    for i, ch in enumerate("12345"):  # written "1 2 3 4 5": a blank 20 px between digits
        box = (100 + 40 * i, 100, 120 + 40 * i, 140)
        draw(ink, box)
        chars.append(Char(ch, 90.0, (box[0] - 10, 100, box[2] + 10, 140)))
    piece = Fragment("12345", 90.0, (90, 100, 290, 140), tuple(chars))
    assert [w.text for w in split_words(piece, ink)] == ["1", "2", "3", "4", "5"]
    assert [w.text for w in split_words(piece)] == ["12345"]
    assert [w.box for w in split_words(piece, ink)][1] == (130, 100, 170, 140)


def test_a_label_and_a_name_read_as_one_word_are_two_words():
    assert [w.text for w in split_words(frag("NAME:AVA", (0, 0, 160, 40)))] == ["NAME:", "AVA"]


def test_a_crossed_out_attempt_is_left_out():
    ink = page()
    draw(ink, (100, 100, 400, 140))  # so dark no handwriting is: a zigzag over the words
    write(ink, (100, 160, 400, 200))
    pieces = [frag("VNWEMSWBA", (100, 100, 400, 140), confidence=60.0), frag("8 + 5 = 13", (100, 160, 400, 200))]
    assert lines_of(assemble(pieces, ink=ink)) == ["8 + 5 = 13"]
    sure = [frag("LIAM", (100, 100, 400, 140), confidence=99.0)]
    assert lines_of(assemble(sure, ink=ink)) == ["LIAM"]  # dark but read with confidence: kept
