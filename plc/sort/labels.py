"""What the Work Sort board calls things and says in each mode: the server's words, which the
board's script receives once with its page (`page_constants`) and the review pages reuse."""
from __future__ import annotations

from plc.sort.models import NOTE_FIELDS, TEXT_LIMITS
from plc.sort.steps import STILL_MODES

# The four questions a group's notes answer, by note field.
NOTE_LABELS = {
    "showing": "What are they showing us?",
    "telling": "What are they telling us?",
    "build_on": "Understandings to build on",
    "issues": "Issues we see",
}
# Where a group came from: Doing Math Together's anticipation, the catch-all, or added while sorting.
KIND_LABELS = {"anticipated": "Anticipated", "unanticipated": "Not anticipated", "added": ""}

# The line above the board in each mode (`plan` is the next-steps step's board).
BOARD_HINTS = {
    "look": "Look at the work in silence. Cards can be moved in the next step.",
    "sort": "Drag a card, use its “Move to…” menu, or focus it, pick it up with Space and carry it with the arrow keys.",
    "describe": "Describe each group. Link a group to the team's vocabulary to keep its name the same across sorts.",
    "patterns": "Counts per group, the strategies we anticipated that nobody used, and the critical ones nobody used.",
    "plan": "For each group: the next instructional move, for whom, who does it and by when.",
    "sequence": "Choose the samples to share in class and put them in order.",
    "close": "The board as it stands. Closing saves it for the coach's review.",
}
# On a phone, where cards are held and dragged rather than focused.
TOUCH_HINTS = {"sort": "Hold a card and drag it, or use its “Move to…” menu."}


def page_constants() -> dict:
    return {
        "notes": [[field, NOTE_LABELS[field]] for field in NOTE_FIELDS],
        "kinds": KIND_LABELS,
        "still_modes": list(STILL_MODES),  # cards stay where they are
        "hints": BOARD_HINTS,
        "touch_hints": TOUCH_HINTS,
        "limits": TEXT_LIMITS,  # characters, by field
    }
