"""A teacher's photo of their solution: cleaned like student work, refused with the media
pipeline's messages, replaced and removed, and private to the team and the room."""
import io

import pytest
from PIL import Image

from plc import storage
from plc.extensions import db
from plc.meetings.services import end_meeting, goto_step, set_input_locked
from plc.meetings.models import Participant
from plc.media.errors import HINT
from plc.solutions import services
from plc.solutions.models import SolutionPhoto
from plc.teams.models import Membership
from tests.conftest import gen_meeting, gen_team, gen_user, join_as, login
from tests.solutions.conftest import go_to_solve_step, phone_photo, send_photo, stored_files


def photos():
    return db.session.execute(db.select(SolutionPhoto)).scalars().all()


def test_a_photo_on_the_solve_step_is_stored_upright_scaled_and_without_metadata(app, room):
    meeting = room["meeting"]
    go_to_solve_step(meeting)
    phone = join_as(app, meeting, "Ana")

    response = send_photo(phone, meeting, phone_photo(3200, 2400))

    assert response.status_code == 200, response.get_json()
    [photo] = photos()
    assert response.get_json()["photo"]["id"] == photo.id
    image = Image.open(storage.path_of(photo.image_name))
    thumb = Image.open(storage.path_of(photo.thumb_name))
    # Stored sideways with orientation 6: upright it is portrait, scaled to the display size.
    assert (photo.width, photo.height) == image.size == (1800, 2400)
    assert max(thumb.size) == 480 and thumb.width < thumb.height
    assert image.getpixel((image.width - 10, 10))[0] < 60  # the stored top-left stroke, now top-right
    for picture in (image, thumb):
        assert not picture.getexif() and "exif" not in picture.info and "icc_profile" not in picture.info
    raw = storage.path_of(photo.image_name).read_bytes()
    assert b"PhoneMaker" not in raw and b"GPS" not in raw
    # Only the two clean copies are left: the upload itself is gone.
    assert {p.resolve() for p in stored_files()} == {storage.path_of(name) for name in photo.files}


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(out, "GIF")
    return out.getvalue()


def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(out, "PNG")  # 60 million pixels, a few kilobytes
    return out.getvalue()


def _pdf(pages: int) -> bytes:
    out = io.BytesIO()
    frames = [Image.new("RGB", (200, 260), "white") for _ in range(pages)]
    frames[0].save(out, "PDF", save_all=True, append_images=frames[1:])
    return out.getvalue()


@pytest.mark.parametrize("data, filename, says", [
    (b"", "empty.jpg", "The file is empty."),
    (b"6 x 14 = 84, so 14 boxes", "notes.txt", f"This file is text, not a photo or a PDF; {HINT}"),
    (_gif(), "solution.gif", f"This is a GIF image; {HINT}"),
    (phone_photo()[:-3000], "cut.jpg", "The JPEG is incomplete (the upload was cut off); take or upload the photo again."),
    (_bomb(), "huge.png", "The image is too large: 10000 x 6000 pixels (at most 50 million)."),
    (_pdf(2), "two.pdf", "The PDF has 2 pages; a solution is one photo or one page: upload that page alone."),
])
def test_bad_files_are_refused_with_the_media_messages_and_nothing_is_stored(app, room, data, filename, says):
    meeting = room["meeting"]
    go_to_solve_step(meeting)
    phone = join_as(app, meeting, "Ana")

    response = send_photo(phone, meeting, data, filename)

    assert response.status_code == 400 and response.get_json() == {"error": says}
    assert photos() == [] and stored_files() == []


def test_a_file_over_the_size_limit_is_refused(app, room, monkeypatch):
    monkeypatch.setattr(services, "MAX_FILE_BYTES", 10_000)
    meeting = room["meeting"]
    go_to_solve_step(meeting)

    response = send_photo(join_as(app, meeting, "Ana"), meeting, phone_photo())

    assert response.get_json() == {"error": "The file is larger than 10 KB."}
    assert response.status_code == 400 and photos() == [] and stored_files() == []


def test_a_one_page_pdf_scan_is_taken(app, room):
    meeting = room["meeting"]
    go_to_solve_step(meeting)

    response = send_photo(join_as(app, meeting, "Ana"), meeting, _pdf(1), "scan.pdf")

    assert response.status_code == 200 and len(photos()) == 1


