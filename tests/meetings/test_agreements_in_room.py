"""The team's agreements in a meeting: its norms on the norms steps, its key words sent to every screen."""
import pytest

from plc.accounts.models import User
from plc.extensions import db
from plc.meetings.models import Meeting
from plc.teams import agreements
from plc.teams.models import Team
from tests.conftest import events_named, gen_meeting, gen_team, gen_user, join_as, live_client, login


def norms_steps(meeting):
    return [pos for pos, s in enumerate(meeting.agenda) if s.get("norms")]


@pytest.fixture
def meeting_on(app):
    def start(protocols=("doing-math-together", "work-sort"), norms="", words=()):
        facilitator = gen_user(name="Fay")
        team = gen_team(facilitator)
        if norms:
            agreements.set_norms(team, norms, "Fay")
        for word, meaning in words:
            agreements.add_key_word(team, word, meaning, "Fay")
        meeting = gen_meeting(team, facilitator, protocol_ids=protocols)
        http = app.test_client()
        login(http, facilitator)
        return meeting, live_client(app, http, meeting), live_client(app, join_as(app, meeting), meeting)
    return start


def step_states(meeting, projector, phone, pos):
    assert projector.emit("step:goto", {"pos": pos}, callback=True) == {"ok": True}
    return [events_named(client, "state")[-1]["step"] for client in (projector, phone)]


def test_the_teams_norms_replace_the_fixed_text_on_every_norms_step(meeting_on):
    meeting, projector, phone = meeting_on(norms="We assume good intent.\nWe talk about the thinking, not the child.")
    assert [meeting.agenda[pos]["step_id"] for pos in norms_steps(meeting)] == ["norms", "purpose-and-norms"]

    for pos in norms_steps(meeting):
        for step in step_states(meeting, projector, phone, pos):
            assert step["team_norms"] == ["We assume good intent.", "We talk about the thinking, not the child."]
    # Elsewhere no norms ride along.
    other = next(pos for pos, s in enumerate(meeting.agenda) if not s.get("norms"))
    assert all(step["team_norms"] is None for step in step_states(meeting, projector, phone, other))


def test_a_team_without_norms_keeps_the_protocols_fixed_text(meeting_on):
    meeting, projector, phone = meeting_on()
    for pos in norms_steps(meeting):
        for step in step_states(meeting, projector, phone, pos):
            assert step["team_norms"] is None and step["prompt"] == meeting.agenda[pos]["prompt"]
    assert "We are learners here" in meeting.agenda[norms_steps(meeting)[0]]["prompt"]


def test_norms_changed_during_the_meeting_show_at_the_next_update(meeting_on):
    meeting, projector, phone = meeting_on(norms="Old norm.")
    [first, _] = norms_steps(meeting)
    step_states(meeting, projector, phone, first)
    agreements.set_norms(db.session.get(Team, meeting.team_id), "New norm.", "Fay")
    assert all(step["team_norms"] == ["New norm."] for step in step_states(meeting, projector, phone, first))


def test_every_screen_gets_the_teams_key_words_when_it_connects(meeting_on):
    meeting, projector, phone = meeting_on(words=[("Fluency", "Chooses a strategy that fits the numbers."),
                                                  ("reasoning", "Says why a step works.")])
    for client in (projector, phone):
        [joined] = [s for s in events_named(client, "state") if "agenda" in s][:1]
        assert joined["key_words"] == [{"word": "Fluency", "meaning": "Chooses a strategy that fits the numbers."},
                                       {"word": "reasoning", "meaning": "Says why a step works."}]
    # Broadcasts after a change leave them out, as they leave out the agenda (the screens keep them).
    step_states(meeting, projector, phone, 1)
    assert "key_words" not in events_named(phone, "state")[-1]


def test_another_teams_agreements_never_reach_the_room(meeting_on):
    other = gen_team(gen_user())
    agreements.set_norms(other, "Their norm.", "X")
    agreements.add_key_word(other, "Fluency", "Their meaning.", "X")
    meeting, projector, phone = meeting_on()
    assert events_named(phone, "state")[0]["key_words"] == []
    for pos in norms_steps(meeting):
        assert all(step["team_norms"] is None for step in step_states(meeting, projector, phone, pos))


