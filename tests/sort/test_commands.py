"""The Work Sort's rules, straight through the commands (and the queries that read the board) and the database."""
import pytest

from plc.extensions import db
from plc.meetings import services as meetings
from plc.sort import commands, ordering, queries
from plc.sort.models import Placement, Sort
from plc.sort.errors import MoveConflict, SortError, TierName
from plc.sort.payloads import board_payload, group_payload
from plc.teams.models import Strategy
from plc.teams.services import vocabulary
from tests.conftest import gen_meeting, gen_task, gen_team, gen_user, join_as, statements
from tests.sort.conftest import CYCLE, gen_sample, gen_sort_meeting

# Who moved a card, as commands.move_card keeps it (sort.events.mover_of makes these from a seat).
ANA, BEN, FACILITATOR = "participant:1", "participant:2", "user:1"


def anticipate(app, meeting, answers):
    """Answer 'What models and strategies could they use?' in a Doing Math Together meeting."""
    step = next(i for i, s in enumerate(meeting.agenda) if s["activity"] == "anticipate")
    meetings.goto_step(meeting, step)
    join_as(app, meeting, name="Ana")
    participant = meeting.participants[-1]
    for text in answers:
        meetings.add_response(meeting, participant.id, text, "strategies")


def column_labels(sort):
    labels = {s.id: s.student_label for s in queries.sort_samples(sort)}
    names = {g.id: g.name for g in sort.groups}
    return {names.get(g, "Unsorted"): [labels[i] for i in ids] for g, ids in queries.columns(sort).items()}


@pytest.fixture
def sort_setup(app):
    facilitator = gen_user()
    team = gen_team(facilitator)
    meeting = gen_sort_meeting(team, facilitator)
    samples = [gen_sample(meeting.task, f"S{n}") for n in range(1, 5)]
    sort = commands.sort_for_meeting(meeting)
    counts_on = commands.add_group(sort, "Counts on", "Pat")
    ten = commands.add_group(sort, "Makes a ten", "Pat")
    return {"meeting": meeting, "team": team, "sort": sort, "samples": samples, "groups": (counts_on, ten)}


def test_anticipated_strategies_become_the_starting_groups(app):
    facilitator = gen_user()
    team = gen_team(facilitator)
    dmt = gen_meeting(team, facilitator)
    anticipate(app, dmt, ["Skip counts by 6", "Repeated addition\nUses an array", "skip counts by 6", " - Unanticipated"])
    meeting = gen_sort_meeting(team, facilitator, task=dmt.task)
    db.session.add(Strategy(team_id=team.id, name="Uses an array", key="uses an array", definition="Rows and columns"))
    db.session.commit()

    sort = commands.sort_for_meeting(meeting)

    assert [(g.name, g.kind) for g in sort.groups] == [
        ("Skip counts by 6", "anticipated"), ("Repeated addition", "anticipated"),
        ("Uses an array", "anticipated"), ("Unanticipated", "unanticipated")]
    assert sort.groups[2].strategy.definition == "Rows and columns"
    assert commands.sort_for_meeting(meeting).id == sort.id  # opened once


def test_a_task_nobody_anticipated_starts_with_an_empty_board(app):
    facilitator = gen_user()
    meeting = gen_sort_meeting(gen_team(facilitator), facilitator)
    assert commands.sort_for_meeting(meeting).groups == []


def test_moves_place_and_reorder_cards(sort_setup):
    sort, (a, b, c, _) = sort_setup["sort"], sort_setup["samples"]
    counts_on, ten = sort_setup["groups"]
    commands.move_card(sort, a.id, counts_on.id, 0, 0, "Ana")
    commands.move_card(sort, b.id, counts_on.id, 0, 0, "Ana")
    commands.move_card(sort, c.id, ten.id, 0, 0, "Ben")
    assert column_labels(sort) == {"Unsorted": ["S4"], "Counts on": ["S2", "S1"], "Makes a ten": ["S3"]}

    result = commands.move_card(sort, a.id, counts_on.id, 0, 1, "Ben")  # reorder within the group
    assert column_labels(sort)["Counts on"] == ["S1", "S2"]
    assert result["columns"] == [{"group_id": counts_on.id, "sample_ids": [a.id, b.id]}]
    commands.move_card(sort, a.id, None, 5, 2, "Ben")  # back to the tray, at its end
    assert column_labels(sort)["Unsorted"] == ["S4", "S1"]


