import pytest

from tests.conftest import gen_user, login

WRONG = "Email or password is not right."


def logged_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


def test_login_with_the_right_password(client):
    gen_user(email="pat@example.org", password="a-long-password")

    response = client.post("/login", data={"email": "Pat@Example.org", "password": "a-long-password"})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert logged_in(client)


@pytest.mark.parametrize(
    "email, password",
    [("pat@example.org", "a-wrong-password"), ("nobody@example.org", "a-long-password")],
)
def test_login_failure_says_the_same_whether_or_not_the_account_exists(client, email, password):
    gen_user(email="pat@example.org", password="a-long-password")

    response = client.post("/login", data={"email": email, "password": password})

    assert response.status_code == 200
    assert WRONG in response.get_data(as_text=True)
    assert not logged_in(client)


@pytest.mark.parametrize(
    "next_url, expected",
    [
        ("/teams/new", "/teams/new"),
        ("/invite/abc?x=1", "/invite/abc?x=1"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("/\t/evil.example/", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_login_follows_only_a_next_page_on_this_site(client, next_url, expected):
    gen_user(email="pat@example.org", password="a-long-password")

    response = client.post(
        "/login",
        query_string={"next": next_url},
        data={"email": "pat@example.org", "password": "a-long-password"},
    )

    assert response.headers["Location"] == expected


def test_logout_needs_a_post_and_logs_out(client):
    login(client, gen_user())

    assert client.get("/logout").status_code == 405
    assert logged_in(client)

    response = client.post("/logout")

    assert response.status_code == 302
    assert not logged_in(client)


def test_login_attempts_are_rate_limited(client):
    gen_user(email="pat@example.org", password="a-long-password")
    wrong = {"email": "pat@example.org", "password": "a-wrong-password"}

    statuses = [client.post("/login", data=wrong).status_code for _ in range(11)]

    assert statuses == [200] * 10 + [429]
    assert client.get("/login").status_code == 200
