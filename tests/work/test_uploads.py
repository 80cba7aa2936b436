"""Getting work in: per-file results, clear messages for bad files, nothing half-saved."""
import io
from pathlib import Path

from PIL import Image

from plc.extensions import db
from plc.jobs import huey
from plc.meetings.models import Participant
from plc.work.models import WorkSample
from tests.conftest import gen_meeting, gen_task, gen_team, gen_user, join_as, live_client, login, events_named


def jpeg_bytes(size=(800, 1000)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "JPEG")
    return out.getvalue()


def stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOADS_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def upload(client, url, *files, labels=None):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    if labels is not None:
        data["labels"] = labels
    return client.post(url, data=data, content_type="multipart/form-data", headers={"Accept": "application/json"})


def test_a_batch_with_one_bad_file_saves_the_good_ones_and_names_the_bad_one(app, client, phone_photos):
    user = gen_user()
    task = gen_task(gen_team(user))
    login(client, user)
    response = upload(client, f"/tasks/{task.id}/work",
                      ("ana.jpg", phone_photos[0]["path"].read_bytes()),
                      ("notes.jpg", b"just some text, not a photo\n"),
                      ("ben.jpg", phone_photos[1]["path"].read_bytes()),
                      labels=["AL", "", "B.O."])
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["ok"] for r in results] == [True, False, True]
    assert results[1]["file"] == "notes.jpg" and "not a photo" in results[1]["error"]
    samples = db.session.execute(db.select(WorkSample).order_by(WorkSample.id)).scalars().all()
    assert [(s.student_label, s.status, s.source_kind) for s in samples] == [("AL", "queued", "jpeg"), ("B.O.", "queued", "jpeg")]
    assert [r["samples"][0]["status"] for r in (results[0], results[2])] == ["queued", "queued"]
    assert len(stored_files(app)) == 2  # the two good uploads, waiting for their job
    assert huey.pending_count() == 2