def test_a_move_writes_the_moved_card_only_until_a_column_runs_out_of_room(app, sort_setup):
    sort, samples = sort_setup["sort"], sort_setup["samples"]
    counts_on, _ = sort_setup["groups"]
    a, b, c, d = (s.id for s in samples)
    for sid in (a, b):
        commands.move_card(sort, sid, counts_on.id, 9, 0, "Ana")  # Counts on: a, b
    before = {p.sample_id: p.position for p in sort.placements}

    commands.move_card(sort, c, counts_on.id, 1, 0, "Ben")  # between a and b

    after = {p.sample_id: p.position for p in sort.placements}
    assert {sid: pos for sid, pos in after.items() if sid != c} == before
    assert before[a] < after[c] < before[b]
    # Keep squeezing cards in at the top: the gaps halve, then the column is renumbered, and
    # the order stays exactly what each move asked for.
    expected = [a, c, b]
    for n in range(2 * ordering.POSITION_GAP.bit_length()):
        sid = (d, c)[n % 2]
        commands.move_card(sort, sid, counts_on.id, 1, commands._placement(sort, sid).version, "Ana")
        expected = [x for x in expected if x != sid]
        expected.insert(1, sid)
        db.session.expire_all()
        assert queries.columns(sort)[counts_on.id] == expected


def test_the_second_of_two_moves_from_the_same_view_loses_and_learns_where_the_card_went(sort_setup):
    sort, sample = sort_setup["sort"], sort_setup["samples"][0]
    counts_on, ten = sort_setup["groups"]
    commands.move_card(sort, sample.id, ten.id, 0, 0, "Ana")
    with pytest.raises(MoveConflict) as lost:
        commands.move_card(sort, sample.id, counts_on.id, 0, 0, "Ben")
    assert lost.value.group_name == "Makes a ten" and lost.value.moved_by == "Ana"
    assert "Ana moved S1 to “Makes a ten”" in str(lost.value)
    assert column_labels(sort)["Makes a ten"] == ["S1"]
    assert db.session.get(Sort, sort.id).revision == sort.revision


@pytest.mark.parametrize("bad", [
    {"sample_id": 999_999},
    {"group_id": 999_999},
])
def test_moves_of_cards_or_groups_that_do_not_exist_change_nothing(sort_setup, bad):
    sort = sort_setup["sort"]
    move = {"sample_id": sort_setup["samples"][0].id, "group_id": sort_setup["groups"][0].id, **bad}
    before = (column_labels(sort), sort.revision)
    with pytest.raises(SortError):
        commands.move_card(sort, move["sample_id"], move["group_id"], 0, 0, "Ana")
    assert (column_labels(sort), db.session.get(Sort, sort.id).revision) == before


def test_cards_and_groups_of_another_task_cannot_be_moved_here(app, sort_setup):
    sort = sort_setup["sort"]
    other_task = gen_task(sort_setup["team"], title="Another task")
    stranger = gen_sample(other_task, "X1")
    with pytest.raises(SortError, match="not on this board"):
        commands.move_card(sort, stranger.id, None, 0, 0, "Ana")
    facilitator = gen_user(email="other@example.org")
    other_meeting = gen_sort_meeting(gen_team(facilitator, name="Other team"), facilitator)
    other_group = commands.add_group(commands.sort_for_meeting(other_meeting), "Counts all", "Kim")
    with pytest.raises(SortError, match="not on this board"):
        commands.move_card(sort, sort_setup["samples"][0].id, other_group.id, 0, 0, "Ana")
    assert db.session.execute(db.select(Placement).filter_by(sort_id=sort.id)).first() is None


