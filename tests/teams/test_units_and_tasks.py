import pytest
from flask import url_for

from plc.extensions import db
from plc.teams.models import Task, Unit
from tests.conftest import gen_task, gen_team, gen_user, login

TASK = {"title": "Apple boxes", "context": "A store packs 6 apples in a box.", "question": "How many boxes for 84 apples?"}


def count(model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def team_with(role):
    """A team and a user holding role in it (role None: a user outside the team)."""
    user = gen_user()
    team = gen_team(user, role=role) if role else gen_team(gen_user())
    return team, user


def test_facilitators_add_units(client):
    team, user = team_with("facilitator")
    login(client, user)

    assert client.get(f"/teams/{team.id}/units/new").status_code == 200
    response = client.post(f"/teams/{team.id}/units/new", data={"title": "Unit 4: Multiplication"})

    unit = db.session.execute(db.select(Unit)).scalar_one()
    assert (unit.team_id, unit.title) == (team.id, "Unit 4: Multiplication")
    assert response.headers["Location"] == f"/teams/{team.id}#unit-{unit.id}"


def test_a_unit_needs_a_title(client):
    team, user = team_with("facilitator")
    login(client, user)

    response = client.post(f"/teams/{team.id}/units/new", data={"title": ""})

    assert "This field is required." in response.get_data(as_text=True)
    assert count(Unit) == 0


@pytest.mark.parametrize("role", ["member", "coach", None])
def test_only_facilitators_add_units(client, role):
    team, user = team_with(role)
    login(client, user)

    assert client.get(f"/teams/{team.id}/units/new").status_code == 404
    assert client.post(f"/teams/{team.id}/units/new", data={"title": "Sneaky"}).status_code == 404
    assert count(Unit) == 0


def test_facilitators_add_tasks(client):
    team, user = team_with("facilitator")
    unit = Unit(team=team, title="Unit 4")
    db.session.add(unit)
    db.session.commit()
    login(client, user)

    assert client.get(f"/units/{unit.id}/tasks/new").status_code == 200
    response = client.post(f"/units/{unit.id}/tasks/new", data=TASK)

    task = db.session.execute(db.select(Task)).scalar_one()
    assert response.headers["Location"] == f"/tasks/{task.id}"
    assert (task.unit_id, task.title, task.context, task.question, task.image_name) == (
        unit.id, TASK["title"], TASK["context"], TASK["question"], None)


def test_task_text_has_a_length_limit(client):
    team, user = team_with("facilitator")
    unit = Unit(team=team, title="Unit 4")
    db.session.add(unit)
    db.session.commit()
    login(client, user)

    response = client.post(f"/units/{unit.id}/tasks/new", data={**TASK, "context": "x" * 4001})

    assert "Field cannot be longer than 4000 characters." in response.get_data(as_text=True)
    assert count(Task) == 0


@pytest.mark.parametrize("role", ["member", "coach", None])
def test_only_facilitators_add_tasks(client, role):
    team, user = team_with(role)
    unit = Unit(team=team, title="Unit 4")
    db.session.add(unit)
    db.session.commit()
    login(client, user)

    assert client.get(f"/units/{unit.id}/tasks/new").status_code == 404
    assert client.post(f"/units/{unit.id}/tasks/new", data=TASK).status_code == 404
    assert count(Task) == 0


def test_team_page_lists_units_and_tasks_with_a_start_link_for_facilitators(app, client):
    team, user = team_with("facilitator")
    task = gen_task(team)
    login(client, user)

    page = client.get(f"/teams/{team.id}").get_data(as_text=True)

    with app.test_request_context():
        start = url_for("meetings.new", team_id=team.id, task_id=task.id)
    assert task.unit.title in page
    assert f'href="/tasks/{task.id}">Apple boxes</a>' in page
    assert f'href="{start}">Start a meeting' in page
    assert "Add a task" in page and "Add unit</button>" in page


def test_members_see_tasks_but_cannot_start_meetings_or_add(client):
    team, user = team_with("member")
    task = gen_task(team)
    login(client, user)

    page = client.get(f"/teams/{team.id}").get_data(as_text=True)

    assert f'href="/tasks/{task.id}">Apple boxes</a>' in page
    assert "Start a meeting" not in page
    assert "Add a task" not in page and "Add unit" not in page


def test_task_page_escapes_the_text_and_keeps_its_lines(client):
    team, user = team_with("member")
    task = gen_task(team, title="<i>Boxes</i>", context="<script>alert(1)</script>\nSecond line", question="<b>How many?</b>")
    login(client, user)

    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)

    assert '<div class="task-text" dir="auto">&lt;script&gt;alert(1)&lt;/script&gt;\nSecond line</div>' in page
    assert "&lt;i&gt;Boxes&lt;/i&gt;" in page and "&lt;b&gt;How many?&lt;/b&gt;" in page
    assert "<script>alert" not in page and "<i>Boxes" not in page and "<b>How" not in page


def test_task_page_is_for_members_only(client):
    team, _ = team_with("facilitator")
    task = gen_task(team)
    login(client, gen_user())

    assert client.get(f"/tasks/{task.id}").status_code == 404


def test_start_links_wait_for_the_meetings_feature(app, client):
    team, user = team_with("facilitator")
    task = gen_task(team)
    login(client, user)
    del app.view_functions["meetings.new"]

    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)

    assert "Apple boxes" in page
    assert "Start a meeting" not in page



def test_a_facilitator_changes_a_tasks_words_to_split_off_its_question(client):
    team, user = team_with("facilitator")
    task = gen_task(team, context="Share 3 pizzas among 4 friends. How much does each get?", question="")
    login(client, user)
    assert "Change the task" in client.get(f"/tasks/{task.id}").get_data(as_text=True)

    response = client.post(f"/tasks/{task.id}/edit", data={
        "title": "Pizzas", "context": "Share 3 pizzas among 4 friends.", "question": " How much does each get? "})

    assert response.headers["Location"] == f"/tasks/{task.id}"
    db.session.refresh(task)
    assert (task.title, task.context, task.question) == ("Pizzas", "Share 3 pizzas among 4 friends.", "How much does each get?")


def test_a_tasks_words_are_checked_when_changed(client):
    team, user = team_with("facilitator")
    task = gen_task(team)
    login(client, user)
    response = client.post(f"/tasks/{task.id}/edit", data={"title": "T", "context": "", "question": "q" * 1001})
    html = response.get_data(as_text=True)
    assert "This field is required." in html and "Field cannot be longer than 1000 characters." in html
    db.session.refresh(task)
    assert task.title == "Apple boxes"


@pytest.mark.parametrize("role", ["member", "coach", None])
def test_only_facilitators_change_a_task(client, role):
    team, user = team_with(role)
    task = gen_task(team)
    login(client, user)
    assert "Change the task" not in client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert client.get(f"/tasks/{task.id}/edit").status_code == 404
    assert client.post(f"/tasks/{task.id}/edit", data={"title": "X", "context": "Y"}).status_code == 404
    db.session.refresh(task)
    assert task.title == "Apple boxes"
