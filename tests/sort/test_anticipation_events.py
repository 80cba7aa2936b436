"""Anticipation carried through the sort, over Socket.IO: the projector and the phones on one board
while the same task's Doing Math Together meeting goes on. A phone's removal of an anticipated group
is refused and changes nothing; the facilitator's goes through and the patterns still count it;
a strategy anticipated late, and a stuck point, reach every board at once."""
from __future__ import annotations

import pytest

from plc.extensions import db
from plc.meetings import services as meetings
from plc.meetings.models import Meeting
from tests.conftest import gen_meeting, gen_team, gen_user, live_client, login
from tests.sort.conftest import connect_phone, gen_sample, gen_sort_meeting
from tests.sort.test_events import assert_refused, last

PATTERNS_STEP = 5


@pytest.fixture
def anticipating(app):
    """A Doing Math Together meeting at its anticipate step, with Ana's phone and her strategies;
    a Work Sort meeting on the same task with the projector and two phones (Ben, Cy)."""
    facilitator = gen_user()
    team = gen_team(facilitator)
    dmt = gen_meeting(team, facilitator)
    meetings.goto_step(dmt, next(i for i, s in enumerate(dmt.agenda) if s["activity"] == "anticipate"))
    dmt_id = dmt.id
    ana = connect_phone(app, dmt, "Ana")
    for field, text in (("strategies", "Skip counts by 6\nUses an array"), ("stuck", "Losing count past 60")):
        assert ana.emit("response:add", {"text": text, "field": field}, callback=True)["ok"] is True
    sort_meeting = gen_sort_meeting(team, facilitator, task=db.session.get(Meeting, dmt_id).task)
    sort_id = sort_meeting.id
    gen_sample(sort_meeting.task, "S1")
    http = app.test_client()
    login(http, facilitator)
    projector = live_client(app, http, sort_meeting)
    ben = connect_phone(app, db.session.get(Meeting, sort_id), "Ben")
    cy = connect_phone(app, db.session.get(Meeting, sort_id), "Cy")
    return {"ana": ana, "projector": projector, "ben": ben, "cy": cy, "meeting_id": sort_id, "dmt_id": dmt_id}


def board_of(client) -> dict:
    """The sort the client shows now: the last one it received, in the room's state or on its own."""
    sorts = [e["args"][0]["sort"] if e["name"] == "state" else e["args"][0] for e in client.events()
             if e["name"] == "sort" or (e["name"] == "state" and e["args"][0].get("sort"))]
    assert sorts, "no sort received"
    return sorts[-1]


def groups_of(client) -> dict[str, dict]:
    return {g["name"]: g for g in board_of(client)["groups"]}


def test_a_phones_removal_of_an_anticipated_group_is_refused_and_the_facilitators_still_counts(app, anticipating):
    projector, ben, cy = anticipating["projector"], anticipating["ben"], anticipating["cy"]
    array = groups_of(projector)["Uses an array"]
    assert (array["kind"], array["anticipated_as"], array["anticipated_by"]) == ("anticipated", "Uses an array", "Ana")

    assert_refused(ben, "sort:group:remove", {"group_id": array["id"]}, anticipating["meeting_id"],
                   [projector, cy], "Only the facilitator can remove a group we anticipated")

    assert projector.emit("sort:group:remove", {"group_id": array["id"]}, callback=True)["ok"] is True
    for client in (projector, ben, cy):
        sort = last(client, "sort")
        assert "Uses an array" not in [g["name"] for g in sort["groups"]]
        assert sort["patterns"]["nobody_used"] == ["Skip counts by 6", "Uses an array"]

    # The patterns a card's move sends count it too.
    skip = groups_of(ben)["Skip counts by 6"]["id"]
    sample_id = board_of(ben)["columns"][0]["sample_ids"][0]
    move = {"sample_id": sample_id, "group_id": skip, "index": 0, "card_version": 0}
    assert ben.emit("sort:move", move, callback=True)["ok"] is True
    assert last(cy, "sort:moved")["patterns"]["nobody_used"] == ["Uses an array"]


def test_a_strategy_anticipated_late_appears_on_every_board_at_once(app, anticipating):
    ana, projector, ben, cy = anticipating["ana"], anticipating["projector"], anticipating["ben"], anticipating["cy"]
    skip = groups_of(projector)["Skip counts by 6"]["id"]
    assert ben.emit("sort:group:rename", {"group_id": skip, "name": "Counts by sixes"}, callback=True)["ok"] is True
    seen = {name: len(c.events()) for name, c in (("projector", projector), ("ben", ben), ("cy", cy))}

    ack = ana.emit("response:add", {"text": "Skip counts by 6\nDraws a bar model", "field": "strategies"},
                   callback=True)

    assert ack["ok"] is True
    for client in (projector, ben, cy):
        names = [(g["name"], g["anticipated_as"]) for g in last(client, "sort")["groups"]]
        assert names == [("Counts by sixes", "Skip counts by 6"), ("Uses an array", "Uses an array"),
                         ("Draws a bar model", "Draws a bar model"), ("Unanticipated", None)]
    assert all(len([e for e in c.events()[seen[n]:] if e["name"] == "sort"]) == 1
               for n, c in (("projector", projector), ("ben", ben), ("cy", cy)))


def test_stuck_points_reach_every_board_and_critical_strategies_nobody_used_show_in_the_patterns(app, anticipating):
    ana, projector, ben = anticipating["ana"], anticipating["projector"], anticipating["ben"]
    assert board_of(ben)["anticipations"]["stuck"] == [{"text": "Losing count past 60", "by": "Ana"}]

    assert ana.emit("response:add", {"text": "How many in 10 boxes?", "field": "questions"}, callback=True)["ok"]

    for client in (projector, ben):
        assert last(client, "sort")["anticipations"]["questions"] == [{"text": "How many in 10 boxes?", "by": "Ana"}]
    http = app.test_client()
    meeting = db.session.get(Meeting, anticipating["meeting_id"])
    unit_id = meeting.task.unit_id
    login(http, meeting.facilitator)
    assert ben.emit("sort:group:link", {"group_id": groups_of(ben)["Uses an array"]["id"], "definition": "Rows"},
                    callback=True)["ok"] is True
    strategy_id = groups_of(ben)["Uses an array"]["strategy_id"]
    assert http.post(f"/units/{unit_id}/critical", data={"strategies": [str(strategy_id)]}).status_code == 302
    assert projector.emit("step:goto", {"pos": PATTERNS_STEP}, callback=True) in (None, {"ok": True})

    patterns = board_of(ben)["patterns"]
    assert patterns["critical"] == ["Uses an array"] and patterns["critical_nobody_used"] == ["Uses an array"]
