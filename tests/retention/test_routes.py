"""The delete pages: who gets them (everyone else gets 404), what they say, and what they do."""
import re

import pytest

from plc.extensions import db
from plc.meetings.models import Meeting, Response
from plc.meetings.services import end_meeting
from plc.sort.models import Sort
from plc.teams.models import DeletionRecord, Team, Unit
from plc.work.models import WorkSample
from tests.conftest import gen_team, gen_user, join_as, login
from tests.retention.conftest import (
    gen_closed_sort,
    gen_member,
    gen_people,
    gen_sample,
    gen_unit_task,
    on_disk,
    start_on,
)

CSRF_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def world(app):
    """A team with a unit, a task, two samples, a meeting that ended (with a closed sort) and a
    live one; a phone seated in both; a member; and a facilitator of another team."""
    pat = gen_user(name="Pat Facilitator")
    team = gen_team(pat)
    mo = gen_member(team, "Mo Member")
    task = gen_unit_task(team)
    past = start_on(task, pat)
    phone = join_as(app, past, "Ana")
    gen_people(past, "Halves then quarters", name="Ben")
    samples = [gen_sample(task, "S1"), gen_sample(task, "S2", original=True)]
    sort, _ = gen_closed_sort(past, samples)
    end_meeting(past)
    live = start_on(task, pat)
    assert phone.post("/join", data={"code": live.code, "name": "Ana", "role": "classroom_teacher"}).status_code == 302
    sam = gen_user(name="Sam Elsewhere")
    gen_team(sam, name="Elsewhere")
    return {"team": team, "pat": pat, "mo": mo, "task": task, "unit": task.unit, "samples": samples,
            "sort": sort, "past": past, "live": live, "phone": phone, "sam": sam}


def client_of(app, user):
    client = app.test_client()
    login(client, user)
    return client


def delete_urls(w):
    return {"sample": f"/work/{w['samples'][0].id}/delete", "sort": f"/sorts/{w['sort'].id}/delete",
            "meeting": f"/meetings/{w['past'].id}/delete", "unit": f"/units/{w['unit'].id}/delete"}


def nothing_deleted(w):
    return (db.session.execute(db.select(DeletionRecord)).first() is None
            and db.session.get(WorkSample, w["samples"][0].id) is not None
            and db.session.get(Sort, w["sort"].id) is not None
            and db.session.get(Meeting, w["past"].id) is not None
            and db.session.get(Unit, w["unit"].id) is not None)


def test_other_teams_phones_and_visitors_get_404_on_every_delete_page(app, world):
    phone = world["phone"]
    sample = world["samples"][0]
    assert phone.get(f"/work/{sample.id}/thumb").status_code == 200  # the phone does see the work
    visitors = {"visitor": app.test_client(), "other team's facilitator": client_of(app, world["sam"]),
                "phone without an account": phone}

    for who, visitor in visitors.items():
        for kind, url in delete_urls(world).items():
            assert visitor.get(url).status_code == 404, (who, kind)
            assert visitor.post(url).status_code == 404, (who, kind)

    assert nothing_deleted(world)


def test_members_may_delete_work_but_only_facilitators_sorts_meetings_and_units(app, world):
    mo = client_of(app, world["mo"])
    urls = delete_urls(world)

    assert mo.get(urls["sample"]).status_code == 200
    for kind in ("sort", "meeting", "unit"):
        assert mo.get(urls[kind]).status_code == 404, kind
        assert mo.post(urls[kind]).status_code == 404, kind
    pat = client_of(app, world["pat"])
    assert all(pat.get(url).status_code == 200 for url in urls.values())
    for url in ("/work/99999/delete", "/sorts/99999/delete", "/meetings/99999/delete", "/units/99999/delete"):
        assert pat.get(url).status_code == 404 and pat.post(url).status_code == 404

    assert nothing_deleted(world)


def test_a_member_deletes_a_sample_after_the_confirmation(app, world):
    mo = client_of(app, world["mo"])
    sample = world["samples"][1]
    files = [sample.original_name, sample.image_name, sample.thumb_name]
    url = f"/work/{sample.id}/delete"

    page = mo.get(url).get_data(as_text=True)
    assert "Delete this student work?" in page and "Work of S2 for “Pizza shares”" in page
    for item in ("its blurred image and thumbnail", "the kept original photo", "its text",
                 "its card in 1 sort, closed sorts&#39; snapshots included"):
        assert f"<li>{item}</li>" in page, item
    assert f'<form method="post" action="{url}"' in page and "Delete for good" in page
    assert db.session.get(WorkSample, sample.id) is not None  # looking deletes nothing

    response = mo.post(url)

    assert response.status_code == 302 and response.headers["Location"] == f"/tasks/{world['task'].id}/work"
    assert "The work of S2 was deleted" in mo.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.get(WorkSample, sample.id) is None
    assert on_disk(*files) == [False, False, False]
    [record] = db.session.execute(db.select(DeletionRecord)).scalars().all()
    assert (record.by_name, record.kind, record.user_id) == ("Mo Member", "sample", world["mo"].id)


