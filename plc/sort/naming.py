"""Groups are named by the thinking they show, never by tiers.

`tier_family(name)` says which family of tier-like names a group name belongs to
(levels, standards language, traffic-light colours, ...) so the app can ask the
team to name the thinking instead. A facilitator may keep such a name only by
confirming it explicitly.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class TierFamily:
    key: str
    label: str
    pattern: re.Pattern


def _words(*alternatives: str) -> re.Pattern:
    return re.compile(r"(?<![a-z])(?:" + "|".join(alternatives) + r")(?![a-z])", re.IGNORECASE)


# Checked in this order: the more specific families first ("High achievers" is about ability).
TIER_FAMILIES = [
    TierFamily("got-it", "got it / didn't get it, proficient", _words(
        r"got it", r"(?:didn't|did not|don't|do not|doesn't|does not|almost|kinda|sort of) (?:get|got) it",
        r"not (?:get|got)ting it", r"get(?:s|ting)? it", r"(?:not |non[- ]?|partially |almost )?proficient",
        r"correct", r"incorrect", r"right", r"wrong", r"(?:all|mostly|some) right", r"(?:all|mostly) wrong",
        r"nailed it", r"no idea", r"lost", r"confused", r"clueless")),
    TierFamily("ability", "struggling / advanced", _words(
        r"strugg?l(?:e|es|ing|ers?)", r"advanced", r"gifted", r"remedial", r"intervention kids",
        r"(?:high|low)[- ]achiev(?:ers?|ing)", r"(?:high|low)[- ]ability", r"strong(?:est)?", r"weak(?:est)?",
        r"slow(?:er|est)?", r"fast(?:er|est)?", r"smart", r"behind", r"ahead", r"at[- ]risk", r"on track",
        r"kids who (?:can't|cannot|can)")),
    TierFamily("levels", "level 1-4, tier 1-3", re.compile(
        r"(?<![a-z])(?:level|tier|lvl|band|grade)\s*[-#]?\s*(?:\d|i{1,3}|iv|one|two|three|four)(?![a-z0-9])"
        r"|(?<![a-z])[lt]\s*[1-4](?![a-z0-9])|^\s*[1-4]\s*$", re.IGNORECASE)),
    TierFamily("standards", "below / approaching / meets / exceeds", _words(
        r"below(?: (?:grade|standard|level|basic))?", r"approach(?:es|ing)?", r"meets?", r"meeting",
        r"exceed(?:s|ing)?", r"(?:on|at|above) (?:grade )?level", r"basic", r"partially", r"developing",
        r"secure", r"emerging", r"beginning", r"mastery", r"master(?:ed|s)?", r"not yet")),
    TierFamily("high-low", "high / medium / low", _words(
        r"low(?:er|est)?", r"medium", r"mid(?:dle)?", r"high(?:er|est)?", r"top", r"bottom",
        r"high[- ]?flyers?", r"low[- ]?flyers?", r"bubble(?: kids)?")),
    TierFamily("colours", "red / yellow / green", _words(
        r"red", r"yellow", r"amber", r"orange", r"green", r"gr[ae]y", r"blue", r"gold", r"silver", r"bronze")),
]

THINKING_EXAMPLES = [
    "Counts on", "Makes a ten", "Uses doubles", "Skip counts", "Uses an array",
    "Splits by place value", "Draws equal groups", "Repeated addition",
]


def tier_family(name: str) -> TierFamily | None:
    """The family of tier names this group name belongs to, or None for a name of thinking."""
    for family in TIER_FAMILIES:
        if family.pattern.search(name or ""):
            return family
    return None


def tier_prompt(family: TierFamily) -> str:
    examples = ", ".join(f"“{e}”" for e in THINKING_EXAMPLES[:4])
    return (f"This sounds like a tier ({family.label}). We group work by the thinking it shows, "
            f"even when the answers are wrong. Try naming the strategy or model instead, like {examples}.")