def test_failed_samples_are_not_cards(app, sort_setup):
    failed = gen_sample(sort_setup["meeting"].task, "F1", status="failed")
    assert failed.id not in queries.columns(sort_setup["sort"])[None]


def test_a_change_reads_the_boards_cards_in_one_statement_however_many_it_checks(sort_setup):
    sort, group_id = sort_setup["sort"], sort_setup["groups"][0].id
    sample_ids = [s.id for s in sort_setup["samples"]]

    def card_reads(ran):
        return [s for s in ran if " FROM work_sample" in s]

    with statements() as ran:
        commands.move_card(sort, sample_ids[0], group_id, 0, 0, "Ana")
    assert len(card_reads(ran)) == 1
    with statements() as ran:
        commands.set_share_order(sort, sample_ids[::-1])
    assert len(card_reads(ran)) == 1
    assert board_payload(sort)["share"] == sample_ids[::-1]


def test_undo_puts_back_the_last_move_unless_the_card_moved_since(sort_setup):
    sort, (a, b, *_rest) = sort_setup["sort"], sort_setup["samples"]
    counts_on, ten = sort_setup["groups"]
    commands.move_card(sort, a.id, counts_on.id, 0, 0, "Ana", ANA)
    commands.move_card(sort, b.id, ten.id, 0, 0, "Ana", ANA)
    commands.undo_move(sort, "Ana", ANA)
    assert column_labels(sort) == {"Unsorted": ["S2", "S3", "S4"], "Counts on": ["S1"], "Makes a ten": []}
    commands.undo_move(sort, "Ana", ANA)
    assert column_labels(sort)["Unsorted"] == ["S1", "S2", "S3", "S4"]
    with pytest.raises(SortError, match="no move to undo"):
        commands.undo_move(sort, "Ana", ANA)

    commands.move_card(sort, a.id, counts_on.id, 0, 2, "Ana", ANA)
    commands.move_card(sort, a.id, ten.id, 0, 3, "Ben", BEN)
    with pytest.raises(SortError, match="no longer where"):  # Ana's move was moved on by Ben's
        commands.undo_move(sort, "Ana", ANA)
    _, undone = commands.undo_move(sort, "Pat", FACILITATOR, anyone=True)  # Ben's, then Ana's
    assert undone == commands.Undone("S1", "Ben", own=False)
    _, undone = commands.undo_move(sort, "Pat", FACILITATOR, anyone=True)
    assert undone == commands.Undone("S1", "Ana", own=False)
    assert column_labels(sort)["Unsorted"] == ["S1", "S2", "S3", "S4"]

    commands.move_card(sort, a.id, counts_on.id, 0, 6, "Ana", ANA)
    commands.remove_group(sort, counts_on.id)  # the card went back to the tray since
    with pytest.raises(SortError, match="no longer where"):
        commands.undo_move(sort, "Ana", ANA)


def test_undo_takes_back_only_the_movers_own_moves(sort_setup):
    sort, (a, b, *_rest) = sort_setup["sort"], sort_setup["samples"]
    counts_on, ten = sort_setup["groups"]
    commands.move_card(sort, a.id, counts_on.id, 0, 0, "Ana", ANA)
    commands.move_card(sort, b.id, ten.id, 0, 0, "Ben", BEN)

    _, undone = commands.undo_move(sort, "Ana", ANA)

    assert undone == commands.Undone("S1", "Ana", own=True)
    assert column_labels(sort) == {"Unsorted": ["S1", "S3", "S4"], "Counts on": [], "Makes a ten": ["S2"]}
    with pytest.raises(SortError, match="You have no move to undo"):
        commands.undo_move(sort, "Ana", ANA)
    assert column_labels(sort)["Makes a ten"] == ["S2"]


