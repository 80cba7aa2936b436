"""The closing check ("Did today match what we say we value? What got in the way?"): answered
anonymously at the end of every meeting; the coach sees the answers across the unit, and no
payload, page or export of them carries who wrote them."""
import csv
import io
import json

import pypdfium2
import pytest
from flask import current_app

from plc.extensions import db
from plc.meetings.models import Meeting, Participant
from plc.meetings.services import start_meeting
from plc.protocols import load_protocols
from tests.conftest import events_named, gen_meeting, gen_team, gen_user, join_as, live_client, login

NAMES = ("Zelda Quixote", "Ulrich Vantablack")
ANSWERS = {"Zelda Quixote": "Mostly; the timer got in the way.", "Ulrich Vantablack": "Yes: we listened to every way."}
LATER = "A second meeting: we rushed the sort."


def closing_pos(meeting):
    [pos] = [pos for pos, s in enumerate(meeting.agenda) if s.get("closing")]
    return pos


@pytest.fixture
def answered(app):
    """Two meetings on one task (so one unit): everyone answers the closing check on their phone."""
    coach = gen_user(name="Cora Coach")
    team = gen_team(coach)
    first = gen_meeting(team, coach)
    second = start_meeting(team, first.task, coach, load_protocols(current_app.config["PROTOCOLS_DIR"]), ["work-sort"])
    http = app.test_client()
    login(http, coach)
    unit_id, ids = first.task.unit_id, (first.id, second.id)
    screens = []
    for meeting_id, writers in ((ids[0], NAMES), (ids[1], NAMES[:1])):
        meeting = db.session.get(Meeting, meeting_id)
        projector = live_client(app, http, meeting)
        assert projector.emit("step:goto", {"pos": closing_pos(meeting)}, callback=True) == {"ok": True}
        phones = [live_client(app, join_as(app, meeting, name), meeting) for name in writers]
        for name, phone in zip(writers, phones):
            text = ANSWERS[name] if meeting_id == ids[0] else LATER
            assert phone.emit("response:add", {"text": text}, callback=True)["ok"]
        screens += [projector, *phones]
    return {"http": http, "unit_id": unit_id, "screens": screens, "meeting_ids": ids, "team": team}


def participant_ids():
    return [str(pid) for pid in db.session.scalars(db.select(Participant.id))]


def test_no_payload_of_an_answer_names_its_author(answered):
    for screen in answered["screens"]:
        answers = events_named(screen, "response:upsert") + [
            r for state in events_named(screen, "state") for r in state["responses"]]
        assert answers, "the screen got the answers"
        for answer in answers:
            assert set(answer) == {"id", "field", "text"}
            assert not any(name in json.dumps(answer) for name in NAMES)


def test_the_unit_review_shows_the_answers_meeting_by_meeting_without_names(answered):
    html = answered["http"].get(f"/units/{answered['unit_id']}").get_data(as_text=True)
    section = html[html.index('id="closing-heading"'):html.index('id="students-heading"')]

    assert "Did today match what we say we value?" in section
    # Within a meeting, alphabetical: not the order in which people wrote.
    assert section.index("Mostly; the timer") < section.index("Yes: we listened")
    assert LATER in section
    assert not any(name in section for name in NAMES) and "participant" not in section.lower()


def test_the_summary_its_pdf_and_the_csv_carry_no_author(answered):
    http, unit_id = answered["http"], answered["unit_id"]
    summary = http.get(f"/units/{unit_id}/summary").get_data(as_text=True)
    assert ANSWERS[NAMES[0]] in summary and not any(name in summary for name in NAMES)

    pdf = pypdfium2.PdfDocument(http.get(f"/units/{unit_id}/summary.pdf").data)
    text = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "the timer got in the way" in " ".join(text.split()) and not any(name in text for name in NAMES)

    response = http.get(f"/units/{unit_id}/closing-check.csv")
    assert response.headers["Content-Disposition"] == f'attachment; filename="unit-{unit_id}-closing-check.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["task", "meeting_on", "answer"]
    assert sorted(row[2] for row in rows[1:]) == sorted([*ANSWERS.values(), LATER])
    cells = {cell for row in rows[1:] for cell in row}
    assert not any(name in cell for name in NAMES for cell in cells)
    assert not cells & set(participant_ids())


def test_only_the_teams_members_see_the_answers(app, answered):
    outsider = app.test_client()
    login(outsider, gen_user(name="Olga Outsider"))
    for url in (f"/units/{answered['unit_id']}", f"/units/{answered['unit_id']}/closing-check.csv"):
        assert outsider.get(url).status_code == 404


def test_answers_on_other_steps_are_not_part_of_the_check(app):
    coach = gen_user()
    team = gen_team(coach)
    meeting = gen_meeting(team, coach)
    unit_id = meeting.task.unit_id
    http = app.test_client()
    login(http, coach)
    projector = live_client(app, http, meeting)
    phone = live_client(app, join_as(app, meeting, "Ana"), meeting)
    solve = next(pos for pos, s in enumerate(meeting.agenda) if s["step_id"] == "solve")
    projector.emit("step:goto", {"pos": solve}, callback=True)
    phone.emit("response:add", {"text": "Skip counted by sixes"}, callback=True)

    html = http.get(f"/units/{unit_id}").get_data(as_text=True)
    assert "Skip counted by sixes" not in html and "No answers yet." in html