def test_the_screens_have_a_place_for_the_norms_and_the_meaning_of_a_key_word(app, meeting_on):
    meeting, _, _ = meeting_on()
    meeting = db.session.get(Meeting, meeting.id)
    http = app.test_client()
    login(http, meeting.facilitator)
    phone = join_as(app, meeting, "Ben")
    for page in (http.get(f"/meetings/{meeting.id}/projector"), http.get(f"/meetings/{meeting.id}/control"),
                 phone.get(f"/live/{meeting.id}")):
        html = page.get_data(as_text=True)
        assert 'data-bind="norms"' in html and 'id="key-word-meaning"' in html and 'role="status"' in html


def test_key_words_saved_on_the_agreements_page_reach_every_screen_of_the_running_meeting_at_once(app, meeting_on):
    meeting, projector, phone = meeting_on(words=[("Fluency", "Chooses a strategy that fits the numbers.")])
    # Another running meeting of the same team, and one of another team: only the team's screens hear it.
    team_id, facilitator_id = meeting.team_id, meeting.facilitator_id
    second = gen_meeting(db.session.get(Team, team_id), db.session.get(User, facilitator_id))
    second_projector = live_client(app, projector_http(app, facilitator_id), second)
    other = meeting_on()[2]
    for client in (projector, phone, second_projector, other):
        client.clear()  # what came on connect
    page = projector_http(app, facilitator_id)

    response = page.post(f"/teams/{team_id}/key-words",
                         data={"new-word-word": "reasoning", "new-word-meaning": "Says why a step works."})
    assert response.status_code == 302
    both = [{"word": "Fluency", "meaning": "Chooses a strategy that fits the numbers."},
            {"word": "reasoning", "meaning": "Says why a step works."}]
    for client in (projector, phone, second_projector):
        assert events_named(client, "key_words") == [both]
    assert events_named(other, "key_words") == []

    [fluency] = [k for k in agreements.key_words(team_id) if k.word == "Fluency"]
    page.post(f"/teams/{team_id}/key-words/{fluency.id}",
              data={f"key-word-{fluency.id}-word": "Fluency", f"key-word-{fluency.id}-meaning": "Flexible and accurate."})
    page.post(f"/teams/{team_id}/key-words/{fluency.id}/remove")
    for client in (projector, phone):
        assert events_named(client, "key_words")[1:] == [
            [{"word": "Fluency", "meaning": "Flexible and accurate."}, both[1]], [both[1]]]
    # A refused word changes nothing and tells nobody.
    page.post(f"/teams/{team_id}/key-words", data={"new-word-word": "REASONING", "new-word-meaning": "Again."})
    assert len(events_named(phone, "key_words")) == 3


def test_norms_saved_during_the_meeting_reach_its_norms_step_at_once(app, meeting_on):
    meeting, projector, phone = meeting_on(norms="Old norm.")
    step_states(meeting, projector, phone, norms_steps(meeting)[0])
    projector_http(app, meeting.facilitator_id).post(f"/teams/{meeting.team_id}/norms", data={"norms": "New norm.\nAnother."})
    for client in (projector, phone):
        assert events_named(client, "state")[-1]["step"]["team_norms"] == ["New norm.", "Another."]


def test_an_ended_meeting_hears_nothing_of_the_agreements(app, meeting_on):
    meeting, projector, phone = meeting_on()
    assert projector.emit("meeting:end", {}, callback=True) == {"ok": True}
    phone.clear()
    agreements.add_key_word(db.session.get(Team, meeting.team_id), "Fluency", "Fits the numbers.", "Fay")
    assert events_named(phone, "key_words") == []


def projector_http(app, facilitator_id):
    """A browser of the meeting's facilitator, on the team's pages."""
    http = app.test_client()
    login(http, db.session.get(User, facilitator_id))
    return http
