"""The team page lists the team's shared vocabulary of strategies and models."""
from plc.extensions import db
from plc.teams.models import Strategy
from tests.conftest import gen_team, gen_user, login


def test_the_team_page_lists_its_strategies_escaped_and_no_other_teams(app, client):
    user = gen_user()
    team = gen_team(user)
    other = gen_team(gen_user(email="kim@example.org"), name="Other team")
    db.session.add_all([
        Strategy(team_id=team.id, name="Makes a ten", key="makes a ten", definition="Splits to make <10> first"),
        Strategy(team_id=other.id, name="Counts all", key="counts all", definition="Secret of another team"),
    ])
    db.session.commit()
    login(client, user)

    page = client.get(f"/teams/{team.id}").get_data(as_text=True)

    assert "Makes a ten" in page and "Splits to make &lt;10&gt; first" in page
    assert "Counts all" not in page


def test_an_empty_vocabulary_says_how_it_grows(app, client):
    user = gen_user()
    team = gen_team(user)
    login(client, user)
    assert "Add to vocabulary" in client.get(f"/teams/{team.id}").get_data(as_text=True)


def test_the_vocabulary_says_in_words_which_strategies_are_critical_and_for_which_units(app, client):
    import re

    from plc.teams.models import Unit

    user = gen_user()
    team = gen_team(user)
    fractions, area = Unit(team_id=team.id, title="Fractions <3>"), Unit(team_id=team.id, title="Area")
    strategies = [Strategy(team_id=team.id, name=name, key=name.lower(), definition="d")
                  for name in ("Area model", "Makes a ten", "Number line")]
    db.session.add_all([fractions, area, *strategies])
    db.session.commit()
    area_model, makes_a_ten, number_line = strategies
    login(client, user)
    # Marked on the unit's "Critical strategies" page, as the team does it.
    for unit, marked in ((fractions, [area_model, number_line]), (area, [area_model])):
        assert client.post(f"/units/{unit.id}/critical",
                           data={"strategies": [s.id for s in marked]}).status_code == 302

    page = client.get(f"/teams/{team.id}").get_data(as_text=True)
    terms = {re.sub(r"<[^>]+>|\s+", " ", dt).split(" Critical")[0].strip(): re.sub(r"<[^>]+>", "", dt)
             for dt in re.findall(r"<dt>(.*?)</dt>", page, re.S)}
    assert re.sub(r"\s+", " ", terms["Area model"]).endswith("Critical for Fractions &lt;3&gt;, Area")
    assert re.sub(r"\s+", " ", terms["Number line"]).endswith("Critical for Fractions &lt;3&gt;")
    assert "Critical" not in terms["Makes a ten"]
