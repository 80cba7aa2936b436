"""The Work Sort over Socket.IO: several clients on one board, what reaches whom, what is refused.

The rules themselves are tested through the commands (test_commands.py); these tests go through
the events, as the projector and the phones do, and check what every client ends up believing.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
import threading

import pytest

from plc.extensions import db
from plc.meetings.models import Meeting, Participant
from plc.sort import queries
from plc.sort.events import sort_for_room
from plc.sort.models import Sort
from plc.sort.naming import THINKING_EXAMPLES
from plc.sort.steps import STILL_MODES
from plc.teams.models import Membership
from tests.conftest import events_named, gen_task, gen_team, gen_user, join_as, live_client, login
from tests.sort.conftest import CYCLE, SORT_STEP, connect_phone, gen_sample, gen_sort_meeting, participant_key

LOOK_STEP, NEXT_STEPS_STEP, CLOSE_STEP = 2, 6, 8
PHONES = ("Ana", "Ben", "Cy", "Dee")
FACILITATOR = "Pat Facilitator"  # gen_user's default name


# --- helpers --------------------------------------------------------------------------

def last(client, name):
    found = events_named(client, name)
    assert found, f"no {name!r} event received"
    return found[-1]


def stored_sort(meeting_id: int) -> Sort:
    """The meeting's latest sort as the database has it now (not as any session remembers it)."""
    db.session.remove()
    return queries.latest_sort(db.session.get(Meeting, meeting_id))


def stored_board(meeting_id: int) -> dict:
    """Everything a refused event must leave as it was."""
    sort = stored_sort(meeting_id)
    return {
        "sort_id": sort.id,
        "revision": sort.revision,
        "columns": queries.columns(sort),
        "cards": {p.sample_id: (p.version, p.moved_by, p.share_rank) for p in sort.placements},
        "groups": [(g.id, g.name, g.tier_name_kept_by) for g in sort.groups],
        "next_steps": [(s.id, s.move) for s in sort.next_steps],
        "locked": sort.board_locked,
        "open": sort.is_open,
        "sorts": db.session.query(Sort).filter_by(task_id=sort.task_id).count(),
    }


def add_groups(client, *names) -> list[int]:
    for name in names:
        ack = client.emit("sort:group:add", {"name": name}, callback=True)
        assert ack["ok"] is True, ack
    return [g["id"] for g in last(client, "sort")["groups"]][-len(names):]


def move(sample_id, group_id, index=0, card_version=0) -> dict:
    return {"sample_id": sample_id, "group_id": group_id, "index": index, "card_version": card_version}


def sort_broadcasts(client) -> list:
    return events_named(client, "sort") + events_named(client, "sort:moved")


def other_board(app) -> dict:
    """A second Work Sort meeting, of another team, on its Sort step with one card."""
    user = gen_user(name="Kim Other")
    meeting = gen_sort_meeting(gen_team(user, name="Other team"), user)
    sample = gen_sample(meeting.task, "X1")
    http = app.test_client()
    login(http, user)
    return {"meeting": meeting, "meeting_id": meeting.id, "sample_id": sample.id, "http": http}


class BoardView:
    """One client's picture of the board, kept the way a browser keeps it: the sort of its first
    `state`, then each `sort:moved` (replace the columns it lists) and `sort` (replace everything)
    in the order they arrived. `gaps` lists the broadcasts whose revision did not follow the last one.
    With `sync_on_gap` the view does what the module says a client should do instead: ignore
    broadcasts older than what it has and ask for the whole sort (`sort:sync`) after a gap."""

    def __init__(self, client, sync_on_gap=False):
        self.client = client
        self.sync_on_gap = sync_on_gap
        self.applied = 0
        self.gaps: list[tuple[int, int]] = []
        self.syncs = 0
        self.moved_revisions: list[int] = []
        self.sort_id = None
        self.catch_up()
        assert self.sort_id is not None, "the first state carried no sort"

    def load(self, sort: dict) -> None:
        self.sort_id = sort["id"]
        self.revision = sort["revision"]
        self.columns = {c["group_id"]: list(c["sample_ids"]) for c in sort["columns"]}
        self.versions = {int(sid): card["version"] for sid, card in sort["cards"].items()}
        self.groups = {g["id"]: g["name"] for g in sort["groups"]}

    def version(self, sample_id: int) -> int:
        return self.versions.get(sample_id, 0)

    def _in_turn(self, revision: int) -> bool:
        """Whether a broadcast of this revision should be applied now."""
        if revision == self.revision + 1:
            return True
        if not self.sync_on_gap:
            self.gaps.append((self.revision, revision))
            return True
        if revision > self.revision + 1:
            ack = self.client.emit("sort:sync", callback=True)
            self.syncs += 1
            self.load(ack["sort"])
        return False  # older than what we have, or covered by the sync

    def catch_up(self) -> BoardView:
        events = self.client.events()
        for event in events[self.applied:]:
            payload = event["args"][0] if event["args"] else None
            if event["name"] == "state" and payload.get("sort") is not None:
                self.load(payload["sort"])  # on connect and on a step change
            elif event["name"] == "sort":
                if payload["id"] != self.sort_id or self._in_turn(payload["revision"]):
                    self.load(payload)  # a new id: the sort was reopened as a new version
            elif event["name"] == "sort:moved":
                self.moved_revisions.append(payload["revision"])
                if self._in_turn(payload["revision"]):
                    self.revision = payload["revision"]
                    for column in payload["columns"]:
                        self.columns[column["group_id"]] = list(column["sample_ids"])
                    self.versions[payload["sample_id"]] = payload["version"]
        self.applied = len(events)
        return self

    def matches(self, meeting_id: int) -> None:
        sort = stored_sort(meeting_id)
        assert (self.sort_id, self.revision) == (sort.id, sort.revision)
        assert self.columns == queries.columns(sort)
        assert {sid: v for sid, v in self.versions.items() if v} == {
            p.sample_id: p.version for p in sort.placements if p.version}
        assert self.groups == {g.id: g.name for g in sort.groups}