def test_patterns_count_groups_and_find_strategies_nobody_used_and_unanticipated_ones(app):
    facilitator = gen_user()
    team = gen_team(facilitator)
    dmt = gen_meeting(team, facilitator)
    anticipate(app, dmt, ["Skip counts", "Uses an array", "Repeated addition"])
    meeting = gen_sort_meeting(team, facilitator, task=dmt.task)
    samples = [gen_sample(meeting.task, f"S{n}") for n in range(1, 7)]
    sort = commands.sort_for_meeting(meeting)
    skip, array, repeated, unanticipated = sort.groups
    halves = commands.add_group(sort, "Halves and doubles", "Pat")
    commands.add_group(sort, "Guess and check", "Pat")
    for sample, group in zip(samples, [skip, skip, halves, unanticipated, repeated]):
        commands.move_card(sort, sample.id, group.id, 0, 0, "Ana")

    found = queries.patterns(sort)

    assert {c["name"]: c["count"] for c in found["counts"]} == {
        "Skip counts": 2, "Uses an array": 0, "Repeated addition": 1, "Unanticipated": 1,
        "Halves and doubles": 1, "Guess and check": 0}
    assert found["nobody_used"] == ["Uses an array"]
    assert found["unanticipated"] == ["Halves and doubles"]
    assert found["in_unanticipated"] == 1 and found["unsorted"] == 1


@pytest.mark.parametrize("name", ["Low", "Approaching", "Level 2", "Green", "Struggling", "Got it"])
def test_tier_names_are_refused_with_a_prompt_until_the_facilitator_keeps_them(sort_setup, name):
    sort = sort_setup["sort"]
    with pytest.raises(TierName) as asked:
        commands.add_group(sort, name, "Ana")
    assert "naming the strategy or model" in str(asked.value)
    with pytest.raises(SortError, match="Only the facilitator"):
        commands.add_group(sort, name, "Ana", keep_tier_name=True, can_control=False)
    assert [g.name for g in sort.groups] == ["Counts on", "Makes a ten"]

    group = commands.add_group(sort, name, "Pat", keep_tier_name=True, can_control=True)
    assert group.tier_name_kept_by == "Pat"
    commands.rename_group(sort, group.id, "Doubles", "Pat")
    assert group.tier_name_kept_by is None


def test_renaming_to_a_tier_name_is_refused_too(sort_setup):
    sort, (counts_on, _) = sort_setup["sort"], sort_setup["groups"]
    with pytest.raises(TierName):
        commands.rename_group(sort, counts_on.id, "High", "Ana")
    assert counts_on.name == "Counts on"


@pytest.mark.parametrize("name", ["Needs reteach", "IEP kids", "2s and 3s", "Partial understanding", "Rock stars"])
def test_creating_or_renaming_a_group_reads_the_whole_phrase(sort_setup, name):
    sort, (counts_on, _) = sort_setup["sort"], sort_setup["groups"]
    with pytest.raises(TierName):
        commands.add_group(sort, name, "Ana")
    with pytest.raises(TierName):
        commands.rename_group(sort, counts_on.id, name, "Ana")
    assert [g.name for g in sort.groups] == ["Counts on", "Makes a ten"]


@pytest.mark.parametrize("name", ["Used red and yellow counters", "Found the lowest common denominator",
                                  "Beginning with the ones place"])
def test_names_of_thinking_with_a_tier_word_inside_are_taken_as_they_are(sort_setup, name):
    sort, (counts_on, _) = sort_setup["sort"], sort_setup["groups"]
    group = commands.add_group(sort, name, "Ana")
    assert (group.name, group.tier_name_kept_by) == (name, None)
    renamed = commands.rename_group(sort, counts_on.id, f"{name} again", "Ana")
    assert renamed.name == f"{name} again"


