"""The room's pages give their scripts the constants the server owns, once, in a JSON data island."""
import json
import re

from plc.review.followup import DECISION_CHOICES
from plc.sort.labels import BOARD_HINTS, KIND_LABELS, NOTE_LABELS, STILL_MODES
from plc.sort.models import TEXT_LIMITS
from plc.work.labels import STATUS_TEXT
from plc.work.services import MAX_TEXT_CHARS
from tests.conftest import gen_meeting, gen_task, gen_team, gen_user, join_as, login


def island(html: str) -> dict:
    [found] = re.findall(r'<script type="application/json" id="server-constants">(.*?)</script>', html, re.S)
    return json.loads(found)


def test_every_room_page_carries_every_features_constants_in_order(app, client):
    user = gen_user()
    team = gen_team(user)
    meeting = gen_meeting(team, user)
    login(client, user)
    phone = join_as(app, meeting)

    pages = [client.get(f"/meetings/{meeting.id}/projector"), client.get(f"/meetings/{meeting.id}/control"),
             phone.get(f"/live/{meeting.id}")]

    for page in pages:
        constants = island(page.get_data(as_text=True))
        assert constants["room"] == {"response_activities": ["responses", "anticipate"]}
        assert constants["follow_up"]["decisions"] == [[value, *words] for value, words in DECISION_CHOICES.items()]
        assert constants["sort"]["notes"] == [list(pair) for pair in NOTE_LABELS.items()]
        assert constants["sort"]["kinds"] == KIND_LABELS
        assert constants["sort"]["still_modes"] == list(STILL_MODES)
        assert constants["sort"]["hints"] == BOARD_HINTS
        assert constants["samples"]["status_text"] == STATUS_TEXT
        # Every typed field's limit comes from the server: no script repeats one.
        assert constants["sort"]["limits"] == TEXT_LIMITS
        assert constants["follow_up"]["limits"] == {field: TEXT_LIMITS[field]
                                                    for field in ("what_happened", "prediction", "evidence")}
        assert constants["samples"]["text_max_chars"] == MAX_TEXT_CHARS


def test_the_task_work_page_carries_the_sample_statuses(client):
    user = gen_user()
    task = gen_task(gen_team(user))
    login(client, user)

    constants = island(client.get(f"/tasks/{task.id}/work").get_data(as_text=True))

    assert constants == {"samples": {"status_text": STATUS_TEXT, "unfinished": ["queued", "processing", "reading"],
                                     "text_max_chars": MAX_TEXT_CHARS}}
