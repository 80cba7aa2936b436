"""Student work is private to its team and to the people in a live meeting on that task."""
import io

from PIL import Image

from plc.extensions import db
from plc.meetings.services import end_meeting
from plc.teams.models import Membership
from plc.work.name_check import check_name
from plc.work.processing import process_sample
from plc.work.services import accept_upload
from tests.conftest import gen_meeting, gen_task, gen_team, gen_user, join_as, login
from werkzeug.datastructures import FileStorage


def ready_sample(task, user):
    out = io.BytesIO()
    Image.new("RGB", (600, 800), "white").save(out, "JPEG")
    out.seek(0)
    [sample] = accept_upload(FileStorage(out, filename="a.jpg"), task=task, user=user, label="S1")
    process_sample(sample.id)
    db.session.refresh(sample)
    assert sample.status == "done", sample.error
    # A blank page: no name found, so it waits until someone says there is none.
    check_name(sample, "none")
    process_sample(sample.id)  # publishes the checked page
    db.session.refresh(sample)
    return sample


def test_images_are_served_to_the_team_and_the_room_only(app, client):
    owner = gen_user()
    team = gen_team(owner)
    meeting = gen_meeting(team, owner, ["work-sort"])
    sample = ready_sample(meeting.task, owner)
    urls = [f"/work/{sample.id}/image", f"/work/{sample.id}/thumb"]

    member = gen_user(name="Mo")
    db.session.add(Membership(team=team, user=member, role="member"))
    db.session.commit()
    login(client, member)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "image/jpeg"
        assert "private" in response.headers["Cache-Control"]

    phone = join_as(app, meeting, "Ana")
    assert all(phone.get(url).status_code == 200 for url in urls)

    stranger = gen_user(name="Stranger")
    gen_team(stranger, name="Elsewhere")
    other_meeting = gen_meeting(gen_team(stranger, name="Other"), stranger)
    outsider_phone = join_as(app, other_meeting, "Eve")
    stranger_client = app.test_client()
    login(stranger_client, stranger)
    for visitor in (app.test_client(), stranger_client, outsider_phone):
        for url in urls + [f"/work/{sample.id}/text", "/work/99999/image"]:
            assert visitor.get(url).status_code in (404, 405), url
        assert visitor.post(f"/work/{sample.id}/text", json={"text": "x"}).status_code == 404
        assert visitor.post(f"/work/{sample.id}/blur", json={"box": [0, 0, .5, .5]}).status_code == 404

    # When the meeting ends, the phone's access ends with it.
    end_meeting(meeting)
    assert phone.get(urls[0]).status_code == 404


def test_a_participant_of_a_meeting_on_another_task_of_the_team_sees_nothing(app):
    owner = gen_user()
    team = gen_team(owner)
    sample = ready_sample(gen_task(team, title="Task A"), owner)
    other = gen_meeting(team, owner)  # gen_meeting makes its own task
    phone = join_as(app, other, "Ana")
    assert phone.get(f"/work/{sample.id}/image").status_code == 404
