"""A closed sort's pages call its notes and groups' kinds what the board calls them (plc/sort/labels.py)."""
from plc.sort import commands as sorts
from plc.sort.labels import NOTE_LABELS
from tests.conftest import gen_meeting, gen_team, gen_user, login
from tests.sort.conftest import gen_sample, gen_sort_meeting
from tests.sort.test_commands import anticipate


def test_a_closed_sort_shows_its_notes_under_the_boards_questions_and_its_groups_kinds(app, client):
    user = gen_user()
    team = gen_team(user)
    planning = gen_meeting(team, user)
    anticipate(app, planning, ["Skip counts"])
    meeting = gen_sort_meeting(team, user, task=planning.task)
    sample = gen_sample(meeting.task, "S1")
    sort = sorts.sort_for_meeting(meeting)
    unanticipated = next(g for g in sort.groups if g.kind == "unanticipated")
    added = sorts.add_group(sort, "Counts on", "Pat")
    sorts.move_card(sort, sample.id, added.id, 0, 0, "Pat")
    sorts.update_notes(sort, added.id, {"showing": "Counts from the larger number", "issues": "Loses track past 20"})
    sorts.close_sort(sort, "Pat")
    login(client, user)

    html = client.get(f"/sorts/{sort.id}").get_data(as_text=True)

    assert f"<dt>{NOTE_LABELS['showing']}</dt><dd dir=\"auto\">Counts from the larger number</dd>" in html
    assert f"<dt>{NOTE_LABELS['issues']}</dt><dd dir=\"auto\">Loses track past 20</dd>" in html
    assert NOTE_LABELS["telling"] not in html  # no answer, no question
    section = html[html.index(f'id="g-{sort.id}-{unanticipated.id}"'):]
    assert section.index('<p class="kind">Not anticipated</p>') < section.index("</section>")
    added_section = html[html.index(f'id="g-{sort.id}-{added.id}"'):]
    assert '<p class="kind">' not in added_section[:added_section.index("</section>")]
