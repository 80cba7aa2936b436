"""Anticipation carried through the sort, through the commands and queries: an anticipated group
keeps its wording and who anticipated it; only the facilitator removes one, and a removed one
still counts as anticipated but nobody used; anticipations made later join the open board; a
unit's critical strategies nobody used; the stuck points and prepared questions the board shows."""
import pytest

from plc.extensions import db
from plc.meetings import services as meetings
from plc.retention.services import delete_unit
from plc.sort import commands, queries
from plc.sort.errors import SortError
from plc.sort.models import Sort
from plc.sort.payloads import sort_payload
from plc.sort.snapshot import load_snapshot
from plc.teams.models import CriticalStrategy, Strategy
from plc.teams.services import critical_strategies, set_critical_strategies
from tests.conftest import gen_meeting, gen_team, gen_user, join_as, login
from tests.sort.conftest import gen_sample, gen_sort_meeting
from tests.sort.test_anonymous_steps import protocols_with_anonymous


def anticipate(app, meeting, answers, name="Ana"):
    """Answer anticipation questions ((field, text) pairs) in a Doing Math Together meeting."""
    step = next(i for i, s in enumerate(meeting.agenda) if s["activity"] == "anticipate")
    if meeting.step_pos != step:
        meetings.goto_step(meeting, step)
    join_as(app, meeting, name=name)
    participant = meeting.participants[-1]
    return [meetings.add_response(meeting, participant.id, text, field) for field, text in answers]


@pytest.fixture
def anticipated(app):
    """A task anticipated in Doing Math Together (by Ana), its Work Sort open on its Sort step."""
    facilitator = gen_user()
    team = gen_team(facilitator)
    dmt = gen_meeting(team, facilitator)
    anticipate(app, dmt, [("strategies", "Skip counts by 6\nUses an array"), ("stuck", "Losing count past 60"),
                          ("questions", "How could you check your count?")])
    meeting = gen_sort_meeting(team, facilitator, task=dmt.task)
    samples = [gen_sample(meeting.task, f"S{n}") for n in range(1, 4)]
    sort = commands.sort_for_meeting(meeting)
    return {"team": team, "dmt": dmt, "meeting": meeting, "sort": sort, "samples": samples, "facilitator": facilitator}


def group_named(sort, name):
    return next(g for g in sort.groups if g.name == name)


def test_anticipated_groups_keep_their_wording_and_who_anticipated_them_through_renames_and_links(anticipated):
    sort, team = anticipated["sort"], anticipated["team"]
    skip, array = group_named(sort, "Skip counts by 6"), group_named(sort, "Uses an array")
    assert (skip.anticipated_as, skip.anticipated_by) == ("Skip counts by 6", "Ana")

    commands.rename_group(sort, skip.id, "Counts by sixes", "Pat")
    strategy = Strategy(team_id=team.id, name="Array model", key="array model", definition="Rows and columns")
    db.session.add(strategy)
    db.session.commit()
    commands.link_group(sort, array.id, strategy_id=strategy.id)

    sort = db.session.get(Sort, sort.id)
    groups = {g["id"]: g for g in sort_payload(sort, anticipated["meeting"])["groups"]}
    assert (groups[skip.id]["name"], groups[skip.id]["anticipated_as"], groups[skip.id]["anticipated_by"]) == (
        "Counts by sixes", "Skip counts by 6", "Ana")
    assert (groups[array.id]["name"], groups[array.id]["anticipated_as"]) == ("Array model", "Uses an array")
    assert group_named(sort, "Unanticipated").anticipated_as is None


def test_who_anticipated_is_not_kept_from_an_anonymous_step_nor_sent_where_names_are_hidden(app):
    facilitator = gen_user()
    team = gen_team(facilitator)
    dmt = gen_meeting(team, facilitator, protocols=protocols_with_anonymous("doing-math-together", "anticipate"))
    anticipate(app, dmt, [("strategies", "Skip counts"), ("stuck", "Losing count")])
    meeting = gen_sort_meeting(team, facilitator, task=dmt.task)
    sort = commands.sort_for_meeting(meeting)
    assert (sort.groups[0].anticipated_as, sort.groups[0].anticipated_by) == ("Skip counts", None)
    assert sort_payload(sort, meeting)["anticipations"]["stuck"] == [{"text": "Losing count", "by": None}]

    named_dmt = gen_meeting(team, facilitator)
    named_dmt.task = meeting.task
    db.session.commit()
    anticipate(app, named_dmt, [("stuck", "Skipping a row")], name="Ben")
    meetings.set_names_hidden(meeting, True)
    payload = sort_payload(db.session.get(Sort, sort.id), meeting)
    assert "Ben" not in str(payload) and payload["anticipations"]["stuck"][1] == {"text": "Skipping a row", "by": None}
    meetings.set_names_hidden(meeting, False)
    assert sort_payload(db.session.get(Sort, sort.id), meeting)["anticipations"]["stuck"][1]["by"] == "Ben"


