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
