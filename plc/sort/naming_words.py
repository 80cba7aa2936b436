"""The words the tier-name check (naming.py) reads a group name with: the families of tier names
(their phrases and their words), the math terms, the K-12 math vocabulary (with the short forms and
symbols teachers write) and the verbs of doing math. Edit these lists to teach the check a word;
`python -m bench.naming` measures the change.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


TERM = "§"  # what a math term becomes once it is set aside: one token that counts as math


def _words(*alternatives: str) -> re.Pattern:
    """Any of the alternatives as whole words (a set-aside term is a word too)."""
    return re.compile(rf"(?<![\w{TERM}])(?:" + "|".join(alternatives) + rf")(?![\w{TERM}])", re.IGNORECASE)


@dataclass(frozen=True)
class TierFamily:
    key: str
    label: str  # what the prompt calls the family
    phrases: re.Pattern | None = None  # a tier wherever they stand
    words: re.Pattern | None = None  # one word each: a tier unless the phrase uses it for the math


NUMBER = r"(?:\d+(?:\.\d+)?|one|two|three|four|five|i{1,3}|iv)"
# "nearly 1", "close to 100": an estimate, not how near the student came to the answer
_NOT_BEFORE_A_NUMBER = (r"(?!\s+(?:to\s+|(?:with|using|by|from)\s+(?=\d))?(?:\d|zero|one\b|half|whole"
                        r"|an? (?:half|third|quarter|fourth|fifth|tenth|whole|hundred|thousand|dozen|dollar)"
                        r"|the same|equal\w*))")
# "2 points", "3 pts" are read as one token, "2pts": a score, unless the phrase puts the points on a graph
POINTS = "pts"
NUMBER_WORD = r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
# "About 100", "Nearly 1/2": rounding and estimating, which is math even with no other math word
APPROXIMATELY = (r"(?:about|around|nearly|almost|roughly|approximately|close to|closer to|near|nearer to|nearest"
                 r"|closest|just (?:under|over|below|above)"
                 r"|a (?:bit|little) (?:under|over|more than|less than)) (?:\d|" + NUMBER_WORD + r"\b|half)")
# Moving to a number is working with it: "Gets to 10 first", "Went back to 0"
MOVES_TO_A_NUMBER = r"\b(?:gets?|got|getting|go|goes|went|going|up|back|down) to \d|\bhow (?:many|much|far|long)\b"

# Verbs that judge what a student knows: a tier when their object is a topic ("Gets fractions",
# "Knows multiplication"), math when it is something worked out ("Gets a common denominator", "Got 24").
JUDGING_VERBS = (r"gets?", r"got", r"getting", r"knows?", r"knew")
# Adjectives that judge a student or the work: a tier unless they describe a math noun ("Good at
# multiplication", "Solid on place value", "Quick with mental math"; but "Solid figures", "Easy numbers").
JUDGING_ADJECTIVES = (
    r"good", r"bad", r"poor", r"great", r"excellent", r"solid", r"decent", r"rusty", r"terrible",
    r"(?:un)?confident", r"(?:un)?comfortable", r"insecure", r"unsure", r"hazy", r"fuzzy", r"foggy", r"spotty",
    r"patchy", r"iffy", r"sketchy", r"firm", r"quick(?:er|est)?", r"hard(?:er|est)?", r"difficult", r"tough",
    r"better", r"best", r"worse", r"worst", r"ok(?:ay)?")

# What a student lacks or has, after the topic: "Regrouping issues", "Place value gaps", "Decimal confusion"
DEFICITS = (r"issues?", r"gaps?", r"confusion", r"weakness(?:es)?", r"deficits?", r"deficienc(?:y|ies)", r"struggles",
            r"strengths?")

# Checked in this order: the more specific families first ("High achievers" is about ability).
TIER_FAMILIES = [
    TierFamily("got-it", "got it / almost there, right / wrong", _words(
        r"(?:(?:didn't|did not|don't|do not|doesn't|does not|not|almost|kinda|kind of|sort of|totally|mostly)\s+)?"
        r"(?:get|gets|got|getting)\s+(?:it|(?:most|some|all|none|half) of it)", r"got none",
        r"(?:not\s+|non[- ]?|partially\s+|almost\s+)?proficient",
        r"(?:nailed|crushed|aced|bombed|flunked|blew)(?! (?:out|up|a|an)\b)", r"no (?:idea|clue)", r"clueless",
        r"(?:all|mostly|some|partly|partially|half|almost|completely) (?:right|wrong|correct)",
        r"(?:right|wrong) (?:answers?|track)", r"partially", r"partial (?:credit|understanding)",
        r"(?:some|no|full|little|limited|complete|solid|deep|beginning|developing|emerging|secure|basic) understanding",
        r"(?:doesn't|does not|don't|do not|didn't|did not) understand", r"understands? it", r"understood",
        r"almost there", r"(?:halfway|half way|part way|partway|most of the way) there",
        r"nearly(?: there| correct)?" + _NOT_BEFORE_A_NUMBER, r"so close",
        r"close(?: enough| but)?" + _NOT_BEFORE_A_NUMBER, r"not quite",
        r"getting there", r"on the (?:low|high|lower|higher) (?:side|end)", r"not (?:yet |quite )?there(?: yet)?",
        r"perfect(?: scores?| papers?)?",
        r"(?:\d+|one|two|three|four|five|a few|few|many|several|lots of|some|no|careless|silly|small|minor|major|big"
        r"|little|computation(?:al)?|calculation) (?:errors?|mistakes?)",
        # how far off the answer was, not how: "Way off", "Miles off", "Off base", "Total miss"
        r"(?:way|miles|far|totally|completely|a (?:bit|little|lot)|slightly|just) off(?=\s*$| (?:kids|students|group))",
        r"off (?:base|target)", r"(?:total|complete|near|big) miss(?:es)?",
        # a judgement of the work, not a description of it: "Organized work", "Messy papers"
        r"(?:neat|messy|sloppy|organi[sz]ed|disorgani[sz]ed|clean|careful|thorough|good|great|nice|poor"
        r"|excellent|beautiful|rushed|quality) (?:work|papers?|answers?|responses?)",
        # but "Accurate to the nearest mm", "Correct to 2 decimal places"
        r"(?:in)?correct(?: answers?)?(?!(?: \w+)? to)", r"(?:in)?accurate(?!(?: \w+)? to)",
        # a verdict on its own or after a topic: "Fractions: no", "Decimals ✔"
        r"^(?:yes|no|nope|yep|yeah)$", r"fist to five", r"^(?:\d|one|two|three|four|five) fingers?$",
        r"smiley(?: faces?)?", r"frowny(?: faces?)?", r"(?:happy|sad|straight|neutral) faces?",
        r"(?:miss|missed|misses|missing) the (?:point|boat|mark|idea|concept|big idea)",
        r"(?:miss|missed|misses|bombed|blanked on) (?:the |a |an |that |this |every |each )?"
        r"(?:(?!in\b|of\b|to\b|for\b)\S+ ){0,3}(?:questions?|items?|problems?|parts?)(?: [a-z0-9])?"
        r"(?=\s*$| on\b| in\b)",
        r"missed (?:\d+|one|two|three|four|five|more|less|fewer|most|half|a few|several|some|none|many|all)\b",
        r"(?:but )?not (?:why|the why)", r"without (?:meaning|understanding|sense)", r"procedur\w* only",
        r"only procedur\w*",
        # understanding judged, whatever it is of: "Understands place value", "Grasps ratios"
        r"(?:mis)?understand\w*", r"(?:didn't|did not|doesn't|does not|don't|do not) get\b", r"memori[sz]\w*", r"rote",
        r"(?:biggest|most|big|least|no|low|high|some|little|lots of) (?:gains?|growth)", r"most improved",
        r"improvers?", r"regress(?:ed|ing)",
        r"(?:hasn't|has not|haven't|have not|hadn't|not|doesn't|does not|don't|do not|didn't|did not|never)"
        r" (?:yet )?(?:master\w*|learn\w*|know\w*|retain\w*|recall\w*)",
        r"grasp(?:s|ed|ing)?", r"stuck", r"mixed[- ]up(?=$| (?:kids|students|ones|group|bunch|crew))",
        r"comprehen\w*", r"(?:has|have|had) it(?: down)?"),
        _words(r"right", r"wrong", r"partial", r"almost", r"lost", r"confused", r"errors?", r"mistakes?", r"slips?",
               *JUDGING_VERBS)),
    TierFamily("ability", "struggling / advanced", _words(
        r"strugg?l\w*", r"advanced", r"gifted", r"talented", r"accelerat\w*", r"honou?rs", r"capable",
        r"(?:high|low|average|higher|lower)[- ]?(?:achiev\w*|ability|perform\w*|level)", r"achievers?", r"performers?",
        r"smart(?:er|est)?",
        r"bright(?:er|est)?", r"sharp(?:er|est)?", r"speed(?:y|iest|sters?)", r"(?:early|fast|quick) finish\w*",
        r"finished first", r"(?:quick|slow) learners?", r"speed ?demons?",
        r"(?:take|takes|taking|took|taken) (?:longer|forever|a while|a long time|more time|too long|so long|all day)",
        r"abilit(?:y|ies)",
        r"at[- ]risk", r"can't", r"cannot", r"unable",
        # "Kids who don't", "The ones who get it": students described by what they can or did, not by their math
        r"(?:kids|students|ones|friends|kiddos|those) who (?:can(?:'t|not)?|don't|do not|didn't|did not|won't|do|did"
        r"|need\w*|get|got|are|were|have|had|struggle\w*|finished)",
        r"(?:has|have|had|having) (?:trouble|difficulty|problems|issues|gaps)", r"troubles?", r"difficult(?:y|ies)",
        r"(?:gaps?|holes?) in", r"over (?:their|his|her|my|your) heads?", r"surface[- ]level", r"shallow",
        r"(?:has|have|had|got) (?:\S+ ){1,3}down(?=\s*$)",  # "Has place value down"
        r"(?:above|below)[- ]average", r"(?:doesn't |does not |don't |do not )?knows? (?:\w+ )?facts",
        r"shaky", r"(?:low|high|weak|strong|no|poor|good|little|limited|lacks?|lacking) (?:\S+ )?sense",
        # a skill judged, whatever its topic: "Good ratio reasoning", "Strong proportional thinking"
        r"(?:strong|weak|low|high|poor|good|limited|little|no|solid|shaky|great|excellent|bad)(?:er|est)? (?:\S+ ){0,2}"
        r"(?:reasoning|skills?|knowledge|fluency|thinking)",
        r"^(?:can|could|is able to|are able to|able to)\b", r"pros(?! and)",
        r"(?:not )?fluen(?:t|cy)", r"math (?:person|brains?|whiz\w*)", r"naturals?", r"(?:rock|super) ?stars?",
        r"skills?", r"(?:strong|weak|slow|fast|good|bad|poor|solid|shaky)(?:er|est)? (?:math )?facts",
        r"(?:hard|easy|difficult|tough|tricky|challenging) for (?:them|him|her|these|those|some|most|my)",
        r"(?:find|finds|found|finding) (?:it|them|\w+) (?:hard|easy|difficult|tough|tricky)",
        # praise for the students, not their work: "Fraction whiz", "Equation experts", "Role models"
        r"whiz\w*", r"wizards?", r"heroes", r"champs?", r"champions?", r"dynamos?", r"ninjas?", r"gurus?",
        r"all[- ]?stars?", r"honou?r roll",
        r"mvps?", r"role models?", r"leaders?", r"problem[- ]solvers", r"self[- ]starters?",
        r"out of the box", r"(?:peer|math|class) (?:helpers?|tutors?|coaches|leaders|experts)",
        r"helpers(?=$| (?:for|with|in|on)\b)",
        # the work praised, not described: "Nice strategy", "Good thinking", "Great try"
        r"(?:nice|good|great|excellent|awesome|amazing|super|solid|strong|clever|smart|creative|interesting)"
        r" (?:strateg(?:y|ies)|methods?|thinking|tr(?:y|ies)|attempts?|jobs?|work|ideas?|reasoning)$",
        r"(?:keep|keeps|keeping|kept) up", r"(?:calculator|teacher|adult|help)[- ]dependent",
        r"reli(?:es|ant|ed) on (?:the |a )?(?:teacher|calculator|help|adults?|others|partners?|peers?)",
        r"(?:mov|jump|runn|gett|pull|gon|go|went|ran|got)\w* ahead(?=\s*$| of (?:the )?(?:class|others|group|peers))"),
        _words(r"ahead", r"behind", r"average", r"strong(?:er|est)?", r"weak(?:er|est)?", r"slow(?:er|est)?",
               r"fast(?:er|est)?", *DEFICITS, *JUDGING_ADJECTIVES)),
    TierFamily("services", "reteach / intervention / enrichment, IEP / 504 / ELL", _words(
        r"re[- ]?teach\w*", r"re[- ]?taught", r"remedia\w*", r"interventions?", r"interventionists?", r"rti",
        r"mtss", r"ieps?", r"504s?", r"sped", r"special (?:ed\w*|needs)", r"resource(?: room)?", r"inclusion",
        r"pull[- ]?outs?", r"push[- ]?ins?", r"ells?", r"esl", r"esol", r"eal", r"eld", r"mlls?",
        r"(?:multilingual|english|language) learners?", r"newcomers?", r"title (?:1|i|one)", r"enrich\w*",
        r"extensions?", r"challenges?", r"needs?(?! \d| (?:a |an |the )?§)", r"needing",
        r"needed(?! \d| for\b| (?:a |an |the )?§)",
        r"(?:more|extra|extended|additional) (?:\w+ ){0,2}(?:help|support|practice|time|review)", r"practice(?=\s*$)",
        r"speech", r"double[- ]block", r"support class",
        r"help", r"support", r"scaffold\w*", r"review group", r"small[- ]group", r"one[- ]on[- ]one", r"1:1",
        r"(?:not )?ready(?: yet)?", r"paras?", r"co[- ]?teach\w*", r"coach(?:'?s|es)?", r"(?:to|will) pull",
        r"^pull(?:s|ed|ing)?(?: out)?(?=$| (?:for|with|these|those|them|kids|group)\b)",
        r"pullout", r"tutor\w*", r"accommodat\w*", r"modified", r"gen ed", r"re[- ]?(?:assess|take|test)\w*",
        r"practice group", r"teacher(?:'s)? (?:table|group|time)(?! of)",
        r"(?:front|back) (?:rows?|tables?)(?=$| (?:kids|students|group|with)\b)",
        r"with (?:me|the teacher|teacher|the para|the coach|(?:mrs?|ms|miss|mx|dr)\.? \w+)",
        r"(?:mrs?|ms|miss|mx|dr)\.? \w+(?:'s)? (?:table|group|kids)", r"dyscalculia",
        r"test(?:s|ed|ing)? out(?=\s*$| of)",
        r"summer (?:school|bridge|program)", r"win (?:time|block)", r"bonus",
        r"^(?:extend|enrich|push|stretch|challenge)(?=$| (?:on|in|with)\b)",
        r"data team", r"second (?:chance|try|attempt|look|pass)",
        # a wrapper that rescues students, whatever the topic: "Word problem rescue group", "Fraction boot camp"
        r"rescue\w*", r"emergenc\w*", r"(?:math )?lab(?= for| group| kids| time|$)",
        r"lunch (?:bunch|group|club|crew)",
        r"boost(?:er|ers|ing)?", r"catch[- ]?up", r"boot ?camps?", r"clinics?", r"triage", r"sos",
        r"life ?lines?", r"refreshers?", r"brush[- ]?up", r"tune[- ]?ups?", r"band[- ]?aids?", r"first aid",
        r"hospital", r"recovery", r"(?:fix|repair)[- ]?(?:it|up) (?:group|table|crew|kids|club|station)s?",
        r"try again", r"redo\w*", r"do[- ]?overs?", r"revise and resubmit",
        r"translated (?:copy|copies|version|test|directions)", r"referr\w*", r"read[- ]alouds?",
        r"(?:extend|push|challenge|pull|support|monitor|enrich|stretch) (?:these|those|them|my)\b",
        # students retaking a course, a double period, a testing accommodation, new arrivals
        r"repeaters?", r"repeating (?:the )?(?:class|course|grade|year|alg\w*|geometry|math)\b", r"double[- ]?dose",
        r"small[- ]setting", r"move[- ]ins?")),
    TierFamily("effort", "effort / behaviour / speed / feelings", _words(
        r"off[- ]task", r"on[- ]task", r"hard[- ]?work\w*", r"worked hard", r"tri(?:ed|es) hard", r"trying hard",
        r"(?:didn't|did not|don't|do not|doesn't|does not|won't|no|never)(?: even| really| bother to)?"
        r" (?:read (?:the )?(?:question|directions|instructions|prompt)|follow\w* (?:the )?directions"
        r"|try|tries|tried|attempt\w*|finish\w*"
        r"|start\w*|effort|work(?:ing)?|show(?:ing)? (?:any |their |the )?work|(?:label|show|check|explain)(?=\s*$))",
        r"(?:give|gives|gave|giving|given) up", r"(?:finish\w*|done|completed?) (?:in|within|under) \d+",
        r"(?:not |un)finished", r"late start\w*",
        r"(?:complet\w*|finish\w*|did|done) (?:half|some|most|none|part|a (?:bit|little))"
        r"(?: of (?:it|the (?:work|task|problems?|assignment)))?$",
        r"(?:take|takes|took|taking|taken) (?:their|his|her|my|your|its) (?:sweet |own )?time",
        r"(?:took|takes|taking|take) (?:all|the whole|the entire) (?:period|class|day|block|hour|lesson)",
        r"(?:tried|tries|trying|try) (?:their|his|her|my) (?:best|hardest)",
        r"(?:missing|late|unfinished) (?:work|homework|assignments?)",
        r"(?:skip|skipped|skips|skipping) (?:the |a |an |that |this |every |each )?"
        r"(?:(?!in\b|of\b|to\b|for\b)\S+ ){0,3}(?:questions?|items?|problems?|parts?)(?: [a-z0-9])?"
        r"(?=\s*$| on\b| in\b)",
        r"(?:their|his|her) time (?:well|wisely|poorly|badly)", r"wast\w* (?:their |his |her )?time",
        r"(?<!the )(?<!a )blank(?! spaces?)",
        r"half[- ]done", r"barely (?:started|finished|tried|did)", r"(?:wrote|did|nothing) (?:nothing|written)",
        r"(?:only|just) (?:wrote |gave |put )?(?:the |an )?answers?", r"answers? only",
        r"afraid", r"scared", r"anxious", r"anxiety", r"fears?", r"frustrat\w*", r"nervous", r"bored",
        r"perfectionists?", r"trouble ?makers?", r"class clowns?", r"offenders?", r"half[- ]hearted", r"behaviou?r\w*",
        r"attitude", r"(?:just |wild |random |blind )guess\w*", r"made up (?:an? |the )?(?:answers?|numbers?)",
        r"lazy", r"effort", r"distracted", r"chatty", r"talkative", r"(?:un)?motivated",
        # speed and order of finishing, not thinking: "first ones done", "last ones finished"
        r"(?:first|last|early|late) (?:ones?|kids|students|people) (?:done|finished|to finish)",
        r"guess(?:ed|es|ing) on (?:everything|all of it|all|most|it)",
        r"talk(?:ed|ing) (?:the whole|all) (?:time|period|class)",
        r"(?:dis)?engaged", r"sleepy",
        r"unfocused"),
        _words(r"cop(?:ied|ies|ying|iers?)", r"careless", r"rush(?:ed|ing)?", r"absent\w*", r"incomplete", r"hates?",
               r"loves?", r"avoid\w*")),
    TierFamily("watch", "students to watch", _words(
        r"keep(?:ing)? (?:an |a close )?eye on", r"eyes on", r"watch[- ]?list", r"to (?:watch|keep an eye on)(?=\s*$)",
        r"(?:kids|students|friends|kiddos) to \w+", r"(?:kids|students|ones|friends|kiddos|those) (?:i|we)\b",
        r"ones to (?:watch|check on|pull|push|challenge|reteach|extend"
        r"|conference with|follow up with)",
        r"worr(?:y|ied|ies) about", r"concern(?:ed|s)?(?: about)?", r"check(?:ing)? in on", r"radar", r"red flags?")),
    TierFamily("levels", "level 1-4, tier 1-3", _words(
        # but a stage of a pattern: "Level 3 of the growing pattern" (not "Level 2 of the rubric")
        r"(?:levels?|tier|lvl|band|grade)\s*[-#]?\s*" + NUMBER + r"(?! of (?:the|a|an) (?!rubric|scale|standard))",
        r"tiers?", r"[lt]\s*[1-4]s?",
        r"rubric", r"got (?:an? )?\d+(?:\.\d+)?(?=\s*$|\s*(?:/|out of|on|pts|right|wrong|correct|%))",
        r"\d+ out of \d+",
        r"(?:full|partial|half|1/2|no|zero|some|extra) (?:credit|marks|points)",
        r"(?:max|maximum|most|fewest|least|all|bonus) points?(?! (?:on|of|in)\b)",
        # a score on a topic: "3 on place value" (but "5 on the number line")
        r"^(?:\d+(?:\.\d+)?(?:/\d+)?|one|two|three|four|five)s? (?:on|in)(?= (?!(?:the|a|an|each|both|all|every)\b))",
        r"\d+(?:\.\d+)?(?:\s*and up|\+)(?=\s*$)", r"(?<!common )core",
        r"check[- ]?(?:plus|minus|mark)s?",
        r"(?:math|algebra|geometry|grade) \d+ (?:plus|honou?rs|accelerated|advanced)",
        # letter grades: "Straight A kids", "B and C papers", "D's and F's"
        r"straight a'?s?",
        r"[a-df][+-]?'?s?(?= (?:(?:and|or|to) [a-df][+-]?'?s?\b|students|kids|papers|work|grades?)|[- ]range(?! of))",
        r"(?:and|or|to) [a-df][+-]?'?s?(?=\s*$)", r"letter grades?",
        r"ones (?:and|or|&|/) (?:twos|threes|2s|3s)",  # scores; but "Ten and some ones", "Tens and ones"
        r"(?<!keep )(?<!keeps )(?<!kept )(?<!keeping )(?<!lost )(?<!lose )tracks?"),  # "Standard track"
        _words(r"\d+(?:\.\d+)?'?s", r"(?:zero|two|three|four|five|six|seven|eight|nine|eleven|twelve)e?s",
               r"scor(?:e|es|ed|ing)", r"pile", r"(?:\d+(?:\.\d+)?|zero|one|two|three|four|five)" + POINTS)),
    TierFamily("standards", "below / approaching / meets / exceeds", _words(
        r"(?:below|above|beyond|at|on|off|approaching|near|meets?|meeting|exceeds?|exceeding)\s+"
        r"(?:grade[- ]?level|grade|level|standards?|benchmark|basic|expectations?|expected|track|target"
        r"|the (?:grade[- ]?level|standards?|benchmark|expectations?))",
        r"grade[- ]?level",
        r"working (?:towards?|at)(?= (?:the )?(?:standards?|expectations?|expected|grade|mastery)|$)",
        r"does not meet", r"doesn't meet", r"not meeting", r"master(?:y|ed|s)?", r"not mastered", r"not yet",
        r"novices?", r"beginners?", r"apprentice", r"practitioner", r"experts?", r"proficiency", r"exemplary",
        r"distinguished",
        r"accomplished", r"independent", r"with support", r"emergent", r"progressing", r"foundational",
        r"greater depth", r"expected(?: standard)?", r"fail\w*", r"pass(?:ed|ing)?(?! through)",
        r"(?:not |partially |nearly |standards? |expectations? )*met", r"(?:below|above|under|over|meets?) the bar",
        r"prerequisites?", r"standards? (?:exceeded|met|not met|nearly met|partially met|almost met)", r"exceeded",
        r"on (?:the|their|his|her) way(?=\s*$| to (?:mastery|proficien\w*|understanding|meeting|getting))",
        r"progress(?:ing)?", r"^(?:below|above|under|over|on) the (?:line|bar|cut|fence|cut[- ]?off)$",
        r"(?:made|missed|make|miss|makes|misses|making|missing) the cut", r"cut[- ]?(?:score|off)s?",
        r"to meet(?=\s*$| (?:the )?(?:standards?|expectations?|grade|benchmark|target|goal))"),
        _words(r"below", r"above", r"approaching", r"approaches", r"meets", r"meeting", r"exceeds", r"exceeding",
               r"developing", r"beginning", r"emerging", r"secure", r"basic", r"fair", r"applying", r"extending")),
    TierFamily("high-low", "high / medium / low", _words(
        r"high[- ]?fl(?:y|i)ers?", r"low[- ]?fl(?:y|i)ers?", r"bubble(?: kids)?",
        # a part of the class ("Upper half", "Bottom third of the class"), not of a shape or of the data
        r"(?<!of )(?<!of the )"
        r"(?:(?:top|bottom) (?:quartile|quarter|third|half|\d+%?)|(?:upper|lower) (?:quarter|third|half|\d+%?))"
        r"(?=$| of (?:the )?(?:class|kids|students|group)| (?:kids|students|group))"),
        _words(r"low(?:er|est|s)?", r"medium(?:s)?", r"mid(?:dle)?", r"high(?:er|est|s)?", r"top", r"bottom")),
    TierFamily("colours", "red / yellow / green", _words(r"stop ?light", r"traffic light"),
               _words(r"reds?", r"yellows?", r"ambers?", r"oranges?", r"greens?", r"gr[ae]ys?", r"blues?", r"golds?",
                      r"silvers?", r"bronzes?", r"purples?", r"pinks?")),
]
# A name that says no math at all (step 5).
NO_MATH = TierFamily("no-math", "it names no strategy or model")

# Short labels that are only labels in capitals ("EL students", "SEN"); in lower case they can be math ("mL").
ACRONYMS = {"EL": "ell", "ELs": "ells", "ML": "mll", "MLs": "mlls", "GT": "gifted", "TAG": "gifted",
            "SEN": "special needs", "SEND": "special needs", "WTS": "working towards", "EXS": "expected",
            "GDS": "greater depth", "MAP": "assessment", "STAR": "assessment",
            "MAD": "mean absolute deviation"}
# Symbols for math words: "bottom #", "decimals as $", "% as /100", "½ of ½", "πr²", "180° in a triangle"
# ("#2" is a label: only a "#" not before a number is the word).
SYMBOLS = {"✔": " : yes ", "✓": " : yes ", "✗": " : no ", "✘": " : no ", "❌": " : no ", "½": " 1/2 ", "¼": " 1/4 ",
           "¾": " 3/4 ", "⅓": " 1/3 ", "⅔": " 2/3 ", "π": " pi ", "²": " squared ", "³": " cubed ", "°": " degrees ",
           "√": " root ", "$": " money "}
SYMBOL_WORDS = re.compile(r"#(?!\s*\d)|(?<![\d\s])%|(?<=\s)%|^%")

CATCH_ALL = _words(r"unanticipated", r"not anticipated", r"others?", r"something else", r"not sure(?: yet)?",
                   r"unsure", r"unclear", r"can't tell(?: yet)?", r"mystery", r"misc\w*")

# Math terms, set aside before anything else: a tier word inside one is part of the math.
MATH_TERMS = _words(
    r"(?:lowest|least|greatest|highest|largest) common (?:denominators?|multiples?|factors?|numerators?)",
    r"common (?:denominators?|multiples?|factors?|numerators?)", r"lowest terms", r"simplest form",
    r"right (?:triangles?|angles?|prisms?)", r"(?:right to left|left to right)", r"area models?", r"place values?",
    r"number (?:lines?|tracks?)", r"unit (?:rates?|prices?|fractions?)",
    r"basic (?:math |multiplication |addition )?facts",
    r"known facts", r"(?:top|bottom|middle) rows?", r"(?:ones|tens|hundreds|thousands) place",
    r"partial (?:products|sums|quotients|differences)", r"(?:almost|near) doubles", r"expanded (?:form|notation)",
    r"ten[- ]frames?", r"hundreds? (?:chart|grid)s?", r"pattern blocks?", r"zero pairs?", r"data points?",
    r"bar models?", r"tape diagrams?", r"(?:sea|ground) level", r"t[- ]?(?:charts?|tables?)",
    r"ratio tables?", r"groups? of (?:\d+|" + NUMBER_WORD + ")s?", r"top[- ]heavy", r"top[- ]down",
    r"bottom[- ]up", r"(?:from )?(?:high|low|top|bottom|least|most|great|small|big|larg)\w* to "
    r"(?:high|low|top|bottom|least|most|great|small|big|larg)\w*",
    r"(?:the|an) average", r"average of", r"fair shar\w*", r"better buys?", r"perfect (?:squares?|cubes?|numbers?)",
    r"counting principle",
    r"quick (?:looks?|images?|draws?|pictures?)", r"expected (?:values?|outcomes?)", r"end behaviou?r",
    r"z[- ]?scores?", r"trial and error", r"partial (?:prod|quot|diff|sum)s?\b\.?",
    r"in ?/? ?out (?:tables?|boxes|machines?)",
    # advanced methods and the words inside them that a tier uses too: "Multiplied probabilities for independent events"
    r"(?:in)?dependent (?:and (?:in)?dependent )?(?:events?|variables?|samples?|trials?|quantit(?:y|ies)|axis)",
    r"complet\w* the square", r"dimensional analysis", r"unit (?:conversions?|analysis|cancell?ation)",
    r"cross[- ]?multipl\w*", r"(?:long|short|synthetic) division", r"scientific notation",
    r"significant (?:figures|digits)", r"level (?:curves?|sets?|of (?:the )?(?:water|liquid))",
    r"(?:support|supporting) (?:lines?|points?|vectors?)",
    r"(?:high|low|top|bottom|lead)(?:ing)? (?:coefficients?|terms?|degree)",
    r"gains? and loss(?:es)?", r"(?:gained|gains?) and (?:lost|loses?)")

# K-8 math words: a name with one of these (or a math verb, term or calculation) names some math.
MATH_WORDS = set("""
    number numeral digit ten tens ones hundred thousand million zero whole half halves third fourth fifth sixth
    eighth tenth hundredth thousandth quarter double doubles triple fraction numerator denominator decimal percent
    percentage ratio rate proportion proportional proportionality unit sum difference product quotient remainder
    addend factor multiple prime composite even odd square cube root exponent power integer negative positive
    opposite absolute value place expanded standard algorithm equation expression variable term coefficient
    constant inequality equal equals equivalent inverse operation addition subtraction multiplication division plus
    minus times divided per more less fewer greater greatest smaller smallest larger largest bigger biggest longer
    shorter longest shortest taller tallest heavier lighter same total estimate estimation landmark benchmark
    friendly compatible nearest fact family bond pair partner part pattern rule sequence table chart grid graph
    plot line bar diagram model picture drawing sketch tally tallies array area perimeter volume capacity mass
    weight length width height depth base side edge vertex vertices corner face angle degree acute obtuse straight
    reflex parallel perpendicular symmetry symmetric shape polygon triangle rectangle rhombus trapezoid parallelogram
    quadrilateral pentagon hexagon octagon circle oval sphere cone cylinder prism pyramid net surface diameter
    radius circumference pi hypotenuse pythagorean theorem formula coordinate axis axes origin point slope
    intercept linear function input output rise run translation reflection rotation dilation scale congruent
    similar data mean median mode range average quartile deviation outlier probability outcome sample simulation
    chance likely experimental theoretical tree survey frequency dot stem leaf box whisker histogram pictograph
    measurement inch foot feet yard mile centimeter centimetre meter metre millimeter kilometer gram kilogram liter
    litre cup pint quart gallon ounce pound second minute hour clock elapsed analog digital calendar money coin
    penny pennies nickel dime dollar cent cents price cost temperature thermometer ruler protractor balance tape
    path rekenrek frame counter chip tile block rod bead manipulative cuisenaire unifix flat finger object strategy
    method trick shortcut doubling halving regrouping borrowing carrying compensation decomposition distributive
    commutative associative property identity reciprocal mixed improper simplest common fractional strip piece
    shaded fair row column layer tower view combination ground backwards forward subitizing unknown missing
    solution system intersection substitution debt dividend divisor minuend subtrahend multiplicand mental chunk
    anchor trial calculator helper visual x y n way ways step steps head conversion image fit lattice foil notation
    sigma bound bounds halfway midway card curve problem simpler counterexample experiment dice die turn reasonable
    reasonableness max min maximum minimum relationship association trend principle
    additive multiplicative recursive explicit arithmetic geometric series elimination eliminate
    sine sines cosine cosines tangent tangents sin cos tan soh cah toa trig trigonometry radian law
    derivative integral limit log logarithm exponential quadratic polynomial binomial monomial trinomial
    figure vertex parabola asymptote domain matrix vector piecewise scatter regression correlation residual
    interquartile iqr distribution variance permutation factorial congruence proof transversal
    bisector midpoint chord arc sector secant inscribed compass cross section dozen backward
    dimensional analysis radical rational irrational scientific synthetic vertical horizontal diagonal event events
    isosceles equilateral scalene tessellation transformation midline amplitude markup discount tax tip commission
    elimination factorization factoring binomials intercepts asymptotes vertices proportions inequalities
    systems matrices estimate approximation rounding truncation annexing magnitude sign signs symbol placeholder
    roll rolls spin spinner score scores