def test_only_the_facilitator_removes_an_anticipated_group_and_it_still_counts_as_nobody_used(anticipated):
    sort, samples = anticipated["sort"], anticipated["samples"]
    skip, array = group_named(sort, "Skip counts by 6"), group_named(sort, "Uses an array")
    commands.move_card(sort, samples[0].id, skip.id, 0, 0, "Ana")
    commands.rename_group(sort, skip.id, "Counts by sixes", "Pat")
    added = commands.add_group(sort, "Halves and doubles", "Ana")

    with pytest.raises(SortError, match="Only the facilitator can remove a group we anticipated"):
        commands.remove_group(sort, skip.id)
    assert [g.name for g in db.session.get(Sort, sort.id).groups].count("Counts by sixes") == 1
    commands.remove_group(sort, added.id)  # a group added while sorting: anyone may

    commands.remove_group(sort, skip.id, can_control=True)
    commands.remove_group(sort, array.id, can_control=True)

    sort = db.session.get(Sort, sort.id)
    assert [g.name for g in sort.groups] == ["Unanticipated"]
    assert queries.columns(sort)[None][-1] == samples[0].id  # its card went back to the tray
    assert queries.patterns(sort)["nobody_used"] == ["Skip counts by 6", "Uses an array"]
    assert sort.dropped == [{"name": "Skip counts by 6", "by": "Ana"}, {"name": "Uses an array", "by": "Ana"}]


def test_a_removed_anticipated_group_counts_in_the_snapshot_its_recount_and_the_next_version(anticipated):
    sort, samples, meeting = anticipated["sort"], anticipated["samples"], anticipated["meeting"]
    array = group_named(sort, "Uses an array")
    commands.remove_group(sort, array.id, can_control=True)
    commands.move_card(sort, samples[0].id, group_named(sort, "Skip counts by 6").id, 0, 0, "Ana")
    commands.close_sort(sort, "Pat")

    snapshot = load_snapshot(db.session.get(Sort, sort.id).snapshot)
    assert snapshot.patterns.nobody_used == ["Uses an array"] and snapshot.dropped_anticipations == ["Uses an array"]
    recounted = snapshot.without_samples({samples[0].id})
    assert recounted.patterns.nobody_used == ["Skip counts by 6", "Uses an array"]

    again = commands.reopen_sort(db.session.get(Sort, sort.id), meeting)
    assert queries.patterns(again)["nobody_used"] == ["Uses an array"]
    assert group_named(again, "Skip counts by 6").anticipated_by == "Ana"


def test_anticipations_made_after_the_sort_opened_join_it_before_the_catch_all(app, anticipated):
    sort, dmt = anticipated["sort"], anticipated["dmt"]
    skip = group_named(sort, "Skip counts by 6")
    commands.rename_group(sort, skip.id, "Counts by sixes", "Pat")
    commands.remove_group(sort, group_named(sort, "Uses an array").id, can_control=True)
    revision = db.session.get(Sort, sort.id).revision

    # The original wording of a renamed group, a removed one and one already on the board come back as nothing.
    anticipate(app, dmt, [("strategies", "skip counts by 6; Uses an array\nCounts by sixes\nDraws a bar model")],
               name="Ben")

    sort = db.session.get(Sort, sort.id)
    assert [(g.name, g.kind, g.anticipated_by) for g in sort.groups] == [
        ("Counts by sixes", "anticipated", "Ana"), ("Draws a bar model", "anticipated", "Ben"),
        ("Unanticipated", "unanticipated", None)]
    assert sort.revision == revision + 1
    assert commands.add_late_anticipations(sort) is False  # nothing new: nothing changes
    assert db.session.get(Sort, sort.id).revision == revision + 1


def test_late_anticipations_never_reach_a_closed_sort(app, anticipated):
    sort = anticipated["sort"]
    commands.close_sort(sort, "Pat")
    anticipate(app, anticipated["dmt"], [("strategies", "Draws a bar model")], name="Ben")
    assert "Draws a bar model" not in [g.name for g in db.session.get(Sort, sort.id).groups]


def critical(team, unit, *names):
    strategies = [Strategy(team_id=team.id, name=n, key=n.lower(), definition="") for n in names]
    db.session.add_all(strategies)
    db.session.commit()
    set_critical_strategies(unit, [s.id for s in strategies])
    return strategies


def test_the_patterns_name_the_units_critical_strategies_nobody_used(anticipated):
    sort, team, samples = anticipated["sort"], anticipated["team"], anticipated["samples"]
    unit = anticipated["meeting"].task.unit
    array_model, ten_frame, bar = critical(team, unit, "Array model", "Ten frame", "Bar model")
    assert queries.patterns(sort)["critical_nobody_used"] == ["Array model", "Bar model", "Ten frame"]

    array = group_named(sort, "Uses an array")
    commands.link_group(sort, array.id, strategy_id=array_model.id)  # used through the group linked to it
    commands.move_card(sort, samples[0].id, array.id, 0, 0, "Ana")
    bar_group = commands.add_group(sort, "Bar model", "Ana")  # by name, linked when it was made
    commands.move_card(sort, samples[1].id, bar_group.id, 0, 0, "Ana")
    commands.add_group(sort, "Ten frame", "Ana")  # a group with no card: still nobody used it

    found = queries.patterns(db.session.get(Sort, sort.id))
    assert found["critical"] == ["Array model", "Bar model", "Ten frame"]
    assert found["critical_nobody_used"] == ["Ten frame"]
    commands.close_sort(sort, "Pat")
    snapshot = load_snapshot(db.session.get(Sort, sort.id).snapshot)
    assert snapshot.patterns.critical_nobody_used == ["Ten frame"]
    assert snapshot.without_samples({samples[0].id}).patterns.critical_nobody_used == ["Array model", "Ten frame"]


