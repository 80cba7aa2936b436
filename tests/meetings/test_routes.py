"""Starting a meeting, the projector page, and joining from a phone."""
from datetime import timedelta

from plc.extensions import db
from plc.meetings.codes import CODE_ALPHABET
from plc.meetings.models import Meeting, Participant
from plc.meetings.services import end_meeting
from plc.teams.models import Membership
from tests.conftest import gen_meeting, gen_task, gen_team, gen_user, join_as, login


def test_facilitator_starts_a_meeting_with_an_agenda(app, client):
    user = gen_user()
    team = gen_team(user)
    task = gen_task(team)
    login(client, user)
    page = client.get(f"/teams/{team.id}/meetings/new?task_id={task.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for title in ("Problem Introduction Protocol", "Doing Math Together", "Work Sort"):
        assert title in html
    response = client.post(f"/teams/{team.id}/meetings/new",
                           data={"task_id": task.id, "protocols": ["doing-math-together", "work-sort"]})
    meeting = db.session.execute(db.select(Meeting)).scalar_one()
    assert response.status_code == 302 and response.location.endswith(f"/meetings/{meeting.id}/projector")
    assert [s["title"] for s in meeting.agenda][-2:] == ["Close", "Check: did today match what we value?"]
    assert len(meeting.code) == 6 and set(meeting.code) <= set(CODE_ALPHABET)
    assert not set(meeting.code) & set("0O1IL")


def test_starting_without_a_protocol_shows_an_error_and_creates_nothing(app, client):
    user = gen_user()
    team = gen_team(user)
    task = gen_task(team)
    login(client, user)
    response = client.post(f"/teams/{team.id}/meetings/new", data={"task_id": task.id})
    assert "Choose at least one protocol." in response.get_data(as_text=True)
    response = client.post(f"/teams/{team.id}/meetings/new", data={"task_id": task.id, "protocols": ["nope"]})
    assert "is not a valid choice" in response.get_data(as_text=True)
    assert db.session.query(Meeting).count() == 0


def test_only_the_teams_facilitators_start_meetings_and_see_pages(app, client):
    owner = gen_user()
    team = gen_team(owner)
    meeting = gen_meeting(team, owner)
    member = gen_user(name="Mo Member")
    db.session.add(Membership(team=team, user=member, role="member"))
    stranger = gen_user(name="Stranger")
    gen_team(stranger, name="Elsewhere")
    db.session.commit()

    login(client, member)
    assert client.get(f"/teams/{team.id}/meetings/new").status_code == 404
    assert client.get(f"/meetings/{meeting.id}/projector").status_code == 200
    assert client.get(f"/meetings/{meeting.id}/control").status_code == 404
    login(client, stranger)
    for url in (f"/teams/{team.id}/meetings/new", f"/meetings/{meeting.id}/projector",
                f"/meetings/{meeting.id}/control", "/meetings/9999/projector"):
        assert client.get(url).status_code == 404, url
    anonymous = app.test_client()
    assert anonymous.get(f"/meetings/{meeting.id}/projector").status_code == 302


def test_projector_shows_code_qr_and_no_script(app, client):
    user = gen_user()
    meeting = gen_meeting(gen_team(user), user)
    login(client, user)
    html = client.get(f"/meetings/{meeting.id}/projector").get_data(as_text=True)
    assert meeting.code in html
    assert "<svg" in html and 'aria-label="QR code to join this meeting"' in html
    assert "We are learners here. Every way of solving is welcome. Productive" not in html
    assert "Facilitator controls" in html


def test_an_ended_meetings_projector_shows_no_code_and_no_qr_code(app, client):
    user = gen_user()
    meeting = gen_meeting(gen_team(user), user)
    end_meeting(meeting)
    login(client, user)
    html = client.get(f"/meetings/{meeting.id}/projector").get_data(as_text=True)
    assert "This meeting has ended" in html and 'class="room-grid is-ended"' in html
    assert meeting.code not in html and "<svg" not in html and "QR code" not in html
    assert "room.js" not in html  # the room is closed: nothing live to connect to


def test_the_projector_has_no_end_meeting_button_the_control_page_has(app, client):
    user = gen_user()
    meeting = gen_meeting(gen_team(user), user)
    login(client, user)
    assert "End meeting" not in client.get(f"/meetings/{meeting.id}/projector").get_data(as_text=True)
    assert "End meeting" in client.get(f"/meetings/{meeting.id}/control").get_data(as_text=True)


def test_qr_code_encodes_the_join_link(app, client):
    app.config["PUBLIC_URL"] = "https://plc.example.org"
    user = gen_user()
    meeting = gen_meeting(gen_team(user), user)
    login(client, user)
    html = client.get(f"/meetings/{meeting.id}/projector").get_data(as_text=True)
    assert "plc.example.org/join" in html
    import segno
    expected = segno.make(f"https://plc.example.org/j/{meeting.code}", error="m").svg_inline(
        border=2, dark="#111", light="#fff", omitsize=True)
    assert expected in html


def test_joining_with_a_code_needs_no_account(app):
    user = gen_user()
    meeting = gen_meeting(gen_team(user), user)
    phone = app.test_client()
    response = phone.post("/join", data={"code": f" {meeting.code[:3].lower()}-{meeting.code[3:]} ",
                                         "name": "Ana", "role": "interventionist"})
    assert response.status_code == 302 and response.location.endswith(f"/live/{meeting.id}")
    page = phone.get(f"/live/{meeting.id}")
    assert page.status_code == 200 and "Ana" in page.get_data(as_text=True)
    [participant] = meeting.participants
    assert (participant.name, participant.role) == ("Ana", "interventionist")


def test_joining_again_from_the_same_phone_keeps_one_participant(app):
    user = gen_user()
    meeting = gen_meeting(gen_team(user), user)
    phone = join_as(app, meeting, "Ana")
    assert phone.get(f"/j/{meeting.code}").location.endswith(f"/live/{meeting.id}")
    phone.post("/join", data={"code": meeting.code, "name": "Ana B.", "role": "coach"})
    assert [(p.name, p.role) for p in db.session.query(Participant)] == [("Ana B.", "coach")]
    # A different phone is a different participant.
    join_as(app, meeting, "Ben")
    assert db.session.query(Participant).count() == 2


def test_join_form_errors_are_shown_and_nothing_is_saved(app):
    user = gen_user()
    meeting = gen_meeting(gen_team(user), user)
    phone = app.test_client()
    cases = [
        ({"code": "ABC", "name": "Ana", "role": "coach"}, "A code has six letters and digits"),
        ({"code": "AAAAAA", "name": "Ana", "role": "coach"}, "No meeting has that code"),
        ({"code": meeting.code, "name": "", "role": "coach"}, "Say what to call you."),
        ({"code": meeting.code, "name": "x" * 41, "role": "coach"}, "40 characters or fewer"),
        ({"code": meeting.code, "name": "Ana", "role": "principal"}, "Not a valid choice"),
        ({"code": meeting.code, "name": "<script>alert(1)</script>", "role": "wizard"}, "&lt;script&gt;"),
    ]
    for data, message in cases:
        response = phone.post("/join", data=data)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True), data
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    assert db.session.query(Participant).count() == 0
    assert phone.get(f"/live/{meeting.id}").status_code == 302


