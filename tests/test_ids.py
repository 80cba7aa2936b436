"""Every id is checked: out of range in a URL is a 404 on every route, in a live event a refusal
that names the field, never a 500, a traceback or silence."""
from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from plc.database import MAX_ID
from plc.extensions import db, socketio
from plc.meetings.models import Meeting
from plc.urls import IdConverter
from tests.conftest import gen_team, gen_user, live_client, login
from tests.sort.conftest import SORT_STEP, gen_sample, gen_sort_meeting

OUT_OF_RANGE = [2**63, 2**63 + 5, MAX_ID + 1, 10**30, 0]


def routes_with_ids(app) -> list:
    return [rule for rule in app.url_map.iter_rules()
            if any(isinstance(c, IntegerConverter) for c in rule._converters.values())]


def url_of(app, rule, number: int) -> str:
    """The rule's URL with `number` for every id (the converter does not check when building)."""
    values = {name: (number if isinstance(converter, IntegerConverter) else "thumb" if name == "kind" else "x")
              for name, converter in rule._converters.items()}
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def test_every_id_in_a_route_is_an_id_of_the_database_range(app):
    rules = routes_with_ids(app)
    assert len(rules) >= 30
    for rule in rules:
        for name, converter in rule._converters.items():
            if isinstance(converter, IntegerConverter):
                assert isinstance(converter, IdConverter), f"{rule.rule}: {name} is not an <id:...>"


@pytest.mark.parametrize("number", OUT_OF_RANGE)
def test_ids_out_of_range_are_404_on_every_route(app, board_world, number):
    client = board_world["http"]
    for rule in routes_with_ids(app):
        url = url_of(app, rule, number)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code == 404, (method, url, response.status_code)
    for url in ("/tasks/-1", "/meetings/-5/projector", "/work/-1/thumb"):
        assert client.get(url).status_code == 404


def test_ids_out_of_range_in_query_strings_are_ignored(app, board_world):
    unit_id = board_world["unit_id"]
    response = board_world["http"].get(f"/units/{unit_id}/compare?sort={2**63}&sort={2**64}")
    assert response.status_code == 302  # "choose two different sorts", as for any unknown pair
    team_id = board_world["team_id"]
    assert board_world["http"].get(f"/teams/{team_id}/meetings/new?task_id={2**63}").status_code == 200


HUGE = 2**63
EVENTS_WITH_IDS = [
    ("response:spotlight", {"response_id": HUGE}, "response_id"),
    ("response:edit", {"id": HUGE, "text": "x"}, "id"),
    ("response:withdraw", {"id": HUGE}, "id"),
    ("sort:move", {"sample_id": HUGE, "group_id": None, "index": 0, "card_version": 0}, "sample_id"),
    ("sort:move", {"sample_id": 1, "group_id": HUGE, "index": 0, "card_version": 0}, "group_id"),
    ("sort:group:rename", {"group_id": HUGE, "name": "Arrays"}, "group_id"),
    ("sort:group:remove", {"group_id": -HUGE}, "group_id"),
    ("sort:group:notes", {"group_id": HUGE, "showing": "x"}, "group_id"),
    ("sort:group:link", {"group_id": 1, "strategy_id": HUGE}, "strategy_id"),
    ("sort:next:remove", {"id": HUGE}, "id"),
    ("sort:share", {"sample_ids": [1, HUGE]}, "sample_ids.1"),
    ("followup:update", {"id": HUGE, "status": "done"}, "id"),
]


@pytest.mark.parametrize("event, payload, field", EVENTS_WITH_IDS, ids=[f"{e}-{f}" for e, _, f in EVENTS_WITH_IDS])
def test_ids_out_of_range_in_events_are_refused_with_a_reason(app, board_world, event, payload, field):
    projector = board_world["projector"]
    ack = projector.emit(event, payload, callback=True)
    assert ack["ok"] is False and ack["error"].startswith(f"Bad request: {field}:"), ack


def test_connecting_with_an_id_out_of_range_is_refused(app, board_world):
    for auth in ({"meeting_id": HUGE}, {"meeting_id": -1}, {"meeting_id": 0}):
        client = socketio.test_client(app, flask_test_client=board_world["http"], auth=auth)
        assert not client.is_connected()
    assert not socketio.test_client(app, namespace="/tasks", flask_test_client=board_world["http"],
                                    auth={"task_id": HUGE}).is_connected("/tasks")


@pytest.fixture
def board_world(app):
    facilitator = gen_user()
    team = gen_team(facilitator)
    meeting = gen_sort_meeting(team, facilitator, step=SORT_STEP)
    gen_sample(meeting.task, "S1")
    http = app.test_client()
    login(http, facilitator)
    world = {"http": http, "team_id": team.id, "unit_id": meeting.task.unit_id, "meeting_id": meeting.id}
    world["projector"] = live_client(app, http, db.session.get(Meeting, meeting.id))
    return world