@pytest.fixture
def sort_room(app, board):
    """The board with the facilitator's projector and two phones connected, and three groups."""
    meeting = board["meeting"]
    projector = live_client(app, board["http"], meeting)
    ana = connect_phone(app, meeting, "Ana")
    ben = connect_phone(app, meeting, "Ben")
    groups = add_groups(projector, "Counts on", "Makes a ten", "Skip counts")
    return {**board, "meeting_id": meeting.id, "sample_ids": [s.id for s in board["samples"]],
            "projector": projector, "ana": ana, "ben": ben, "groups": groups}


def test_the_room_state_only_reads_the_sort_opens_when_the_room_shows_a_board_step(app, board):
    meeting = board["meeting"]
    assert sort_for_room(meeting) is None and db.session.query(Sort).count() == 0

    projector = live_client(app, board["http"], meeting)

    assert last(projector, "state")["sort"]["id"] == db.session.query(Sort).one().id


def test_a_deleted_sample_leaves_every_live_board_at_once(app, sort_room):
    ids, groups, meeting_id = sort_room["sample_ids"], sort_room["groups"], sort_room["meeting_id"]
    assert sort_room["ana"].emit("sort:move", move(ids[1], groups[0]), callback=True)["ok"] is True
    clients = [sort_room[name] for name in ("projector", "ana", "ben")]
    views = [BoardView(client) for client in clients]

    response = sort_room["http"].post(f"/work/{ids[1]}/delete")

    assert response.status_code == 302
    for client, view in zip(clients, views):
        assert last(client, "work:removed") == {"id": ids[1]}
        view.catch_up().matches(meeting_id)
        assert view.gaps == []
        assert ids[1] not in [sid for column in view.columns.values() for sid in column]
        assert view.columns[groups[0]] == []


# --- concurrent moves converge ------------------------------------------------------------

def test_concurrent_moves_of_one_card_and_random_moves_converge_on_every_client(app, board):
    meeting, meeting_id = board["meeting"], board["meeting"].id
    sample_ids = [s.id for s in board["samples"]]
    clients = {FACILITATOR: live_client(app, board["http"], meeting)}
    clients.update({name: connect_phone(app, meeting, name) for name in PHONES})
    views = {name: BoardView(client) for name, client in clients.items()}
    projector = clients[FACILITATOR]
    counts_on, ten, skip = add_groups(projector, "Counts on", "Makes a ten", "Skip counts")

    # Four people drag S1 at the same moment, each from the same view of it (version 0).
    for view in views.values():
        view.catch_up()
    contenders = [("Ana", counts_on), ("Ben", ten), ("Cy", skip), (FACILITATOR, None)]
    acks = {name: clients[name].emit("sort:move", move(sample_ids[0], group, 0, views[name].version(sample_ids[0])),
                                     callback=True) for name, group in contenders}
    assert [name for name, ack in acks.items() if ack["ok"]] == ["Ana"]
    for name in ("Ben", "Cy", FACILITATOR):
        assert acks[name]["conflict"] == {"sample_id": sample_ids[0], "group": "Counts on", "moved_by": "Ana"}
        assert last(clients[name], "error") == {
            "event": "sort:move", "message": "Ana moved S1 to “Counts on” just before you."}
    for client in clients.values():
        assert [m["sample_id"] for m in events_named(client, "sort:moved")] == [sample_ids[0]]

    # Then everyone keeps moving cards, each from its own, sometimes out-of-date, view.
    rng = random.Random(20240917)
    targets = [None, counts_on, ten, skip]
    outcomes = {"moved": 0, "conflict": 0, "undone": 0}
    for turn in range(120):
        name = rng.choice(list(clients))
        client, view = clients[name], views[name]
        if rng.random() < 0.5:
            view.catch_up()
        if turn == 40:
            targets.append(add_groups(projector, "Uses doubles")[0])
            continue
        if turn == 80:  # its cards go back to the tray with new versions: more out-of-date views
            assert projector.emit("sort:group:remove", {"group_id": ten}, callback=True)["ok"] is True
            targets.remove(ten)
            continue
        if rng.random() < 0.05:
            ack = client.emit("sort:undo", callback=True)
            if ack["ok"]:
                outcomes["undone"] += 1
            else:
                assert "no longer where" in ack["error"] or "no move to undo" in ack["error"]
            continue
        sample_id = rng.choice(sample_ids[:4])  # few cards, many hands: conflicts
        before = stored_sort(meeting_id).revision
        ack = client.emit("sort:move", move(sample_id, rng.choice(targets), rng.randint(0, 6), view.version(sample_id)),
                          callback=True)
        sort = stored_sort(meeting_id)
        if ack["ok"]:
            outcomes["moved"] += 1
            assert ack["revision"] == sort.revision == before + 1
        else:
            outcomes["conflict"] += 1
            placement = next(p for p in sort.placements if p.sample_id == sample_id)
            names = {g.id: g.name for g in sort.groups}
            assert ack["conflict"] == {"sample_id": sample_id, "group": names.get(placement.group_id, "Unsorted"),
                                       "moved_by": placement.moved_by}
            assert sort.revision == before
    assert outcomes["moved"] >= 20 and outcomes["conflict"] >= 10, outcomes

    for name, view in views.items():
        view.catch_up()
        assert view.gaps == [], f"{name} missed or reordered broadcasts"
        view.matches(meeting_id)
        synced = clients[name].emit("sort:sync", callback=True)["sort"]
        assert {c["group_id"]: c["sample_ids"] for c in synced["columns"]} == view.columns
        assert synced["revision"] == view.revision


