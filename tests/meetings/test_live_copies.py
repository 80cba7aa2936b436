"""Each server process's copies of its live meetings (plc/meetings/live.py): an event reads no
meeting row, and no copy ever decides anything the database would not.

"Another process" changing a meeting is played here by SQL on a connection of its own, outside
the app's session: this process hears nothing of it, as when another process's news has not
arrived yet. tests/district/test_live_copies.py runs two real processes."""
from __future__ import annotations

from dataclasses import asdict, fields

import pytest
from sqlalchemy import event, update

from plc.extensions import db
from plc.meetings import services
from plc.meetings.live import LiveMeeting, live_meetings
from plc.meetings.models import Meeting, Response
from tests.conftest import events_named, join_as, live_client, statements


def step_of(meeting, activity: str, after: int = -1) -> int:
    return next(i for i, s in enumerate(meeting.agenda) if s["activity"] == activity and i > after)


def changed_elsewhere(meeting_id: int, **values) -> None:
    """Another process's change: committed to the database, unheard by this process."""
    with db.engine.begin() as connection:
        connection.execute(update(Meeting).where(Meeting.id == meeting_id).values(**values))


def copy_of(app, meeting_id: int) -> LiveMeeting | None:
    return live_meetings()._copies.get(meeting_id)


def as_in_database(meeting_id: int) -> dict:
    db.session.expire_all()
    row = db.session.get(Meeting, meeting_id)
    return {f.name: getattr(row, f.name) for f in fields(LiveMeeting)}


@pytest.fixture
def answering(app, room):
    """A room on a step that takes answers, with its projector and a phone."""
    meeting = room["meeting"]
    projector = live_client(app, room["http"], meeting)
    pos = step_of(meeting, "responses")
    assert projector.emit("step:goto", {"pos": pos}, callback=True) == {"ok": True}
    phone = live_client(app, join_as(app, meeting, "Ana"), meeting)
    return {**room, "projector": projector, "phone": phone, "pos": pos}


def test_a_copy_holds_every_column_of_the_meeting_row():
    assert {f.name for f in fields(LiveMeeting)} == {c.key for c in Meeting.__table__.columns}


def test_an_answer_reads_no_meeting_row_and_writes_one_row(answering):
    phone = answering["phone"]
    assert phone.emit("response:add", {"text": "warm-up"}, callback=True)["ok"]
    with statements() as ran:
        ack = phone.emit("response:add", {"text": "Skip counted by sixes"}, callback=True)
    assert ack["ok"]
    assert not [s for s in ran if s.startswith("SELECT")], ran
    assert [s.split(" (")[0] for s in ran if s.startswith("INSERT")] == ["INSERT INTO response"]


def test_every_committed_change_to_a_meeting_drops_its_copy(app, answering):
    meeting_id = answering["meeting"].id
    answering["phone"].emit("response:add", {"text": "loads the copy"}, callback=True)
    assert copy_of(app, meeting_id) is not None
    before = copy_of(app, meeting_id)
    answering["projector"].emit("input:lock", {"value": True}, callback=True)  # an event
    # The facilitator's event dropped the copy, then loaded it again from the database.
    assert copy_of(app, meeting_id) is not before
    assert asdict(copy_of(app, meeting_id)) == as_in_database(meeting_id)
    assert copy_of(app, meeting_id).input_locked is True
    assert answering["phone"].emit("response:add", {"text": "locked"}, callback=True)["ok"] is False
    answering["projector"].emit("input:lock", {"value": False}, callback=True)
    answering["phone"].emit("response:add", {"text": "loads it again"}, callback=True)
    services.end_meeting(db.session.get(Meeting, meeting_id))  # any other code path: a service
    assert copy_of(app, meeting_id) is None
    assert answering["phone"].emit("response:add", {"text": "too late"}, callback=True) == {
        "ok": False, "error": "This meeting has ended."}


def test_a_bulk_statement_on_meetings_drops_every_copy(app, answering):
    meeting_id = answering["meeting"].id
    answering["phone"].emit("response:add", {"text": "loads the copy"}, callback=True)
    db.session.execute(update(Meeting).where(Meeting.id == -1).values(names_hidden=True))
    db.session.commit()
    assert copy_of(app, meeting_id) is None


