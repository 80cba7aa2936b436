"""Groups are named by the thinking they show, never by tiers.

`tier_family(name)` reads a group name as a phrase and says which family of tier names it
belongs to (levels and scores, standards language, high/low, colours, ability, got it,
services and labels), or None for a name of thinking, so the app can ask the team to name
the thinking instead. A facilitator may keep such a name only by confirming it explicitly.

How a name is read:
1. Math terms are set aside first ("lowest common denominator", "right triangle", "basic
   facts", "partial products"): a word inside one is math, whatever else it can mean.
2. A tier phrase ("reteach", "IEP", "score 4", "partial understanding", "kids who need more
   help") names a tier wherever it stands.
3. A tier word that is also ordinary math talk ("low", "top", "red", "developing", "2s") names
   a tier unless the phrase uses it for the math: after a verb of doing math ("Used red and
   yellow counters", "Counts by 2s"), before a math noun ("top row", "bottom number"), or
   as a verb itself ("Developing a unit rate", "Beginning with the ones place").
"""
from __future__ import annotations

import re
from dataclasses import dataclass


def _words(*alternatives: str, case: int = re.IGNORECASE) -> re.Pattern:
    return re.compile(r"(?<![\w§])(?:" + "|".join(alternatives) + r")(?![\w§])", case)


@dataclass(frozen=True)
class TierFamily:
    key: str
    label: str  # what the prompt calls the family
    phrases: re.Pattern  # a tier wherever they stand
    words: re.Pattern | None = None  # a tier unless the phrase uses the word for the math (one word)


NUMBER = r"(?:\d+(?:\.\d+)?|one|two|three|four|five|i{1,3}|iv)"

# Checked in this order: the more specific families first ("High achievers" is about ability).
TIER_FAMILIES = [
    TierFamily("got-it", "got it / almost there, right / wrong", _words(
        r"(?:(?:didn't|did not|don't|do not|doesn't|does not|not|almost|kinda|kind of|sort of|totally|mostly)\s+)?"
        r"(?:get|gets|got|getting)\s+it",
        r"(?:not\s+|non[- ]?|partially\s+|almost\s+)?proficient", r"nailed it", r"no (?:idea|clue)", r"clueless",
        r"(?:in)?correct(?: answers?)?", r"(?:all|mostly|some|partly|partially) (?:right|wrong|correct)",
        r"(?:right|wrong) answers?", r"partially", r"partial (?:credit|understanding)",
        r"(?:some|no|full|little|limited|complete|solid|deep|beginning|developing|emerging|secure|basic) understanding",
        r"(?:doesn't|does not|don't|do not|didn't|did not) understand", r"almost there", r"nearly(?: there)?",
        r"so close", r"getting there", r"not (?:yet |quite )?there(?: yet)?"),
        _words(r"right", r"wrong", r"partial", r"almost", r"lost", r"confused")),
    TierFamily("ability", "struggling / advanced", _words(
        r"strugg?l\w*", r"advanced", r"gifted", r"talented", r"accelerated", r"honou?rs",
        r"(?:high|low|average|higher|lower)[- ]?(?:achiev\w*|ability|perform\w*|level)", r"achievers?",
        r"strong(?:er|est)?", r"weak(?:er|est)?", r"slow(?:er|est)?", r"fast(?:er|est)?", r"smart(?:er|est)?",
        r"bright(?:er|est)?", r"(?:early|fast|quick) finish\w*", r"at[- ]risk", r"(?:kids|students|ones) who can(?:'t|not)?",
        r"can't", r"cannot", r"(?:above|below) average", r"(?:doesn't|does not|don't|do not) know(?: \w+)? facts",
        r"(?:low|high|weak|strong|no|poor|good|little|limited|lacks?|lacking) number sense"),
        _words(r"ahead", r"behind", r"average")),
    TierFamily("services", "reteach / intervention / enrichment, IEP / 504 / ELL", _words(
        r"re[- ]?teach\w*", r"re[- ]?taught", r"remedia\w*", r"interventions?", r"interventionists?", r"rti",
        r"mtss", r"ieps?", r"504s?", r"sped", r"special ed\w*", r"resource(?: room)?", r"inclusion",
        r"pull[- ]?outs?", r"push[- ]?ins?", r"ells?", r"esl", r"eld", r"(?:multilingual|english) learners?",
        r"newcomers?", r"title (?:1|i|one)", r"enrich\w*", r"extensions?", r"challenges?", r"needs?", r"needing",
        r"(?:more|extra) (?:help|support|practice|time)", r"help", r"support", r"scaffold\w*", r"review group",
        r"small group", r"one[- ]on[- ]one", r"1:1", r"(?:not )?ready(?: yet)?", r"paras?", r"co[- ]?teacher",
        r"mlls?")),
    TierFamily("levels", "level 1-4, tier 1-3, rubric scores, the 1s and 2s", _words(
        r"(?:level|tier|lvl|band|grade)\s*[-#]?\s*" + NUMBER, r"tiers?", r"[lt]\s*[1-4]",
        r"scor(?:e|es|ed|ing)", r"rubric", r"got an? \d+", r"\d+ out of \d+", r"(?:full|partial|half|no) credit"),
        _words(r"\d+(?:\.\d+)?'?s", r"(?:zero|two|three|four|five)e?s")),
    TierFamily("standards", "below / approaching / meets / exceeds", _words(
        r"(?:below|above|at|on|off|approaching|near|meets?|meeting|exceeds?|exceeding)\s+"
        r"(?:grade[- ]?level|grade|level|standards?|benchmark|basic|expectations?|track)",
        r"does not meet", r"doesn't meet", r"not meeting", r"master(?:y|ed|s)?", r"not mastered", r"not yet",
        r"novice", r"apprentice", r"expert", r"proficiency"),
        _words(r"below", r"above", r"approaching", r"approaches", r"meets", r"meeting", r"exceeds", r"exceeding",
               r"developing", r"beginning", r"emerging", r"secure", r"basic")),
    TierFamily("high-low", "high / medium / low", _words(
        r"high[- ]?fl(?:y|i)ers?", r"low[- ]?fl(?:y|i)ers?", r"bubble(?: kids)?"),
        _words(r"low(?:er|est|s)?", r"medium(?:s)?", r"mid(?:dle)?", r"high(?:er|est|s)?", r"top", r"bottom")),
    TierFamily("colours", "red / yellow / green", _words(r"stop ?light", r"traffic light"),
               _words(r"reds?", r"yellows?", r"ambers?", r"oranges?", r"greens?", r"gr[ae]ys?", r"blues?", r"golds?",
                      r"silvers?", r"bronzes?", r"purples?", r"pinks?")),
]

