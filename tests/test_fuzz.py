"""Property-based fuzzing (Hypothesis) of every Socket.IO event and every route with an id.

Events are taken from the server's registered handlers, routes from the URL map, so new ones are
fuzzed without a word here. Payloads are generated from each event's payload type, mixed with
wrong types, huge and negative numbers, missing and extra keys, long strings, and the ids of other
teams' rows; they come from every role: the facilitator, a team member, a phone in the meeting,
another team's facilitator (in their own meeting, sending this team's ids), and a visitor.

Properties: an answer or a refusal always comes back; a refusal changes nothing; a role changes
only what it may (nobody outside the team changes the team's rows); no 500 and nothing logged
as an error. Examples are bounded so that the whole file runs in well under a minute.
"""
from __future__ import annotations

import logging
import typing

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import event as tally
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.routing import IntegerConverter

from plc.database import MAX_ID
from plc.extensions import db, socketio
from plc.meetings import services as meetings
from plc.meetings.models import Meeting, Participant, Response
from plc.meetings.signals import showing_step
from plc.protocols import ANTICIPATION_QUESTIONS
from plc.realtime.gate import EVENTS
from plc.roles import PARTICIPANT_ROLES
from plc.sort.models import AUDIENCES, DECISIONS, NEXT_STEP_STATUSES, Move, NextStep, Placement, Sort, SortGroup
from plc.teams.models import DeletionRecord, Membership, Strategy, Task, Team, Unit
from plc.work.models import WorkSample
from tests.conftest import forget_cached_user, gen_meeting, gen_team, gen_user, join_as, live_client, login
from tests.review.conftest import gen_closed_sort
from tests.sort.conftest import gen_sample