""".split()) | set(  # what word problems are about: a strategy names what it tracks ("Level of water in the tank")
    """water tank pool recipe pizza cookie cake pie candy apple marble pencil trip distance
    speed fence garden floor paint rope string box bag jar shelf seat temp temps game games runner""".split()) | set(
    # short forms teachers write on a board: "open NL", "std alg", "partial quot.", "sys of eq", "LCD"
    """nl dnl lcd lcm gcf gcd kcf pemdas gemdas bedmas bodmas sadmep rdw iqr lobf sq alg div mult prop prod quot
    subst elim eq eqs ops denom diag tbl int pic quadrant""".split())

# Nouns of math a tier word can describe ("top row", "lower quartile"); not "table", "half" or "group",
# which also name where students sit or how they rank ("top table", "bottom half of the class").
MATH_HEADS = MATH_WORDS - set("table half halves third fourth quarter greatest smallest largest biggest score scores"
                              .split())
# Parts that are math when they are parts of a math object: "Top half of the rectangle", but "Bottom half".
PARTS = set("half halves third thirds fourth fourths quarter quarters part parts side piece".split())
# What a tier word judges when it comes before a topic, not a thing: "Solid multiplication", "Low fractions"
# (but "Solid figures", "Lower quartile").
TOPICS = set("""addition subtraction multiplication division fraction decimal percent ratio proportion integer geometry
    algebra measurement statistics probability""".split())
# What a score is given on: "Area 4s", "Fractions 1-2", "Graphing 3s".
SCORED_TOPICS = TOPICS | set("""area perimeter volume slope equation expression exponent inequality function graph
    graphing factoring solving word problem place value facts""".split())

# Things to count and build with: colours in a name that has one are the colours of the things
# ("Yellow for positive, red for negative tiles").
MANIPULATIVES = set("counters chips tiles cubes blocks rods beads cards dice spinners trapezoids hexagons rhombuses "
                    "triangles clips paperclips".split())
# A name about motion, rates or their graphs: its speeds are the objects' ("Slower walker's flatter graph").
MOTION_WORDS = set("slope slopes line lines graph graphs steep steeper steepest flat flatter rate rates speed speeds "
                   "distance mph kph miles meters time hours minutes seconds".split())
SPEED_WORDS = set("fast faster fastest slow slower slowest quick quicker quickest".split())
ON_A_TOPIC = set("on in at with".split())  # after a tier word, a topic the students are judged on: "Highs on integers"
# Where points are places, not scores: "2 points determine a line", "Points on a coordinate grid".
# Where scores are data: "Highest score in the data set", "Mean score of the class", "Range of the scores".
DATA_WORDS = set("data mean median mode range average set plot graph table".split())
PLACES_OF_POINTS = set("line lines graph plane coordinate coordinates grid axis slope plot segment curve".split())

# Verbs of doing math: a tier word after one describes what the student did ("Used red counters").
_VERBS = """
    use draw find start begin count make add subtract multiply divide split break decompose compose double halve
    compensate round estimate partition shade label build model measure compare convert scale write solve
    jump move regroup trade borrow carry line match tally guess test list organize organise simplify
    reduce factor distribute combine relate connect reason think visualize visualise trace fold cut rearrange fill
    tile cover iterate repeat graph plot map develop approach treat turn rewrite apply choose pick skip read take
    adjust bridge circle place extend act share deal stack layer calculate compute figure record represent
    express rename expand translate rotate reflect flip invert balance undo keep cross change derive subitize
    hop order sort cancel interpret classify substitute touch lay pair colour color chunk anchor try prove leave predict
    plug approximate annex append isolate evaluate verify justify align tabulate factorise factorize eliminate
