"""Logging out ends the session everywhere: a copied cookie, another browser and a live connection
made with it stop working; logging in again works."""
from sqlalchemy import update

from plc.accounts.models import User
from plc.extensions import db
from plc.meetings.models import Meeting
from plc.teams.models import Membership
from plc.work.pages import TASK_PAGES
from tests.conftest import gen_meeting, gen_team, gen_user, join_as, live_client, task_page

PASSWORD = "a-long-password"


def logged_in_browser(app, email):
    browser = app.test_client()
    response = browser.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return browser


def copy_of(app, browser):
    """Another browser holding a copy of this one's session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", browser.get_cookie("session").value)
    return thief


def test_a_copied_session_cookie_stops_working_at_logout(app):
    user = gen_user(email="pat@example.org", password=PASSWORD)
    team = gen_team(user)
    team_page = f"/teams/{team.id}"
    browser = logged_in_browser(app, user.email)
    thief = copy_of(app, browser)
    laptop = logged_in_browser(app, user.email)
    assert thief.get(team_page).status_code == 200

    assert browser.post("/logout").status_code == 302
    for other in (thief, laptop):
        response = other.get(team_page)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    # Logging in again starts a session that works.
    assert logged_in_browser(app, user.email).get(team_page).status_code == 200


def test_an_event_from_a_connection_whose_session_has_ended_is_refused(app):
    """The logout's news may reach this connection's server process a moment after its next event."""
    user = gen_user(email="pat@example.org", password=PASSWORD)
    team = gen_team(user)
    meeting = gen_meeting(team, user)
    meeting_id, user_id = meeting.id, user.id
    browser = logged_in_browser(app, user.email)
    thief = copy_of(app, browser)
    projector = live_client(app, browser, meeting)
    assert projector.emit("timer:start", callback=True) == {"ok": True}

    # Logged out in another process, whose news has not arrived here yet.
    db.session.execute(update(User).where(User.id == user_id).values(session_version=User.session_version + 1))
    db.session.commit()
    ack = projector.emit("timer:pause", callback=True)
    assert ack == {"ok": False, "error": "You are logged out. Log in again to take part."}
    assert not live_client(app, thief, db.session.get(Meeting, meeting_id)).is_connected()
    assert db.session.get(Meeting, meeting_id).timer_running is True


def test_a_request_without_a_session_cookie_gets_an_empty_session_and_one_with_it_its_own(app):
    from flask import session

    user = gen_user(email="pat@example.org", password=PASSWORD)
    browser = logged_in_browser(app, user.email)
    cookie = browser.get_cookie("session").value
    with app.test_request_context("/"):
        assert dict(session) == {}
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
        assert session["_user_id"] == str(user.id)
    with app.test_request_context("/", headers={"Cookie": "session=forged.value.here"}):
        assert dict(session) == {}  # a bad signature opens an empty session, as Flask's own does


def test_logging_out_closes_every_live_connection_of_that_user_and_no_one_elses(app):
    user = gen_user(email="pat@example.org", password=PASSWORD)
    colleague = gen_user(name="Kim Coach", email="kim@example.org", password=PASSWORD)
    team = gen_team(user)
    db.session.add(Membership(team=team, user=colleague, role="coach"))
    db.session.commit()
    meeting = gen_meeting(team, user)
    meeting_id, task_id = meeting.id, meeting.task_id
    browser, laptop = logged_in_browser(app, user.email), logged_in_browser(app, user.email)
    projector = live_client(app, browser, meeting)
    work_page = task_page(app, laptop, {"task_id": task_id})
    phone = live_client(app, join_as(app, db.session.get(Meeting, meeting_id), "Ana"), db.session.get(Meeting, meeting_id))
    coach_screen = live_client(app, logged_in_browser(app, "kim@example.org"), db.session.get(Meeting, meeting_id))
    assert projector.is_connected() and work_page.is_connected(TASK_PAGES)

    assert browser.post("/logout").status_code == 302

    # Both of Pat's screens stop hearing the room and the task's work at once, not at their next event.
    assert not projector.is_connected()
    assert not work_page.is_connected(TASK_PAGES)
    assert phone.is_connected() and coach_screen.is_connected()
    # Logging in again connects again.
    again = live_client(app, logged_in_browser(app, "pat@example.org"), db.session.get(Meeting, meeting_id))
    assert again.is_connected()