def send_at_once(clients: dict, plans: list[tuple[str, dict]]) -> dict[str, dict]:
    """Each planned move from its own thread, released together; the acks by sender."""
    acks: dict[str, dict] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(plans))

    def send(name, payload):
        try:
            barrier.wait(timeout=10)
            # The raw test client: the event runs in this thread, in an app context of its own.
            acks[name] = clients[name].sio.emit("sort:move", payload, callback=True)
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=send, args=plan) for plan in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and len(acks) == len(plans), (errors, acks)
    return acks


def test_moves_sent_from_threads_at_the_same_moment_converge_on_every_client(app, board):
    meeting, meeting_id = board["meeting"], board["meeting"].id
    sample_ids = [s.id for s in board["samples"]]
    clients = {FACILITATOR: live_client(app, board["http"], meeting)}
    clients.update({name: connect_phone(app, meeting, name) for name in PHONES})
    groups = add_groups(clients[FACILITATOR], "Counts on", "Makes a ten", "Skip counts")
    views = {name: BoardView(client, sync_on_gap=True) for name, client in clients.items()}
    rng = random.Random(7)
    successful_revisions = []

    for _round in range(12):
        for view in views.values():
            if rng.random() < 0.7:  # the others send from an out-of-date view
                view.catch_up()
        start = stored_sort(meeting_id)
        current = {p.sample_id: p.version for p in start.placements}
        contested = rng.choice(sample_ids)
        plans = []
        for name, view in views.items():
            sample_id = contested if rng.random() < 0.7 else rng.choice(sample_ids)
            plans.append((name, move(sample_id, rng.choice([None, *groups]), rng.randint(0, 5),
                                     view.version(sample_id))))
        acks = send_at_once(clients, plans)

        for name, ack in acks.items():
            assert ack["ok"] or "conflict" in ack, ack  # no other failure (e.g. a locked database)
        for sample_id in {payload["sample_id"] for _, payload in plans}:
            movers = [(name, payload) for name, payload in plans if payload["sample_id"] == sample_id]
            winners = [name for name, _ in movers if acks[name]["ok"]]
            up_to_date = [name for name, payload in movers if payload["card_version"] == current.get(sample_id, 0)]
            assert len(winners) == (1 if up_to_date else 0), (sample_id, movers, acks)
            assert set(winners) <= set(up_to_date)
        successful_revisions += [ack["revision"] for ack in acks.values() if ack["ok"]]
        assert stored_sort(meeting_id).revision == start.revision + sum(ack["ok"] for ack in acks.values())

    assert len(successful_revisions) == len(set(successful_revisions)) >= 12
    for name, view in views.items():
        view.catch_up()
        view.matches(meeting_id)
        # Every client heard every move exactly once, if not always in order.
        assert sorted(view.moved_revisions) == sorted(successful_revisions), name


# --- who hears what -------------------------------------------------------------------------

def test_a_move_reaches_everyone_in_the_meeting_and_nobody_in_another(app, sort_room):
    laptop = live_client(app, sort_room["http"], sort_room["meeting"])  # the facilitator's second screen
    other = other_board(app)
    other_projector = live_client(app, other["http"], other["meeting"])
    other_phone = connect_phone(app, other["meeting"], "Eve")
    ours = [sort_room["projector"], laptop, sort_room["ana"], sort_room["ben"]]
    for client in [*ours, other_projector, other_phone]:
        client.clear()

    ack = sort_room["ana"].emit("sort:move", move(sort_room["sample_ids"][2], sort_room["groups"][1]), callback=True)

    assert ack == {"ok": True, "revision": stored_sort(sort_room["meeting_id"]).revision}
    received = [events_named(client, "sort:moved") for client in ours]
    assert all(len(moved) == 1 for moved in received)
    assert all(moved == received[0] for moved in received)
    [moved] = received[0]
    assert (moved["revision"], moved["sample_id"], moved["version"], moved["moved_by"]) == (
        ack["revision"], sort_room["sample_ids"][2], 1, "Ana")
    assert {"group_id": sort_room["groups"][1], "sample_ids": [sort_room["sample_ids"][2]]} in moved["columns"]
    assert moved["can_undo"] is True
    assert moved["patterns"]["counts"][1] == {"group_id": sort_room["groups"][1], "name": "Makes a ten", "count": 1}

    assert sort_room["ben"].emit("sort:group:add", {"name": "Draws equal groups"}, callback=True)["ok"] is True
    assert all(last(client, "sort")["groups"][-1]["name"] == "Draws equal groups" for client in ours)
    for client in (other_projector, other_phone):
        assert sort_broadcasts(client) == [] and events_named(client, "error") == []
    assert stored_board(other["meeting_id"])["revision"] == 0


def test_a_client_that_was_away_gets_the_current_board_on_reconnect_and_on_sync(app, sort_room):
    phone_http = join_as(app, sort_room["meeting"], "Cy")
    phone = live_client(app, phone_http, sort_room["meeting"])
    phone.disconnect()
    for n, group in enumerate(sort_room["groups"]):
        assert sort_room["ana"].emit("sort:move", move(sort_room["sample_ids"][n], group), callback=True)["ok"] is True

    again = BoardView(live_client(app, phone_http, sort_room["meeting"]))
    again.matches(sort_room["meeting_id"])
    synced = again.client.emit("sort:sync", callback=True)
    assert synced["ok"] is True and synced["sort"]["revision"] == again.revision
    assert synced["sort"]["cards"][str(sort_room["sample_ids"][0])] == {"version": 1, "moved_by": "Ana"}


# --- refused moves change nothing -------------------------------------------------------------

