"""How a worker's news reaches the rooms: chosen once by configuration (message queue or the
server's database watcher), and the room hears of each change to a sample once."""
from datetime import timedelta

from flask import Flask

from plc.extensions import db
from plc.realtime import relay as relays
from plc.realtime.relay import QueueRelay, WatcherRelay, current_relay, init_relay, relay_of
from plc.timeutil import utcnow
from plc.work.models import WorkSample
from plc.work.notify import announce_from_worker, emit_sample
from tests.conftest import events_named, gen_meeting, gen_team, gen_user, live_client, login


def configured(message_queue):
    app = Flask(__name__)
    app.config.update(SOCKETIO_MESSAGE_QUEUE=message_queue, WORK_POLL_SECONDS=0.5)
    init_relay(app)
    return relay_of(app)


def test_the_relay_is_chosen_by_configuration():
    assert isinstance(configured("redis://localhost:6379/0"), QueueRelay)
    watcher = configured(None)
    assert isinstance(watcher, WatcherRelay) and watcher.poll_seconds == 0.5


def test_the_app_watches_the_database_when_it_has_no_message_queue(app):
    assert app.config["SOCKETIO_MESSAGE_QUEUE"] is None
    assert isinstance(relay_of(app), WatcherRelay)


class FakeQueueEmitter:
    made = []

    def __init__(self, message_queue):
        self.message_queue, self.sent = message_queue, []
        FakeQueueEmitter.made.append(self)

    def emit(self, event, payload, to, namespace):
        self.sent.append((event, payload["id"], to, namespace))


def test_with_a_message_queue_a_worker_emits_through_it(app, monkeypatch):
    user = gen_user()
    meeting = gen_meeting(gen_team(user), user, ["work-sort"])
    sample = WorkSample(team_id=meeting.team_id, task_id=meeting.task_id, uploaded_by_user_id=user.id,
                        student_label="AL", source_kind="jpeg", page=1, status="done")
    db.session.add(sample)
    db.session.commit()
    monkeypatch.setattr(FakeQueueEmitter, "made", [])
    monkeypatch.setattr(relays, "SocketIO", FakeQueueEmitter)
    monkeypatch.setitem(app.extensions, "plc_relay", QueueRelay("redis://localhost:6379/0"))
    announce_from_worker(sample)
    announce_from_worker(sample)
    [emitter] = FakeQueueEmitter.made  # one emitter per worker process
    assert emitter.message_queue == "redis://localhost:6379/0"
    # Phones hear of the task through the rooms of the meetings running on it; laptops through its room.
    rooms, task_page = [f"meeting:{meeting.id}"], f"task:{meeting.task_id}"
    assert emitter.sent == [("work:sample", sample.id, rooms, "/"), ("work:sample", sample.id, task_page, "/tasks")] * 2


def test_the_watcher_sends_only_what_the_room_has_not_heard(app):
    user = gen_user()
    meeting = gen_meeting(gen_team(user), user, ["work-sort"])
    http = app.test_client()
    login(http, user)
    projector = live_client(app, http, meeting)
    since = utcnow() - timedelta(seconds=1)
    sample = WorkSample(team_id=meeting.team_id, task_id=meeting.task_id, meeting_id=meeting.id,
                        uploaded_by_user_id=user.id, student_label="AL", source_kind="jpeg", page=1)
    db.session.add(sample)
    db.session.commit()
    emit_sample(sample)  # as the upload request does
    announce_from_worker(sample)  # without a message queue, the watcher tells the room
    current_relay().emit_changed_since(since)
    assert [s["status"] for s in events_named(projector, "work:sample")] == ["queued"]

    sample.status = "done"  # as a worker does, in its own process
    sample.ocr_text = "8 + 5 = 13"
    db.session.commit()
    current_relay().emit_changed_since(since)
    current_relay().emit_changed_since(since)
    assert [s["status"] for s in events_named(projector, "work:sample")] == ["queued", "done"]