# Short labels that are only labels in capitals ("EL students", "GT"); in lower case they can be math ("mL").
ACRONYMS = {"EL": "ell", "ELs": "ells", "ML": "mll", "MLs": "mlls", "GT": "gifted", "TAG": "gifted"}

# Math terms, set aside before anything else: a tier word inside one is part of the math.
MATH_TERMS = _words(
    r"(?:lowest|least|greatest|highest|largest) common (?:denominators?|multiples?|factors?|numerators?)",
    r"common (?:denominators?|multiples?|factors?|numerators?)", r"lowest terms", r"simplest form",
    r"right (?:triangles?|angles?|prisms?)", r"(?:right to left|left to right)", r"area models?", r"place values?",
    r"number lines?", r"unit (?:rates?|prices?|fractions?)", r"basic (?:math |multiplication |addition )?facts",
    r"known facts", r"(?:top|bottom|middle) rows?", r"(?:ones|tens|hundreds|thousands) place", r"partial (?:products|sums|quotients|differences)",
    r"(?:almost|near) doubles", r"expanded (?:form|notation)", r"ten[- ]frames?", r"hundreds? (?:chart|grid)s?",
    r"pattern blocks?", r"zero pairs?", r"data points?", r"bar models?", r"tape diagrams?", r"ratio tables?",
    r"groups? of \d+")

# Nouns of math: a tier word right before one describes the math ("top row", "red counters").
MATH_HEADS = set("""
    § row rows column columns number numbers digit digits place value values layer layers side sides corner corners
    angle angles triangle triangles rectangle rectangles square squares shape shapes face faces edge edges view views
    estimate estimates term terms denominator denominators numerator numerators factor factors multiple multiples
    fraction fractions bar bars point points data counter counters chip chips tile tiles cube cubes block blocks
    rod rods bead beads trapezoid trapezoids hexagon hexagons rhombus rhombuses circle circles dot dots strip strips
    piece pieces stick sticks disk disks disc discs card cards frame frames part parts fact facts doubles
    ten tens one ones hundred hundreds
""".split())