FUZZ = settings(max_examples=120, deadline=None, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
EDGE_NUMBERS = [0, -1, MAX_ID, MAX_ID + 1, 2**63 - 1, 2**63, -(2**63), 10**30]
ROLES = ("facilitator", "member", "participant", "outsider")


# --- what each team owns, to compare before and after ------------------------------------------

def team_rows(team_id: int) -> dict:
    """Every row the team owns, table by table."""
    meetings_ = select(Meeting.id).where(Meeting.team_id == team_id)
    sorts = select(Sort.id).where(Sort.team_id == team_id)
    owned = {
        Team: Team.id == team_id, Membership: Membership.team_id == team_id, Unit: Unit.team_id == team_id,
        Task: Task.unit_id.in_(select(Unit.id).where(Unit.team_id == team_id)),
        Meeting: Meeting.team_id == team_id, Participant: Participant.meeting_id.in_(meetings_),
        Response: Response.meeting_id.in_(meetings_), WorkSample: WorkSample.team_id == team_id,
        Sort: Sort.team_id == team_id, SortGroup: SortGroup.sort_id.in_(sorts),
        Placement: Placement.sort_id.in_(sorts), Move: Move.sort_id.in_(sorts),
        NextStep: NextStep.sort_id.in_(sorts), Strategy: Strategy.team_id == team_id,
        DeletionRecord: DeletionRecord.team_id == team_id,
    }
    db.session.remove()
    return {model.__tablename__: sorted(tuple(row) for row in db.session.execute(
        select(*model.__table__.columns).where(where)).all()) for model, where in owned.items()}


def changed_tables(before: dict, after: dict) -> set[str]:
    return {table for table in before if before[table] != after[table]}


# --- the world: two teams, each with a meeting full of things to point at ------------------------

def build_team(app, name: str) -> dict:
    facilitator = gen_user(name=f"{name} Facilitator")
    team = gen_team(facilitator, name=name)
    gen_closed_sort(team, facilitator)  # open next steps: the meeting opens with "Since last time"
    meeting = gen_meeting(team, facilitator, ("doing-math-together", "work-sort"))
    for label in ("S1", "S2", "S3"):
        gen_sample(meeting.task, label)
    ids = {"team_id": team.id, "meeting_id": meeting.id, "task_id": meeting.task_id, "unit_id": meeting.task.unit_id,
           "agenda": meeting.agenda}
    member = gen_user(name=f"{name} Coach")
    db.session.add(Membership(team_id=team.id, user_id=member.id, role="coach"))
    db.session.commit()
    http = {"facilitator": app.test_client(), "member": app.test_client()}
    login(http["facilitator"], facilitator)
    login(http["member"], member)
    http["participant"] = join_as(app, db.session.get(Meeting, ids["meeting_id"]), f"{name} Phone")
    return {**ids, "http": http}


def goto(meeting_id: int, pos: int) -> None:
    """The meeting shows this step (and opens what it needs, as the facilitator's step:goto does)."""
    meeting = db.session.get(Meeting, meeting_id)
    meeting.ended_at = None  # a fuzzed meeting:end is undone for the next example
    meetings.goto_step(meeting, pos)
    showing_step.send(meeting)
    db.session.remove()


def all_ids() -> list[int]:
    """Every id in the database, whichever team's: the ids a fuzzed payload points at."""
    found = set()
    for table in db.metadata.sorted_tables:
        if "id" in table.c:
            found |= set(db.session.execute(select(table.c.id)).scalars())
    return sorted(found)


@pytest.fixture
def world(app):
    home, other = build_team(app, "Lincoln"), build_team(app, "Other School")
    clients = {role: live_client(app, home["http"][role], db.session.get(Meeting, home["meeting_id"]))
               for role in ("facilitator", "member", "participant")}
    clients["outsider"] = live_client(app, other["http"]["facilitator"], db.session.get(Meeting, other["meeting_id"]))
    assert all(client.is_connected() for client in clients.values())
    return {"home": home, "other": other, "clients": clients, "ids": all_ids()}


# --- payloads ----------------------------------------------------------------------------------

WORDS = {
    "status": list(NEXT_STEP_STATUSES), "audience": list(AUDIENCES), "owner_role": list(PARTICIPANT_ROLES),
    "owner": ["member:1", "participant:1", "someone"], "decision": list(DECISIONS), "prediction": ["They will count on"],
    "evidence": ["The exit ticket"], "what_happened": ["Most did"],
    "field": list(ANTICIPATION_QUESTIONS), "due_on": ["2026-05-01", "2026-13-45"],
    "name": ["Arrays", "Low", "Counts on", ""], "move": ["Number talk"], "definition": ["Groups of equal size"],
}
long_text = st.builds(lambda char, n: char * n, st.characters(codec="utf-8"), st.integers(400, 6000))
junk = st.one_of(st.none(), st.booleans(), st.floats(allow_nan=True), st.text(max_size=8),
                 st.lists(st.integers(-3, 3), max_size=3), st.dictionaries(st.text(max_size=4), st.integers(), max_size=2))


def mostly(good, bad, one_in: int):
    """`good`, but `bad` once in `one_in` draws."""
    return st.integers(1, one_in).flatmap(lambda n: bad if n == 1 else good)


def numbers(ids: list[int]):
    """Mostly the ids of rows (any team's), else numbers at and past the edges."""
    return mostly(st.sampled_from(ids), st.one_of(st.sampled_from(EDGE_NUMBERS), st.integers(-5, 50)), one_in=3)


def _base_type(annotation):
    """int, str, bool or list, under Optional[...] and Annotated[...]."""
    while typing.get_origin(annotation) in (typing.Union, typing.Annotated):
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    return typing.get_origin(annotation) or annotation


def field_values(name: str, annotation, ids: list[int]):
    kind = _base_type(annotation)
    if kind is bool:
        typed = st.booleans()
    elif kind is int:
        typed = numbers(ids)
    elif kind is list:
        typed = st.lists(numbers(ids), max_size=6)
    else:
        typed = st.one_of(st.sampled_from(WORDS.get(name, ["Arrays"])), st.text(max_size=30), long_text)
    return mostly(typed, st.one_of(st.none(), junk), one_in=12)


def payloads(model, ids: list[int]):
    """Mostly the model's own fields with values of every kind (some keys dropped, some added);
    sometimes anything at all."""
    fields = st.fixed_dictionaries({}, optional={
        name: field_values(name, info.annotation, ids) for name, info in model.model_fields.items()})
    with_all = st.fixed_dictionaries({name: field_values(name, info.annotation, ids)
                                      for name, info in model.model_fields.items()})
    extra = st.dictionaries(st.sampled_from(["extra", "meeting_id", "participant_id", "__class__"]), junk, max_size=2)
    return mostly(with_all, st.one_of(st.builds(lambda a, b: {**a, **b}, fields, extra), junk), one_in=4)


def registered_events() -> list[str]:
    names = sorted(set(socketio.server.handlers["/"]) - {"connect", "disconnect"})
    # Every event goes through the gate: it checks payloads, seats and roles.
    assert set(names) <= set(EVENTS), set(names) - set(EVENTS)
    return names


# Where each kind of event does something: half the time the meeting is on such a step.
ACTIVITIES_FOR = {"sort:": ("sort", "next_steps"), "response:": ("responses", "anticipate"), "followup:": ("follow_up",)}


def steps_for(event: str, agenda: list[dict]):
    activities = next((a for prefix, a in ACTIVITIES_FOR.items() if event.startswith(prefix)), ())
    fitting = [pos for pos, step in enumerate(agenda) if step["activity"] in activities]
    anywhere = st.integers(0, len(agenda) - 1)
    return st.one_of(st.sampled_from(fitting), anywhere) if fitting else anywhere


def may_change(event: str, role: str) -> bool:
    """Whether this role may change the home team's rows with this event at all (the gate's rules)."""
    rule = EVENTS[event]
    if role == "outsider":
        return False
    return (role == "facilitator" or not rule.control) and (role == "participant" or not rule.participant)


# --- the properties ----------------------------------------------------------------------------

@FUZZ
@given(data=st.data())
def test_every_event_from_every_role_answers_and_changes_only_what_it_may(world, caplog, data):
    caplog.set_level(logging.WARNING)
    event = data.draw(st.sampled_from(registered_events()), label="event")
    role = data.draw(st.sampled_from(ROLES), label="role")
    home, other = world["home"], world["other"]
    goto(home["meeting_id"], data.draw(steps_for(event, home["agenda"]), label="home step"))
    goto(other["meeting_id"], data.draw(steps_for(event, other["agenda"]), label="other step"))
    payload = data.draw(payloads(EVENTS[event].payload, world["ids"]), label="payload")
    before = {team: team_rows(world[team]["team_id"]) for team in ("home", "other")}
    caplog.clear()

    ack = world["clients"][role].emit(event, payload, callback=True)

    tally(f"event {'done' if isinstance(ack, dict) and ack.get('ok') else 'refused'}")
    assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), ack
    assert ack["ok"] or ack.get("error"), ack
    after = {team: team_rows(world[team]["team_id"]) for team in ("home", "other")}
    if not ack["ok"]:
        assert after == before, (changed_tables(before["home"], after["home"]), ack)
    if not may_change(event, role):
        assert after["home"] == before["home"], (role, event, changed_tables(before["home"], after["home"]))
    if role != "outsider":
        assert after["other"] == before["other"], (role, event)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