def test_every_kind_of_bad_file_gets_a_clear_message_and_leaves_nothing(app, client):
    user = gen_user()
    task = gen_task(gen_team(user))
    login(client, user)
    good = jpeg_bytes()
    bad = {
        "text.jpg": (b"hello\n" * 10, "not a photo"),
        "drawing.svg": (b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "SVG"),
        "cut.jpg": (good[: len(good) // 2], "incomplete"),
        "empty.png": (b"", "empty"),
    }
    response = upload(client, f"/tasks/{task.id}/work", *[(name, content) for name, (content, _) in bad.items()])
    assert response.status_code == 400
    for result in response.get_json()["results"]:
        assert result["ok"] is False and bad[result["file"]][1] in result["error"], result
    assert db.session.query(WorkSample).count() == 0
    assert stored_files(app) == []
    assert huey.pending_count() == 0


def test_a_request_over_the_size_limit_is_413_with_a_message(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 200_000
    user = gen_user()
    task = gen_task(gen_team(user))
    login(client, user)
    response = upload(client, f"/tasks/{task.id}/work", ("big.jpg", b"\xff\xd8" + b"0" * 300_000))
    assert response.status_code == 413
    assert "larger than the limit" in response.get_json()["error"]
    assert db.session.query(WorkSample).count() == 0 and stored_files(app) == []


def test_labels_are_codes_not_names(app, client):
    user = gen_user()
    task = gen_task(gen_team(user))
    login(client, user)
    response = upload(client, f"/tasks/{task.id}/work", ("a.jpg", jpeg_bytes()), ("b.jpg", jpeg_bytes()),
                      labels=["Jonathan Smith", ""])
    first, second = response.get_json()["results"]
    assert first["ok"] is False and "not the student's name" in first["error"]
    assert second["ok"] is True and second["samples"][0]["label"] == "S1"


def test_a_pdf_scan_becomes_one_sample_per_page(app, client, tmp_path):
    user = gen_user()
    task = gen_task(gen_team(user))
    login(client, user)
    pages = [Image.new("RGB", (600, 800), "white") for _ in range(3)]
    pdf = tmp_path / "scan.pdf"
    pages[0].save(pdf, save_all=True, append_images=pages[1:])
    response = upload(client, f"/tasks/{task.id}/work", ("scan.pdf", pdf.read_bytes()), labels=["K3"])
    [result] = response.get_json()["results"]
    assert [s["page"] for s in result["samples"]] == [1, 2, 3]
    assert {s.incoming_name for s in db.session.query(WorkSample)} == {db.session.query(WorkSample).first().incoming_name}


def test_only_members_upload_for_a_task(app, client):
    owner = gen_user()
    task = gen_task(gen_team(owner))
    stranger = gen_user(name="Stranger")
    gen_team(stranger, name="Elsewhere")
    login(client, stranger)
    assert upload(client, f"/tasks/{task.id}/work", ("a.jpg", jpeg_bytes())).status_code == 404
    assert client.get(f"/tasks/{task.id}/work").status_code == 404
    assert app.test_client().get(f"/tasks/{task.id}/work.json").status_code == 302
    assert db.session.query(WorkSample).count() == 0


def test_phones_upload_during_a_meeting_and_the_room_sees_it(app):
    user = gen_user()
    team = gen_team(user)
    meeting = gen_meeting(team, user, ["work-sort"])
    http = app.test_client()
    login(http, user)
    projector = live_client(app, http, meeting)
    phone_http = join_as(app, meeting, "Ana")
    phone = live_client(app, phone_http, meeting)
    response = upload(phone_http, f"/live/{meeting.id}/work", ("photo.jpg", jpeg_bytes()), labels=["AL"])
    assert response.status_code == 200
    [sample] = db.session.query(WorkSample).all()
    assert (sample.meeting_id, sample.uploaded_by_participant_id, sample.task_id) == (
        meeting.id, db.session.query(Participant).one().id, meeting.task_id)
    for client in (projector, phone):
        [event] = events_named(client, "work:sample")
        assert event["label"] == "AL" and event["status"] == "queued" and event["thumb_url"] is None

    # Someone not in the meeting cannot upload into it; locked input refuses uploads.
    assert upload(app.test_client(), f"/live/{meeting.id}/work", ("x.jpg", jpeg_bytes())).status_code == 404
    projector.emit("input:lock", {"value": True}, callback=True)
    locked = upload(phone_http, f"/live/{meeting.id}/work", ("y.jpg", jpeg_bytes()))
    assert locked.status_code == 400 and "locked" in locked.get_json()["error"]
    assert db.session.query(WorkSample).count() == 1


def test_the_room_state_carries_samples_on_work_steps_only(app):
    user = gen_user()
    team = gen_team(user)
    meeting = gen_meeting(team, user, ["work-sort"])
    http = app.test_client()
    login(http, user)
    projector = live_client(app, http, meeting)
    assert events_named(projector, "state")[-1]["samples"] is None  # "Purpose and norms" is a discussion
    upload(http, f"/tasks/{meeting.task_id}/work", ("a.jpg", jpeg_bytes()), labels=["Z9"])
    projector.emit("step:goto", {"pos": 1}, callback=True)
    assert [s["label"] for s in events_named(projector, "state")[-1]["samples"]] == ["Z9"]
    # Other changes leave the samples out: work:sample events keep them current.
    projector.emit("timer:add", {"seconds": 60}, callback=True)
    assert "samples" not in events_named(projector, "state")[-1]


def test_the_upload_is_checked_off_the_requests_thread(app, client, monkeypatch):
    import threading

    from plc.work import services

    inspect, checked_in = services.inspect_upload, []

    def inspect_upload(path):
        checked_in.append(threading.get_ident())
        return inspect(path)

    monkeypatch.setattr(services, "inspect_upload", inspect_upload)
    user = gen_user()
    task = gen_task(gen_team(user))
    login(client, user)
    assert upload(client, f"/tasks/{task.id}/work", ("ana.jpg", jpeg_bytes())).status_code == 200
    assert checked_in and threading.get_ident() not in checked_in
