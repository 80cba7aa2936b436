"""Groups are named by the thinking they show, never by tiers.

`tier_family(name)` reads a group name as a phrase and says which family of tier names it
belongs to, or None for a name of thinking, so the app can ask the team to name the thinking
instead. A facilitator may keep such a name only by confirming it explicitly.

How a name is read, in this order (symbols first become words: "bottom #", "% as /100", "½ of ½"):
1. The names of a catch-all group ("Unanticipated", "Other", "Not sure yet") are not tiers.
2. Math terms are set aside ("lowest common denominator", "right triangle", "basic facts"):
   a word inside one is math, whatever else it can mean.
3. A tier phrase ("reteach", "IEP", "score 4", "partial understanding", "kids who need more
   help", "off task", "kids to watch", "understands ratios", "rescue group", "missed the slope
   question") names a tier wherever it stands, even beside math ("Struggling with fractions");
   so does a score or a verdict standing as a clause of its own ("3", "1 - area", "Fractions: no",
   "Decimals ✔") or after a topic ("Area 4s", "Fractions 1-2"). Only a phrase of a word or two
   that a clause doing math uses for the math is not a tier: the purpose of a verb of doing math
   ("Drew a picture to support the equation", "Rounded to get close"), a word before a math noun
   after one ("Multiplied probabilities for independent events"), what the work needs next
   ("Needs to regroup a ten").
4. A tier word that is also ordinary math talk ("low", "top", "red", "developing", "2s",
   "2 points", "solid", "quick") names a tier unless the phrase uses it for the math: after a verb
   of doing math ("Used red and yellow counters", "Counts by 2s", "Plotted 2 points"), after an
   operation or in a definition ("Range as highest minus lowest"), in a part of a math object or a
   place on one ("Median of the lower half", "Highest number on top"), before a math noun ("top
   row", "bottom of the ten frame", "2 points on the graph", "Solid figures"; but not before a
   topic: "Solid multiplication"), as a verb itself ("Developing a unit rate", "Beginning with
   the ones place"), or before what it stands for ("Yards gained and lost as integers"); a slip
   in a step is math ("Error in regrouping the tens"). A verb that judges knowing ("Gets
   fractions", "Knows multiplication") is a tier unless what follows is worked out ("Gets a
   common denominator"). After "my" or "our", or before a bare "ones", a tier word is about
   students ("My strong ones", "The confused ones"). A test's name is not the verb "test"
   ("Pre-test low").
   Whatever tier word or phrase a name uses, a long description of math work is not a tier: five
   words or more, three signs of math, and no word for students, no test, no judgement of them on a
   topic ("rescue dog problem with a tape diagram"; but "Weak with fractions on a number line",
   "needs help with fractions on a number line"). Nor are the speeds in a name about motion or its
   graph ("Slower walker's flatter graph") or gaps between things ("Left gaps between the units").
5. A name of thinking names some math: a math word, a verb of doing math, a calculation, an
   estimate ("About 100"), a short form ("open NL", "std alg", "LCD"). A name with none ("Rock
   stars", "Exemplary", "WIN group", "100%") names the students or how they did, not their
   thinking. So does a name about students whose only math is the word for them or a program's
   name ("Teacher table", "Bridge group", "Green dot kids", "Table 4", "Row 1 kids"), while
   "Array group" and "Table of values" name math; and a name about a test whose only math is numbers, which are
   its scores ("Exit ticket 3/3", "MAP 180-200").
"""
from __future__ import annotations

import re
from functools import lru_cache

from plc.sort.naming_words import (
    ACRONYMS, APPROXIMATELY, ARTICLES, ASPECT_VERBS, ASSESSMENT, ASSESSMENTS, CATCH_ALL, COORDINATING, COUNTING,
    DATA_WORDS, DEFICITS, DETERMINERS, JUDGING_VERBS, MADE_THINGS, MANIPULATIVES, MATH_HEADS, MATH_TERMS,
    MATH_VERBS, MATH_WORDS, MOTION_WORDS, MOVES_TO_A_NUMBER, NO_MATH, NUMBER_PREPOSITIONS, NUMBER_WORD, ON_A_TOPIC, OPERATIONS, PARTS, PEOPLE,
    PLACES_OF_POINTS, PLACE_PREPOSITIONS, POINTS, POSSESSIVES, SCHOOL_SENSE, SCORED_TOPICS, SEATS, SKIPPED,
    SLIP_NOUNS, SLIP_OBJECTS, SLIP_VERBS, SPEED_WORDS, SYMBOLS, SYMBOL_WORDS, TERM, TIER_FAMILIES, TOPICS, TierFamily,
    VERB_OBJECTS,
)

