"""The room hears of each change to a sample once, from wherever the change happened."""
from datetime import timedelta

from plc.extensions import db
from plc.timeutil import utcnow
from plc.work.models import WorkSample
from plc.work.notify import emit_changed_since, emit_sample
from tests.conftest import events_named, gen_meeting, gen_team, gen_user, live_client, login


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
    emit_changed_since(since)
    assert [s["status"] for s in events_named(projector, "work:sample")] == ["queued"]

    sample.status = "done"  # as a worker does, in its own process
    sample.ocr_text = "8 + 5 = 13"
    db.session.commit()
    emit_changed_since(since)
    emit_changed_since(since)
    assert [s["status"] for s in events_named(projector, "work:sample")] == ["queued", "done"]
