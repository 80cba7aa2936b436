"""The team's own agreements: norms and key words, written by the team on its page."""
import re

import pytest

from plc.extensions import db
from plc.teams import agreements
from plc.teams.models import KeyWord, Team
from tests.conftest import gen_team, gen_user, login

FLUENCY = {"new-word-word": "Fluency", "new-word-meaning": "Flexible, efficient, accurate: chooses a strategy that fits the numbers."}


def team_with(role):
    """A team (with a facilitator) and a user holding role in it (None: a user outside the team)."""
    team = gen_team(gen_user(name="Fay Facilitator"))
    user = gen_user(name="Mo Member")
    if role:
        from plc.teams.models import Membership
        db.session.add(Membership(team=team, user=user, role=role))
        db.session.commit()
    return team, user


def key_words(team):
    return [(k.word, k.meaning) for k in agreements.key_words(team.id)]


@pytest.mark.parametrize("role", ["member", "coach", "facilitator"])
def test_any_member_writes_the_norms_one_a_line(client, role):
    team, user = team_with(role)
    login(client, user)

    response = client.post(f"/teams/{team.id}/norms", data={"norms": "  We listen first.\n\n Every way is welcome. \n"})

    assert response.status_code == 302
    db.session.refresh(team)
    assert agreements.norms_of(team) == ["We listen first.", "Every way is welcome."]
    assert team.norms_changed_by == "Mo Member"
    page = client.get(f"/teams/{team.id}").get_data(as_text=True)
    assert "<li dir=\"auto\">We listen first.</li>" in page and "Meetings show these on the norms steps." in page


def test_the_norms_form_starts_from_the_protocols_norms_and_empty_goes_back_to_them(client):
    team, user = team_with("member")
    login(client, user)
    page = client.get(f"/teams/{team.id}/agreements").get_data(as_text=True)
    assert "Not written yet: meetings show the protocols' own norms" in page
    assert "We are learners here.\nEvery way of solving is welcome." in page  # the textarea's starting text

    client.post(f"/teams/{team.id}/norms", data={"norms": "Ours."})
    client.post(f"/teams/{team.id}/norms", data={"norms": "  \n "})

    assert agreements.norms_of(db.session.get(Team, team.id)) == []
    assert "Not written yet" in client.get(f"/teams/{team.id}").get_data(as_text=True)


@pytest.mark.parametrize("text, message", [
    ("\n".join(f"Norm {n}" for n in range(13)), "That is 13 norms; keep it to 12 at most"),
    ("Short.\n" + "x" * 201, "Norm 2 is 201 characters; the limit is 200."),
])
def test_norms_over_the_limits_are_refused_and_nothing_changes(client, text, message):
    team, user = team_with("member")
    login(client, user)
    client.post(f"/teams/{team.id}/norms", data={"norms": "Kept."})

    response = client.post(f"/teams/{team.id}/norms", data={"norms": text})

    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert agreements.norms_of(db.session.get(Team, team.id)) == ["Kept."]


def test_members_add_and_change_key_words_that_are_escaped_everywhere(client):
    team, user = team_with("member")
    login(client, user)

    assert client.post(f"/teams/{team.id}/key-words", data=FLUENCY).status_code == 302
    [entry] = agreements.key_words(team.id)
    response = client.post(f"/teams/{team.id}/key-words/{entry.id}",
                           data={f"key-word-{entry.id}-word": "Fluency",
                                 f"key-word-{entry.id}-meaning": "<b>Chooses</b> a fitting strategy"})

    assert response.status_code == 302
    assert key_words(team) == [("Fluency", "<b>Chooses</b> a fitting strategy")]
    for url in (f"/teams/{team.id}", f"/teams/{team.id}/agreements"):
        page = client.get(url).get_data(as_text=True)
        assert "&lt;b&gt;Chooses&lt;/b&gt;" in page and "<b>Chooses" not in page
    assert "<dfn>Fluency</dfn>" in client.get(f"/teams/{team.id}").get_data(as_text=True)