_CLAUSES = re.compile(r"(?<!\d):(?!\d)|[;()]|\s[-–—]\s|\s[-–—]$|^[-–—]\s")  # (a ratio "3:5" is one clause)
# Words; "1/2", "1:1" and "don't" are one word each, "arrays/area" two
_TOKENS = re.compile(TERM + r"|[a-z0-9]+(?:['.:][a-z0-9]+|(?<=\d)/\d+)*|[&/+,=]")
_CALCULATION = re.compile(r"\d\s*[-+x×*÷=]\s*\d|\d/\d|[\w)]\s*=\s*[\w(]|(?:^|\s)[+-]\d|"
                          + "|".join([TERM, APPROXIMATELY, MOVES_TO_A_NUMBER]))
_NUMBER = r"(?:\d+(?:\.\d+)?%?|zero|zeros)(?:" + POINTS + ")?"
_NUMBERS_ONLY = re.compile(  # "3", "1-2", "4/4", "70-80%", "2 pts or less", "Points: 0-1", "3+ points"
    rf"(?:the\s+)?(?:(?:points?|pts|scores?|marks?)\s*:?\s*)?{_NUMBER}(?:\s*(?:-|/|to|or|and|&)\s*{_NUMBER})?\+?"
    r"(?:\s*(?:points?|pts|marks?))?"
    r"(?:\s*(?:and|or) (?:up|above|over|below|under|more|less|fewer|higher|lower|better|worse|greater))?"
    r"(?:\s+(?:kids|students|kiddos|group|crew|table))?")
_POINTS = re.compile(r"\b(\d+(?:\.\d+)?|zero|one|two|three|four|five)\s*(?:points?|pts?)\b")
_SCORE_LABEL = r"[0-5](?:\s*(?:-|/|to)\s*[0-5])?(?:'?s|\+)?"
_TOPIC_SCORE = re.compile(rf"((?:\S+ ){{1,2}}){_SCORE_LABEL}(?:(?:,| and| or| &) {_SCORE_LABEL})*")
_RUBRIC_SCORE = re.compile(r"[0-5]'?s|(?:zero|one|two|three|four|five)e?s")
_SCORES = next(f for f in TIER_FAMILIES if f.key == "levels")  # a name that is only numbers: "3", "1-2", "4/4"


def _normalise(name: str) -> str:
    text = re.sub(r"[‘’`´]", "'", name or "")
    text = re.sub(r"[“”!?\"]", " ", text)
    text = re.sub(r"\b[wW]/[oO]\b", " without ", re.sub(r"\b[wW]/(?![oO]\b)", " with ", text))  # "back table w/ me"
    text = SYMBOL_WORDS.sub(lambda m: " number " if m.group() == "#" else " percent ", text)
    text = "".join(SYMBOLS.get(char, char) for char in text)
    text = " ".join(ACRONYMS.get(word, word) for word in text.split())
    text = ASSESSMENTS.sub(ASSESSMENT, text.casefold())
    text = _POINTS.sub(rf"\1{POINTS}", text)
    text = MATH_TERMS.sub(f" {TERM} ", text)
    return re.sub(r"\s+", " ", text).strip()


def _among(words: set[str], token: str) -> bool:
    """Whether the token, or its singular, is one of the words."""
    singular = re.sub(r"(?:'s|s'|es|s)$", "", token) if len(token) > 3 else token
    return token in words or singular in words or token.endswith("es") and singular + "e" in words


def _is_math_word(token: str) -> bool:
    doer = re.sub(r"ers?$", "", token)  # "The doublers", "Skip counters"
    return token in MATH_VERBS or _among(MATH_WORDS, token) or doer != token and bool({doer, doer + "e"} & MATH_VERBS)


