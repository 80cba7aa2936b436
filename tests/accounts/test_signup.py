import re

import pytest

from plc.accounts.models import User
from plc.extensions import db
from tests.conftest import gen_user

GOOD = {
    "name": "Ana Teacher",
    "email": "ana@example.org",
    "password": "a-long-password",
    "confirm": "a-long-password",
}


def user_count():
    return db.session.scalar(db.select(db.func.count()).select_from(User))


def test_signup_creates_a_lowercase_account_and_logs_in(client):
    response = client.post("/signup", data={**GOOD, "email": "  Ana@Example.ORG "})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    user = db.session.execute(db.select(User)).scalar_one()
    assert user.email == "ana@example.org"
    assert user.check_password("a-long-password")
    with client.session_transaction() as session:
        assert session["_user_id"] == str(user.id)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"name": ""}, "This field is required."),
        ({"email": "not-an-email"}, "Invalid email address."),
        ({"password": "short", "confirm": "short"}, "Use at least 10 characters."),
        ({"confirm": "another-long-password"}, "The two passwords are not the same."),
    ],
)
def test_signup_errors_are_shown_and_nothing_is_created(client, changes, message):
    response = client.post("/signup", data={**GOOD, **changes})

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert user_count() == 0


def test_signup_refuses_an_email_already_used_whatever_its_case(client):
    gen_user(email="ana@example.org")

    response = client.post("/signup", data={**GOOD, "email": "ANA@example.org"})

    assert "There is already an account with this email." in response.get_data(as_text=True)
    assert user_count() == 1


def test_signup_goes_on_to_the_next_page(client):
    response = client.post("/signup?next=/invite/abc", data=GOOD)

    assert response.headers["Location"] == "/invite/abc"


def test_a_post_without_csrf_token_is_rejected_when_csrf_is_on(app, client):
    app.config["WTF_CSRF_ENABLED"] = True

    rejected = client.post("/signup", data=GOOD)

    assert rejected.status_code == 400
    assert user_count() == 0

    page = client.get("/signup").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    accepted = client.post("/signup", data={**GOOD, "csrf_token": token})

    assert accepted.status_code == 302
    assert user_count() == 1
