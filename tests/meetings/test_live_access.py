"""Live access ends with the meeting: a phone's seat works while its meeting runs and its code is
valid, a member's while they are logged in; ending a meeting empties its rooms, and news of a task
reaches only the meetings running on it."""
from datetime import timedelta

from plc.accounts.models import User
from plc.extensions import db
from plc.meetings import services
from plc.meetings.models import Meeting, Response
from plc.teams.models import Task, Team
from plc.work.models import WorkSample
from plc.work.notify import emit_sample
from tests.conftest import events_named, gen_team, gen_user, join_as, live_client, login
from tests.sort.conftest import SORT_STEP, gen_sample, gen_sort_meeting

UPLOAD_STEP = 1  # Work Sort: purpose, gather (upload), look, sort, ...


def _facilitator(app, team_owner):
    http = app.test_client()
    login(http, team_owner)
    return http


def test_a_phone_of_an_ended_meeting_is_refused_and_hears_nothing_of_later_meetings(app):
    facilitator = gen_user()
    team = gen_team(facilitator)
    ended = gen_sort_meeting(team, facilitator, step=UPLOAD_STEP)
    team_id, user_id, task_id = team.id, facilitator.id, ended.task_id
    sample = gen_sample(ended.task, "S1", text="private text of S1")
    http = _facilitator(app, facilitator)
    projector = live_client(app, http, ended)
    phone_http = join_as(app, ended, "Ana")
    phone = live_client(app, phone_http, ended)
    sample_id = sample.id
    assert [s["label"] for s in events_named(phone, "state")[-1]["samples"]] == ["S1"]

    assert projector.emit("meeting:end", callback=True) == {"ok": True}
    assert events_named(phone, "state")[-1]["meeting"]["ended"] is True  # the last thing it hears
    phone.clear()

    # The phone's cookie no longer connects: refused, and no state (codes, OCR text, image links).
    again = live_client(app, phone_http, ended)
    assert not again.is_connected()
    assert again.events() == []

    # A later meeting on the same task: its samples and card moves reach its own room only.
    task = db.session.get(Task, task_id)
    later = gen_sort_meeting(db.session.get(Team, team_id), db.session.get(User, user_id), task=task,
                             step=SORT_STEP)
    newcomer = gen_sample(task, "S2", text="private text of S2")
    board = live_client(app, http, later)
    emit_sample(db.session.get(WorkSample, newcomer.id))
    board.emit("sort:group:add", {"name": "Skip counting"}, callback=True)
    group_id = events_named(board, "sort")[-1]["groups"][0]["id"]
    ack = board.emit("sort:move", {"sample_id": sample_id, "group_id": group_id, "index": 0, "card_version": 0},
                     callback=True)
    assert ack["ok"] is True
    assert events_named(board, "sort:moved") and events_named(board, "work:sample")
    assert phone.events() == [], "a phone of the ended meeting heard the later meeting"
    assert not live_client(app, phone_http, ended).is_connected()
    assert "private text of S2" not in str(phone.events())


def test_ending_a_meeting_empties_its_rooms_and_refuses_every_event(app):
    facilitator = gen_user()
    team = gen_team(facilitator)
    meeting = gen_sort_meeting(team, facilitator, step=UPLOAD_STEP)
    projector = live_client(app, _facilitator(app, facilitator), meeting)
    phone = live_client(app, join_as(app, meeting, "Ana"), meeting)
    server = projector.sio.socketio.server
    rooms = server.manager.rooms["/"]
    assert f"meeting:{meeting.id}" in rooms

    projector.emit("meeting:end", callback=True)
    assert not {f"meeting:{meeting.id}", f"meeting:{meeting.id}:control", f"task:{meeting.task_id}"} & set(rooms)
    assert not [r for r in rooms if r and r.startswith("participant:")]
    for client, event, payload in [(phone, "sort:sync", {}), (phone, "response:add", {"text": "late"}),
                                   (projector, "timer:start", {})]:
        assert client.emit(event, payload, callback=True) == {"ok": False, "error": "This meeting has ended."}


def test_a_phone_whose_code_has_expired_is_refused(app):
    facilitator = gen_user()
    team = gen_team(facilitator)
    meeting = gen_sort_meeting(team, facilitator, step=0)
    projector = live_client(app, _facilitator(app, facilitator), meeting)
    projector.emit("step:goto", {"pos": 0}, callback=True)
    phone_http = join_as(app, meeting, "Ana")
    phone = live_client(app, phone_http, meeting)
    stored = db.session.get(Meeting, meeting.id)
    stored.started_at -= timedelta(hours=app.config["MEETING_CODE_HOURS"], minutes=1)
    db.session.commit()

    assert phone.emit("sort:sync", callback=True) == {"ok": False, "error": "This meeting has ended."}
    assert not live_client(app, phone_http, meeting).is_connected()
    # The facilitator still runs the meeting (and can end it).
    assert projector.emit("timer:start", callback=True) == {"ok": True}
    assert live_client(app, _facilitator(app, facilitator), meeting).is_connected()


def test_members_cannot_connect_to_an_ended_meeting(app):
    facilitator = gen_user()
    meeting = gen_sort_meeting(gen_team(facilitator), facilitator, step=0)
    services.end_meeting(db.session.get(Meeting, meeting.id))
    assert not live_client(app, _facilitator(app, facilitator), meeting).is_connected()


def test_student_work_of_a_task_reaches_only_meetings_running_on_it(app):
    facilitator = gen_user()
    team = gen_team(facilitator)
    running = gen_sort_meeting(team, facilitator, step=UPLOAD_STEP)
    other_task = gen_sort_meeting(team, facilitator, step=UPLOAD_STEP)
    team_id, task_id = team.id, running.task_id
    db.session.refresh(other_task)  # its id is read after the first connection ends this session
    here = live_client(app, _facilitator(app, facilitator), running)
    elsewhere = live_client(app, _facilitator(app, facilitator), other_task)
    here.clear()
    elsewhere.clear()
    sample = WorkSample(team_id=team_id, task_id=task_id, student_label="S9", source_kind="jpeg",
                        status="done", ocr_text="x")
    db.session.add(sample)
    db.session.commit()
    emit_sample(sample)
    assert [s["label"] for s in events_named(here, "work:sample")] == ["S9"]
    assert events_named(elsewhere, "work:sample") == []
    assert db.session.query(Response).count() == 0
