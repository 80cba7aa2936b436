"""Features above teams add sections to a task's page through `task_page`; teams imports none of them."""
from markupsafe import Markup

from plc.teams.signals import task_page
from tests.conftest import gen_task, gen_team, gen_user, login


def test_a_connected_feature_adds_its_section_to_the_task_page(client):
    user = gen_user()
    task = gen_task(gen_team(user))
    login(client, user)
    seen = []

    def section(sender, membership):
        seen.append((sender.id, membership.role))
        return Markup('<section id="extra">Added <em>here</em></section>')

    with task_page.connected_to(section):
        page = client.get(f"/tasks/{task.id}").get_data(as_text=True)

    assert seen == [(task.id, "facilitator")]
    assert '<section id="extra">Added <em>here</em></section>' in page
    assert page.index('id="sorts-heading"') < page.index('id="extra"')  # after review's, in connection order
    assert 'id="extra"' not in client.get(f"/tasks/{task.id}").get_data(as_text=True)
