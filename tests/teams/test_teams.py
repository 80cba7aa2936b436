from flask import url_for

from plc.extensions import db
from plc.teams.models import Membership, Team, Unit
from tests.conftest import gen_team, gen_user, login


def test_landing_page_for_visitors(app, client):
    page = client.get("/").get_data(as_text=True)

    with app.test_request_context():
        join_url = url_for("meetings.join")

    assert "Math PLC meetings" in page
    assert f'href="{join_url}">Join a meeting' in page
    assert 'href="/login">Log in' in page
    assert 'href="/signup">Sign up' in page


def test_a_user_without_teams_is_told_what_to_do_first(client):
    login(client, gen_user())

    page = client.get("/").get_data(as_text=True)

    assert "You are not in a team yet." in page
    assert 'href="/teams/new">Create a team' in page


def test_home_lists_the_users_teams_with_role_and_unit_count(client):
    user = gen_user()
    mine = gen_team(user, name="Grade 3 - Lincoln Elementary", role="coach")
    db.session.add_all([Unit(team=mine, title="Fractions"), Unit(team=mine, title="Area")])
    gen_team(gen_user(), name="Grade 5 - Other School")
    db.session.commit()
    login(client, user)

    page = client.get("/").get_data(as_text=True)

    assert f'href="/teams/{mine.id}">Grade 3 - Lincoln Elementary</a>' in page
    assert "Coach" in page
    assert "2 units" in page
    assert "Grade 5 - Other School" not in page


def test_creating_a_team_makes_its_creator_facilitator(client):
    user = gen_user()
    login(client, user)

    response = client.post("/teams/new", data={"name": "Grade 3 - Lincoln Elementary"})

    team = db.session.execute(db.select(Team)).scalar_one()
    assert response.headers["Location"] == f"/teams/{team.id}"
    assert team.name == "Grade 3 - Lincoln Elementary"
    assert [(m.user_id, m.role) for m in team.memberships] == [(user.id, "facilitator")]


def test_a_team_needs_a_name(client):
    login(client, gen_user())

    response = client.post("/teams/new", data={"name": "  "})

    assert "This field is required." in response.get_data(as_text=True)
    assert db.session.execute(db.select(Team)).first() is None


def test_team_page_shows_members_with_roles(client):
    facilitator = gen_user(name="Pat Facilitator")
    team = gen_team(facilitator)
    member = gen_user(name="Sam Member")
    db.session.add(Membership(team=team, user=member, role="member"))
    db.session.commit()
    login(client, member)

    page = client.get(f"/teams/{team.id}").get_data(as_text=True)

    assert "Pat Facilitator" in page and "Sam Member" in page
    assert '<span class="badge">Facilitator</span>' in page
    assert '<span class="badge">Member</span>' in page


def test_visitors_are_sent_to_log_in(client):
    team = gen_team(gen_user())

    assert client.get(f"/teams/{team.id}").headers["Location"] == f"/login?next=%2Fteams%2F{team.id}"


def test_non_members_get_404(client):
    team = gen_team(gen_user())
    login(client, gen_user())

    assert client.get(f"/teams/{team.id}").status_code == 404


def test_team_names_are_escaped(client):
    user = gen_user()
    team = gen_team(user, name="<b>Bold</b> team")
    login(client, user)

    for path in ["/", f"/teams/{team.id}"]:
        page = client.get(path).get_data(as_text=True)
        assert "&lt;b&gt;Bold&lt;/b&gt; team" in page
        assert "<b>Bold</b>" not in page


def test_facilitators_choose_whether_original_photos_are_kept(app, client):
    from plc.extensions import db
    from plc.teams.models import Membership
    from tests.conftest import gen_team, gen_user, login

    owner = gen_user()
    team = gen_team(owner)
    assert team.keep_originals is False
    login(client, owner)
    assert "Keep the original, unblurred photos" in client.get(f"/teams/{team.id}").get_data(as_text=True)
    client.post(f"/teams/{team.id}/privacy", data={"keep_originals": "y"})
    db.session.refresh(team)
    assert team.keep_originals is True
    client.post(f"/teams/{team.id}/privacy", data={})
    db.session.refresh(team)
    assert team.keep_originals is False

    member = gen_user(name="Mo")
    db.session.add(Membership(team=team, user=member, role="member"))
    db.session.commit()
    login(client, member)
    assert client.post(f"/teams/{team.id}/privacy", data={"keep_originals": "y"}).status_code == 404
    db.session.refresh(team)
    assert team.keep_originals is False