def test_an_anticipated_strategy_named_like_a_tier_is_seeded_as_written_and_flagged_until_renamed_or_kept(app):
    facilitator = gen_user()
    team = gen_team(facilitator)
    dmt = gen_meeting(team, facilitator)
    anticipate(app, dmt, ["Used red and yellow counters", "Low group", "Needs reteach"])
    sort = commands.sort_for_meeting(gen_sort_meeting(team, facilitator, task=dmt.task))

    counters, low, reteach, _ = sort.groups
    assert [(g.name, g.kind) for g in (counters, low, reteach)] == [
        ("Used red and yellow counters", "anticipated"), ("Low group", "anticipated"), ("Needs reteach", "anticipated")]
    assert [group_payload(g)["tier_like"] for g in (counters, low, reteach)] == [
        None, "high / medium / low", "reteach / intervention / enrichment, IEP / 504 / ELL"]

    # Keeping it goes through the same check as any name: the facilitator saves it unchanged.
    with pytest.raises(TierName):
        commands.rename_group(sort, low.id, "Low group", "Ana")
    with pytest.raises(SortError, match="Only the facilitator"):
        commands.rename_group(sort, low.id, "Low group", "Ana", keep_tier_name=True)
    commands.rename_group(sort, low.id, "Low group", "Pat", keep_tier_name=True, can_control=True)
    assert (low.tier_name_kept_by, group_payload(low)["tier_like"]) == ("Pat", None)
    commands.rename_group(sort, reteach.id, "Counts back", "Ana")
    assert group_payload(reteach)["tier_like"] is None


def test_linking_to_a_vocabulary_entry_named_like_a_tier_is_refused(sort_setup):
    sort, team, (counts_on, _) = sort_setup["sort"], sort_setup["team"], sort_setup["groups"]
    entry = Strategy(team_id=team.id, name="Rock stars", key="rock stars", definition="Made before the check read phrases")
    db.session.add(entry)
    db.session.commit()
    with pytest.raises(TierName):
        commands.link_group(sort, counts_on.id, entry.id)
    assert (counts_on.name, counts_on.strategy_id) == ("Counts on", None)


def test_a_kept_tier_name_is_never_added_to_the_vocabulary(sort_setup):
    sort, team = sort_setup["sort"], sort_setup["team"]
    kept = commands.add_group(sort, "Intervention group", "Pat", keep_tier_name=True, can_control=True)
    with pytest.raises(TierName):
        commands.link_group(sort, kept.id, definition="The kids Cam sees on Tuesdays")
    assert vocabulary(team.id) == [] and kept.strategy_id is None


def test_group_names_are_required_and_unique(sort_setup):
    sort = sort_setup["sort"]
    for name, message in [("   ", "Give the group a name"), ("counts  ON", "already a group"), ("x" * 61, "is 61 characters; the limit is 60")]:
        with pytest.raises(SortError, match=message):
            commands.add_group(sort, name, "Ana")


def test_removing_a_group_sends_its_cards_back_to_the_tray(sort_setup):
    sort, samples = sort_setup["sort"], sort_setup["samples"]
    counts_on, ten = sort_setup["groups"]
    commands.move_card(sort, samples[0].id, counts_on.id, 0, 0, "Ana")
    commands.remove_group(sort, counts_on.id)
    assert column_labels(sort) == {"Unsorted": ["S2", "S3", "S4", "S1"], "Makes a ten": []}


def test_the_vocabulary_grows_from_group_names_and_keeps_names_the_same(sort_setup):
    sort, team = sort_setup["sort"], sort_setup["team"]
    counts_on, ten = sort_setup["groups"]
    commands.link_group(sort, ten.id, definition="Splits a number to make 10 first")
    [entry] = vocabulary(team.id)
    assert (entry.name, entry.definition) == ("Makes a ten", "Splits a number to make 10 first")
    assert ten.strategy_id == entry.id

    later = commands.add_group(sort, "makes a TEN first?", "Ana")
    with pytest.raises(SortError, match="already uses that name"):
        commands.link_group(sort, later.id, entry.id)
    commands.remove_group(sort, ten.id)
    commands.link_group(sort, later.id, entry.id)
    assert (later.name, later.strategy_id) == ("Makes a ten", entry.id)
    assert commands.add_group(sort, "Makes a ten again", "Ana").strategy is None


