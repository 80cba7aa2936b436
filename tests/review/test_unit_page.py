"""The unit page, a closed sort, side by side, and exports: what a coach sees, and who may."""
import csv
import io

import pypdfium2
from PIL import ImageFile
import pytest

from plc.accounts.models import User
from plc.extensions import db
from plc.sort.models import NextStep, Sort
from plc.sort import commands as sorts
from plc.teams.models import Membership, Strategy, Task
from tests.conftest import gen_task, gen_team, gen_user, join_as, login, statements
from tests.review.conftest import gen_closed_sort
from tests.sort.conftest import CYCLE, gen_sort_meeting


@pytest.fixture
def unit(app):
    """A unit with two closed sorts on two tasks; "Makes a ten" is in the vocabulary."""
    coach = gen_user(name="Cam Coach", email="cam@example.org")
    team = gen_team(coach)
    ten = Strategy(team_id=team.id, name="Makes a ten", key="makes a ten", definition="Splits to make 10")
    db.session.add(ten)
    db.session.commit()
    first_meeting, first = gen_closed_sort(team, coach)
    second_task = gen_task(team, title="Cookie trays")
    second_task.unit_id = first_meeting.task.unit_id
    db.session.commit()
    _, second = gen_closed_sort(team, coach, task=second_task, placements=(
        ("Makes a ten", ("S1", "S3")), ("Counts all", ("S2",))), next_steps=())
    http = app.test_client()
    login(http, coach)
    return {"team": team, "unit_id": first_meeting.task.unit_id, "sorts": (first.id, second.id), "http": http,
            "step_id": first.next_steps[0].id}


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_the_unit_page_shows_timeline_mix_students_and_open_steps(unit):
    html = page(unit["http"], f"/units/{unit['unit_id']}")
    assert html.index("Task <a") < html.index("Sort closed")  # newest last
    assert html.count("Sort closed") == 2
    # the strategy mix: a bar per sort, each segment titled, and the same numbers in the table
    assert html.count('class="mix-label"') == 2
    assert "Apple boxes: Makes a ten, 1</title>" in html
    assert "Cookie trays: Makes a ten, 2</title>" in html
    assert "Counts on <span class=\"muted\">(unlinked)</span>" in html
    # students over time: S3 went from "Makes a ten" to "Makes a ten", S2 from "Counts on" to "Counts all"
    row = html[html.index('<th scope="row" dir="auto">S2</th>'):]
    assert row.index("Counts on") < row.index("Counts all") < row.index("</tr>")
    assert "Rosa (Interventionist)" in html and "Number talk: make a ten first" in html


def test_a_unit_with_nothing_yet_says_so(app):
    user = gen_user()
    team = gen_team(user)
    task = gen_task(team)
    http = app.test_client()
    login(http, user)
    html = page(http, f"/units/{task.unit_id}")
    assert "No closed sorts in this unit yet" in html and "No open next steps" in html


def test_a_closed_sort_opens_read_only_and_two_side_by_side(unit):
    first, second = unit["sorts"]
    html = page(unit["http"], f"/sorts/{first}")
    assert "Counts on" in html and "Number talk: make a ten first" in html and "<form" not in html.split("</header>")[1]
    both = page(unit["http"], f"/units/{unit['unit_id']}/compare?sort={first}&sort={second}")
    assert "Apple boxes" in both and "Cookie trays" in both and "Counts all" in both
    again = unit["http"].get(f"/units/{unit['unit_id']}/compare?sort={first}")
    assert again.status_code == 302


def test_the_task_page_lists_its_sorts_with_view_links_and_delete_links_for_facilitators(app, unit):
    first = db.session.get(Sort, unit["sorts"][0])
    coach = db.session.execute(db.select(User).filter_by(email="cam@example.org")).scalar_one()
    meeting = gen_sort_meeting(unit["team"], coach, task=db.session.get(Task, first.task_id))
    reopened = sorts.reopen_sort(first, meeting)
    url = f"/tasks/{first.task_id}"
    member = gen_user(name="Mo Member", email="mo@example.org")
    db.session.add(Membership(team=unit["team"], user=member, role="member"))
    db.session.commit()
    ids = (first.id, reopened.id)

    html = page(unit["http"], url)
    assert "Version 1 ·" in html and "Version 2 ·" in html
    assert f'href="/sorts/{ids[0]}"' in html and f'href="/sorts/{ids[1]}"' not in html  # the open one: no view
    assert f'href="/sorts/{ids[0]}/delete"' in html and f'href="/sorts/{ids[1]}/delete"' in html

    http = app.test_client()
    login(http, member)
    html = page(http, url)
    assert f'href="/sorts/{ids[0]}"' in html and "/delete" not in html


def test_a_task_without_a_sort_says_where_one_starts(app, unit):
    task = gen_task(unit["team"], title="Marble bags")
    assert "No Work Sort on this task yet" in page(unit["http"], f"/tasks/{task.id}")


