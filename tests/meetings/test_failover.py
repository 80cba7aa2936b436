"""When another server process dies, this one resends its own live rooms what the database holds
(plc/meetings/failover.py): an answer the dead process stored but never broadcast reaches everyone."""
from __future__ import annotations

from plc.extensions import db
from plc.meetings import failover, services
from plc.meetings.models import Meeting, Participant
from tests.conftest import events_named, gen_meeting, gen_team, gen_user, join_as, live_client, login


def _room_on_answers(app, client):
    facilitator = gen_user()
    team = gen_team(facilitator)
    meeting = gen_meeting(team, facilitator)
    services.goto_step(meeting, next(i for i, s in enumerate(meeting.agenda) if s["activity"] == "responses"))
    login(client, facilitator)
    projector = live_client(app, client, meeting)
    phones = [live_client(app, join_as(app, meeting, name), meeting) for name in ("Ana", "Ben")]
    for live in (projector, *phones):
        live.clear()
    return db.session.get(Meeting, meeting.id), projector, phones  # connecting ended the session it was in


def _stored_unannounced(meeting, name: str, text: str) -> int:
    """An answer stored as a process that died before its broadcast leaves it: in the database only."""
    participant = db.session.execute(db.select(Participant).filter_by(meeting_id=meeting.id, name=name)).scalar_one()
    return services.add_response(meeting, participant.id, text, None).id


def test_a_lost_process_makes_this_one_resend_its_rooms_what_the_database_holds(app, client):
    meeting, projector, phones = _room_on_answers(app, client)
    silent = _stored_unannounced(meeting, "Ana", "Stored, never broadcast")

    failover.resend_local_rooms(app, lost={"another-process"})

    for live in (projector, *phones):
        [state] = events_named(live, "state")
        assert silent in [r["id"] for r in state["responses"]]
    assert len(events_named(projector, "control")) == 1  # the facilitator's controls, too


def test_an_answer_stored_while_the_state_is_made_follows_it(app, client, monkeypatch):
    """The state replaces a phone's answers: one stored after it was read is sent again after it."""
    meeting, projector, phones = _room_on_answers(app, client)
    read_state = failover.room_state
    late = []

    def state_then_an_answer(m):
        state = read_state(m)
        late.append(_stored_unannounced(m, "Ben", "Stored while the state was made"))
        return state

    monkeypatch.setattr(failover, "room_state", state_then_an_answer)
    failover.resend_local_rooms(app, lost={"another-process"})

    for live in (projector, *phones):
        names = [e["name"] for e in live.events()]
        assert late[0] not in [r["id"] for r in events_named(live, "state")[0]["responses"]]
        assert [r["id"] for r in events_named(live, "response:upsert")] == late
        assert names.index("response:upsert") > names.index("state")


def test_rooms_of_ended_meetings_get_nothing(app, client):
    meeting, projector, phones = _room_on_answers(app, client)
    services.end_meeting(meeting)
    failover.resend_local_rooms(app, lost={"another-process"})
    for live in (projector, *phones):
        assert events_named(live, "state") == []