def test_the_unit_page_says_exactly_what_goes_and_deleting_takes_the_files(app, world):
    pat = client_of(app, world["pat"])
    url = f"/units/{world['unit'].id}/delete"
    files = [n for s in world["samples"] for n in (s.original_name, s.image_name, s.thumb_name) if n]

    blocked = pat.get(url).get_data(as_text=True)
    assert "still running" in blocked and "Delete for good" not in blocked
    end_meeting(world["live"])
    page = pat.get(url).get_data(as_text=True)
    assert "Unit “Unit 5: Fractions”" in page
    for item in ("1 task", "2 meetings with 3 participants and 1 response",
                 "2 samples of student work with their images and text", "1 sort"):
        assert f"<li>{item}</li>" in page, item

    response = pat.post(url)

    assert response.status_code == 302 and response.headers["Location"] == f"/teams/{world['team'].id}"
    assert "was deleted, with everything in it" in pat.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.get(Unit, world["unit"].id) is None
    assert db.session.execute(db.select(WorkSample)).first() is None
    assert db.session.execute(db.select(Response)).first() is None
    assert on_disk(*files) == [False] * len(files)


def test_a_meeting_that_is_still_running_cannot_be_deleted(app, world):
    pat = client_of(app, world["pat"])
    url = f"/meetings/{world['live'].id}/delete"

    page = pat.get(url).get_data(as_text=True)
    assert "This meeting is still running" in page and "Delete for good" not in page
    response = pat.post(url)

    assert response.status_code == 302 and response.headers["Location"] == url
    assert "End it first" in pat.get(url).get_data(as_text=True)
    assert db.session.get(Meeting, world["live"].id) is not None


def test_a_facilitator_deletes_an_ended_meeting_and_a_sort(app, world):
    pat = client_of(app, world["pat"])

    meeting_page = pat.get(f"/meetings/{world['past'].id}/delete").get_data(as_text=True)
    assert "<li>2 participants (names and roles)</li>" in meeting_page
    assert "<li>1 response and who wrote them</li>" in meeting_page
    assert pat.post(f"/meetings/{world['past'].id}/delete").headers["Location"] == f"/teams/{world['team'].id}"
    assert "still running" in pat.get(f"/sorts/{world['sort'].id}/delete").get_data(as_text=True)
    end_meeting(world["live"])  # the live room may be showing the sort
    sort_page = pat.get(f"/sorts/{world['sort'].id}/delete").get_data(as_text=True)
    assert "Sort version 1 for “Pizza shares”" in sort_page and "The student work stays with the task." in sort_page
    assert pat.post(f"/sorts/{world['sort'].id}/delete").headers["Location"] == f"/tasks/{world['task'].id}"

    assert db.session.get(Meeting, world["past"].id) is None and db.session.get(Sort, world["sort"].id) is None
    assert all(db.session.get(WorkSample, s.id) is not None for s in world["samples"])
    kinds = db.session.execute(db.select(DeletionRecord.kind).order_by(DeletionRecord.id)).scalars().all()
    assert kinds == ["meeting", "sort"]


def test_deleting_needs_the_forms_csrf_token(app, world):
    app.config["WTF_CSRF_ENABLED"] = True
    mo = client_of(app, world["mo"])
    url = f"/work/{world['samples'][0].id}/delete"

    assert mo.post(url).status_code == 400
    assert nothing_deleted(world)

    token = CSRF_TOKEN.search(mo.get(url).get_data(as_text=True)).group(1)
    assert mo.post(url, data={"csrf_token": token}).status_code == 302
    assert db.session.get(WorkSample, world["samples"][0].id) is None


# --- the links and the log on the team's pages ------------------------------------------

def test_facilitators_see_delete_links_for_units_and_ended_meetings_and_the_log(app, world):
    pat = client_of(app, world["pat"])
    team_page = f"/teams/{world['team'].id}"
    pat.post(f"/work/{world['samples'][0].id}/delete")

    page = pat.get(team_page).get_data(as_text=True)

    assert f'href="/units/{world["unit"].id}/delete"' in page
    assert f'href="/meetings/{world["past"].id}/delete"' in page
    assert f'href="/meetings/{world["live"].id}/delete"' not in page
    log = page[page.index('id="deletions-heading"'):]
    assert "Work of S1 for “Pizza shares”" in log and "Deleted by Pat Facilitator" in log

    member_page = client_of(app, world["mo"]).get(team_page).get_data(as_text=True)
    assert "/delete" not in member_page and "deletions-heading" not in member_page


def test_every_sample_card_on_the_student_work_page_links_to_its_delete_page(app, world):
    page = client_of(app, world["mo"]).get(f"/tasks/{world['task'].id}/work").get_data(as_text=True)

    assert 'data-delete-url="/work/0/delete"' in page


def test_facilitators_set_how_long_kept_originals_stay(app, client):
    pat = gen_user()
    team = gen_team(pat)
    login(client, pat)
    url = f"/teams/{team.id}/privacy"

    client.post(url, data={"keep_originals": "y", "originals_retention_days": "45"})
    team = db.session.get(Team, team.id)
    assert (team.keep_originals, team.originals_retention_days) == (True, 45)
    page = client.get(f"/teams/{team.id}").get_data(as_text=True)
    assert "Remove kept originals after N days" in page and 'value="45"' in page

    for bad in ("0", "3651", "soon"):
        response = client.post(url, data={"keep_originals": "y", "originals_retention_days": bad})
        assert response.status_code == 302
        assert "Enter a number of days from 1 to 3650" in client.get(f"/teams/{team.id}").get_data(as_text=True)
        db.session.refresh(team)
        assert team.originals_retention_days == 45, bad

    client.post(url, data={"keep_originals": "y", "originals_retention_days": ""})
    db.session.refresh(team)
    assert (team.keep_originals, team.originals_retention_days) == (True, None)
