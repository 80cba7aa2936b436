"""Math-aware reading of a line's words: signs, digits for look-alike letters in math, words kept."""
from __future__ import annotations

import pytest

from plc.ocr.mathtext import is_math_line, normalise, read_math, sign_spans


def split(word: str) -> list[str]:
    return [word[a:b] for a, b in sign_spans(word)]


def read(line: str) -> str:
    """A line as an engine might give it, read the way plc.ocr.layout reads a math line."""
    words = [part for word in line.split() for part in split("".join(normalise(ch) for ch in word))]
    return " ".join(read_math(words) if is_math_line(words) else words)


@pytest.mark.parametrize(("read_as", "meant"), [
    ("8二5十3", "8=5+3"),  # the Chinese model's signs
    ("４２？", "42?"),  # full-width forms
    ("6×7", "6x7"),
    ("5−2", "5-2"),
    ("日本", ""),  # other Chinese characters are a smudge read as text
])
def test_lookalike_characters_are_the_signs_they_stand_for(read_as, meant):
    assert "".join(normalise(ch) for ch in read_as) == meant


@pytest.mark.parametrize(("word", "parts"), [
    ("8+2=10", ["8", "+", "2", "=", "10"]),
    ("6x7", ["6", "x", "7"]),
    ("1x", ["1", "x"]),
    ("87-2", ["87", "-", "2"]),
    ("3/4+1/8", ["3/4", "+", "1/8"]),  # a fraction's slash does not split
    ("12÷4", ["12", "÷", "4"]),
    ("six", ["six"]),  # x between letters is a letter
    ("x-ray", ["x-ray"]),
    ("Date:", ["Date:"]),
])
def test_math_words_split_at_signs(word, parts):
    assert split(word) == parts


@pytest.mark.parametrize(("read_as", "meant"), [
    ("8 + 5 = 1O", "8 + 5 = 10"),  # O in a number
    ("l0 + 3 = 13", "10 + 3 = 13"),  # l in a number
    ("7 + 7 = I4", "7 + 7 = 14"),
    ("48 + 3B = 86", "48 + 38 = 86"),  # B in a number
    ("6 X 7 = 42", "6 x 7 = 42"),  # the times sign
    ("6X7=42", "6 x 7 = 42"),
    ("5 + S = 10", "5 + 5 = 10"),  # S alone between signs
    ("4 x G = 24", "4 x 6 = 24"),
    ("2g + 1 = 30", "29 + 1 = 30"),
    ("1O + 2O = 3O", "10 + 20 = 30"),
])
def test_letters_that_look_like_digits_are_digits_in_math(read_as, meant):
    assert read(read_as) == meant


@pytest.mark.parametrize("line", [
    "1/8 is half of 1/4",  # words beside math stay words
    "so 3/4 + 1/8 = 7/8",
    "SO 2/3 + 1/6 = 5/6",  # capitals too: "SO" is not "50"
    "I added 8 and 5",  # a line of words with a number
    "Name: Sofia Diaz",
    "Date: 11/3",
    "BIG IS 8",
    "Six groups of 7",
])
def test_ordinary_words_are_not_changed(line):
    assert read(line) == line


def test_a_line_is_math_when_digits_and_signs_outnumber_letters():
    assert is_math_line(["8", "+", "5", "=", "13"])
    assert is_math_line(["7,", "14,", "21"])
    assert not is_math_line(["is", "half", "of", "1/4"])
    assert not is_math_line(["Name:", "Noah"])
