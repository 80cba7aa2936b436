"""Typed text over its limit is refused whole, never cut, with a message that says how long it is,
what the limit is and what to do; the text stored stays as it was."""
from plc.extensions import db
from plc.sort.models import SortGroup
from tests.conftest import live_client
from tests.sort.conftest import CYCLE, connect_phone, first_owner
from tests.sort.test_events import NEXT_STEPS_STEP, add_groups


def test_board_text_over_its_limit_says_how_long_it_is_and_changes_nothing(app, board):
    meeting = board["meeting"]
    projector = live_client(app, board["http"], meeting)
    ana = connect_phone(app, meeting, "Ana")
    [group] = add_groups(projector, "Counts on")

    note = ana.emit("sort:group:notes", {"group_id": group, "showing": "n" * 2500}, callback=True)
    assert note["error"] == ("This note is 2,500 characters; the limit is 2,000. "
                             "Shorten it, or put part of it in another note.")
    name = ana.emit("sort:group:rename", {"group_id": group, "name": "Counts on " * 10}, callback=True)
    assert name["error"].startswith("The group's name is 99 characters; the limit is 60.")
    db.session.expire_all()
    stored = db.session.get(SortGroup, group)
    assert (stored.name, stored.showing) == ("Counts on", "")

    assert projector.emit("step:goto", {"pos": NEXT_STEPS_STEP}, callback=True) == {"ok": True}
    step = {"group_id": group, "move": "m" * 1200, "audience": "small_group",
            "owner": first_owner(projector), **CYCLE}
    added = ana.emit("sort:next:add", step, callback=True)
    assert added["error"] == ("The instructional move is 1,200 characters; the limit is 1,000. "
                              "Shorten it, or split it into two next steps.")
