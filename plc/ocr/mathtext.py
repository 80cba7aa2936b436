"""Math-aware reading of the words of one line: the characters a Chinese-and-English model
reads for signs ("二" for "=", "十" for "+", full-width forms), signs and numbers as words
of their own ("8+2=10" as "8 + 2 = 10"), and letters that look like digits read as digits
where the characters around them are math ("1O" as "10", "S" between two signs as "5"),
while words stay words ("is", "SO", "half"). Plain text in, plain text out.
"""
from __future__ import annotations

import unicodedata

LOOKALIKES = str.maketrans({
    "二": "=", "〓": "=", "十": "+", "一": "-", "ー": "-", "—": "-", "–": "-", "−": "-",
    "×": "x", "✕": "x", "·": ".", "。": ".", "，": ",", "、": ",", "：": ":", "；": ";",
})
"""Characters of the recogniser's Chinese alphabet (and typographic variants) read for
the signs and punctuation of student math."""

AS_DIGIT = {"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "i": "1", "|": "1", "!": "1",
            "S": "5", "s": "5", "B": "8", "g": "9", "q": "9", "G": "6", "b": "6", "Z": "2",
            "z": "2"}
"""Letters that, in handwriting, are often digits written a little differently."""

SIGNS = ("+", "=", "÷", "x", "-")


def normalise(char: str) -> str:
    """One character as the ASCII (or math sign) it stands for: full-width forms folded
    (NFKC), lookalike signs as the signs, and other Chinese or Japanese characters dropped
    (student work here is in English: they are how the model reads a smudge). May return
    more than one character ("½") or none."""
    folded = unicodedata.normalize("NFKC", char).translate(LOOKALIKES)
    return "".join(ch for ch in folded if not _is_cjk(ch))


def _is_cjk(ch: str) -> bool:
    return "\u3040" <= ch <= "\u30ff" or "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


def is_math_line(words: list[str]) -> bool:
    """A line of math: it has a digit, and digits and signs outnumber letters."""
    text = "".join(words)
    digits = sum(ch.isdigit() for ch in text)
    letters = sum(ch.isalpha() for ch in text)
    signs = sum(ch in "+=÷" for ch in text) + sum(w in SIGNS for w in words)
    return digits > 0 and digits + signs >= letters


def sign_spans(word: str) -> list[tuple[int, int]]:
    """Where a word of a math line splits into numbers and signs: the (start, end) of
    each part. + = and ÷ are always signs; x, X and - only next to a digit ("6x7", "1x",
    "87-2") and not between letters, so "six" and "x-ray" stay whole; a fraction's or a
    date's slash does not split."""
    spans: list[tuple[int, int]] = []
    start = 0
    for i, ch in enumerate(word):
        before = word[i - 1] if i else " "
        after = word[i + 1] if i + 1 < len(word) else " "
        sign = ch in "+=÷" or (ch in "xX-" and (
            (before.isdigit() and not after.isalpha()) or (after.isdigit() and not before.isalpha())))
        if sign:
            if start < i:
                spans.append((start, i))
            spans.append((i, i + 1))
            start = i + 1
    if start < len(word):
        spans.append((start, len(word)))
    return spans


def _is_mathy(word: str) -> bool:
    return word in SIGNS or word in ("X", "?") or any(ch.isdigit() for ch in word)


def _as_number(word: str, between_math: bool) -> str:
    """``word`` with look-alike letters read as digits, when it is a number written with
    them: every character could be a digit, and it holds a digit already or stands
    between math on both sides."""
    if not all(ch.isdigit() or ch in AS_DIGIT or ch in ",./" for ch in word):
        return word
    if not (any(ch.isdigit() for ch in word) or between_math):
        return word
    return "".join(AS_DIGIT.get(ch, ch) for ch in word)


def read_math(words: list[str]) -> list[str]:
    """The words of a math line (already split at signs) with digits and signs preferred:
    an x or X beside a number is the times sign, look-alike letters in numbers are digits."""
    out = []
    for i, word in enumerate(words):
        before = words[i - 1] if i else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        if word in ("x", "X") and (_is_mathy(before) or _is_mathy(after)):
            out.append("x")
        else:
            out.append(_as_number(word, _is_mathy(before) and _is_mathy(after)))
    return out