def test_a_rolled_back_change_tells_nobody(app, answering):
    meeting_id = answering["meeting"].id
    answering["phone"].emit("response:add", {"text": "loads the copy"}, callback=True)
    kept = copy_of(app, meeting_id)
    db.session.get(Meeting, meeting_id).names_hidden = True
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert copy_of(app, meeting_id) is kept


def test_an_answer_never_lands_on_a_step_the_room_left_before_this_process_heard(app, answering):
    meeting, phone = answering["meeting"], answering["phone"]
    phone.emit("response:add", {"text": "loads the copy"}, callback=True)
    discuss = step_of(meeting, "discuss")
    changed_elsewhere(meeting.id, step_pos=discuss)
    assert copy_of(app, meeting.id).step_pos == answering["pos"]  # stale: nothing was heard

    ack = phone.emit("response:add", {"text": "Sent as the step changed"}, callback=True)
    assert ack == {"ok": False, "error": "This step takes no written responses."}
    assert db.session.query(Response).filter_by(text="Sent as the step changed").count() == 0
    assert asdict(copy_of(app, meeting.id)) == as_in_database(meeting.id)


def test_a_refusal_from_a_stale_copy_is_checked_against_the_database(app, answering):
    meeting, phone = answering["meeting"], answering["phone"]
    changed_elsewhere(meeting.id, input_locked=True)
    assert phone.emit("response:add", {"text": "loads the locked copy"}, callback=True)["ok"] is False
    changed_elsewhere(meeting.id, input_locked=False)  # unlocked in another process

    ack = phone.emit("response:add", {"text": "Unlocked a moment ago"}, callback=True)
    assert ack["ok"] is True
    assert db.session.get(Response, ack["id"]).step_pos == answering["pos"]
    assert asdict(copy_of(app, meeting.id)) == as_in_database(meeting.id)
    assert "Unlocked a moment ago" in [r["text"] for r in events_named(answering["projector"], "response:upsert")]


def test_a_copy_loaded_while_news_arrives_is_not_kept(app, answering):
    meeting_id = answering["meeting"].id
    copies = live_meetings()
    copies.forget(meeting_id)

    def news_during_the_load(conn, cursor, statement, *args):
        if statement.lstrip().startswith("SELECT") and "FROM meeting" in statement:
            copies.forget(meeting_id)  # another process's change, heard while this row was read

    event.listen(db.engine, "before_cursor_execute", news_during_the_load)
    try:
        assert copies.get(meeting_id) is not None
    finally:
        event.remove(db.engine, "before_cursor_execute", news_during_the_load)
    assert copy_of(app, meeting_id) is None
    assert copies.get(meeting_id) is copy_of(app, meeting_id) is not None


def test_after_a_step_change_the_rooms_next_answer_reads_no_meeting_row(answering):
    projector, phone, meeting = answering["projector"], answering["phone"], answering["meeting"]
    assert projector.emit("step:goto", {"pos": step_of(meeting, "responses", answering["pos"])}, callback=True)["ok"]
    with statements() as ran:
        assert phone.emit("response:add", {"text": "Skip counted by sixes"}, callback=True)["ok"]
    assert not [s for s in ran if s.startswith("SELECT")], ran


def test_a_step_change_reads_the_members_login_from_one_column_and_the_meeting_row_once_before_its_broadcast(answering):
    projector, meeting = answering["projector"], answering["meeting"]
    with statements() as ran:
        ack = projector.emit("step:goto", {"pos": step_of(meeting, "responses", answering["pos"])}, callback=True)
    assert ack == {"ok": True}
    reads = [s.split(" WHERE")[0] for s in ran if s.startswith("SELECT")]
    assert reads[0] == "SELECT user.session_version FROM user"  # not the whole user, as a page loads it
    assert not [s for s in reads if s.startswith("SELECT user.id")], reads
    # The row to change, then, once the broadcast has read the room's answers, the process's copy.
    meeting_reads = [n for n, s in enumerate(reads) if s.endswith("FROM meeting")]
    answers_read = max(n for n, s in enumerate(reads) if "FROM response JOIN participant" in s)
    assert len(meeting_reads) == 2 and meeting_reads[1] > answers_read, reads