def assert_refused(client, event, payload, meeting_id, watchers, message=None) -> dict:
    """The event fails, its sender gets an `error` event, nobody gets a sort broadcast, the board stays."""
    everyone = [client, *[w for w in watchers if w is not client]]
    before = stored_board(meeting_id)
    seen = [len(c.events()) for c in everyone]
    ack = client.emit(event, payload, callback=True) if payload is not None else client.emit(event, callback=True)
    new = [c.events()[n:] for c, n in zip(everyone, seen)]
    assert ack["ok"] is False and ack["error"], ack
    if message is not None:
        assert message in ack["error"]
    assert [e["args"][0] for e in new[0] if e["name"] == "error"] == [{"event": event, "message": ack["error"]}]
    for events in new:
        assert [e for e in events if e["name"] in ("sort", "sort:moved")] == []
    assert stored_board(meeting_id) == before
    return ack


def test_moves_of_cards_and_groups_not_on_this_board_are_refused(app, sort_room):
    ids, groups, watchers = sort_room["sample_ids"], sort_room["groups"], [sort_room["projector"], sort_room["ben"]]
    assert sort_room["ana"].emit("sort:move", move(ids[0], groups[0]), callback=True)["ok"] is True
    other = other_board(app)
    other_group = add_groups(live_client(app, other["http"], other["meeting"]), "Counts all")[0]
    another_task = gen_task(db.session.get(Meeting, sort_room["meeting_id"]).team, title="Another task")
    stray_sample = gen_sample(another_task, "Z9").id
    stranger = connect_phone(app, other["meeting"], "Eve")  # in meeting B, using meeting A's ids

    for client, payload, message in [
        (sort_room["ana"], move(999_999, groups[0]), "That card is not on this board."),
        (sort_room["ana"], move(ids[1], 999_999), "That group is not on this board."),
        (sort_room["ana"], move(ids[1], other_group), "That group is not on this board."),
        (sort_room["ana"], move(other["sample_id"], groups[0]), "That card is not on this board."),
        (sort_room["projector"], move(stray_sample, None), "That card is not on this board."),
        (stranger, move(ids[0], groups[1], 0, 1), "That card is not on this board."),
        (stranger, move(ids[1], None), "That card is not on this board."),
        (stranger, move(other["sample_id"], groups[0]), "That group is not on this board."),
    ]:
        assert_refused(client, "sort:move", payload, sort_room["meeting_id"], watchers, message)
    assert stored_board(other["meeting_id"])["cards"] == {}


GOOD_MOVE = {"sample_id": 1, "group_id": None, "index": 0, "card_version": 0}


@pytest.mark.parametrize("payload", [
    pytest.param({**GOOD_MOVE, "sample_id": "1"}, id="sample id as a string"),
    pytest.param({**GOOD_MOVE, "group_id": "1"}, id="group id as a string"),
    pytest.param({**GOOD_MOVE, "index": "0"}, id="index as a string"),
    pytest.param({**GOOD_MOVE, "card_version": 0.0}, id="version as a float"),
    pytest.param({**GOOD_MOVE, "index": True}, id="index as a boolean"),
    pytest.param({**GOOD_MOVE, "index": -1}, id="negative index"),
    pytest.param({**GOOD_MOVE, "index": 10_001}, id="huge index"),
    pytest.param({**GOOD_MOVE, "card_version": -1}, id="negative version"),
    pytest.param({**GOOD_MOVE, "sample_id": 0}, id="sample id zero"),
    pytest.param({**GOOD_MOVE, "group_id": 0}, id="group id zero"),
    pytest.param({k: v for k, v in GOOD_MOVE.items() if k != "sample_id"}, id="no sample id"),
    pytest.param({k: v for k, v in GOOD_MOVE.items() if k != "index"}, id="no index"),
    pytest.param({k: v for k, v in GOOD_MOVE.items() if k != "card_version"}, id="no version"),
    pytest.param({**GOOD_MOVE, "moved_by": "Someone else"}, id="extra field"),
    pytest.param([1, None, 0, 0], id="a list"),
    pytest.param("move it", id="a string"),
    pytest.param(None, id="no payload"),
])
def test_moves_with_a_bad_payload_are_refused(app, sort_room, payload):
    assert sort_room["sample_ids"][0] == GOOD_MOVE["sample_id"]
    ack = assert_refused(sort_room["ana"], "sort:move", payload, sort_room["meeting_id"], [sort_room["projector"]])
    assert ack["error"].startswith("Bad request")
    assert sort_room["ana"].emit("sort:move", GOOD_MOVE, callback=True)["ok"] is True  # the shape was the problem


@pytest.mark.parametrize("step, message", [
    (LOOK_STEP, STILL_MODES["look"]),
    (CLOSE_STEP, STILL_MODES["close"]),
    (0, "The sort board is not open on this step."),
], ids=["look before sorting", "closing step", "not a board step"])
def test_cards_do_not_move_on_steps_that_do_not_allow_it(app, sort_room, step, message):
    ids, groups, meeting_id = sort_room["sample_ids"], sort_room["groups"], sort_room["meeting_id"]
    projector, ana, ben = sort_room["projector"], sort_room["ana"], sort_room["ben"]
    assert ana.emit("sort:move", move(ids[0], groups[0]), callback=True)["ok"] is True
    assert projector.emit("step:goto", {"pos": step}, callback=True) == {"ok": True}
    state = last(ana, "state")
    if step == 0:
        assert state["sort"] is None
    else:
        assert state["sort"]["mode"] == ("look" if step == LOOK_STEP else "close")

    for client in (ana, projector):  # the facilitator too
        assert_refused(client, "sort:move", move(ids[1], groups[1]), meeting_id, [projector, ana, ben], message)
        assert_refused(client, "sort:undo", None, meeting_id, [projector, ana, ben], message)
    if step == 0:
        assert_refused(ana, "sort:group:add", {"name": "Counts all"}, meeting_id, [projector, ben], message)
        assert ana.emit("sort:sync", callback=True) == {"ok": True, "sort": None}

    assert projector.emit("step:goto", {"pos": SORT_STEP}, callback=True) == {"ok": True}
    assert ben.emit("sort:move", move(ids[1], groups[1]), callback=True)["ok"] is True