def test_csv_exports_list_samples_by_sort_and_next_steps_with_status(unit):
    rows = list(csv.DictReader(io.StringIO(page(unit["http"], f"/units/{unit['unit_id']}/samples.csv"))))
    assert {(r["task"], r["student"], r["group"], r["strategy"]) for r in rows} == {
        ("Apple boxes", "S1", "Counts on", ""), ("Apple boxes", "S2", "Counts on", ""),
        ("Apple boxes", "S3", "Makes a ten", "Makes a ten"),
        ("Cookie trays", "S1", "Makes a ten", "Makes a ten"), ("Cookie trays", "S3", "Makes a ten", "Makes a ten"),
        ("Cookie trays", "S2", "Counts all", "")}
    unit["http"].post(f"/next-steps/{unit['step_id']}/status",
                      data={"what_happened": "=cmd|' /C calc'!A0", "decision": "abandoned"})
    [step] = csv.DictReader(io.StringIO(page(unit["http"], f"/units/{unit['unit_id']}/next-steps.csv")))
    assert (step["move"], step["who"], step["decision"]) == (
        "Number talk: make a ten first", "Rosa (Interventionist)", "Abandoned")
    assert (step["prediction"], step["evidence"]) == (CYCLE["prediction"], CYCLE["evidence"])
    assert step["what_happened"].startswith("'=")  # never a formula in a spreadsheet


def test_the_pdf_summary_opens_and_holds_the_groups(unit):
    first, _ = unit["sorts"]
    for url in (f"/sorts/{first}/summary.pdf", f"/units/{unit['unit_id']}/summary.pdf"):
        response = unit["http"].get(url)
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        pdf = pypdfium2.PdfDocument(response.data)
        text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        assert "Counts on" in text and "Makes a ten" in text, url
    assert "Printable summary" not in page(unit["http"], f"/sorts/{first}/summary")
    # WeasyPrint switches on Pillow's LOAD_TRUNCATED_IMAGES when imported; uploads need it off.
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_a_member_records_what_happened_and_decides(unit):
    url = f"/next-steps/{unit['step_id']}/status"
    unit["http"].post(url, data={"what_happened": "All 5 made a ten", "decision": ""})
    step = db.session.get(NextStep, unit["step_id"])
    assert (step.status, step.reflection, step.status_by) == ("planned", "All 5 made a ten", "Cam Coach")
    response = unit["http"].post(url, data={"what_happened": "All 5 made a ten", "decision": "adopted"})
    assert response.status_code == 302
    assert db.session.get(NextStep, unit["step_id"]).status == "adopted"
    unit["http"].post(url, data={"decision": "finished"})
    assert "Choose adopt, adapt or abandon." in page(unit["http"], f"/units/{unit['unit_id']}")
    assert db.session.get(NextStep, unit["step_id"]).status == "adopted"


def test_nobody_outside_the_team_sees_any_review_route(app, unit):
    first, second = unit["sorts"]
    unit_id = unit["unit_id"]
    urls = [f"/units/{unit_id}", f"/sorts/{first}", f"/units/{unit_id}/compare?sort={first}&sort={second}",
            f"/units/{unit_id}/samples.csv", f"/units/{unit_id}/next-steps.csv", f"/units/{unit_id}/summary",
            f"/units/{unit_id}/summary.pdf", f"/sorts/{first}/summary", f"/sorts/{first}/summary.pdf"]
    outsider = app.test_client()
    other = gen_user(email="kim@example.org")
    gen_team(other, name="Other team")
    login(outsider, other)
    task = db.session.get(Task, db.session.get(Sort, first).task_id)
    live = gen_sort_meeting(unit["team"], gen_user(email="f2@example.org"), task=task)
    phone = join_as(app, live)
    for client in (outsider, phone, app.test_client()):
        for url in urls:
            assert client.get(url).status_code == 404, url
        assert client.post(f"/next-steps/{unit['step_id']}/status",
                           data={"what_happened": "x", "decision": "adopted"}).status_code == 404
    assert db.session.get(NextStep, unit["step_id"]).status == "planned"


def test_the_unit_page_runs_the_same_number_of_queries_for_one_sort_or_many(app, unit):
    def queries(url):
        with statements() as ran:
            page(unit["http"], url)
        return len(ran)

    few = queries(f"/units/{unit['unit_id']}")
    team = unit["team"]
    coach = team.memberships[0].user
    for n in range(3):
        task = gen_task(team, title=f"Task {n}")
        task.unit_id = unit["unit_id"]
        db.session.commit()
        gen_closed_sort(team, coach, task=task)
    assert queries(f"/units/{unit['unit_id']}") == few


def test_the_pdf_shows_the_blurred_thumbnails_and_is_rendered_in_a_child_process(app, monkeypatch):
    import pypdfium2.raw as pdfium_c
    from PIL import Image

    from plc import storage
    from plc.review import exports
    from tests.sort.conftest import gen_sample

    coach = gen_user()
    meeting = gen_sort_meeting(gen_team(coach), coach)
    sort = sorts.sort_for_meeting(meeting)
    group = sorts.add_group(sort, "Counts on", "Pat")
    for label in ("S1", "S2"):
        sample = gen_sample(meeting.task, label)
        sample.thumb_name = storage.new_name("work", ".jpg")
        storage.path_of(sample.thumb_name).parent.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (48, 64), "navy").save(storage.path_of(sample.thumb_name), "JPEG")
        db.session.commit()
        sorts.move_card(sort, sample.id, group.id, 99, 0, "Pat")
    sorts.close_sort(sort, "Pat")
    run, children = exports.in_child_process, []

    def in_child_process(script, stdin, timeout):
        children.append(script)
        return run(script, stdin, timeout)

    monkeypatch.setattr(exports, "in_child_process", in_child_process)
    http = app.test_client()
    login(http, coach)
    response = http.get(f"/sorts/{sort.id}/summary.pdf")
    assert response.status_code == 200
    pdf = pypdfium2.PdfDocument(response.data)
    images = [obj for i in range(len(pdf)) for obj in pdf[i].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])]
    assert len(images) == 2
    assert children == [exports.RENDERER]
