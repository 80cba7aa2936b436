"""Deleting for good, through the service functions and the database, with the files on disk."""
from datetime import timedelta

import pytest

from plc import storage
from plc.extensions import db
from plc.meetings.models import Meeting, Participant, Response
from plc.meetings.services import end_meeting
from plc.retention import services
from plc.retention.services import CannotDelete
from plc.sort import commands as sorting
from plc.sort.models import Move, NextStep, Placement, Sort, SortGroup
from plc.teams.models import DeletionRecord, Task, Unit
from plc.teams.services import recent_deletions
from plc.timeutil import utcnow
from plc.work.models import WorkSample
from plc.work.name_check import check_name
from plc.work.processing import process_sample
from plc.work.services import accept_upload
from tests.conftest import gen_task, gen_team, gen_user
from tests.retention.conftest import (
    gen_closed_sort,
    gen_file,
    gen_member,
    gen_people,
    gen_sample,
    gen_unit_task,
    jpeg_upload,
    on_disk,
    start_on,
    stored_files,
)


def records(team):
    return db.session.execute(db.select(DeletionRecord).filter_by(team_id=team.id)
                              .order_by(DeletionRecord.id)).scalars().all()


def exists(model, id_) -> bool:
    return db.session.execute(db.select(model.id).filter_by(id=id_)).first() is not None


def snapshot_of(sort_id) -> dict:
    return db.session.execute(db.select(Sort.snapshot).filter_by(id=sort_id)).scalar_one()


# --- samples --------------------------------------------------------------------------

def test_deleting_a_processed_sample_removes_every_file_it_made(app):
    owner = gen_user(name="Pat Facilitator")
    team = gen_team(owner)
    team.keep_originals = True
    task = gen_task(team)
    [sample] = accept_upload(jpeg_upload(), task=task, user=owner, label="S1")
    process_sample(sample.id)
    check_name(sample, "none")  # a blank page: no name found, so it waits for a person's word
    process_sample(sample.id)  # publishes the checked page
    db.session.refresh(sample)
    files = [sample.original_name, sample.image_name, sample.thumb_name]
    assert sample.status == "done" and on_disk(*files) == [True, True, True]
    assert len(stored_files()) == 3  # the upload itself is gone once processed

    services.delete_sample(sample, owner)

    assert on_disk(*files) == [False, False, False]
    assert stored_files() == set()
    assert db.session.execute(db.select(WorkSample)).first() is None
    [record] = records(team)
    assert (record.kind, record.user_id, record.by_name) == ("sample", owner.id, "Pat Facilitator")
    # (A blank page: the OCR found no text, so none is listed.)
    assert record.description == "Work of S1 for “Apple boxes”: its blurred image and thumbnail, the kept original photo"
    assert utcnow() - record.at < timedelta(minutes=1)


def test_deleting_a_sample_waiting_for_its_name_check_removes_its_unblurred_page(app):
    owner = gen_user()
    team = gen_team(owner)
    [sample] = accept_upload(jpeg_upload(), task=gen_task(team), user=owner, label="S1")
    process_sample(sample.id)
    db.session.refresh(sample)
    unblurred = sample.check_image_name
    assert sample.name_check == "waiting" and on_disk(unblurred) == [True] and len(stored_files()) == 1

    services.delete_sample(sample, owner)

    assert stored_files() == set()
    [record] = records(team)
    assert record.description == "Work of S1 for “Apple boxes”: the unblurred page waiting to be checked for a name"


def test_a_sample_still_waiting_for_its_job_takes_its_upload_with_it(app):
    owner = gen_user()
    task = gen_task(gen_team(owner))
    [sample] = accept_upload(jpeg_upload(), task=task, user=owner, label="S1")
    upload = sample.incoming_name
    assert on_disk(upload) == [True]

    services.delete_sample(sample, owner)

    assert on_disk(upload) == [False]
    process_sample(sample.id)  # the queued job finds nothing to do, and makes no files
    assert stored_files() == set()


def test_the_pages_of_one_pdf_share_their_upload_until_the_last_page_goes(app, tmp_path):
    from PIL import Image
    from werkzeug.datastructures import FileStorage

    owner = gen_user()
    task = gen_task(gen_team(owner))
    pdf = tmp_path / "scan.pdf"
    pages = [Image.new("RGB", (600, 800), "white") for _ in range(2)]
    pages[0].save(pdf, save_all=True, append_images=pages[1:])
    first, second = accept_upload(FileStorage(pdf.open("rb"), filename="scan.pdf"), task=task, user=owner)
    upload = first.incoming_name
    assert second.incoming_name == upload

    assert "the uploaded file" not in services.sample_removal(first).goes
    services.delete_sample(first, owner)
    assert on_disk(upload) == [True]

    second = db.session.get(WorkSample, second.id)
    assert "the uploaded file" in services.sample_removal(second).goes
    services.delete_sample(second, owner)
    assert on_disk(upload) == [False]


