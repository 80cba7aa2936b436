import io
import re
from pathlib import Path

import pillow_heif
import pytest
from PIL import ExifTags, Image

from plc.extensions import db
from plc.teams.models import Membership, Task, Unit
from tests.conftest import gen_task, gen_team, gen_user, login

TASK = {"title": "Apple boxes", "context": "A store packs 6 apples in a box.", "question": "How many boxes for 84 apples?"}


@pytest.fixture
def unit():
    """A unit of a team whose facilitator is the first user."""
    unit = Unit(team=gen_team(gen_user()), title="Unit 4")
    db.session.add(unit)
    db.session.commit()
    return unit


def facilitator_of(unit):
    return unit.team.memberships[0].user


def png_with_gps(size=(2000, 1000)) -> bytes:
    """A landscape PNG whose EXIF says "rotate 90°" and carries a camera make and a GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (40.0, 26.0, 46.0)
    buffer = io.BytesIO()
    Image.new("RGBA", size, (200, 30, 30, 255)).save(buffer, "PNG", exif=exif)
    return buffer.getvalue()


def upload(client, unit, data: bytes, filename: str):
    return client.post(
        f"/units/{unit.id}/tasks/new",
        data={**TASK, "image": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def stored_files(app):
    return [p for p in Path(app.config["UPLOADS_DIR"]).rglob("*") if p.is_file()]


def test_a_png_is_stored_upright_smaller_and_as_jpeg_without_exif(app, client, unit):
    source = png_with_gps()
    with Image.open(io.BytesIO(source)) as original:
        assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test image does carry GPS
    login(client, facilitator_of(unit))

    response = upload(client, unit, source, "apples.png")

    task = db.session.execute(db.select(Task)).scalar_one()
    assert response.headers["Location"] == f"/tasks/{task.id}"
    assert re.fullmatch(r"tasks/[0-9a-f]{32}\.jpg", task.image_name)
    [stored] = stored_files(app)
    assert stored == Path(app.config["UPLOADS_DIR"]) / task.image_name
    with Image.open(stored) as image:
        assert image.format == "JPEG"
        assert image.size == (800, 1600)
        assert "exif" not in image.info
        assert not image.getexif()


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (b"just some words, not a picture", "notes.png", "not a JPEG, PNG or WebP picture"),
        (png_with_gps((20, 20))[:60], "cut.png", "not a JPEG, PNG or WebP picture"),
        (png_with_gps((20, 20)), "apples.gif", "Choose a JPEG, PNG or WebP picture."),
        (b"\x89PNG" + bytes(10 * 1024 * 1024), "huge.png", "larger than 10 MB"),
    ],
)
def test_bad_images_get_a_field_error_and_nothing_is_saved(app, client, unit, data, filename, message):
    login(client, facilitator_of(unit))

    response = upload(client, unit, data, filename)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'<ul class="errors" id="image-errors"><li>[^<]*' + re.escape(message), page)
    assert db.session.execute(db.select(Task)).first() is None
    assert stored_files(app) == []


def test_a_heic_photo_passes_the_media_checks_but_is_not_a_task_picture(app, client, unit):
    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buffer, "HEIF")
    login(client, facilitator_of(unit))

    response = upload(client, unit, buffer.getvalue(), "photo.png")

    assert "not a JPEG, PNG or WebP picture" in response.get_data(as_text=True)
    assert db.session.execute(db.select(Task)).first() is None
    assert stored_files(app) == []


def test_decompression_bombs_are_rejected(app, client, unit, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 300)  # 20 x 20 = 400 pixels only warns
    login(client, facilitator_of(unit))

    response = upload(client, unit, png_with_gps((20, 20)), "bomb.png")

    assert "The image has too many pixels." in response.get_data(as_text=True)
    assert db.session.execute(db.select(Task)).first() is None
    assert stored_files(app) == []


@pytest.fixture
def task_with_image(app, client, unit):
    login(client, facilitator_of(unit))
    upload(client, unit, png_with_gps((40, 20)), "apples.png")
    client.post("/logout")
    return db.session.execute(db.select(Task)).scalar_one()


def test_members_get_the_image(app, client, task_with_image):
    member = gen_user()
    db.session.add(Membership(team=task_with_image.unit.team, user=member, role="member"))
    db.session.commit()
    login(client, member)

    response = client.get(f"/tasks/{task_with_image.id}/image")

    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert response.data == (Path(app.config["UPLOADS_DIR"]) / task_with_image.image_name).read_bytes()
    assert f'src="/tasks/{task_with_image.id}/image"' in client.get(f"/tasks/{task_with_image.id}").get_data(as_text=True)


def test_non_members_get_404_for_the_image(client, task_with_image):
    login(client, gen_user())

    assert client.get(f"/tasks/{task_with_image.id}/image").status_code == 404


def test_visitors_get_404_for_the_image_not_a_login_page(client, task_with_image):
    assert client.get(f"/tasks/{task_with_image.id}/image").status_code == 404


def test_a_task_without_image_has_no_image_url(client):
    user = gen_user()
    task = gen_task(gen_team(user))
    login(client, user)

    assert client.get(f"/tasks/{task.id}/image").status_code == 404
    assert "/image" not in client.get(f"/tasks/{task.id}").get_data(as_text=True)


def test_the_picture_is_decoded_and_resized_off_the_requests_thread(app, client, unit, monkeypatch):
    import threading

    from plc.teams import services

    resize, resized_in = services.clean, []

    def clean(image, max_side):
        resized_in.append(threading.get_ident())
        return resize(image, max_side)

    monkeypatch.setattr(services, "clean", clean)
    login(client, facilitator_of(unit))
    assert upload(client, unit, png_with_gps(), "apples.png").status_code == 302
    assert resized_in and threading.get_ident() not in resized_in
    # A baseline JPEG: Pillow encodes it in chunks, and lets the server's other threads run between them.
    [stored] = stored_files(app)
    with Image.open(stored) as image:
        assert not image.info.get("progressive") and not image.info.get("progression")