def test_next_steps_need_a_move_an_audience_an_owner_a_prediction_and_evidence(sort_setup):
    sort, meeting, (counts_on, _) = sort_setup["sort"], sort_setup["meeting"], sort_setup["groups"]
    rosa = meetings.join_meeting(meeting, "Rosa", "interventionist")
    good = {"group_id": counts_on.id, "move": "Number talk on making ten", "audience": "small_group",
            "owner": f"participant:{rosa.id}", "due_on": None, "student_label": None, "student_note": None, **CYCLE}
    step = commands.add_next_step(sort, meeting, good, "Ana")
    assert (step.status, step.created_by, step.owner_name, step.owner_role) == ("planned", "Ana", "Rosa", "interventionist")
    assert (step.prediction, step.evidence) == (CYCLE["prediction"], CYCLE["evidence"])
    for bad, message in [({"move": "  "}, "Describe"), ({"audience": "everyone"}, "whole class"),
                         ({"owner": "interventionist"}, "a person on the team"),
                         ({"owner": "member:999"}, "a person on the team"),
                         ({"group_id": 999}, "not on this board"),
                         ({"student_note": "Needs ten-frames"}, "which student"),
                         ({"prediction": "  "}, "what you predict"), ({"evidence": ""}, "what evidence"),
                         ({"prediction": "p" * 501}, "The prediction is 501 characters; the limit is 500"),
                         ({"evidence": "e" * 201}, "The evidence is 201 characters; the limit is 200")]:
        with pytest.raises(SortError, match=message):
            commands.add_next_step(sort, meeting, {**good, **bad}, "Ana")
    assert len(sort.next_steps) == 1


def test_a_closed_sort_is_a_snapshot_nothing_changes(app, sort_setup):
    sort, samples, meeting = sort_setup["sort"], sort_setup["samples"], sort_setup["meeting"]
    counts_on, ten = sort_setup["groups"]
    commands.move_card(sort, samples[0].id, counts_on.id, 0, 0, "Ana")
    commands.add_next_step(sort, meeting, {"group_id": counts_on.id, "move": "Ten-frame warm-up",
                                           "audience": "whole_class", "owner": f"member:{meeting.facilitator_id}",
                                           **CYCLE}, "Ana")
    commands.close_sort(sort, "Pat")
    frozen = db.session.get(Sort, sort.id).snapshot
    assert [g["name"] for g in frozen["groups"]] == ["Counts on", "Makes a ten"]
    assert frozen["next_steps"][0]["move"] == "Ten-frame warm-up"

    with pytest.raises(SortError, match="closed"):
        commands.move_card(sort, samples[1].id, ten.id, 0, 0, "Ana")
    with pytest.raises(SortError, match="closed"):
        commands.rename_group(sort, counts_on.id, "Counts up", "Ana")
    with pytest.raises(ValueError):
        sort.snapshot = {"groups": []}
    db.session.rollback()

    newer = commands.reopen_sort(db.session.get(Sort, sort.id), meeting)
    assert newer.version == 2 and column_labels(newer)["Counts on"] == ["S1"]
    commands.rename_group(newer, newer.groups[0].id, "Counts up from the bigger number", "Ana")
    commands.move_card(newer, samples[1].id, newer.groups[1].id, 0, 0, "Ana")
    samples[0].corrected_text = "changed later"
    db.session.commit()

    db.session.expire_all()
    assert db.session.get(Sort, sort.id).snapshot == frozen
    with pytest.raises(SortError, match="already has an open sort"):
        commands.reopen_sort(db.session.get(Sort, sort.id), meeting)
