"""A task's student-work page hears of its samples over Socket.IO (namespace /tasks); nobody else does."""
from plc.extensions import db
from plc.teams.models import Membership
from plc.work.models import WorkSample
from plc.work.notify import emit_sample
from plc.work.pages import TASK_PAGES
from tests.conftest import gen_task, gen_team, gen_user, login, task_page


def received(client, name):
    return [e["args"][0] for e in client.get_received(TASK_PAGES) if e["name"] == name]


def gen_sample(task, label):
    sample = WorkSample(team_id=task.unit.team_id, task_id=task.id, student_label=label, source_kind="jpeg",
                        status="done", ocr_text="7 + 6 = 13")
    db.session.add(sample)
    db.session.commit()
    return sample


def logged_in(app, user):
    http = app.test_client()
    login(http, user)
    return http


def test_a_members_task_page_hears_of_each_change_and_deletion_of_its_work_only(app):
    owner = gen_user()
    team = gen_team(owner)
    task, other_task = gen_task(team), gen_task(team, title="Pencil packs")
    member = gen_user(name="Mo Member", email="mo@example.org")
    db.session.add(Membership(team=team, user=member, role="member"))
    db.session.commit()
    sample, elsewhere = gen_sample(task, "S1"), gen_sample(other_task, "S9")
    sample_id, elsewhere_id, task_id = sample.id, elsewhere.id, task.id
    https = [logged_in(app, user) for user in (owner, member)]
    # Connecting ends the test's database session, as every Socket.IO handler does: use ids after.
    pages = [task_page(app, http, {"task_id": task_id}) for http in https]

    emit_sample(db.session.get(WorkSample, sample_id))
    emit_sample(db.session.get(WorkSample, elsewhere_id))
    for page in pages:
        assert [s["id"] for s in received(page, "work:sample")] == [sample_id]

    assert https[1].post(f"/work/{sample_id}/delete").status_code == 302
    for page in pages:
        assert received(page, "work:removed") == [{"id": sample_id}]


def test_task_pages_refuse_visitors_other_teams_and_bad_requests(app):
    owner = gen_user()
    task = gen_task(gen_team(owner))
    stranger = gen_user(name="Kim Other", email="kim@example.org")
    gen_team(stranger, name="Other team")
    task_id = task.id
    attempts = [
        (app.test_client(), {"task_id": task_id}),  # not logged in
        (logged_in(app, stranger), {"task_id": task_id}),
        (logged_in(app, owner), {"task_id": "one"}),
        (logged_in(app, owner), {}),
        (logged_in(app, owner), {"task_id": task_id + 100}),
    ]
    refused = [task_page(app, http, auth) for http, auth in attempts]
    for client in refused:
        assert not client.is_connected(TASK_PAGES)
