"""Anonymous means anonymous everywhere: on a step marked anonymous nobody's name is sent or kept
with a card move, a conflict, an undo, a kept tier name, a closed sort or a followed-up next step;
where the facilitator hides names, none is sent."""
from __future__ import annotations

import json

from flask import current_app

from plc.extensions import db
from plc.meetings import services as meetings
from plc.meetings.models import Meeting
from plc.protocols import load_protocols
from plc.sort.models import Move, NextStep, Placement, Sort, SortGroup
from tests.conftest import events_named, gen_meeting, gen_team, gen_user, join_as, live_client, login
from tests.review.conftest import gen_closed_sort
from tests.sort.conftest import CYCLE, SORT_STEP, gen_sample

NAMES = ("Pat Facilitator", "Ana Secret", "Ben Hidden")
DESCRIBE_STEP, CLOSE_STEP = SORT_STEP + 1, 8


def protocols_with_anonymous(protocol_id: str, *step_ids: str) -> dict:
    protocols = load_protocols(current_app.config["PROTOCOLS_DIR"])
    changed = protocols[protocol_id].model_copy(deep=True)
    for step in changed.steps:
        if step.id in step_ids:
            step.anonymous = True
    return {**protocols, protocol_id: changed}


def sent_to(client) -> str:
    """Everything about the board and its next steps a client received (not its own hello, nor the
    list of who joined, which says nothing about who did what), as one text."""
    kept = []
    for event in client.events():
        payload = event["args"][0] if event["args"] else None
        if event["name"] == "state":
            kept.append({k: v for k, v in payload.items() if k != "participants"})
        elif event["name"] not in ("hello", "participants"):
            kept.append(payload)
    return json.dumps(kept)


def anonymous_board(app, *step_ids):
    """A Work Sort on its Sort step (with `step_ids` anonymous), two samples, the projector and two phones."""
    facilitator = gen_user(name=NAMES[0])
    team = gen_team(facilitator)
    meeting = gen_meeting(team, facilitator, ("work-sort",), protocols_with_anonymous("work-sort", *step_ids))
    sample_ids = [gen_sample(meeting.task, f"S{n}").id for n in (1, 2)]
    meetings.goto_step(meeting, SORT_STEP)
    meeting_id = meeting.id
    http = app.test_client()
    login(http, facilitator)
    projector = live_client(app, http, meeting)
    phones = [live_client(app, join_as(app, db.session.get(Meeting, meeting_id), name),
                          db.session.get(Meeting, meeting_id)) for name in NAMES[1:]]
    return projector, *phones, sample_ids, meeting_id


def test_card_moves_on_an_anonymous_step_carry_no_name_anywhere(app):
    projector, ana, ben, (s1, s2), meeting_id = anonymous_board(app, "sort")
    assert projector.emit("sort:group:add", {"name": "Counts on"}, callback=True)["ok"]
    [group] = events_named(projector, "sort")[-1]["groups"]

    assert ana.emit("sort:move", {"sample_id": s1, "group_id": group["id"], "index": 0, "card_version": 0},
                    callback=True)["ok"]
    # Ben moved from what he saw before Ana's move: told someone moved it, not who.
    conflict = ben.emit("sort:move", {"sample_id": s1, "group_id": None, "index": 0, "card_version": 0},
                        callback=True)
    assert conflict["ok"] is False and conflict["error"].startswith("Someone moved S1")
    assert conflict["conflict"]["moved_by"] == "Someone"
    assert ben.emit("sort:move", {"sample_id": s2, "group_id": group["id"], "index": 0, "card_version": 0},
                    callback=True)["ok"]
    assert ana.emit("sort:undo", callback=True)["ok"]
    assert events_named(projector, "sort:moved")[-1]["notice"] == "Someone undid their own move of S1."
    assert projector.emit("sort:undo", callback=True)["ok"]  # Ben's: whose, nobody is told
    assert events_named(ana, "sort:moved")[-1]["notice"] == "The facilitator undid someone's move of S2."
    assert all(moved["moved_by"] is None for moved in events_named(projector, "sort:moved"))
    # The facilitator keeps a tier-like name: the board says a facilitator did, not who.
    assert projector.emit("sort:group:add", {"name": "Low", "keep_tier_name": True}, callback=True)["ok"]

    # The next step shows names again, but no name was ever kept for what happened on this one.
    projector.emit("step:goto", {"pos": DESCRIBE_STEP}, callback=True)
    synced = ana.emit("sort:sync", callback=True)["sort"]
    assert all(card["moved_by"] is None for card in synced["cards"].values())
    for client in (projector, ana, ben):
        text = sent_to(client) + json.dumps(synced)
        for name in NAMES:
            assert name not in text, (name, text[:2000])
        assert '"participant_id"' not in text
    db.session.remove()
    assert {p.moved_by for p in db.session.query(Placement)} == {None}
    assert {m.moved_by for m in db.session.query(Move)} == {None}
    assert {g.tier_name_kept_by for g in db.session.query(SortGroup) if g.tier_name_kept_by} == {"the facilitator"}
    assert db.session.get(Meeting, meeting_id).current_step["anonymous"] is False


