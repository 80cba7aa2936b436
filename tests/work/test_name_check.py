"""A page whose name the reader is unsure of stays private until a person checks it: nothing of
it (thumbnail, image, text, unsure words) reaches a phone, the projector or the task's page;
the check view shows the unblurred page to the room's people only; each answer publishes it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from plc import storage
from plc.extensions import db
from plc.ocr.base import OcrResult, Word
from plc.ocr.registry import register_engine
from plc.work import processing
from plc.work.lifecycle import DONE, FAILED, MAX_ATTEMPTS, QUEUED
from plc.work.models import WorkSample
from plc.work.notify import emit_sample
from plc.work.processing import process_sample
from plc.work.state import sample_payload
from plc.work.tasks import recover
from tests.conftest import events_named, gen_meeting, gen_team, gen_user, join_as, live_client, login
from tests.work.test_lifecycle import fresh, lose_queued_jobs, run_queued_jobs, time_passes
from tests.work.test_uploads import jpeg_bytes, upload

NAME = "Noahzz"
PAGE = (800, 1000)


class MisreadLabelEngine:
    """Reads a page whose label came out as 'Mane:' (the slip of issue 13), with a date beside it."""

    name = "misread-label"

    def __init__(self, **options):
        pass

    def read(self, image, region=None) -> OcrResult:
        words = [Word("Mane:", 40, (40, 60, 140, 100), 0), Word(NAME, 55, (160, 60, 300, 100), 0),
                 Word("Date:", 90, (520, 60, 610, 100), 0), Word("3/11", 90, (620, 60, 700, 100), 0)]
        if region is None:
            words += [Word("7", 95, (40, 400, 60, 440), 1), Word("+", 95, (70, 400, 90, 440), 1),
                      Word("6", 95, (100, 400, 120, 440), 1), Word("=", 95, (130, 400, 150, 440), 1),
                      Word("13", 30, (160, 400, 200, 440), 1)]
        lines: dict[int, list[str]] = {}
        for w in words:
            lines.setdefault(w.line, []).append(w.text)
        return OcrResult("\n".join(" ".join(t) for t in lines.values()), 80.0, words, self.name)


register_engine(MisreadLabelEngine.name, MisreadLabelEngine)


@pytest.fixture
def live_room(app):
    app.config["OCR_ENGINE"] = MisreadLabelEngine.name
    owner = gen_user()
    team = gen_team(owner)
    meeting = gen_meeting(team, owner, ["work-sort"])
    http = app.test_client()
    login(http, owner)
    phone_http = join_as(app, meeting, "Ana")
    return {"meeting": meeting, "http": http, "projector": live_client(app, http, meeting),
            "phone_http": phone_http, "phone": live_client(app, phone_http, meeting)}


def uploaded_and_read(room) -> WorkSample:
    response = upload(room["phone_http"], f"/live/{room['meeting'].id}/work", ("page.jpg", jpeg_bytes(PAGE)))
    assert response.status_code == 200
    sample = db.session.query(WorkSample).one()
    process_sample(sample.id)
    db.session.refresh(sample)
    emit_sample(sample)
    return sample


def everything_sent(room) -> str:
    return json.dumps([events_named(room[c], "work:sample") for c in ("projector", "phone")])


def test_nothing_of_an_unchecked_sample_reaches_a_phone_or_the_projector(app, live_room):
    sample = uploaded_and_read(live_room)
    assert (sample.status, sample.name_check) == ("done", "waiting")
    assert sample.image_name is sample.thumb_name is sample.ocr_text is None
    sent = everything_sent(live_room)
    assert NAME not in sent and "/thumb" not in sent and "/image" not in sent and "7 + 6" not in sent
    last = events_named(live_room["phone"], "work:sample")[-1]
    assert last["status"] == "check" and last["check_url"] == f"/work/{sample.id}/check"
    task_page = live_room["http"].get(f"/tasks/{sample.task_id}/work.json").get_json()
    assert NAME not in json.dumps(task_page) and task_page["samples"][0]["text"] is None
    for client in (live_room["http"], live_room["phone_http"]):
        for url in (f"/work/{sample.id}/image", f"/work/{sample.id}/thumb"):
            assert client.get(url).status_code == 404, url
        # drawing an ordinary blur box or correcting the text is refused until the check
        assert client.post(f"/work/{sample.id}/text", json={"text": "x"}).status_code == 400

    # The check view: the unblurred page, for the room's people and the team only.
    for client in (live_room["http"], live_room["phone_http"]):
        page = client.get(f"/work/{sample.id}/check")
        assert page.status_code == 200 and "No name on this page" in page.get_data(as_text=True)
        assert "Accept this box" in page.get_data(as_text=True)
        assert client.get(f"/work/{sample.id}/check/image").mimetype == "image/jpeg"
    stranger = app.test_client()
    login(stranger, gen_user(name="Stranger"))
    for visitor in (app.test_client(), stranger):
        assert visitor.get(f"/work/{sample.id}/check").status_code == 404
        assert visitor.get(f"/work/{sample.id}/check/image").status_code == 404
        assert visitor.post(f"/work/{sample.id}/check", json={"choice": "none"}).status_code == 404
    assert db.session.get(WorkSample, sample.id).name_check == "waiting"


def test_accepting_the_found_box_blurs_it_and_the_text_leaves_out_the_name_line(app, live_room):
    sample = uploaded_and_read(live_room)
    phone = live_room["phone_http"]
    assert phone.post(f"/work/{sample.id}/check", json={"choice": "maybe"}).status_code == 400
    response = phone.post(f"/work/{sample.id}/check", json={"choice": "accept"})
    assert response.status_code == 200
    assert response.get_json()["sample"]["image_url"] is None  # the blurred views are still being made
    unblurred = sample.check_image_name
    process_sample(sample.id)  # publishes the checked page
    db.session.refresh(sample)
    assert sample.name_check == "checked" and sample.check_image_name is None
    assert not storage.path_of(unblurred).exists()
    assert sample.ocr_text == "7 + 6 = 13"  # no name, no label, no date
    assert NAME not in json.dumps(sample.ocr_words)
    assert phone.get(f"/work/{sample.id}/image").status_code == 200
    assert phone.get(f"/work/{sample.id}/check").status_code == 200  # says it was checked
    assert phone.get(f"/work/{sample.id}/check/image").status_code == 404
    assert phone.post(f"/work/{sample.id}/check", json={"choice": "none"}).status_code == 400


def test_a_drawn_box_is_blurred_and_no_name_publishes_the_page_as_it_is(app, live_room):
    sample = uploaded_and_read(live_room)
    http = live_room["http"]
    assert http.post(f"/work/{sample.id}/check", json={"choice": "box", "box": [0, 0, 2, 1]}).status_code == 400
    assert http.post(f"/work/{sample.id}/check",
                     json={"choice": "box", "box": [0.15, 0.04, 0.4, 0.12]}).status_code == 200
    process_sample(sample.id)  # publishes the checked page
    db.session.refresh(sample)
    assert [120, 40, 320, 120] in sample.blur_boxes and sample.image_name
    assert sample.ocr_text == "7 + 6 = 13"

    other = WorkSample(team_id=sample.team_id, task_id=sample.task_id, student_label="S2", source_kind="jpeg",
                       status="done", name_check="waiting", width=PAGE[0], height=PAGE[1],
                       check_image_name=storage.new_name("checks", ".jpg"), ocr_words=[])
    Image.new("RGB", PAGE, "white").save(storage.path_of(other.check_image_name), "JPEG")
    db.session.add(other)
    db.session.commit()
    assert http.post(f"/work/{other.id}/check", json={"choice": "accept"}).status_code == 400  # nothing found
    assert http.post(f"/work/{other.id}/check", json={"choice": "none"}).status_code == 200
    process_sample(other.id)  # publishes the checked page
    db.session.refresh(other)
    assert other.blur_boxes == [] and other.image_name and not other.private
    with Image.open(storage.path_of(other.image_name)) as shown:
        assert ImageStat.Stat(shown.convert("L")).stddev[0] < 1


def files_in(app, folder: str) -> list[Path]:
    return [p for p in (Path(app.config["UPLOADS_DIR"]) / folder).glob("*") if p.is_file()]


def test_a_kept_page_outlives_recovery_while_it_waits_and_a_lost_publish_is_sent_again(app, live_room):
    sample = uploaded_and_read(live_room)
    sample_id, kept = sample.id, sample.check_image_name
    stray = storage.path_of("checks/deadbeef.jpg")  # a crash after publishing, before the file went
    stray.write_bytes(b"an unblurred page")
    lose_queued_jobs()
    time_passes(app)
    recover()
    assert storage.path_of(kept).exists(), "a page waiting for its check is not done with"
    assert not stray.exists()
    assert live_room["phone_http"].post(f"/work/{sample_id}/check", json={"choice": "accept"}).status_code == 200
    assert fresh(sample_id).status == QUEUED

    lose_queued_jobs()  # the server died with the publishing job
    time_passes(app)
    recover()
    assert run_queued_jobs() == 1
    published = fresh(sample_id)
    assert (published.status, published.check_image_name, published.ocr_text) == (DONE, None, "7 + 6 = 13")
    assert files_in(app, "checks") == [], "no unblurred page stays once the sample is published"


def test_a_publish_that_keeps_failing_ends_failed_and_try_again_publishes_it(app, live_room, monkeypatch):
    sample_id = uploaded_and_read(live_room).id
    assert live_room["http"].post(f"/work/{sample_id}/check", json={"choice": "none"}).status_code == 200
    lose_queued_jobs()
    monkeypatch.setattr(processing, "thumbnail", lambda image: 1 / 0)
    for _ in range(MAX_ATTEMPTS):
        with pytest.raises(ZeroDivisionError):
            process_sample(sample_id)
    failed = fresh(sample_id)
    assert failed.status == FAILED and "Try again" in failed.error and failed.private
    payload = sample_payload(failed)
    assert payload["status"] == FAILED and payload["thumb_url"] is None and payload["check_url"] is None
    assert storage.path_of(failed.check_image_name).exists(), "the kept page stays for the retry"

    monkeypatch.undo()
    assert live_room["http"].post(f"/work/{sample_id}/retry", json={}).status_code == 200
    assert run_queued_jobs() == 1
    published = fresh(sample_id)
    assert published.status == DONE and not published.private and published.image_name
    assert files_in(app, "checks") == []