"""
_IRREGULAR = ("drew drawn found began begun made broke broken built wrote written thought took taken chose chosen "
              "cut kept undid undo put dealt grouped grouping")


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

# Verbs of doing math that also say only where a student is ("Starting to get it", "Moving to tier 3"): a tier
# phrase in their purpose is still a tier.
ASPECT_VERBS = set("start starts started starting begin begins began beginning move moves moved moving try tries "
                   "tried trying keep keeps kept keeping take takes took taking leave leaves left leaving change "
                   "changes changed changing turn turns turned turning".split())
# Words after which a tier word ending in -ing or -s is a verb: "Developing a unit rate", "Meets at 12".
DETERMINERS = set("a an the it them this that each both all one its".split())
VERB_OBJECTS = DETERMINERS | set("with at from by on in to".split())
# A verb of a slip takes an object where the adjective does not: "Lost the 1 when regrouping" but "Lost".
SLIP_VERBS = set("lost confused missed".split())
SLIP_NOUNS = set("error errors mistake mistakes slip slips".split())  # "Error in regrouping the tens"
# A slip verb's object can be a phrase: "Lost track of the negative".
SLIP_OBJECTS = set("track sight".split())
# Words that put a tier-like word in a place: "Highest number on top".
PLACE_PREPOSITIONS = set("on at".split())
# A tier word after one of these is about students: "My strong ones", "Our 3s".
POSSESSIVES = set("my our your".split())
# Verbs that take the numbers they count: "Counting 2s", "Adding 10s" (but a score on a topic: "Graphing 4s").
COUNTING = set("counting skipping adding subtracting jumping doubling halving grouping making bundling trading "
               "multiplying dividing sharing".split())
NUMBER_PREPOSITIONS = set("by from of in into as for to with using many".split())  # "Counts by 2s", "Jumps with 10s"
COORDINATING = set("and or & / , +".split())  # "red and yellow counters": one list, one meaning
# "top of the ten frame", "red for negatives", "Fives then adds a group": the math comes after
ARTICLES = set("a an the".split())
SKIPPED = ARTICLES | set("of for then first is are as means represents =".split())  # "Blue is x", "red = negative"

# Words that say which operation joins two values: a tier-like word after one is a value
# ("Range as highest minus lowest").
OPERATIONS = set("plus minus times divided multiplied over".split())

# The last word of a name about students rather than their work: "Teacher table", "Watch list",
# "Bridge group". Such a name names math only through a word other than this one.
PEOPLE = set("kids kid kiddos students student learners friends group groups grp grps crew team list table tables tbl "
             "partner partners buddy buddies "
             "club "
             "solvers thinkers mathematicians workers "
             "class people folks".split())
# Words of PEOPLE that are also things a student makes ("Organized list", "Extended table"): an -ed word before
# them is not only a description of students.
# Where students sit, named by a label: "Row 1 kids", "Block A".
SEATS = set("row block kidney".split())
MADE_THINGS = set("list table tables tbl".split())
# Words that are math on their own but, before one of PEOPLE, name a program or a sticker:
# "Bridge group", "Benchmark group", "Green dot kids".
SCHOOL_SENSE = set("bridge benchmark dot dots standard".split())

# A test's name is not the verb "test" (checking an answer) or "map": "Pre-test low", "MAP below 200"
# (MAP, in capitals, is turned into this word by ACRONYMS).
ASSESSMENT = "assessment"
ASSESSMENTS = re.compile(
    r"\b(?:pre|post|unit|state|end[- ]of[- ]unit|mid[- ]?unit|benchmark)[- ]?(?:tests?|assessments?)\b"
    r"|\b(?:quiz(?:zes)?|report cards?|exit (?:tickets?|slips?)|check[- ]?ins?|checkpoints?|exams?|i[- ]?ready"
    r"|dibels|aimsweb"
    r"|sbac|parcc|staar|nwea|rit)\b|\btests?(?= (?:scores?|grades?|results?|data)\b)"
    # "the test" is a test; "the test for divisibility", "Tested each number" are checks in the math
    r"|(?:(?<=\bthe )|(?<=\ba )|(?<=\bon )|(?<=\bthat )|(?<=\bthis )|(?<=\blast )|(?<=\btheir ))"
    r"tests?\b(?! (?:for|of)\b)|(?<=\bon the )tasks?\b")