_JUDGING = re.compile("|".join(JUDGING_VERBS))
_DEFICIT = re.compile("|".join(DEFICITS))
_NUMBER_PLURAL = re.compile(NUMBER_WORD + "e?s")
_SCORE = re.compile(r"scor\w*|points?|pts|\d+" + POINTS)
# What a verb of doing math takes, but a verb that judges knowledge does not: "Gets a common denominator", "Got 24"
_WORKED_OUT = re.compile(r"a|an|the|that|this|same|to|close|closer|\d.*|" + NUMBER_WORD)  # "Got close with 6 x 9"


def _tier_word(token: str) -> TierFamily | None:
    return next((f for f in TIER_FAMILIES if f.words is not None and f.words.fullmatch(token)), None)


def _governing(tokens: list[str], i: int) -> str | None:
    """The word before tokens[i], skipping a list it is part of ("Tables of 3s and 6s": "of")."""
    j = i - 1
    while j >= 0 and (tokens[j] in COORDINATING or _tier_word(tokens[j]) is not None):
        j -= 1
    return tokens[j] if j >= 0 else None


def _names_a_student_list(tokens: list[str], k: int) -> bool:
    """Whether tokens[k] is a word like "dot" or "bridge" naming a list of students ("Green dot kids")."""
    return tokens[k] in SCHOOL_SENSE and k + 1 < len(tokens) and tokens[k + 1] in PEOPLE


def _takes_an_object(after: list[str]) -> bool:
    """Whether the words after a word ending in -s or -ing are its object, which makes it a verb: a
    determiner or a number ("Developing a unit rate", "Exceeds 60"), or a preposition with one ("Beginning
    with the ones place", "Meets at 12"); a bare topic after a preposition is what a tier is in ("Meets on ratios")."""
    first = after[0]
    if first in DETERMINERS or first.isdigit():
        return True
    return first in VERB_OBJECTS and len(after) > 1 and (after[1] in DETERMINERS or after[1] == TERM
                                                         or _WORKED_OUT.fullmatch(after[1]) is not None)


