"""The team's own agreements: its norms, and what its key words mean in student work.

Any member writes them (they are the team's, not the facilitator's); only a facilitator removes
a key word, as only a facilitator deletes on the team's page. Meetings show the norms on the
protocols' norms steps and each key word where it appears (plc/meetings/state.py); a change
saved here reaches the team's running meetings at once (`agreements_changed`).
"""
from __future__ import annotations

import re

from plc.errors import UserError, too_long
from plc.extensions import db
from plc.teams.models import KeyWord, Team
from plc.teams.signals import agreements_changed
from plc.timeutil import utcnow

NORMS_MAX = 12
NORM_MAX_CHARS = 200
NORMS_TEXT_MAX_CHARS = NORMS_MAX * (NORM_MAX_CHARS + 1)
KEY_WORDS_MAX = 40
WORD_MAX_CHARS = 40
MEANING_MAX_CHARS = 400
# A key word is a word or a short phrase: letters (any script), digits, spaces, hyphens, apostrophes.
WORD_PATTERN = re.compile(r"^[^\W_](?:[\w' -]*[^\W_])?$")
# What a team that has not written its own starts from: the protocols' fixed norms.
DEFAULT_NORMS = (
    "We are learners here.",
    "Every way of solving is welcome.",
    "Productive struggle is the point, for us and for our students.",
    "We sort student work by the thinking shown, not by correctness or level. No tiers.",
)


class AgreementError(UserError):
    """Norms or a key word that cannot be saved as written; the message says why."""


def norms_of(team: Team) -> list[str]:
    """The team's norms, in its order; empty while it has written none."""
    return norm_lines(team.norms)


def norm_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def set_norms(team: Team, text: str, by_name: str) -> list[str]:
    """Replace the team's norms with the lines of text (blank lines dropped); empty text goes back
    to the protocols' own norms. Raises AgreementError, saving nothing, over the limits."""
    lines = norm_lines(text)
    if len(lines) > NORMS_MAX:
        raise AgreementError(f"That is {len(lines)} norms; keep it to {NORMS_MAX} at most, one a line.")
    for number, line in enumerate(lines, 1):
        if len(line) > NORM_MAX_CHARS:
            raise AgreementError(too_long(f"Norm {number}", len(line), NORM_MAX_CHARS))
    team.norms = "\n".join(lines)
    team.norms_changed_by, team.norms_changed_at = by_name, utcnow()
    db.session.commit()
    agreements_changed.send(team, what="norms")
    return lines


def word_key(word: str) -> str:
    """A key word as compared: spaces collapsed, case ignored ("Fluency" is "fluency")."""
    return re.sub(r"\s+", " ", word).strip().casefold()


def key_words(team_id: int) -> list[KeyWord]:
    """The team's key words, alphabetically."""
    return list(db.session.execute(db.select(KeyWord).filter_by(team_id=team_id).order_by(KeyWord.key)).scalars())


def _checked(team_id: int, word: str, meaning: str, keeping: KeyWord | None = None) -> tuple[str, str, str]:
    word, meaning = re.sub(r"\s+", " ", word).strip(), meaning.strip()
    if not word or not meaning:
        raise AgreementError("Write the word and what it looks like in student work.")
    if len(word) > WORD_MAX_CHARS:
        raise AgreementError(too_long("The word", len(word), WORD_MAX_CHARS, "Use a word or a short phrase."))
    if not WORD_PATTERN.match(word):
        raise AgreementError("A key word is a word or a short phrase: letters, digits, spaces and hyphens.")
    if len(meaning) > MEANING_MAX_CHARS:
        raise AgreementError(too_long("What it looks like", len(meaning), MEANING_MAX_CHARS))
    key = word_key(word)
    taken = db.session.execute(db.select(KeyWord).filter_by(team_id=team_id, key=key)).scalar_one_or_none()
    if taken is not None and taken is not keeping:
        raise AgreementError(f"“{taken.word}” is already one of your key words: change it there.")
    return word, key, meaning


def add_key_word(team: Team, word: str, meaning: str, by_name: str) -> KeyWord:
    if db.session.execute(db.select(db.func.count()).select_from(KeyWord)
                          .filter_by(team_id=team.id)).scalar_one() >= KEY_WORDS_MAX:
        raise AgreementError(f"A team keeps {KEY_WORDS_MAX} key words at most. Remove one first.")
    word, key, meaning = _checked(team.id, word, meaning)
    entry = KeyWord(team_id=team.id, word=word, key=key, meaning=meaning, changed_by=by_name)
    db.session.add(entry)
    db.session.commit()
    agreements_changed.send(team, what="key_words")
    return entry


def change_key_word(entry: KeyWord, word: str, meaning: str, by_name: str) -> KeyWord:
    entry.word, entry.key, entry.meaning = _checked(entry.team_id, word, meaning, keeping=entry)
    entry.changed_by = by_name
    db.session.commit()
    agreements_changed.send(db.session.get(Team, entry.team_id), what="key_words")
    return entry


def remove_key_word(entry: KeyWord) -> None:
    team = db.session.get(Team, entry.team_id)
    db.session.delete(entry)
    db.session.commit()
    agreements_changed.send(team, what="key_words")
