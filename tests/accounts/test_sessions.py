"""Logging out ends the session everywhere: a copied cookie, another browser and a live connection
made with it stop working; logging in again works."""
from plc.extensions import db
from plc.meetings.models import Meeting
from tests.conftest import gen_meeting, gen_team, gen_user, live_client

PASSWORD = "a-long-password"


def logged_in_browser(app, user):
    browser = app.test_client()
    response = browser.post("/login", data={"email": user.email, "password": PASSWORD})
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
    browser = logged_in_browser(app, user)
    thief = copy_of(app, browser)
    laptop = logged_in_browser(app, user)
    assert thief.get(team_page).status_code == 200

    assert browser.post("/logout").status_code == 302
    for other in (thief, laptop):
        response = other.get(team_page)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    # Logging in again starts a session that works.
    assert logged_in_browser(app, user).get(team_page).status_code == 200


def test_logging_out_ends_the_live_connections_of_that_session(app):
    user = gen_user(email="pat@example.org", password=PASSWORD)
    team = gen_team(user)
    meeting = gen_meeting(team, user)
    meeting_id = meeting.id
    browser = logged_in_browser(app, user)
    thief = copy_of(app, browser)
    projector = live_client(app, browser, meeting)
    assert projector.emit("timer:start", callback=True) == {"ok": True}

    browser.post("/logout")
    ack = projector.emit("timer:pause", callback=True)
    assert ack == {"ok": False, "error": "You are logged out. Log in again to take part."}
    assert not live_client(app, thief, db.session.get(Meeting, meeting_id)).is_connected()
    assert db.session.get(Meeting, meeting_id).timer_running is True


def test_a_request_without_a_session_cookie_gets_an_empty_session_and_one_with_it_its_own(app):
    from flask import session

    user = gen_user(email="pat@example.org", password=PASSWORD)
    browser = logged_in_browser(app, user)
    cookie = browser.get_cookie("session").value
    with app.test_request_context("/"):
        assert dict(session) == {}
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
        assert session["_user_id"] == str(user.id)
    with app.test_request_context("/", headers={"Cookie": "session=forged.value.here"}):
        assert dict(session) == {}  # a bad signature opens an empty session, as Flask's own does