def test_a_locked_board_refuses_phones_but_not_the_facilitator(app, sort_room):
    ids, groups, meeting_id = sort_room["sample_ids"], sort_room["groups"], sort_room["meeting_id"]
    projector, ana, ben = sort_room["projector"], sort_room["ana"], sort_room["ben"]
    assert ana.emit("sort:move", move(ids[0], groups[0]), callback=True)["ok"] is True
    assert projector.emit("sort:lock", {"value": True}, callback=True)["ok"] is True
    assert all(last(client, "sort")["locked"] is True for client in (projector, ana, ben))

    locked = "The facilitator has locked the board for now."
    for event, payload in [("sort:move", move(ids[1], groups[1])), ("sort:move", move(ids[0], None, 0, 1)),
                           ("sort:undo", None), ("sort:group:add", {"name": "Counts all"}),
                           ("sort:group:rename", {"group_id": groups[0], "name": "Counts up"})]:
        assert_refused(ana, event, payload, meeting_id, [projector, ben], locked)

    ben.clear()
    assert projector.emit("sort:move", move(ids[1], groups[1]), callback=True)["ok"] is True
    assert last(ben, "sort:moved")["moved_by"] == FACILITATOR

    assert projector.emit("sort:lock", {"value": False}, callback=True)["ok"] is True
    assert last(ana, "sort")["locked"] is False
    assert ana.emit("sort:move", move(ids[2], groups[2]), callback=True)["ok"] is True
    assert stored_board(meeting_id)["columns"][groups[2]] == [ids[2]]


def test_locked_input_refuses_phone_moves_too(app, sort_room):
    projector, ana = sort_room["projector"], sort_room["ana"]
    card, group = sort_room["sample_ids"][0], sort_room["groups"][0]
    assert projector.emit("input:lock", {"value": True}, callback=True) == {"ok": True}
    assert_refused(ana, "sort:move", move(card, group), sort_room["meeting_id"], [projector], "Input is locked")
    assert projector.emit("sort:move", move(card, group), callback=True)["ok"] is True


def test_only_the_facilitator_locks_closes_reopens_or_orders_sharing(app, sort_room):
    ids, meeting_id, projector = sort_room["sample_ids"], sort_room["meeting_id"], sort_room["projector"]
    coach = gen_user(name="Cora Coach")
    team_id = db.session.get(Meeting, meeting_id).team_id
    db.session.add(Membership(team_id=team_id, user_id=coach.id, role="coach"))
    db.session.commit()
    coach_http = app.test_client()
    login(coach_http, coach)
    coach_laptop = live_client(app, coach_http, sort_room["meeting"])
    assert coach_laptop.is_connected()

    for client in (sort_room["ana"], coach_laptop):
        for event, payload in [("sort:lock", {"value": True}), ("sort:close", {}), ("sort:reopen", {}),
                               ("sort:share", {"sample_ids": ids[:2]})]:
            assert_refused(client, event, payload, meeting_id, [projector, sort_room["ben"]],
                           "Only the facilitator can do that.")
    board = stored_board(meeting_id)
    assert (board["locked"], board["open"], board["sorts"]) == (False, True, 1)

    assert projector.emit("sort:share", {"sample_ids": [ids[1], ids[0]]}, callback=True)["ok"] is True
    assert last(sort_room["ana"], "sort")["share"] == [ids[1], ids[0]]


# --- tier names ---------------------------------------------------------------------------------

def test_tier_names_are_turned_back_for_phones_and_kept_only_by_the_facilitator(app, sort_room):
    projector, ana, ben = sort_room["projector"], sort_room["ana"], sort_room["ben"]
    meeting_id = sort_room["meeting_id"]

    ack = assert_refused(ana, "sort:group:add", {"name": "Low"}, meeting_id, [projector, ben])
    assert ack["tier_name"] == {"family": "high / medium / low", "examples": THINKING_EXAMPLES}
    assert "Try naming the strategy or model instead" in ack["error"]
    ack = assert_refused(ana, "sort:group:add", {"name": "Low", "keep_tier_name": True}, meeting_id, [projector, ben],
                         "Only the facilitator can keep a name like this.")
    assert "tier_name" not in ack
    ack = assert_refused(ana, "sort:group:rename", {"group_id": sort_room["groups"][0], "name": "Level 2"}, meeting_id,
                         [projector, ben])
    assert ack["tier_name"]["family"] == "level 1-4, tier 1-3"
    # Asking is the same for the facilitator: keeping a tier name takes an explicit confirmation.
    assert "tier_name" in assert_refused(projector, "sort:group:add", {"name": "Low"}, meeting_id, [ana, ben])

    ack = projector.emit("sort:group:add", {"name": "Low", "keep_tier_name": True}, callback=True)
    assert ack == {"ok": True, "revision": stored_board(meeting_id)["revision"]}
    for client in (projector, ana, ben):
        kept = last(client, "sort")["groups"][-1]
        assert (kept["name"], kept["tier_name_kept_by"]) == ("Low", FACILITATOR)

    assert ana.emit("sort:group:add", {"name": "Uses doubles"}, callback=True)["ok"] is True
    assert ben.emit("sort:group:add", {"name": "Splits by place value", "keep_tier_name": True},
                    callback=True)["ok"] is True  # confirming a name of thinking is harmless
    names = [(name, kept_by) for _, name, kept_by in stored_board(meeting_id)["groups"]]
    assert names[-3:] == [("Low", FACILITATOR), ("Uses doubles", None), ("Splits by place value", None)]
    assert [g["name"] for g in last(projector, "sort")["groups"]][-2:] == ["Uses doubles", "Splits by place value"]


# --- closing, undoing, next steps ---------------------------------------------------------------