def test_critical_strategies_are_the_teams_own_and_go_with_their_unit(app, anticipated):
    team, unit = anticipated["team"], anticipated["meeting"].task.unit
    other = gen_team(gen_user(name="Kim Other"), name="Other team")
    [theirs] = critical(other, gen_meeting(other, other.memberships[0].user).task.unit, "Their strategy")
    [ours] = critical(team, unit, "Bar model")

    set_critical_strategies(unit, [ours.id, theirs.id])
    assert [s.name for s in critical_strategies(unit.id)] == ["Bar model"]
    set_critical_strategies(unit, [])
    assert critical_strategies(unit.id) == []

    set_critical_strategies(unit, [ours.id])
    for meeting in (anticipated["dmt"], anticipated["meeting"]):
        meetings.end_meeting(meeting)
    delete_unit(unit, anticipated["facilitator"])
    assert db.session.query(CriticalStrategy).count() == 1  # the other team's, for its own unit
    assert db.session.get(Strategy, ours.id).name == "Bar model"  # the vocabulary stays


def test_the_team_marks_critical_strategies_on_a_page_only_members_reach(app, anticipated):
    team, unit, facilitator = anticipated["team"], anticipated["meeting"].task.unit, anticipated["facilitator"]
    for name in ("Bar model", "Ten frame"):
        db.session.add(Strategy(team_id=team.id, name=name, key=name.lower(), definition=""))
    db.session.commit()
    bar, ten = sorted(db.session.query(Strategy).filter_by(team_id=team.id), key=lambda s: s.name)
    http = app.test_client()
    login(http, facilitator)

    page = http.get(f"/units/{unit.id}/critical").get_data(as_text=True)
    assert "Bar model" in page and "Ten frame" in page
    assert http.post(f"/units/{unit.id}/critical", data={"strategies": [str(ten.id)]}).status_code == 302
    assert [s.name for s in critical_strategies(unit.id)] == ["Ten frame"]
    assert http.post(f"/units/{unit.id}/critical", data={"strategies": ["999"]}).status_code == 200  # not a choice
    assert [s.name for s in critical_strategies(unit.id)] == ["Ten frame"]
    assert f"/units/{unit.id}/critical" in http.get(f"/teams/{team.id}").get_data(as_text=True)

    stranger = app.test_client()
    login(stranger, gen_user(name="Kim Stranger"))
    assert stranger.get(f"/units/{unit.id}/critical").status_code == 404
    assert stranger.post(f"/units/{unit.id}/critical", data={"strategies": [str(bar.id)]}).status_code == 404
    assert [s.name for s in critical_strategies(unit.id)] == ["Ten frame"]


def test_the_board_carries_the_stuck_points_and_prepared_questions_and_follows_their_changes(app, anticipated):
    sort, meeting, dmt = anticipated["sort"], anticipated["meeting"], anticipated["dmt"]
    assert sort_payload(sort, meeting)["anticipations"] == {
        "stuck": [{"text": "Losing count past 60", "by": "Ana"}],
        "questions": [{"text": "How could you check your count?", "by": "Ana"}]}
    [response] = anticipate(app, dmt, [("stuck", "Forgetting the last box")], name="Ben")
    assert sort_payload(sort, meeting)["anticipations"]["stuck"][1] == {"text": "Forgetting the last box", "by": "Ben"}
    meetings.withdraw_response(dmt, response.participant_id, response.id)
    assert [a["text"] for a in sort_payload(sort, meeting)["anticipations"]["stuck"]] == ["Losing count past 60"]


def test_the_closed_sorts_review_shows_what_was_anticipated_and_the_critical_strategies_nobody_used(app, anticipated):
    sort, team, samples = anticipated["sort"], anticipated["team"], anticipated["samples"]
    critical(team, anticipated["meeting"].task.unit, "Ten frame")
    skip = group_named(sort, "Skip counts by 6")
    commands.rename_group(sort, skip.id, "Counts by sixes", "Pat")
    commands.move_card(sort, samples[0].id, skip.id, 0, 0, "Ana")
    commands.remove_group(sort, group_named(sort, "Uses an array").id, can_control=True)
    commands.close_sort(sort, "Pat")
    http = app.test_client()
    login(http, anticipated["facilitator"])

    html = http.get(f"/sorts/{sort.id}").get_data(as_text=True)

    assert "Anticipated as: “<span dir=\"auto\">Skip counts by 6</span>”" in html
    assert "Anticipated, but nobody used:</strong> <span dir=\"auto\">Uses an array</span>" in html
    assert "Critical strategies nobody used:</strong> <span dir=\"auto\">Ten frame</span>" in html
