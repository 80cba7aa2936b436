"""The background job, run in-process: upright, no metadata, names blurred, text read."""
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from sqlalchemy.exc import SQLAlchemyError

from plc import storage
from plc.accounts.models import User
from plc.retention.services import delete_sample
from plc.work import processing
from plc.extensions import db
from plc.work.models import WorkSample
from plc.work.processing import process_sample
from plc.work.services import accept_upload, add_blur_box, correct_text
from plc.work.processing import apply_blur_boxes
from plc.work.state import sample_payload
from tests.conftest import gen_task, gen_team, gen_user
from werkzeug.datastructures import FileStorage


def add_sample(task, user, path: Path, label="S1") -> WorkSample:
    with open(path, "rb") as f:
        [sample] = accept_upload(FileStorage(f, filename=path.name), task=task, user=user, label=label)
    return sample


def region_stddev(image: Image.Image, box) -> float:
    return ImageStat.Stat(image.convert("L").crop(tuple(box))).stddev[0]


def test_a_phone_photo_comes_out_upright_without_metadata_and_with_the_name_blurred(app, phone_photos):
    user = gen_user()
    task = gen_task(gen_team(user))
    photo = phone_photos[0]
    sample = add_sample(task, user, photo["path"])
    process_sample(sample.id)
    db.session.refresh(sample)

    assert sample.status == "done", sample.error
    assert sample.incoming_name is None and sample.original_name is None
    shown = Image.open(storage.path_of(sample.image_name))
    thumb = Image.open(storage.path_of(sample.thumb_name))
    for image in (shown, thumb):
        assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
    # Stored sideways with EXIF orientation 6: upright, the page is taller than wide.
    assert shown.height > shown.width and max(thumb.size) <= 480
    # The name is unreadable where the manifest says it was written.
    with Image.open(photo["path"]) as raw:
        from PIL import ImageOps
        upright = ImageOps.exif_transpose(raw)
    scale = shown.width / upright.width
    box = [round(v * scale) for v in photo["name_box"]]
    assert region_stddev(shown, box) < 0.5 * region_stddev(upright.resize(shown.size), box)
    assert sample.blur_boxes, "the name's box is recorded"
    # The text was read, and the student's name is not in it.
    assert sample.ocr_text and photo["student"] not in sample.ocr_text
    assert 0 <= sample.ocr_confidence <= 100 and sample.ocr_words
    assert not [p for p in Path(app.config["UPLOADS_DIR"]).rglob("*") if "incoming" in p.parts and p.is_file()]


def test_a_team_that_keeps_originals_keeps_the_unblurred_photo(app, phone_photos):
    user = gen_user()
    team = gen_team(user)
    team.keep_originals = True
    db.session.commit()
    sample = add_sample(gen_task(team), user, phone_photos[1]["path"])
    process_sample(sample.id)
    db.session.refresh(sample)
    original = Image.open(storage.path_of(sample.original_name))
    assert original.size == Image.open(storage.path_of(sample.image_name)).size
    assert not original.getexif()


def test_a_file_damaged_inside_fails_with_a_reason_and_keeps_nothing(app, tmp_path):
    user = gen_user()
    task = gen_task(gen_team(user))
    # A JPEG whose end marker is intact but whose middle is garbage: only decoding finds out.
    good = tmp_path / "good.jpg"
    Image.effect_noise((600, 800), 60).convert("RGB").save(good, "JPEG")
    data = bytearray(good.read_bytes())
    data[600:len(data) - 2] = b"\x00" * (len(data) - 602)
    damaged = tmp_path / "damaged.jpg"
    damaged.write_bytes(bytes(data))
    sample = add_sample(task, user, damaged)
    process_sample(sample.id)
    db.session.refresh(sample)
    if sample.status == "done":  # Pillow may decode zeros as a grey picture: nothing to reject then.
        return
    assert sample.status == "failed" and sample.error
    assert (sample.image_name, sample.thumb_name, sample.incoming_name) == (None, None, None)
    assert not [p for p in Path(app.config["UPLOADS_DIR"]).rglob("*") if p.is_file()]


def test_a_box_drawn_by_someone_blurs_that_part_and_its_words(app, phone_photos):
    user = gen_user()
    task = gen_task(gen_team(user))
    sample = add_sample(task, user, phone_photos[0]["path"])
    process_sample(sample.id)
    db.session.refresh(sample)
    before = Image.open(storage.path_of(sample.image_name)).convert("L")
    words_before = len(sample.ocr_words)
    add_blur_box(sample, (0.0, 0.45, 1.0, 0.75))
    apply_blur_boxes(sample.id)
    db.session.refresh(sample)
    after = Image.open(storage.path_of(sample.image_name)).convert("L")
    w, h = after.size
    band = (0, int(0.5 * h), w, int(0.7 * h))
    assert region_stddev(after, band) < region_stddev(before, band)
    top = (0, int(0.8 * h), w, h)
    assert abs(region_stddev(after, top) - region_stddev(before, top)) < 1
    assert len(sample.ocr_words) <= words_before


def test_a_sample_deleted_while_its_boxes_are_blurred_leaves_no_picture_behind(app, phone_photos, monkeypatch):
    user = gen_user()
    task = gen_task(gen_team(user))
    sample = add_sample(task, user, phone_photos[0]["path"])
    process_sample(sample.id)
    add_blur_box(sample, (0.0, 0.45, 1.0, 0.75))
    sample_id, user_id = sample.id, user.id
    save = processing._save

    def deleted_just_before(sample, **changes):
        # A teacher deletes the sample (another request, its own session) as the job saves.
        with app.app_context():
            delete_sample(db.session.get(WorkSample, sample_id), db.session.get(User, user_id))
        save(sample, **changes)

    monkeypatch.setattr(processing, "_save", deleted_just_before)
    with pytest.raises(SQLAlchemyError):
        apply_blur_boxes(sample_id)
    monkeypatch.setattr(processing, "_save", save)
    db.session.remove()
    apply_blur_boxes(sample_id)  # the job's retry: nothing left to do

    assert db.session.get(WorkSample, sample_id) is None
    assert not [p for p in Path(app.config["UPLOADS_DIR"]).rglob("*") if p.is_file()]


def test_corrected_text_is_shown_and_the_ocr_text_kept(app, phone_photos):
    user = gen_user()
    task = gen_task(gen_team(user))
    sample = add_sample(task, user, phone_photos[1]["path"])
    process_sample(sample.id)
    db.session.refresh(sample)
    read = sample.ocr_text
    correct_text(sample, "5 x 7 = 35\n1 x 7 = 7")
    payload = sample_payload(sample)
    assert payload["text"] == "5 x 7 = 35\n1 x 7 = 7" and payload["corrected"] is True
    assert payload["unsure_words"] == [] and sample.ocr_text == read
    correct_text(sample, "Name: Kim\n5 x 7 = 35")
    assert sample_payload(sample)["preview"] == "5 x 7 = 35"  # what cards show: the work, not the name line