def test_photos_are_taken_only_on_a_step_that_asks_for_them_and_while_input_is_open(app, room):
    meeting = room["meeting"]
    phone = join_as(app, meeting, "Ana")
    goto_step(meeting, 0)  # the norms
    assert send_photo(phone, meeting, phone_photo()).get_json() == {"error": "This step takes no photos of solutions."}
    go_to_solve_step(meeting)
    set_input_locked(meeting, True)
    assert send_photo(phone, meeting, phone_photo()).get_json() == {"error": "Input is locked by the facilitator for now."}
    set_input_locked(meeting, False)
    response = phone.post(f"/live/{meeting.id}/solution", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and response.get_json() == {"error": "Choose a photo of your solution."}
    assert photos() == [] and stored_files() == []
    end_meeting(meeting)
    assert send_photo(phone, meeting, phone_photo()).get_json() == {"error": "This meeting has ended."}
    # Someone with no seat in the meeting cannot send one at all.
    assert send_photo(app.test_client(), meeting, phone_photo()).status_code == 404


def test_a_teacher_replaces_their_photo_and_the_old_files_go(app, room):
    meeting = room["meeting"]
    go_to_solve_step(meeting)
    phone = join_as(app, meeting, "Ana")
    first = send_photo(phone, meeting, phone_photo(colour="white")).get_json()["photo"]
    [photo] = photos()
    old = photo.files

    second = send_photo(phone, meeting, phone_photo(colour="yellow")).get_json()["photo"]

    db.session.expire_all()
    [photo] = photos()
    assert second["id"] == first["id"] == photo.id and second["image_url"] != first["image_url"]
    assert not any(storage.path_of(name).exists() for name in old)
    assert all(storage.path_of(name).exists() for name in photo.files) and len(stored_files()) == 2


def test_a_teacher_removes_only_their_own_photo(app, room):
    meeting = room["meeting"]
    go_to_solve_step(meeting)
    send_photo(join_as(app, meeting, "Ana"), meeting, phone_photo())
    send_photo(join_as(app, meeting, "Ben"), meeting, phone_photo())
    ana, ben = db.session.execute(db.select(Participant).order_by(Participant.id)).scalars().all()
    ana_photo = services.own_photo(meeting, ana.id)

    with pytest.raises(services.PhotoRejected, match="not yours"):
        services.remove_photo(meeting, ben.id, ana_photo.id)
    files = ana_photo.files
    services.remove_photo(meeting, ana.id, ana_photo.id)

    assert [p.participant_id for p in photos()] == [ben.id]
    assert not any(storage.path_of(name).exists() for name in files) and len(stored_files()) == 2


def test_photos_are_served_to_the_team_and_the_room_only(app, room):
    meeting, team = room["meeting"], room["team"]
    go_to_solve_step(meeting)
    phone = join_as(app, meeting, "Ana")
    photo = send_photo(phone, meeting, phone_photo()).get_json()["photo"]
    urls = [photo["image_url"], photo["thumb_url"]]

    member = gen_user(name="Mo")
    db.session.add(Membership(team=team, user=member, role="member"))
    db.session.commit()
    member_client = app.test_client()
    login(member_client, member)
    for viewer in (room["http"], member_client, phone, join_as(app, meeting, "Ben")):
        for url in urls:
            response = viewer.get(url)
            assert response.status_code == 200 and response.mimetype == "image/jpeg", url
            assert "private" in response.headers["Cache-Control"]

    stranger = gen_user(name="Stranger")
    other_meeting = gen_meeting(gen_team(stranger, name="Other"), stranger)
    stranger_client = app.test_client()
    login(stranger_client, stranger)
    for visitor in (app.test_client(), stranger_client, join_as(app, other_meeting, "Eve")):
        for url in urls + [f"/solutions/{photo['id'] + 1}/image"]:
            assert visitor.get(url).status_code == 404, url

    end_meeting(meeting)  # a phone's access ends with its meeting; the team keeps it
    assert phone.get(urls[0]).status_code == 404
    assert member_client.get(urls[0]).status_code == 200
