import pytest

from plc.extensions import db
from plc.meetings import services as meetings
from plc.meetings.models import Participant
from plc.work.models import WorkSample
from tests.conftest import events_named, gen_meeting, gen_team, gen_user, join_as, live_client, login

SORT_STEP = 3  # Work Sort: purpose, gather, look, sort, name groups, patterns, next steps, sequence, close


def gen_sample(task, label, text="6 + 6 + 6 = 18", status="done"):
    sample = WorkSample(team_id=task.unit.team_id, task_id=task.id, student_label=label, source_kind="jpeg",
                        status=status, ocr_text=text, thumb_name=None, image_name=None)
    db.session.add(sample)
    db.session.commit()
    return sample


def gen_sort_meeting(team, facilitator, task=None, step=SORT_STEP):
    meeting = gen_meeting(team, facilitator, protocol_ids=("work-sort",))
    if task is not None:
        meeting.task = task
        db.session.commit()
    meetings.goto_step(meeting, step)
    return meeting


@pytest.fixture
def board(app):
    """A Work Sort meeting on its Sort step with six samples, the facilitator connected."""
    facilitator = gen_user()
    team = gen_team(facilitator)
    meeting = gen_sort_meeting(team, facilitator)
    samples = [gen_sample(meeting.task, f"S{n}") for n in range(1, 7)]
    http = app.test_client()
    login(http, facilitator)
    return {"meeting": meeting, "team": team, "facilitator": facilitator, "samples": samples, "http": http}


def connect_phone(app, meeting, name):
    return live_client(app, join_as(app, meeting, name=name), meeting)


# A next step's cycle: what the team predicts and the evidence that will show it.
CYCLE = {"prediction": "Most will start from ten and count on.", "evidence": "The exit ticket on Thursday"}


def first_owner(client) -> str:
    """The first owner choice (plc/sort/owners.py) of the plan step's board the client last received."""
    boards = [state["sort"] for state in events_named(client, "state") if state.get("sort")]
    boards += events_named(client, "sort")
    return [board for board in boards if board["owners"]][-1]["owners"][0]["key"]


def participant_key(meeting_id: int, name: str) -> str:
    """The owner choice of the meeting's participant called `name`."""
    participant = db.session.execute(db.select(Participant).filter_by(meeting_id=meeting_id, name=name)).scalar_one()
    return f"participant:{participant.id}"
