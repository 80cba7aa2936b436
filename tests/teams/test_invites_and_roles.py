from plc.extensions import db
from plc.teams.models import Membership
from tests.conftest import gen_team, gen_user, login


def add_member(team, role="member", name="Sam Member"):
    membership = Membership(team=team, user=gen_user(name=name), role=role)
    db.session.add(membership)
    db.session.commit()
    return membership


def test_facilitators_see_the_invite_link(client):
    facilitator = gen_user()
    team = gen_team(facilitator)
    login(client, facilitator)

    page = client.get(f"/teams/{team.id}").get_data(as_text=True)

    assert f'value="http://localhost/invite/{team.invite_token}"' in page
    assert "Copy link" in page
    assert "Make a new invite link" in page


def test_members_do_not_see_the_invite_link(client):
    team = gen_team(gen_user())
    login(client, add_member(team).user)

    page = client.get(f"/teams/{team.id}").get_data(as_text=True)

    assert team.invite_token not in page
    assert "Make a new invite link" not in page


def test_the_invite_link_uses_the_public_url_when_set(app, client):
    app.config["PUBLIC_URL"] = "https://plc.example.org/"
    facilitator = gen_user()
    team = gen_team(facilitator)
    login(client, facilitator)

    page = client.get(f"/teams/{team.id}").get_data(as_text=True)

    assert f'value="https://plc.example.org/invite/{team.invite_token}"' in page


def test_visitors_with_an_invite_are_sent_to_sign_up_and_back(client):
    team = gen_team(gen_user())
    invite = f"/invite/{team.invite_token}"

    response = client.get(invite)
    assert response.headers["Location"] == f"/signup?next={invite}"

    signup_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'href="/login?next={invite}"' in signup_page

    response = client.post(
        f"/signup?next={invite}",
        data={"name": "Ana", "email": "ana@example.org", "password": "a-long-password", "confirm": "a-long-password"},
    )
    assert response.headers["Location"] == invite


def test_accepting_an_invite_makes_a_member(client):
    team = gen_team(gen_user(), name="Grade 3 - Lincoln Elementary")
    user = gen_user()
    login(client, user)

    page = client.get(f"/invite/{team.invite_token}").get_data(as_text=True)
    assert "Join Grade 3 - Lincoln Elementary" in page
    assert "Join team</button>" in page

    response = client.post(f"/invite/{team.invite_token}")

    assert response.headers["Location"] == f"/teams/{team.id}"
    membership = db.session.execute(db.select(Membership).filter_by(user_id=user.id)).scalar_one()
    assert (membership.team_id, membership.role) == (team.id, "member")
    assert client.get(f"/teams/{team.id}").status_code == 200


def test_accepting_again_keeps_the_role(client):
    facilitator = gen_user()
    team = gen_team(facilitator)
    login(client, facilitator)

    client.post(f"/invite/{team.invite_token}")

    assert [(m.user_id, m.role) for m in team.memberships] == [(facilitator.id, "facilitator")]


def test_an_unknown_invite_is_404(client):
    login(client, gen_user())

    assert client.get("/invite/not-a-token").status_code == 404
    assert client.post("/invite/not-a-token").status_code == 404


def test_a_new_invite_link_invalidates_the_old_one(client):
    facilitator = gen_user()
    team = gen_team(facilitator)
    old = team.invite_token
    login(client, facilitator)

    response = client.post(f"/teams/{team.id}/invite/rotate")

    assert response.headers["Location"] == f"/teams/{team.id}"
    db.session.refresh(team)
    assert team.invite_token != old
    assert client.get(f"/invite/{old}").status_code == 404
    assert client.post(f"/invite/{old}").status_code == 404
    assert client.get(f"/invite/{team.invite_token}").status_code == 200


def test_members_cannot_make_a_new_invite_link(client):
    team = gen_team(gen_user())
    old = team.invite_token
    login(client, add_member(team).user)

    assert client.post(f"/teams/{team.id}/invite/rotate").status_code == 404
    db.session.refresh(team)
    assert team.invite_token == old


def test_facilitators_change_roles(client):
    facilitator = gen_user()
    team = gen_team(facilitator)
    member = add_member(team)
    login(client, facilitator)

    client.post(f"/teams/{team.id}/members/{member.id}/role", data={f"member-{member.id}-role": "coach"})

    db.session.refresh(member)
    assert member.role == "coach"


def test_the_last_facilitator_cannot_step_down(client):
    facilitator = gen_user()
    team = gen_team(facilitator)
    own = team.memberships[0]
    login(client, facilitator)

    response = client.post(
        f"/teams/{team.id}/members/{own.id}/role", data={f"member-{own.id}-role": "member"}, follow_redirects=True
    )

    assert "A team needs at least one facilitator." in response.get_data(as_text=True)
    db.session.refresh(own)
    assert own.role == "facilitator"


def test_a_facilitator_can_step_down_when_there_is_another(client):
    facilitator = gen_user()
    team = gen_team(facilitator)
    own = team.memberships[0]
    add_member(team, role="facilitator", name="Other Facilitator")
    login(client, facilitator)

    client.post(f"/teams/{team.id}/members/{own.id}/role", data={f"member-{own.id}-role": "member"})

    db.session.refresh(own)
    assert own.role == "member"


def test_members_cannot_change_roles(client):
    team = gen_team(gen_user())
    member = add_member(team)
    login(client, member.user)

    response = client.post(f"/teams/{team.id}/members/{member.id}/role", data={f"member-{member.id}-role": "facilitator"})

    assert response.status_code == 404
    db.session.refresh(member)
    assert member.role == "member"


def test_a_membership_of_another_team_is_404(client):
    facilitator = gen_user()
    team = gen_team(facilitator)
    other = add_member(gen_team(gen_user()))
    login(client, facilitator)

    response = client.post(f"/teams/{team.id}/members/{other.id}/role", data={f"member-{other.id}-role": "coach"})

    assert response.status_code == 404
    db.session.refresh(other)
    assert other.role == "member"
