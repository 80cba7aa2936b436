"""Problem Introduction: the task's question stays off every screen and out of every payload
until the step that reveals it ("The question"); other protocols show it from the start."""
import pytest

from plc.extensions import db
from plc.meetings.models import Meeting
from plc.meetings.services import end_meeting
from plc.teams.models import Task
from tests.conftest import events_named, gen_meeting, gen_team, gen_user, join_as, live_client, login

QUESTION = "How many boxes for 84 apples?"
CONTEXT = "A store packs 6 apples in a box."


def reveal_pos(meeting):
    return next(pos for pos, s in enumerate(meeting.agenda) if s["step_id"] == "the-question")


@pytest.fixture
def meeting_room(app):
    """A Doing Math Together meeting (Problem Introduction inside it), with a projector,
    the control page and a phone connected."""
    facilitator = gen_user()
    team = gen_team(facilitator)
    meeting = gen_meeting(team, facilitator)
    http = app.test_client()
    login(http, facilitator)
    phone_http = join_as(app, meeting, "Ana")
    clients = {"projector": live_client(app, http, meeting), "phone": live_client(app, phone_http, meeting)}
    return {"app": app, "meeting": meeting, "http": http, "phone_http": phone_http, "clients": clients, "team": team}


def pages(room):
    meeting = room["meeting"]
    return {
        "projector": room["http"].get(f"/meetings/{meeting.id}/projector").get_data(as_text=True),
        "control": room["http"].get(f"/meetings/{meeting.id}/control").get_data(as_text=True),
        "phone": room["phone_http"].get(f"/live/{meeting.id}").get_data(as_text=True),
        "task page": room["http"].get(f"/tasks/{meeting.task_id}").get_data(as_text=True),
    }


def latest_states(room):
    return {name: events_named(client, "state")[-1] for name, client in room["clients"].items()}


def test_the_question_is_absent_everywhere_before_its_step_and_present_from_it(meeting_room):
    room, meeting = meeting_room, meeting_room["meeting"]
    projector = room["clients"]["projector"]
    reveal = reveal_pos(meeting)
    assert reveal > 0

    for pos in range(len(meeting.agenda)):
        assert projector.emit("step:goto", {"pos": pos}, callback=True) == {"ok": True}
        states, shown = latest_states(room), pages(room)
        # A reconnecting screen gets the full state: it follows the same rule.
        rejoined = live_client(room["app"], room["phone_http"], meeting)
        full = events_named(rejoined, "state")[-1]
        rejoined.disconnect()
        everything = [*map(str, states.values()), str(full), *shown.values()]
        for state in [*states.values(), full]:
            assert state["meeting"]["task"]["context"] == CONTEXT
        if pos < reveal:
            assert all(QUESTION not in text for text in everything), f"the question shows at step {pos}"
            assert all(s["meeting"]["task"]["question"] is None and s["meeting"]["task"]["question_held"]
                       for s in [*states.values(), full])
            assert "The question is held back" in shown["task page"]
        else:
            assert all(s["meeting"]["task"]["question"] == QUESTION for s in [*states.values(), full])
            assert not any(s["meeting"]["task"]["question_held"] for s in states.values())
            assert QUESTION in shown["task page"] and "held back" not in shown["task page"]
        # The step that reveals it says so, so the projector shows the task then.
        assert states["projector"]["step"]["reveals_question"] == (pos == reveal)


def test_going_back_before_the_step_hides_the_question_again(meeting_room):
    projector = meeting_room["clients"]["projector"]
    projector.emit("step:goto", {"pos": reveal_pos(meeting_room["meeting"])}, callback=True)
    projector.emit("step:goto", {"pos": 1}, callback=True)
    assert events_named(meeting_room["clients"]["phone"], "state")[-1]["meeting"]["task"]["question"] is None


def test_the_task_page_shows_the_question_once_the_meeting_is_over(meeting_room):
    end_meeting(db.session.get(Meeting, meeting_room["meeting"].id))
    page = pages(meeting_room)["task page"]
    assert QUESTION in page and "held back" not in page


@pytest.mark.parametrize("protocols", [["work-sort"], ["since-last-time", "work-sort"]])
def test_other_protocols_show_the_context_and_the_question_from_the_start(app, protocols):
    facilitator = gen_user()
    team = gen_team(facilitator)
    meeting = gen_meeting(team, facilitator, protocol_ids=protocols)
    http = app.test_client()
    login(http, facilitator)
    projector = live_client(app, http, meeting)

    task = events_named(projector, "state")[-1]["meeting"]["task"]
    assert (task["context"], task["question"], task["question_held"]) == (CONTEXT, QUESTION, False)
    page = http.get(f"/tasks/{meeting.task_id}").get_data(as_text=True)
    assert QUESTION in page and "held back" not in page


def test_a_task_without_a_question_holds_nothing_back(app):
    facilitator = gen_user()
    team = gen_team(facilitator)
    meeting = gen_meeting(team, facilitator)
    meeting.task.question = ""
    db.session.commit()
    http = app.test_client()
    login(http, facilitator)
    task = events_named(live_client(app, http, meeting), "state")[-1]["meeting"]["task"]
    assert (task["question"], task["question_held"]) == (None, False)
    assert "held back" not in http.get(f"/tasks/{meeting.task_id}").get_data(as_text=True)


def test_the_task_cannot_be_changed_while_a_meeting_holds_its_question_back(meeting_room):
    http, task_id = meeting_room["http"], meeting_room["meeting"].task_id
    response = http.get(f"/tasks/{task_id}/edit")
    assert response.status_code == 302 and response.headers["Location"] == f"/tasks/{task_id}"
    assert http.post(f"/tasks/{task_id}/edit", data={"title": "X", "context": "Y", "question": ""}).status_code == 302
    assert db.session.get(Task, task_id).question == QUESTION
    meeting_room["clients"]["projector"].emit("step:goto", {"pos": reveal_pos(meeting_room["meeting"])}, callback=True)
    assert QUESTION in http.get(f"/tasks/{task_id}/edit").get_data(as_text=True)