def test_ended_and_expired_codes_stop_working(app):
    user = gen_user()
    team = gen_team(user)
    ended = gen_meeting(team, user)
    phone = join_as(app, ended, "Ana")
    end_meeting(ended)
    response = app.test_client().post("/join", data={"code": ended.code, "name": "Late", "role": "coach"})
    assert "That meeting has ended; its code no longer works." in response.get_data(as_text=True)
    assert app.test_client().get(f"/j/{ended.code}").status_code == 404
    # Someone already in keeps the page, which shows the meeting has ended.
    assert phone.get(f"/live/{ended.id}").status_code == 200

    stale = gen_meeting(team, user)
    stale.started_at -= timedelta(hours=app.config["MEETING_CODE_HOURS"], minutes=1)
    db.session.commit()
    response = app.test_client().post("/join", data={"code": stale.code, "name": "Ana", "role": "coach"})
    assert "its code no longer works" in response.get_data(as_text=True)
    assert db.session.query(Participant).count() == 1


def test_guessing_codes_is_rate_limited(app):
    app.config["JOIN_ATTEMPTS_LIMIT"] = "5 per minute"
    user = gen_user()
    meeting = gen_meeting(gen_team(user), user)
    guesser = app.test_client()
    statuses = [guesser.post("/join", data={"code": f"AAAAA{c}", "name": "G", "role": "other"}).status_code
                for c in "ABCDEF"]
    assert statuses == [400] * 5 + [429]
    # Even the right code is refused until the minute is over: the limit is per address.
    assert guesser.post("/join", data={"code": meeting.code, "name": "G", "role": "other"}).status_code == 429
    # The QR link still opens (never blocked), onto the join form, which refuses the code for now.
    assert guesser.get(f"/j/{meeting.code}").status_code == 303
    assert db.session.query(Participant).count() == 0


def test_successful_joins_do_not_count_towards_the_limit(app):
    app.config["JOIN_ATTEMPTS_LIMIT"] = "3 per minute"
    user = gen_user()
    meeting = gen_meeting(gen_team(user), user)
    for name in ("A", "B", "C", "D", "E"):
        join_as(app, meeting, name)
    assert db.session.query(Participant).count() == 5


def test_team_page_lists_live_and_ended_meetings(app, client):
    user = gen_user()
    team = gen_team(user)
    ended = gen_meeting(team, user, ["work-sort"])
    end_meeting(ended)
    live = gen_meeting(team, user, ["doing-math-together", "work-sort"])
    login(client, user)
    html = client.get(f"/teams/{team.id}").get_data(as_text=True)
    assert "Doing Math Together, Work Sort" in html
    assert f"/meetings/{live.id}/projector" in html and f"/meetings/{live.id}/control" in html
    assert f"/meetings/{ended.id}/projector" not in html
    assert live.code in html and ended.code not in html