@pytest.mark.parametrize("word, meaning, message", [
    ("", "Something", "This field is required."),
    ("Fluency", "", "This field is required."),
    ("x" * 41, "Something", "Field cannot be longer than 40 characters."),
    ("<script>", "Something", "A key word is a word or a short phrase"),
    ("fluency", "Again", "“Fluency” is already one of your key words"),
    ("Reasoning", "y" * 401, "Field cannot be longer than 400 characters."),
])
def test_bad_key_words_are_refused_with_a_message(client, word, meaning, message):
    team, user = team_with("member")
    login(client, user)
    client.post(f"/teams/{team.id}/key-words", data=FLUENCY)

    response = client.post(f"/teams/{team.id}/key-words", data={"new-word-word": word, "new-word-meaning": meaning})

    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert [w for w, _ in key_words(team)] == ["Fluency"]


def test_a_team_keeps_at_most_forty_key_words(app):
    team, user = team_with("member")
    for n in range(agreements.KEY_WORDS_MAX):
        agreements.add_key_word(team, f"word {n}", "meaning", "Mo")
    with pytest.raises(agreements.AgreementError, match="40 key words at most"):
        agreements.add_key_word(team, "one more", "meaning", "Mo")


def test_only_a_facilitator_removes_a_key_word(client):
    team, member = team_with("member")
    login(client, member)
    client.post(f"/teams/{team.id}/key-words", data=FLUENCY)
    [entry] = agreements.key_words(team.id)
    page = client.get(f"/teams/{team.id}/agreements").get_data(as_text=True)
    assert "/remove" not in page

    assert client.post(f"/teams/{team.id}/key-words/{entry.id}/remove").status_code == 404
    assert key_words(team)

    facilitator = team.memberships[0].user
    login(client, facilitator)
    assert f"/key-words/{entry.id}/remove" in client.get(f"/teams/{team.id}/agreements").get_data(as_text=True)
    assert client.post(f"/teams/{team.id}/key-words/{entry.id}/remove").status_code == 302
    assert key_words(team) == []


def test_people_outside_the_team_get_404_and_change_nothing(client):
    team, insider = team_with("member")
    agreements.add_key_word(team, "Fluency", "Meaning", "Mo")
    [entry] = agreements.key_words(team.id)
    other_team, outsider = team_with("facilitator")
    login(client, outsider)
    outsider_team_facilitator = other_team.memberships[0].user
    login(client, outsider_team_facilitator)

    assert client.get(f"/teams/{team.id}/agreements").status_code == 404
    assert client.post(f"/teams/{team.id}/norms", data={"norms": "Theirs"}).status_code == 404
    assert client.post(f"/teams/{team.id}/key-words", data=FLUENCY).status_code == 404
    assert client.post(f"/teams/{team.id}/key-words/{entry.id}/remove").status_code == 404
    # A key word of another team through one's own team's address: 404 as well.
    assert client.post(f"/teams/{other_team.id}/key-words/{entry.id}/remove").status_code == 404
    assert client.post(f"/teams/{other_team.id}/key-words/{entry.id}",
                       data={f"key-word-{entry.id}-word": "X", f"key-word-{entry.id}-meaning": "Y"}).status_code == 404
    assert key_words(team) == [("Fluency", "Meaning")] and agreements.norms_of(db.session.get(Team, team.id)) == []


def test_logged_out_visitors_are_sent_to_log_in(client):
    team, _ = team_with("member")
    assert client.get(f"/teams/{team.id}/agreements").status_code in (302, 401, 404)
    assert client.post(f"/teams/{team.id}/norms", data={"norms": "x"}).status_code in (302, 401, 404)
    assert db.session.get(Team, team.id).norms == ""


CSRF_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def test_the_forms_need_their_csrf_token(app, client):
    team, user = team_with("facilitator")
    login(client, user)
    app.config["WTF_CSRF_ENABLED"] = True

    assert client.post(f"/teams/{team.id}/norms", data={"norms": "Forged"}).status_code == 400
    assert client.post(f"/teams/{team.id}/key-words", data=FLUENCY).status_code == 400
    assert db.session.get(Team, team.id).norms == "" and db.session.scalar(db.select(db.func.count()).select_from(KeyWord)) == 0

    token = CSRF_TOKEN.search(client.get(f"/teams/{team.id}/agreements").get_data(as_text=True)).group(1)
    assert client.post(f"/teams/{team.id}/norms", data={"norms": "Real", "csrf_token": token}).status_code == 302
    assert db.session.get(Team, team.id).norms == "Real"