def test_deleting_a_sample_takes_it_out_of_every_closed_snapshot(app):
    owner = gen_user()
    team = gen_team(owner)
    meeting = start_on(gen_task(team), owner)
    gone, kept, other = (gen_sample(meeting.task, label) for label in ("S1", "S2", "S3"))
    gone_files = [gone.image_name, gone.thumb_name]
    closed, group = gen_closed_sort(meeting, [gone, kept, other])
    before = snapshot_of(closed.id)
    assert [e["id"] for e in before["samples"]] == [gone.id, kept.id, other.id]
    reopened = sorting.reopen_sort(closed, meeting)  # version 2: the card is on the open board too
    revision = reopened.revision

    removal = services.delete_sample(gone, owner)

    after = snapshot_of(closed.id)
    assert [e["id"] for e in after["samples"]] == [kept.id, other.id]
    assert all(gone.id not in column["sample_ids"] for column in after["columns"])
    assert sorted(sid for c in after["columns"] for sid in c["sample_ids"]) == [kept.id, other.id]
    assert str(gone.id) not in after["cards"] and after["share"] == [kept.id, other.id]
    assert [c["count"] for c in after["patterns"]["counts"] if c["group_id"] == group.id] == [0]
    assert after["patterns"]["unsorted"] == 2
    assert "6 + 6 + 6" not in str([e for e in after["samples"] if e["id"] == gone.id])
    # Everything else in the snapshot is as it was.
    assert after["groups"] == before["groups"] and after["next_steps"] == before["next_steps"]
    assert db.session.execute(db.select(Placement).filter_by(sample_id=gone.id)).first() is None
    assert db.session.execute(db.select(Move).filter_by(sample_id=gone.id)).first() is None
    assert db.session.get(Sort, reopened.id).revision == revision + 1  # the open board's clients resync
    assert on_disk(*gone_files) == [False, False]
    assert on_disk(kept.image_name, other.thumb_name) == [True, True]
    assert "its card in 2 sorts, closed sorts' snapshots included" in removal.goes


def test_work_a_job_is_reading_cannot_be_deleted_until_the_job_lets_go(app):
    owner = gen_user()
    task = gen_task(gen_team(owner))
    sample = gen_sample(task, status="processing")
    sample.lease_until = utcnow() + timedelta(minutes=2)
    db.session.commit()

    with pytest.raises(CannotDelete, match="being read right now"):
        services.delete_sample(sample, owner)
    assert exists(WorkSample, sample.id) and on_disk(sample.image_name) == [True]
    assert records(task.unit.team) == []

    sample.lease_until = utcnow() - timedelta(seconds=1)  # the worker died: its lease ran out
    db.session.commit()
    services.delete_sample(sample, owner)
    assert not exists(WorkSample, sample.id)


# --- sorts ----------------------------------------------------------------------------

def test_deleting_a_sort_removes_that_version_and_keeps_the_work(app):
    owner = gen_user()
    team = gen_team(owner)
    meeting = start_on(gen_task(team), owner)
    samples = [gen_sample(meeting.task, f"S{n}") for n in (1, 2)]
    first, _ = gen_closed_sort(meeting, samples)
    second = sorting.reopen_sort(first, meeting)
    second_groups = [g.id for g in second.groups]
    end_meeting(meeting)

    removal = services.delete_sort(first, owner)

    assert not exists(Sort, first.id)
    for model in (SortGroup, Placement, Move, NextStep):
        assert db.session.execute(db.select(model).filter_by(sort_id=first.id)).first() is None, model
    kept = db.session.get(Sort, second.id)
    assert [g.id for g in kept.groups] == second_groups and len(kept.placements) == 2 and len(kept.next_steps) == 1
    assert all(exists(WorkSample, s.id) for s in samples)
    assert on_disk(*[n for s in samples for n in (s.image_name, s.thumb_name)]) == [True] * 4
    assert removal.title == f"Sort version 1 for “{meeting.task.title}” (closed {utcnow():%d %b %Y} by Pat)"
    assert removal.goes == ["1 group and their notes", "1 next step", "where 1 sample sat", "its snapshot"]
    assert records(team)[0].kind == "sort"


def test_a_sort_cannot_be_deleted_while_a_meeting_on_its_task_runs(app):
    owner = gen_user()
    team = gen_team(owner)
    meeting = start_on(gen_task(team), owner)
    sort = sorting.sort_for_meeting(meeting)  # the board the room is looking at

    with pytest.raises(CannotDelete, match="End the meeting first"):
        services.delete_sort(sort, owner)

    end_meeting(meeting)
    services.delete_sort(db.session.get(Sort, sort.id), owner)
    assert not exists(Sort, sort.id)


# --- meetings -------------------------------------------------------------------------