def test_closing_reaches_everyone_freezes_the_board_and_reopening_starts_version_two(app, sort_room):
    ids, groups, meeting_id = sort_room["sample_ids"], sort_room["groups"], sort_room["meeting_id"]
    projector, ana, ben = sort_room["projector"], sort_room["ana"], sort_room["ben"]
    assert ana.emit("sort:move", move(ids[0], groups[0]), callback=True)["ok"] is True
    assert ben.emit("sort:move", move(ids[1], groups[1]), callback=True)["ok"] is True
    columns_before = stored_board(meeting_id)["columns"]

    assert projector.emit("sort:close", callback=True)["ok"] is True
    for client in (projector, ana, ben):
        closed = last(client, "sort")
        assert (closed["open"], closed["version"], closed["closed_by"], closed["can_undo"]) == (
            False, 1, FACILITATOR, False)
    closed_message = "This sort is closed. Reopen it to make changes."
    for client, event, payload in [(ana, "sort:move", move(ids[2], groups[2])),
                                   (projector, "sort:move", move(ids[0], None, 0, 1)),
                                   (ana, "sort:undo", None),
                                   (ben, "sort:group:add", {"name": "Counts all"}),
                                   (projector, "sort:close", {})]:
        assert_refused(client, event, payload, meeting_id, [projector, ana, ben], closed_message)
    assert stored_sort(meeting_id).snapshot["columns"] == [
        {"group_id": g, "sample_ids": s} for g, s in columns_before.items()]

    assert projector.emit("sort:reopen", callback=True)["ok"] is True
    views = [BoardView(client) for client in (projector, ana, ben)]  # first state, close, reopen: in order
    reopened = last(ana, "sort")
    assert (reopened["open"], reopened["version"], reopened["closed_by"]) == (True, 2, None)
    assert [g["name"] for g in reopened["groups"]] == ["Counts on", "Makes a ten", "Skip counts"]
    new_groups = [g["id"] for g in reopened["groups"]]
    assert {c["group_id"]: c["sample_ids"] for c in reopened["columns"]} == {
        None: ids[2:], new_groups[0]: [ids[0]], new_groups[1]: [ids[1]], new_groups[2]: []}
    assert_refused(projector, "sort:reopen", {}, meeting_id, [ana], "already open")

    assert ana.emit("sort:move", move(ids[2], new_groups[2], 0, views[1].version(ids[2])), callback=True)["ok"]
    assert ben.emit("sort:move", move(ids[0], None, 0, views[2].version(ids[0])), callback=True)["ok"]
    for view in views:
        view.catch_up().matches(meeting_id)
        assert view.gaps == []
    assert stored_board(meeting_id)["sorts"] == 2


def test_undo_takes_back_ones_own_move_and_the_room_is_told_who_undid_what(app, sort_room):
    ids, groups, meeting_id = sort_room["sample_ids"], sort_room["groups"], sort_room["meeting_id"]
    projector, ana, ben = sort_room["projector"], sort_room["ana"], sort_room["ben"]
    clients = (projector, ana, ben)
    assert ana.emit("sort:move", move(ids[0], groups[0]), callback=True)["ok"] is True
    assert ana.emit("sort:move", move(ids[1], groups[0], 1), callback=True)["ok"] is True
    views = [BoardView(client) for client in clients]

    # Ben has moved nothing: his undo takes back nobody's move, and says why.
    assert_refused(ben, "sort:undo", None, meeting_id, clients, "You have no move to undo.")
    moves_before = [len(events_named(client, "sort:moved")) for client in clients]

    ack = ana.emit("sort:undo", callback=True)

    assert ack == {"ok": True, "revision": stored_board(meeting_id)["revision"]}
    for client, before in zip(clients, moves_before):
        [undone] = events_named(client, "sort:moved")[before:]
        assert (undone["revision"], undone["sample_id"], undone["version"], undone["moved_by"]) == (
            ack["revision"], ids[1], 2, "Ana")
        assert undone["notice"] == "Ana undid their own move of S2."
        assert undone["can_undo"] is True  # Ana's first move is still there to undo
        assert {"group_id": None, "sample_ids": ids[1:]} in undone["columns"]  # back where it was
        assert {"group_id": groups[0], "sample_ids": ids[:1]} in undone["columns"]

    # Ben's own move is his to undo, even after Ana's; the facilitator undoes anyone's.
    assert ben.emit("sort:move", move(ids[2], groups[1]), callback=True)["ok"] is True
    assert projector.emit("sort:undo", callback=True)["ok"] is True
    assert last(ana, "sort:moved")["notice"] == "The facilitator undid Ben's move of S3."
    assert projector.emit("sort:undo", callback=True)["ok"] is True
    assert last(ben, "sort:moved")["notice"] == "The facilitator undid Ana's move of S1."
    for view in views:
        view.catch_up().matches(meeting_id)
        assert view.gaps == []
        assert view.columns == {None: ids, **{g: [] for g in groups}}
    assert last(ben, "sort:moved")["can_undo"] is False
    assert_refused(ana, "sort:undo", None, meeting_id, clients, "There is no move to undo.")
    assert projector.emit("sort:move", move(ids[3], groups[2]), callback=True)["ok"] is True
    assert projector.emit("sort:undo", callback=True)["ok"] is True
    assert last(ana, "sort:moved")["notice"] == "The facilitator undid their own move of S4."


def test_a_phone_undoes_its_own_move_after_others_moved_and_never_theirs(app, sort_room):
    ids, groups, meeting_id = sort_room["sample_ids"], sort_room["groups"], sort_room["meeting_id"]
    projector, ana, ben = sort_room["projector"], sort_room["ana"], sort_room["ben"]
    assert ana.emit("sort:move", move(ids[0], groups[0]), callback=True)["ok"] is True
    assert ben.emit("sort:move", move(ids[1], groups[1]), callback=True)["ok"] is True
    assert projector.emit("sort:move", move(ids[2], groups[2]), callback=True)["ok"] is True

    assert ana.emit("sort:undo", callback=True)["ok"] is True  # hers, not the two later ones

    assert stored_board(meeting_id)["columns"] == {None: [ids[0], *ids[3:]], groups[0]: [], groups[1]: [ids[1]],
                                                   groups[2]: [ids[2]]}
    assert_refused(ana, "sort:undo", None, meeting_id, [projector, ana, ben], "You have no move to undo.")