def test_closing_a_sort_and_adding_next_steps_on_anonymous_steps_keep_no_name(app):
    projector, ana, _, _, _ = anonymous_board(app, "next-steps", "close")
    projector.emit("sort:group:add", {"name": "Counts on"}, callback=True)
    [group] = events_named(projector, "sort")[-1]["groups"]
    projector.emit("step:goto", {"pos": 6}, callback=True)  # next steps
    owners = events_named(projector, "state")[-1]["sort"]["owners"]
    assert [o["label"] for o in owners][:2] == ["Classroom teacher", "Interventionist"]  # roles, nobody named
    owner = owners[1]["key"]
    assert ana.emit("sort:next:add", {"group_id": group["id"], "move": "Number talk", "audience": "small_group",
                                      "owner": owner, **CYCLE}, callback=True)["ok"]
    projector.emit("step:goto", {"pos": CLOSE_STEP}, callback=True)
    assert projector.emit("sort:close", callback=True)["ok"]
    db.session.remove()
    [sort] = db.session.query(Sort).all()
    assert sort.closed_by is None and sort.snapshot is not None
    assert {s.created_by for s in db.session.query(NextStep)} == {None}
    assert NAMES[0] not in json.dumps(sort.snapshot) and NAMES[1] not in json.dumps(sort.snapshot)


def test_hidden_names_leave_moves_without_their_mover(app):
    projector, ana, ben, (s1, _), _ = anonymous_board(app)  # no anonymous step: names are kept
    projector.emit("sort:group:add", {"name": "Counts on"}, callback=True)
    [group] = events_named(projector, "sort")[-1]["groups"]
    projector.emit("names:hide", {"value": True}, callback=True)
    ana.emit("sort:move", {"sample_id": s1, "group_id": group["id"], "index": 0, "card_version": 0},
             callback=True)
    conflict = ben.emit("sort:move", {"sample_id": s1, "group_id": None, "index": 0, "card_version": 0},
                        callback=True)
    assert NAMES[1] not in conflict["error"]
    assert [m["moved_by"] for m in events_named(ben, "sort:moved")] == [None]
    assert ben.emit("sort:sync", callback=True)["sort"]["cards"][str(s1)]["moved_by"] is None
    # Shown again once the facilitator shows names: hiding them is for the screen, not the record.
    projector.emit("names:hide", {"value": False}, callback=True)
    assert ben.emit("sort:sync", callback=True)["sort"]["cards"][str(s1)]["moved_by"] == NAMES[1]


def test_following_up_on_an_anonymous_step_keeps_no_name(app):
    user = gen_user(name=NAMES[0])
    team = gen_team(user)
    _, sort = gen_closed_sort(team, user)
    step_id = sort.next_steps[0].id
    meeting = gen_meeting(team, user, protocols=protocols_with_anonymous("since-last-time", "since-last-time"))
    meeting_id = meeting.id
    assert meeting.current_step["activity"] == "follow_up" and meeting.current_step["anonymous"]
    phone = live_client(app, join_as(app, meeting, NAMES[1]), db.session.get(Meeting, meeting_id))
    assert phone.emit("followup:update", {"id": step_id, "what_happened": "It worked", "decision": "adopted"},
                      callback=True) == {"ok": True}
    assert [(s["status_by"], s["owner_name"], s["owner_label"]) for s in events_named(phone, "follow_up")[-1]] == [
        (None, None, "Interventionist")]
    assert "Rosa" not in sent_to(phone)  # who does it is not said either
    assert NAMES[1] not in sent_to(phone)
    db.session.remove()
    assert db.session.get(NextStep, step_id).status_by is None