def test_deleting_a_meeting_removes_its_people_and_responses_and_keeps_the_work(app):
    owner = gen_user()
    team = gen_team(owner)
    meeting = start_on(gen_task(team), owner)
    ana = gen_people(meeting, "Skip counts by 6", "Draws groups", name="Ana")
    gen_people(meeting, "Uses an array", name="Ben")
    brought = gen_sample(meeting.task, "S1", meeting=meeting, participant=ana)
    sort, _ = gen_closed_sort(meeting, [brought])
    end_meeting(meeting)

    removal = services.delete_meeting(meeting, owner)

    assert not exists(Meeting, meeting.id)
    assert db.session.execute(db.select(Participant)).first() is None
    assert db.session.execute(db.select(Response)).first() is None
    sample = db.session.get(WorkSample, brought.id)
    assert (sample.meeting_id, sample.uploaded_by_participant_id) == (None, None)
    assert sample.text == "6 + 6 + 6 = 18" and on_disk(sample.image_name, sample.thumb_name) == [True, True]
    assert db.session.get(Sort, sort.id).meeting_id is None and snapshot_of(sort.id)["samples"]
    assert removal.goes == ["2 participants (names and roles)", "3 responses and who wrote them"]
    assert any("1 sample of student work brought in during the meeting stay" in s for s in removal.stays)
    [record] = records(team)
    assert record.kind == "meeting" and "2 participants" in record.description


def test_a_meeting_that_has_not_ended_cannot_be_deleted(app):
    owner = gen_user()
    team = gen_team(owner)
    meeting = start_on(gen_task(team), owner)
    gen_people(meeting, "Draws groups")

    with pytest.raises(CannotDelete, match="still running"):
        services.delete_meeting(meeting, owner)
    assert exists(Meeting, meeting.id) and db.session.execute(db.select(Response)).first() is not None
    assert records(team) == []


# --- units ----------------------------------------------------------------------------

def test_deleting_a_unit_removes_its_tasks_meetings_work_sorts_and_files(app):
    owner = gen_user()
    team = gen_team(owner)
    first = gen_unit_task(team, "Unit 5: Fractions", "Pizza shares")
    second = gen_unit_task(team, title="Ribbon pieces", unit=first.unit)
    second.image_name = gen_file("tasks")
    db.session.commit()
    meeting = start_on(first, owner)
    gen_people(meeting, "Halves then quarters", "Draws circles")
    work = [gen_sample(first, "S1", original=True, meeting=meeting), gen_sample(first, "S2"),
            gen_sample(second, "S1")]
    gen_closed_sort(meeting, work[:2])
    end_meeting(meeting)
    elsewhere = gen_task(team, title="Apple boxes")  # another unit of the same team
    untouched = gen_sample(elsewhere, "S9")
    files = [n for s in work for n in (s.original_name, s.image_name, s.thumb_name) if n] + [second.image_name]

    removal = services.unit_removal(first.unit)
    assert removal.goes == ["2 tasks (1 picture)", "1 meeting with 1 participant and 2 responses",
                            "3 samples of student work with their images and text", "1 sort"]
    services.delete_unit(first.unit, owner)

    assert on_disk(*files) == [False] * len(files)
    assert stored_files() == {storage.path_of(n) for n in (untouched.image_name, untouched.thumb_name)}
    for model in (Unit, Task, Meeting, Participant, Response, Sort, SortGroup, Placement, NextStep, Move):
        remaining = db.session.execute(db.select(model)).scalars().all()
        assert remaining == [] or model in (Unit, Task), model
    assert [t.title for t in db.session.execute(db.select(Task)).scalars()] == ["Apple boxes"]
    assert [s.id for s in db.session.execute(db.select(WorkSample)).scalars()] == [untouched.id]
    [record] = records(team)
    assert record.kind == "unit" and record.description == (
        "Unit “Unit 5: Fractions”: 2 tasks (1 picture), 1 meeting with 1 participant and 2 responses, "
        "3 samples of student work with their images and text, 1 sort")


def test_a_unit_with_a_running_meeting_cannot_be_deleted(app):
    owner = gen_user()
    team = gen_team(owner)
    task = gen_unit_task(team)
    start_on(task, owner)
    sample = gen_sample(task)

    with pytest.raises(CannotDelete, match="still running"):
        services.delete_unit(task.unit, owner)
    assert exists(Unit, task.unit.id) and on_disk(sample.image_name) == [True]


# --- the record -----------------------------------------------------------------------

def test_the_record_outlives_the_account_of_who_deleted(app):
    owner = gen_user()
    team = gen_team(owner)
    member = gen_member(team, "Mo Member")
    services.delete_sample(gen_sample(gen_task(team), "K3"), member)

    db.session.delete(member)
    db.session.commit()

    [record] = records(team)
    assert (record.user_id, record.by_name) == (None, "Mo Member")
    assert "Work of K3" in record.description


def test_the_log_lists_the_latest_deletions_first(app):
    owner = gen_user()
    team = gen_team(owner)
    task = gen_task(team)
    for n in range(1, 4):
        services.delete_sample(gen_sample(task, f"S{n}"), owner)

    log = recent_deletions(team.id, limit=2)

    assert [r.description.split(" for ")[0] for r in log] == ["Work of S3", "Work of S2"]
    assert recent_deletions(gen_team(owner, name="Other").id) == []