def _describes_math(family: TierFamily, tokens: list[str], i: int, name_words: set[str]) -> bool:
    """Whether the tier-like word tokens[i] of a clause is used for the math."""
    after = tokens[i + 1:]
    if i and tokens[i - 1] in POSSESSIVES:
        return False  # whose: "My strong ones", "Our 3s"
    if after[:1] == ["ones"] and (len(after) == 1 or after[1] in {"who", "that"}
                                  or after[1] in {"on", "in", "with", "at"} and _among(SCORED_TOPICS, after[-1])) \
            and not any(_is_math_word(t) or t == TERM for t in tokens[:i]):
        return False  # the students: "The confused ones", "The low ones on fractions"; but "Tens and ones"
    # after a verb of doing math; but in "Regrouping issues", "Reasoning strong" the -ing word is the topic
    topic = i and tokens[i - 1].endswith("ing") and (_DEFICIT.fullmatch(tokens[i]) or i == len(tokens) - 1)
    if any(token in MATH_VERBS for token in tokens[:i - 1 if topic else i]):
        return True  # "Used red and yellow counters", "Counts by 2s", "Plotted 2 points", "Used what they knew"
    if _JUDGING.fullmatch(tokens[i]):  # "Gets fractions", "Knows multiplication"; but "Gets a common denominator"
        return bool(after) and _WORKED_OUT.fullmatch(after[0]) is not None
    if tokens[i] in SLIP_VERBS and after and (after[0] in ARTICLES
                                              or after[0] in SLIP_OBJECTS and after[1:2] == ["of"]):
        return True  # a verb with its object: "Lost the 1 when regrouping", "Confused the radius and diameter"
    if tokens[i] in SLIP_NOUNS and len(after) > 2 and after[0] in {"in", "with", "when", "while"} \
            and after[1] in MATH_VERBS and after[1].endswith("ing"):
        return True  # which step the slip is in: "Error in regrouping the tens"; but "Errors in fractions"
    if tokens[i] == "right" and len(after) > 1 and after[0] in {"for", "by", "to", "of", "from"} \
            and (after[1][0].isdigit() or after[1] in DETERMINERS):
        return True  # a direction: "down for 10, right for 1", "Right of the decimal point"
    if i and tokens[i - 1 - (i > 1 and tokens[i - 1] in ARTICLES)] in OPERATIONS:
        return True  # "highest minus lowest", "The high temperature minus the low"
    if "as" in after and after.index("as") + 1 < len(after) \
            and _is_math_word(next(t for t in after[after.index("as") + 1:] + [""] if t not in ARTICLES)):
        return True  # what it stands for: "Yards gained and lost as integers", "Highs and lows as negatives"
    if "as" in tokens[:i] and any(_is_math_word(t) or t == TERM for t in tokens[:tokens.index("as")]):
        return True  # a definition: "Range as highest minus lowest", "Quartile as the middle of the bottom half"
    if any(tokens[j] == "of" and (_is_math_word(tokens[j - 1]) or tokens[j - 1] == TERM) for j in range(1, i)):
        return True  # a part of a math object: "Median of the lower half", "Mean of the quiz scores"
    if after and tokens[i].isalpha() and re.search(r"(?:ing|s)$", tokens[i]) and _takes_an_object(after):
        return True  # "Developing a unit rate", "Beginning with the ones place", "Exceeds 60"; but "Meets on ratios"
    if tokens[i].endswith("ed") and after and after[0] in DETERMINERS - {"a", "an", "one"}:
        return True  # "Scored each round with tallies"; but "Scored a 4"
    if family.key == "high-low" and i > 1 and tokens[i - 1 - (tokens[i - 1] in ARTICLES)] in PLACE_PREPOSITIONS \
            and any(_is_math_word(t) or t == TERM for t in tokens[:i - 1]):
        return True  # a place: "Highest number on top", "Smaller fraction at the bottom"
    if family.key == "got-it" and after and (re.fullmatch(r"\d.*|half|a|an|" + NUMBER_WORD, after[0])
                                             or _is_math_word(after[0])):
        return True  # "Almost 50", "Almost half", "Nearly equal groups": an estimate
    # "Zero points on slope" is a score on a topic, "2 points on the graph" are places
    scored_topic = len(after) == 2 and after[0] in {"on", "in"} and _among(SCORED_TOPICS, after[1])
    if tokens[i].endswith(POINTS) and not scored_topic and (after and after[0] in {"on", "in", "of", "at", "where"}
                                       or name_words & PLACES_OF_POINTS):
        return True  # "2 points on the graph", "2 points determine a line"
    if _SCORE.fullmatch(tokens[i]) and len(after) > 1 and after[0] in {"of", "on", "for", "in"} \
            and after[1] in {"each", "every", "both"}:
        return True  # a score in the problem: "Score of each team", "Score on each die"
    if (name_words & DATA_WORDS or set(tokens) & OPERATIONS) and any(_SCORE.fullmatch(t) for t in tokens[i:i + 2]):
        return True  # scores as data or values: "Highest score in the data set", "Lost 5 points so minus 5"
    if family.key == "colours" and name_words & MANIPULATIVES:
        return True  # "Yellow for positive, red for negative tiles"
    if family.key == "levels":  # "Facts from 5s", "Hundreds, tens and 1s", "four 25s", "Points scored"
        before = _governing(tokens, i)  # but a score of a topic is a tier: "Low ratio scores"
        counted = tokens[i][:1].isdigit() or _NUMBER_PLURAL.fullmatch(tokens[i]) or tokens[i].endswith("ed")
        if topic and before not in COUNTING and _RUBRIC_SCORE.fullmatch(tokens[i]):
            return False  # a score on a topic: "Graphing 4s"; but "Counting 2s", "Adding 10s"
        if before is not None and (before in NUMBER_PREPOSITIONS or before in OPERATIONS or before.isdigit()
                                   or counted and (_is_math_word(before) or before == TERM)):
            return True
    for j, token in enumerate(after):
        if token in COORDINATING or token in SKIPPED or _tier_word(token) is not None:
            continue
        if token in MATH_VERBS and token.endswith(("ed", "ing")) and j + 1 < len(after):
            continue  # a participle before the noun: "Red for subtracted parts", "Basic counting principle"
        if token in MATH_VERBS and j + 1 < len(after) and (after[j + 1] in VERB_OBJECTS | {"of"}
                                                           or after[j + 1].isdigit()):
            return True  # "Five reds make an orange", "Quick count of the dots"
        if _names_a_student_list(after, j) or j + 1 < len(after) and after[j + 1] in PEOPLE:
            return False  # "Green dot kids", "Strong problem solvers"
        if token in PARTS and j + 1 < len(after) and after[j + 1] == "of":
            continue  # "Top half of the rectangle"
        # "top row", "red and yellow counters", "lower quartile"; but a topic judged: "Solid multiplication"
        return token == TERM or _among(MATH_HEADS, token) and not (_among(TOPICS, token) and "of" not in after[:j])
    return False


