"""Deleting a meeting or its unit takes the teachers' photos of their solutions, files and all;
the confirmation says so; another meeting's photos stay."""
from plc import storage
from plc.extensions import db
from plc.meetings.services import end_meeting
from plc.retention import services as retention
from plc.solutions.models import SolutionPhoto
from tests.conftest import gen_meeting, join_as
from tests.solutions.conftest import go_to_solve_step, phone_photo, send_photo, stored_files


def meeting_with_photos(app, room, *names):
    meeting = room["meeting"]
    go_to_solve_step(meeting)
    for name in names:
        assert send_photo(join_as(app, meeting, name), meeting, phone_photo()).status_code == 200
    return meeting


def files_of_photos() -> list[str]:
    return [name for photo in db.session.execute(db.select(SolutionPhoto)).scalars() for name in photo.files]


def test_deleting_a_meeting_removes_its_photos_and_their_files(app, room):
    meeting = meeting_with_photos(app, room, "Ana", "Ben")
    other = gen_meeting(room["team"], room["facilitator"])
    meeting_with_photos(app, {**room, "meeting": other}, "Cy")
    kept = [name for photo in db.session.execute(db.select(SolutionPhoto).filter_by(meeting_id=other.id)).scalars()
            for name in photo.files]
    going = [name for name in files_of_photos() if name not in kept]
    end_meeting(meeting)

    removal = retention.meeting_removal(meeting)
    assert "2 photos of teachers' solutions (the pictures and their thumbnails)" in removal.goes
    retention.delete_meeting(meeting, room["facilitator"])

    assert [p.meeting_id for p in db.session.execute(db.select(SolutionPhoto)).scalars()] == [other.id]
    assert not any(storage.path_of(name).exists() for name in going)
    assert {p.resolve() for p in stored_files()} == {storage.path_of(name) for name in kept}


def test_deleting_a_unit_removes_the_photos_of_its_meetings(app, room):
    meeting = meeting_with_photos(app, room, "Ana")
    end_meeting(meeting)

    removal = retention.unit_removal(meeting.task.unit)
    assert "1 photo of a teacher's solution (the pictures and their thumbnails)" in removal.goes
    retention.delete_unit(meeting.task.unit, room["facilitator"])

    assert db.session.execute(db.select(SolutionPhoto)).first() is None and stored_files() == []