@settings(FUZZ, max_examples=40)
@given(auth=st.one_of(  # a connect packet carries an object, or nothing (anything else does not parse)
    st.none(), st.dictionaries(st.sampled_from(["meeting_id", "task_id", "x"]), junk, max_size=2),
    st.fixed_dictionaries({"meeting_id": numbers([1, 2, 3])}), st.fixed_dictionaries({"task_id": numbers([1, 2, 3])})),
       namespace=st.sampled_from(["/", "/tasks"]))
def test_a_visitor_is_refused_whatever_it_sends_to_connect(world, app, caplog, auth, namespace):
    caplog.set_level(logging.WARNING)
    before = team_rows(world["home"]["team_id"])
    forget_cached_user()
    visitor = socketio.test_client(app, namespace=namespace, flask_test_client=app.test_client(), auth=auth)
    assert not visitor.is_connected(namespace)
    assert team_rows(world["home"]["team_id"]) == before
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


ROUTE_ROLES = ("facilitator", "member", "participant", "outsider", "visitor")
# A phone in the meeting may correct, blur and retry its task's student work; nothing else of the team's.
PHONE_MAY_CHANGE = {"work_sample"}


def routes_with_ids(app) -> list:
    return sorted((rule for rule in app.url_map.iter_rules()
                   if any(isinstance(c, IntegerConverter) for c in rule._converters.values())),
                  key=lambda rule: (rule.rule, rule.endpoint))


@settings(FUZZ, max_examples=80)
@given(data=st.data())
def test_every_route_with_ids_from_every_role_never_fails(world, app, caplog, data):
    caplog.set_level(logging.WARNING)
    rule = data.draw(st.sampled_from(routes_with_ids(app)), label="route")
    method = data.draw(st.sampled_from(sorted(rule.methods - {"HEAD", "OPTIONS"})), label="method")
    role = data.draw(st.sampled_from(ROUTE_ROLES), label="role")
    values = {name: data.draw(numbers(world["ids"]) if isinstance(converter, IntegerConverter)
                              else st.sampled_from(["thumb", "image"]), label=name)  # <any(thumb, image):kind>
              for name, converter in rule._converters.items()}
    url = app.url_map.bind("localhost").build(rule.endpoint, values)
    form = data.draw(st.dictionaries(st.sampled_from(["status", "reflection", "text", "box", "keep_originals",
                                                      "originals_retention_days", "role", "files", "title"]),
                                     st.one_of(st.text(max_size=12), long_text), max_size=3), label="form")
    client = {"outsider": world["other"]["http"]["facilitator"], "visitor": app.test_client(),
              **world["home"]["http"]}[role]
    home_id, other_id = world["home"]["team_id"], world["other"]["team_id"]
    before = {home_id: team_rows(home_id), other_id: team_rows(other_id)}
    caplog.clear()

    response = client.open(url, method=method, data=form if method == "POST" else None)

    tally(f"route answered {response.status_code}")  # shown by --hypothesis-show-statistics
    assert response.status_code < 500, (method, url, response.status_code)
    if any(isinstance(v, int) and not 1 <= v <= MAX_ID for v in values.values()):
        assert response.status_code == 404, (method, url, response.status_code)
    after = {home_id: team_rows(home_id), other_id: team_rows(other_id)}
    allowed = {"facilitator": None, "member": None, "participant": PHONE_MAY_CHANGE, "outsider": set(),
               "visitor": set()}[role]
    if allowed is not None:
        assert changed_tables(before[home_id], after[home_id]) <= allowed, (role, method, url)
    if role != "outsider":
        assert after[other_id] == before[other_id], (role, method, url)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