def _phrase_used_for_math(clause: str, match: re.Match) -> bool:
    """Whether a tier phrase of a word or two is used for the math, in a clause that is doing math: after a verb
    of doing math, as the verb of its purpose ("Drew a picture to support the equation", "Rounded to get close")
    or before a math noun ("Multiplied probabilities for mutually independent events")."""
    before = _TOKENS.findall(clause[:match.start()].replace("-", " "))
    after = _TOKENS.findall(clause[match.end():].replace("-", " "))
    if len(match.group().split()) > 2:
        return False
    if match.group().startswith("need") and after[:1] == ["to"] and len(after) > 2 \
            and after[1] in MATH_VERBS and after[1] not in ASPECT_VERBS | {"use"} \
            and (after[2] in DETERMINERS or after[2] == TERM or after[2][0].isdigit() or _is_math_word(after[2])):
        return True  # what the work needs next in the math: "Needs to regroup a ten"; but "Needs to use a model"
    if not any(token in MATH_VERBS for token in before):
        return False
    if "to" in before[-2:] and before[0] in MATH_VERBS and before[0] not in ASPECT_VERBS:
        return True
    return bool(after) and (after[0] == TERM or _among(MATH_HEADS, after[0]) and not _among(TOPICS, after[0]))


def _names_math(text: str, tokens: list[str]) -> bool:
    """Whether the name names some math. In a name about students ("Teacher table", "Bridge group",
    "Watch list") the last word and words like "bridge" before it do not count: they name people.
    In a name about a test ("Exit ticket 3/3", "MAP 180-200") numbers are scores, not math."""
    last = len(tokens) - 1
    if last > 0 and re.fullmatch(r"\d+|[a-z]", tokens[last]):
        last -= 1  # a label after the word for them: "Table 4", "Group C"
    # a seat and its label name people too: "Table 3 kids", "Row 1 kids", "Group B: fractions"
    tokens = [t for k, t in enumerate(tokens) if not (t in PEOPLE | SEATS and k + 1 < len(tokens)
                                                       and re.fullmatch(r"\d+|[a-z]", tokens[k + 1]))]
    last = len(tokens) - 1
    if len(tokens) > 1 and tokens[last] in PEOPLE:  # (an -ed word before them describes them: "Extended group")
        described = tokens[last] not in MADE_THINGS and last > 0 and tokens[last - 1].endswith("ed") \
            and not _among(MATH_WORDS, tokens[last - 1])
        tokens = [token for token in tokens[:last - described] if token not in SCHOOL_SENSE]
    if ASSESSMENT in tokens:
        tokens = [token for token in tokens if not re.fullmatch(r"\d.*|" + NUMBER_WORD, token)]
    calculation = _CALCULATION.search(text) and ASSESSMENT not in tokens
    return bool(calculation) or any(_is_math_word(token) or token == TERM for token in tokens)


def _about_the_objects(token: str, tokens: list[str], i: int, name_words: set[str], text: str) -> bool:
    """Whether a tier word describes the things in a problem rather than students: a speed in a name about
    motion or its graph ("Slower walker's flatter graph"), gaps between things ("Left gaps between the units"),
    or any such word in a long description of math work, unless it judges students on a topic ("Highs on
    integers")."""
    if token in SPEED_WORDS and name_words & MOTION_WORDS:
        return True
    if tokens[i + 1:i + 2] == ["between"]:
        return True
    return _not_on_a_topic(tokens[i + 1:]) and _mostly_math(text)