# Verbs of doing math: a tier word after one, in the same clause, describes what the student did.
_VERBS = """
    use draw find start begin count make add subtract multiply divide split break decompose compose double halve
    compensate round estimate partition shade label build model measure compare convert scale write solve work
    jump move regroup trade borrow carry line match tally guess check test try list organize organise simplify
    reduce factor distribute combine relate connect reason think visualize visualise trace fold cut rearrange fill
    tile cover iterate repeat graph plot map develop approach treat turn rewrite apply choose pick skip read take
    adjust bridge circle mark place put set extend look act share deal stack layer calculate compute figure
    record represent express rename expand translate rotate reflect flip invert balance undo keep cross
    show
"""
_IRREGULAR = "drew drawn found began begun made broke broken built wrote written thought took taken chose chosen cut set put shown split"


def _verb_forms(stem: str) -> set[str]:
    if stem.endswith("e"):
        return {stem, stem + "s", stem + "d", stem[:-1] + "ing"}
    if stem.endswith("y") and stem[-2] not in "aeiou":
        return {stem, stem[:-1] + "ies", stem[:-1] + "ied", stem + "ing"}
    forms = {stem, stem + "s", stem + "es", stem + "ed", stem + "ing"}
    if re.fullmatch(r".*[^aeiou][aeiou][bdgklmnprt]", stem):  # skip -> skipped, plot -> plotting
        forms |= {stem + stem[-1] + "ed", stem + stem[-1] + "ing"}
    return forms


MATH_VERBS = set(_IRREGULAR.split()).union(*(_verb_forms(stem) for stem in _VERBS.split()))

# Words after which a tier word ending in -ing or -s is a verb: "Developing a unit rate", "Meets at 12".
VERB_OBJECTS = set("a an the with at from by it them this that each both all on in to one its".split())
_COORDINATING = set("and or & / , +".split())

_CLAUSES = re.compile(r"[:;()=,]|\s[-–—]\s|\s[-–—]$|^[-–—]\s")
_TOKENS = re.compile(r"§|[a-z0-9]+(?:['.:][a-z0-9]+)*|[&/+]")
_NUMBERS_ONLY = re.compile(
    r"(?:the\s+)?(?:\d+(?:\.\d+)?|zero|zeros)(?:\s*(?:-|to|or|and|&)\s*\d+(?:\.\d+)?)?")


def _normalise(name: str) -> str:
    text = re.sub(r"[‘’`´]", "'", name or "")
    text = re.sub(r"[“”!?\"]", " ", text)
    text = " ".join(ACRONYMS.get(word, word) for word in text.split())
    text = MATH_TERMS.sub(" § ", text.casefold())
    return re.sub(r"\s+", " ", text).strip()


def _describes_math(tokens: list[str], i: int, words: list[re.Pattern]) -> bool:
    """Whether the tier-like word tokens[i] is used for the math in its clause."""
    if any(token in MATH_VERBS for token in tokens[:i]):
        return True  # "Used red and yellow counters", "Counts by 2s"
    after = tokens[i + 1:]
    if after and after[0] in VERB_OBJECTS and re.search(r"(?:ing|s)$", tokens[i]):
        return True  # "Developing a unit rate", "Beginning with the ones place"
    for token in after:  # "top row", "red and yellow counters", "highest § (place value)"
        if token in _COORDINATING or any(w.fullmatch(token) for w in words):
            continue
        return token in MATH_HEADS
    return False


def tier_family(name: str) -> TierFamily | None:
    """The family of tier names this group name belongs to, or None for a name of thinking."""
    text = _normalise(name)
    if _NUMBERS_ONLY.fullmatch(text):
        return next(f for f in TIER_FAMILIES if f.key == "levels")  # "3", "1-2": a score
    for family in TIER_FAMILIES:
        if family.phrases.search(text):
            return family
    weak = [f.words for f in TIER_FAMILIES if f.words is not None]
    for clause in _CLAUSES.split(text):
        tokens = _TOKENS.findall(clause.replace("-", " "))
        for i, token in enumerate(tokens):
            family = next((f for f in TIER_FAMILIES if f.words is not None and f.words.fullmatch(token)), None)
            if family is not None and not _describes_math(tokens, i, weak):
                return family
    return None


THINKING_EXAMPLES = [
    "Counts on", "Makes a ten", "Uses doubles", "Skip counts", "Uses an array",
    "Splits by place value", "Draws equal groups", "Repeated addition",
]


def tier_prompt(family: TierFamily) -> str:
    examples = ", ".join(f"“{e}”" for e in THINKING_EXAMPLES[:4])
    return (f"This sounds like a tier ({family.label}). We group work by the thinking it shows, "
            f"even when the answers are wrong. Try naming the strategy or model instead, like {examples}.")
