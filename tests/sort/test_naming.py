"""The tier-name prompt: every family of tier names is caught, names of thinking never are."""
import pytest

from plc.sort.naming import THINKING_EXAMPLES, tier_family, tier_prompt

TIERS = {
    "high-low": ["Low", "low group", "Medium", "High flyers", "Middle kids", "top table", "the bottom group", "bubble kids"],
    "standards": ["Below", "Approaching", "Meets", "Exceeds", "Below basic", "On grade level", "Developing",
                  "Emerging", "Mastered", "Not yet"],
    "levels": ["Level 1", "level 3", "Tier 2", "tier III", "L4", "T1", "Band 2", "3", "Level four"],
    "colours": ["Red", "Yellow group", "green", "Gold table", "Blue"],
    "ability": ["Struggling", "strugglers", "Advanced", "Gifted", "High achievers", "low-ability",
                "Strong", "the weakest", "At risk", "Behind", "Kids who can't"],
    "got-it": ["Got it", "Didn't get it", "almost got it", "Proficient", "not proficient", "Partially proficient",
               "Correct", "Incorrect", "Wrong answers", "Confused"],
}

THINKING = THINKING_EXAMPLES + [
    "Counts all", "Breaks apart a factor", "Jumps tens then ones", "Compensates", "Standard algorithm",
    "Uses a number line", "Draws base-ten blocks", "Doubles a known fact", "Unanticipated",
    "Adds 10 then takes 2", "Partial products", "Tallies", "Uses a hundreds chart",
]


@pytest.mark.parametrize("family, name", [(f, n) for f, names in TIERS.items() for n in names])
def test_each_family_of_tier_names_is_recognised(family, name):
    found = tier_family(name)
    assert found is not None and found.key == family, (name, found)


@pytest.mark.parametrize("name", THINKING)
def test_names_of_thinking_get_no_prompt(name):
    assert tier_family(name) is None


def test_the_prompt_names_the_family_and_offers_thinking_names():
    text = tier_prompt(tier_family("Level 2"))
    assert "level 1-4" in text and "Counts on" in text and "thinking" in text