def test_undo_puts_a_card_first_moved_from_the_middle_of_the_tray_back_where_it_was(app, sort_room):
    ids, groups, meeting_id = sort_room["sample_ids"], sort_room["groups"], sort_room["meeting_id"]
    assert sort_room["ana"].emit("sort:move", move(ids[3], groups[0]), callback=True)["ok"] is True
    assert sort_room["ana"].emit("sort:undo", callback=True)["ok"] is True
    assert {"group_id": None, "sample_ids": ids} in last(sort_room["projector"], "sort:moved")["columns"]
    assert stored_board(meeting_id)["columns"][None] == ids


def test_choosing_cards_to_share_leaves_the_tray_in_its_order(app, sort_room):
    ids = sort_room["sample_ids"]
    assert sort_room["projector"].emit("sort:share", {"sample_ids": [ids[4], ids[2]]}, callback=True)["ok"] is True
    shared = last(sort_room["ana"], "sort")
    assert shared["share"] == [ids[4], ids[2]]
    assert shared["columns"][0] == {"group_id": None, "sample_ids": ids}


def test_next_steps_from_a_phone_reach_the_projector_and_bad_dates_are_refused(app, sort_room):
    projector, ana, meeting_id = sort_room["projector"], sort_room["ana"], sort_room["meeting_id"]
    assert projector.emit("step:goto", {"pos": NEXT_STEPS_STEP}, callback=True) == {"ok": True}
    assert last(ana, "state")["sort"]["mode"] == "plan"
    ben = participant_key(meeting_id, "Ben")
    step = {"group_id": sort_room["groups"][0], "move": "Number talk on making ten", "audience": "small_group",
            "owner": ben, "due_on": (date.today() + timedelta(days=3)).isoformat(), **CYCLE}

    assert ana.emit("sort:next:add", step, callback=True)["ok"] is True
    [added] = last(projector, "sort")["next_steps"]
    assert {k: added[k] for k in step if k != "owner"} == {k: v for k, v in step.items() if k != "owner"}
    assert (added["audience_label"], added["owner_name"], added["owner_label"], added["status"]) == (
        "Small group", "Ben", "Ben (Classroom teacher)", "planned")
    owners = last(projector, "sort")["owners"]
    assert [o["label"] for o in owners] == ["Ana (Classroom teacher)", "Ben (Classroom teacher)",
                                            "Pat Facilitator (Facilitator)"]

    past = (date.today() - timedelta(days=2)).isoformat()
    for bad, message in [({"due_on": "2026-13-45"}, "Give a real date"), ({"due_on": "May 1"}, "Bad request"),
                         ({"due_on": past}, f"“By when” is in the past ({past})"),
                         ({"owner": "classroom_teacher"}, "a person on the team"),
                         ({"prediction": " "}, "what you predict"),
                         ({"audience": "everyone"}, "Choose whole class"),
                         ({"group_id": 999_999}, "That group is not on this board."),
                         ({"student_note": "Needs ten-frames"}, "Say which student")]:
        assert_refused(ana, "sort:next:add", {**step, **bad}, meeting_id, [projector], message)
    assert_refused(ana, "sort:next:edit", {**step, "id": added["id"], "due_on": "2026-02-30"}, meeting_id,
                   [projector], "Give a real date")

    assert sort_room["ben"].emit("sort:next:edit", {**step, "id": added["id"], "move": "Ten-frame warm-up",
                                                "due_on": None}, callback=True)["ok"] is True
    [edited] = last(projector, "sort")["next_steps"]
    assert (edited["move"], edited["due_on"]) == ("Ten-frame warm-up", None)
    assert ana.emit("sort:next:remove", {"id": added["id"]}, callback=True)["ok"] is True
    assert last(projector, "sort")["next_steps"] == []


def test_a_next_steps_owner_changes_on_every_board_by_the_rule_that_planned_it(app, sort_room):
    from plc.sort.models import NextStep

    projector, ana, ben, meeting_id = sort_room["projector"], sort_room["ana"], sort_room["ben"], sort_room["meeting_id"]
    assert projector.emit("step:goto", {"pos": NEXT_STEPS_STEP}, callback=True) == {"ok": True}
    step = {"group_id": sort_room["groups"][0], "move": "Number talk on making ten", "audience": "small_group",
            "owner": participant_key(meeting_id, "Ben"), **CYCLE}
    assert ana.emit("sort:next:add", step, callback=True)["ok"] is True
    [added] = last(projector, "sort")["next_steps"]
    facilitator = next(o for o in last(ana, "sort")["owners"] if o["key"].startswith("member:"))

    assert ana.emit("sort:next:owner", {"id": added["id"], "owner": facilitator["key"]}, callback=True)["ok"] is True
    for client in (projector, ana, ben):
        [changed] = last(client, "sort")["next_steps"]
        assert (changed["owner_label"], changed["move"], changed["prediction"]) == (
            "Pat Facilitator (Facilitator)", step["move"], CYCLE["prediction"])

    # The owner must be one of the meeting's choices, as when the step was planned: nothing changes otherwise.
    kim = gen_user(name="Kim")
    other_room = gen_sort_meeting(gen_team(kim), kim)
    other_id = other_room.id
    join_as(app, other_room, "Ana")
    for bad, message in [("classroom_teacher", "a person on the team"), ("participant:999999", "a person on the team"),
                         (participant_key(other_id, "Ana"), "a person on the team"), ("role:interventionist", None)]:
        assert_refused(ana, "sort:next:owner", {"id": added["id"], "owner": bad}, meeting_id, [projector, ben], message)
    assert_refused(ana, "sort:next:owner", {"id": 999_999, "owner": facilitator["key"]}, meeting_id, [projector],
                   "That next step is not part of this sort.")
    assert_refused(ana, "sort:next:owner", {"id": added["id"], "owner": "x" * 41}, meeting_id, [projector], "Bad request")
    assert db.session.get(NextStep, added["id"]).owner_name == "Pat Facilitator"

    # Where names are hidden the choices are roles, and a step changes hands by role only.
    assert projector.emit("names:hide", {"value": True}, callback=True)["ok"] is True
    assert [o["key"] for o in last(ana, "state")["sort"]["owners"]][:1] == ["role:classroom_teacher"]  # at once
    assert_refused(ana, "sort:next:owner", {"id": added["id"], "owner": participant_key(meeting_id, "Ben")},
                   meeting_id, [projector], "a person on the team")
    assert ana.emit("sort:next:owner", {"id": added["id"], "owner": "role:interventionist"}, callback=True)["ok"] is True
    [changed] = last(ben, "sort")["next_steps"]
    assert (changed["owner_name"], changed["owner_label"]) == (None, "Interventionist")
    stored = db.session.get(NextStep, added["id"])
    db.session.refresh(stored)
    assert (stored.owner_name, stored.owner_role) == (None, "interventionist")


