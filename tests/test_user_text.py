"""Text people type shows right in any script: on every page, each piece of it sits in an
element of its own with dir="auto" (the browser then sets its direction from the text itself),
so that a right-to-left name or answer never runs backwards inside a left-to-right sentence.

Names, titles, notes and next steps are all typed in Arabic here; a page passes when every text
node holding Arabic is the text of an element with dir="auto". The page's <title>, the options
of a menu and SVG text cannot carry dir and are left out."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from plc.extensions import db
from plc.sort import commands as sorts
from plc.teams.models import Strategy
from tests.conftest import gen_task, gen_team, gen_user, join_as, login
from tests.review.conftest import gen_closed_sort

RTL = re.compile(r"[\u0590-\u08ff]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NO_DIR = {"title", "option", "script", "style", "svg"}


class _UserText(HTMLParser):
    """Collects right-to-left text nodes whose own element has no dir="auto"."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.bare: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not RTL.search(data) or any(tag in NO_DIR for tag, _ in self.stack):
            return
        tag, attrs = self.stack[-1]
        if attrs.get("dir") != "auto":
            self.bare.append(f"<{tag} {attrs}>{data.strip()[:60]}")


def bare_user_text(html: str) -> list[str]:
    parser = _UserText()
    parser.feed(html)
    return parser.bare


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_every_piece_of_typed_text_has_its_own_direction(app):
    coach = gen_user(name="سارة المدربة")
    team = gen_team(coach, name="فريق الرياضيات")
    db.session.add(Strategy(team_id=team.id, name="يكمل إلى عشرة", key="يكمل إلى عشرة", definition="يفكك العدد ليكمل عشرة"))
    task = gen_task(team, title="صناديق التفاح", context="يعبئ متجر ٦ تفاحات في صندوق.", question="كم صندوقا يلزم؟")
    task.unit.title = "الوحدة الرابعة: الضرب"
    db.session.commit()
    meeting, sort = gen_closed_sort(team, coach, task=task, placements=(("يعد للأمام", ("س١", "س٢")), ("يكمل إلى عشرة", ("س٣",))),
                                    next_steps=(("يعد للأمام", "حديث أعداد: عشرة أولا", "small_group", ("رنا", "interventionist")),))
    group = next(g for g in sort.groups if g.name == "يعد للأمام")
    group.showing = "يعدون واحدا واحدا"
    db.session.commit()
    phone = join_as(app, meeting, name="ليلى")
    http = app.test_client()
    login(http, coach)

    pages = {
        "team": page(http, f"/teams/{team.id}"),
        "task": page(http, f"/tasks/{task.id}"),
        "student work": page(http, f"/tasks/{task.id}/work"),
        "unit review": page(http, f"/units/{task.unit_id}"),
        "closed sort": page(http, f"/sorts/{sort.id}"),
        "sort summary": page(http, f"/sorts/{sort.id}/summary"),
        "unit summary": page(http, f"/units/{task.unit_id}/summary"),
        "projector": page(http, f"/meetings/{meeting.id}/projector"),
        "phone": page(phone, f"/live/{meeting.id}"),
    }
    for name, html in pages.items():
        assert RTL.search(html), name  # the page shows some of it
        assert bare_user_text(html) == [], name


def test_the_check_finds_typed_text_without_a_direction():
    assert bare_user_text('<p>Join <span dir="auto">فريق</span></p><title>فريق</title>') == []
    assert bare_user_text("<p>Join فريق</p>") == ["<p {}>Join فريق"]
