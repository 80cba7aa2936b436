"""The unit's critical strategies on the team page, in a phone's browser: the team ticks a strategy
on the unit's "Critical strategies" page, and the team's vocabulary then says, in words, that it
is critical and for which unit."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.audit import expect_no_axe_violations
from tests.browser.conftest import PHONE
from tests.browser.pages import TEAM, log_in

UNIT = "Grade 3, Unit 4: Multiplication and division"


def mark(page: Page, strategy: str, critical: bool) -> None:
    page.goto("/")
    page.get_by_role("link", name=TEAM).click()
    page.get_by_role("link", name=f"Critical strategies for {UNIT}").click()
    page.get_by_role("checkbox", name=strategy).set_checked(critical)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash").first).to_contain_text("Critical strategies saved")


def test_a_strategy_marked_critical_says_so_in_the_teams_vocabulary(new_context, live_server, artifacts_dir):
    page = new_context(**PHONE).new_page()
    log_in(page, live_server.email, live_server.password)
    vocabulary = page.locator("section", has=page.get_by_role("heading", name="Our strategies and models"))
    try:
        mark(page, "Skip counts", True)
        term = vocabulary.locator("dt", has_text="Skip counts")
        expect(term.locator(".badge")).to_have_text(f"Critical for {UNIT}")
        expect(vocabulary.locator("dt", has_text="Doubles").locator(".badge")).to_have_count(0)
        term.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts_dir / "critical-in-vocabulary-phone.png"))
        expect_no_axe_violations(page, "the team page with a critical strategy")
    finally:
        mark(page, "Skip counts", False)
    expect(vocabulary.locator(".badge", has_text=re.compile("Critical"))).to_have_count(0)