def test_removing_a_group_over_sockets_takes_its_cards_and_next_steps_off_every_board(app, sort_room):
    ids, groups, meeting_id = sort_room["sample_ids"], sort_room["groups"], sort_room["meeting_id"]
    assert sort_room["ana"].emit("sort:move", move(ids[0], groups[0]), callback=True)["ok"] is True
    assert sort_room["ana"].emit("sort:next:add", {"group_id": groups[0], "move": "Ten-frame warm-up",
                                              "audience": "whole_class", "owner": participant_key(meeting_id, "Ana"),
                                              **CYCLE}, callback=True)["ok"] is True
    views = [BoardView(client) for client in (sort_room["projector"], sort_room["ana"], sort_room["ben"])]

    assert sort_room["ben"].emit("sort:group:remove", {"group_id": groups[0]}, callback=True)["ok"] is True

    for view in views:
        view.catch_up().matches(meeting_id)
        assert view.columns[None] == ids[1:] + ids[:1]
        assert last(view.client, "sort")["next_steps"] == []
    assert stored_board(meeting_id)["next_steps"] == []


# --- what the payloads say about people -------------------------------------------------------

def keys_in(value):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield str(key)
            yield from keys_in(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from keys_in(inner)


def test_sort_payloads_name_people_only_by_display_name(app, sort_room):
    ids, groups, meeting_id = sort_room["sample_ids"], sort_room["groups"], sort_room["meeting_id"]
    projector, ana, ben = sort_room["projector"], sort_room["ana"], sort_room["ben"]
    ana.emit("sort:move", move(ids[0], groups[0]), callback=True)
    ben.emit("sort:move", move(ids[0], groups[1], 0, 0), callback=True)  # a conflict naming Ana
    ben.emit("sort:move", move(ids[1], groups[1]), callback=True)
    ana.emit("sort:undo", callback=True)
    ana.emit("sort:next:add", {"group_id": groups[0], "move": "Ten-frame warm-up", "audience": "whole_class",
                               "owner": participant_key(meeting_id, "Ana"), "student_label": "JD",
                               "student_note": "Try tens", **CYCLE}, callback=True)
    projector.emit("sort:group:add", {"name": "High", "keep_tier_name": True}, callback=True)
    projector.emit("sort:share", {"sample_ids": [ids[0]]}, callback=True)
    synced = ana.emit("sort:sync", callback=True)["sort"]
    projector.emit("sort:close", callback=True)
    latecomer = connect_phone(app, sort_room["meeting"], "Dee")

    payloads = [synced]
    for client in (projector, ana, ben, latecomer):
        payloads += sort_broadcasts(client)
        payloads += [state["sort"] for state in events_named(client, "state") if state.get("sort")]
    assert len(payloads) > 10
    participants = db.session.query(Participant).filter_by(meeting_id=meeting_id).all()
    assert {p.name for p in participants} == {"Ana", "Ben", "Dee"}
    for payload in payloads:
        assert not [key for key in keys_in(payload) if "participant" in key or "user" in key or "token" in key]
        assert not [p.token for p in participants if p.token in str(payload)]
    moved_by = {m["moved_by"] for client in (projector, ana, ben) for m in events_named(client, "sort:moved")}
    moved_by |= {card["moved_by"] for payload in payloads for card in payload.get("cards", {}).values()}
    assert moved_by == {"Ana", "Ben"}
    assert last(ben, "error")["message"] == "Ana moved S1 to “Counts on” just before you."
    closed = last(latecomer, "state")["sort"]
    assert (closed["closed_by"], closed["groups"][-1]["tier_name_kept_by"]) == (FACILITATOR, FACILITATOR)


def test_two_live_meetings_on_one_task_share_its_sort_and_both_hear_every_change(app, board):
    first = board["meeting"]
    second = gen_sort_meeting(board["team"], board["facilitator"], task=first.task)
    sample_id, second_id = board["samples"][0].id, second.id
    ana = connect_phone(app, first, "Ana")
    ben = connect_phone(app, db.session.get(Meeting, second_id), "Ben")
    [group] = add_groups(ana, "Counts on")
    assert [g["name"] for g in last(ben, "sort")["groups"]] == ["Counts on"]

    assert ben.emit("sort:move", move(sample_id, group), callback=True)["ok"] is True
    moved = last(ana, "sort:moved")
    assert moved["sort_id"] == last(ana, "sort")["id"] == last(ben, "sort")["id"]
    assert {"group_id": group, "sample_ids": [sample_id]} in moved["columns"]