def _phrase_in_math_work(text: str, clause: str, match: re.Match) -> bool:
    """A tier phrase inside a long description of math work ("rescue dog problem with a tape diagram"), unless
    it judges students on a topic ("needs help with fractions on a number line")."""
    return _not_on_a_topic(_TOKENS.findall(clause[match.end():])) and _mostly_math(text)


def _not_on_a_topic(after: list[str]) -> bool:
    """Whether what follows a tier word or phrase is not a topic students are judged on ("Highs on integers")."""
    return not after or after[0] not in ON_A_TOPIC


def _mostly_math(text: str) -> bool:
    """Whether a name is a long description of math work, whatever tier word it also uses ("slower pump fills the
    pool in more hours", "rescue dog problem with a tape diagram"): five words or more, three signs of math (math
    words and verbs, a calculation), no word for students and no test. Its callers also ask that the tier word not
    judge students on a topic (`_not_on_a_topic`: "Weak with fractions on a number line")."""
    tokens = _TOKENS.findall(text.replace("-", " "))
    if len(tokens) < 5 or set(tokens) & (PEOPLE | POSSESSIVES) or ASSESSMENT in tokens:
        return False
    signs = sum(token == TERM or token in MATH_VERBS or _is_math_word(token) for token in tokens)
    return signs + bool(_CALCULATION.search(text)) >= 3


@lru_cache(maxsize=4096)  # the board's payload asks again for every group on every change
def tier_family(name: str) -> TierFamily | None:
    """The family of tier names this group name belongs to, or None for a name of thinking."""
    text = _normalise(name)
    if not text or CATCH_ALL.fullmatch(text):
        return None
    clauses = [clause.strip() for clause in _CLAUSES.split(text)]
    # a label can stand alone or as a clause beside a topic: "3", "1 - area", "Fractions: no", "Extend: decimals"
    # (a score beside a topic is its only number: "Thought of 99 as 100 - 1" is a calculation)
    numbered = [clause for clause in clauses if re.search(r"\d", clause)]
    if _NUMBERS_ONLY.fullmatch(text) or len(numbered) == 1 and _NUMBERS_ONLY.fullmatch(numbered[0]):
        return _SCORES
    topic_score = _TOPIC_SCORE.fullmatch(text)  # a score on a topic: "Area 4s", "Fractions 1-2", "Decimals 3+"
    if topic_score and all(word == TERM or _among(SCORED_TOPICS, word) for word in topic_score.group(1).split()):
        return _SCORES
    for family in TIER_FAMILIES:
        if family.phrases is not None and any(not _phrase_used_for_math(clause, match)
                                              and not _phrase_in_math_work(text, clause, match)
                                              for clause in [text, *clauses] for match in family.phrases.finditer(clause)):
            return family
    name_words = set(_TOKENS.findall((name or "").casefold().replace("-", " ")))
    all_tokens = []
    for clause in clauses:
        tokens = _TOKENS.findall(clause.replace("-", " "))
        all_tokens += tokens
        for i, token in enumerate(tokens):
            family = _tier_word(token)
            if family is not None and not _describes_math(family, tokens, i, name_words) \
                    and not _about_the_objects(token, tokens, i, name_words, text):
                return family
    # The math vocabulary is English: a name in another script is not judged by its absence (emoji are no script).
    if any(char.isalpha() and not char.isascii() for char in text) or _names_math(text, all_tokens):
        return None
    return NO_MATH


THINKING_EXAMPLES = [
    "Counts on", "Makes a ten", "Uses doubles", "Skip counts", "Uses an array",
    "Splits by place value", "Draws equal groups", "Repeated addition",
]


def tier_prompt(family: TierFamily) -> str:
    examples = ", ".join(f"“{e}”" for e in THINKING_EXAMPLES[:4])
    return (f"This sounds like a tier ({family.label}). We group work by the thinking it shows, "
            f"even when the answers are wrong. Try naming the strategy or model instead, like {examples}.")
