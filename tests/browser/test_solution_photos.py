"""Doing Math Together's solve step in real browsers: teachers add photos of their own solutions
from their phones, each phone sees its upload's progress and result, and the projector shows the
photos side by side, with their names, as they arrive."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.audit import expect_no_axe_violations, small_targets
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.pages import join, log_in, start_meeting, step_title
from tests.solutions.conftest import phone_photo

TASK = "Apple boxes"
PROTOCOL = "Doing Math Together"
SOLVE = "Solve in more than one way"


def to_the_solve_step(projector: Page) -> None:
    for _ in range(8):
        if step_title(projector).inner_text() == SOLVE:
            return
        before = step_title(projector).inner_text()
        projector.get_by_role("button", name="Next ▶").click()
        expect(step_title(projector)).not_to_have_text(before)
    expect(step_title(projector)).to_have_text(SOLVE)


def shown_on_projector(projector: Page, alt: str):
    """The projector's photo with this alt text, once its picture has really loaded."""
    image = projector.locator('[data-bind="solutions"] img').filter(has=projector.locator(f'xpath=self::*[@alt="{alt}"]'))
    expect(image).to_have_count(1)
    projector.wait_for_function("alt => [...document.querySelectorAll('[data-bind=solutions] img')]"
                                ".some(i => i.alt === alt && i.complete && i.naturalWidth > 0)", arg=alt)
    return image


def test_phones_add_photos_of_their_solutions_and_the_projector_shows_them_side_by_side(
        new_context, live_server, artifacts_dir, tmp_path):
    photos = []
    for name, colour in (("ana.jpg", "white"), ("ben.jpg", "lightyellow")):
        path = tmp_path / name
        path.write_bytes(phone_photo(2400, 1800, colour=colour))
        photos.append(path)
    notes = tmp_path / "notes.txt"
    notes.write_text("6 x 14 = 84, so 14 boxes")

    projector = new_context(viewport={"width": 1920, "height": 1080}).new_page()
    log_in(projector, live_server.email, live_server.password)
    code = start_meeting(projector, TASK, PROTOCOL)
    ana, ben = new_context(**PHONE).new_page(), new_context(**PHONE).new_page()
    join(ana, code, "Ana Teacher")
    join(ben, code, "Ben Coach", "Coach")
    to_the_solve_step(projector)
    grid = projector.locator('[data-bind="solutions"]')
    expect(grid).to_contain_text("Photos of solutions appear here as they are sent.")

    panel = ana.get_by_role("region", name="Photo of your solution")
    expect(panel).to_be_visible()
    expect(panel.locator('input[capture="environment"]')).to_have_attribute("accept", "image/*")
    panel.get_by_text("Choose a photo").locator("input").set_input_files(str(photos[0]))
    expect(panel.get_by_role("status")).to_have_text("Your photo is on the main screen.")
    expect(panel.get_by_role("img", name="Your solution, as the main screen shows it")).to_be_visible()
    expect(panel.get_by_role("button", name="Remove my photo")).to_be_visible()
    expect(panel.locator("label", has_text="Take a new photo")).to_be_visible()
    shown_on_projector(projector, "Solution by Ana Teacher")
    expect(grid.locator("figcaption")).to_have_text(["Ana Teacher"])

    # A file that is not a photo: the phone says why, and nothing reaches the projector.
    ben_panel = ben.get_by_role("region", name="Photo of your solution")
    ben_panel.get_by_text("Choose a photo").locator("input").set_input_files(str(notes))
    expect(ben_panel.get_by_role("status")).to_have_text(re.compile(r"^This file is text, not a photo or a PDF"))
    expect(ben_panel.get_by_role("button", name="Remove my photo")).to_be_hidden()
    ben.screenshot(path=str(artifacts_dir / "solution-photo-refused-phone-390x844.png"), full_page=True)
    ben_panel.get_by_text("Choose a photo").locator("input").set_input_files(str(photos[1]))
    expect(ben_panel.get_by_role("status")).to_have_text("Your photo is on the main screen.")
    shown_on_projector(projector, "Solution by Ben Coach")
    expect(grid.locator("figcaption")).to_have_text(["Ana Teacher", "Ben Coach"])

    # Side by side, in view, large enough to read from the back, and nothing scrolls.
    boxes = [figure.bounding_box() for figure in grid.locator("figure").all()]
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 2 and boxes[0]["x"] + boxes[0]["width"] <= boxes[1]["x"]
    assert all(box["y"] + box["height"] <= 1080 and box["height"] > 400 for box in boxes), boxes
    assert projector.evaluate("document.documentElement.scrollHeight <= innerHeight")

    ana.screenshot(path=str(artifacts_dir / "solution-photo-phone-390x844.png"), full_page=True)
    projector.screenshot(path=str(artifacts_dir / "solution-photos-projector-1920x1080.png"))
    control = projector.context.new_page()  # the facilitator's own screen shows them too
    control.goto(projector.url.replace("/projector", "/control"))
    expect(control.locator('[data-bind="solutions"] figcaption')).to_have_text(["Ana Teacher", "Ben Coach"])
    control.screenshot(path=str(artifacts_dir / "solution-photos-control-1920x1080.png"))
    control.close()
    expect_no_axe_violations(ana, "the phone on the solve step")
    expect_no_axe_violations(projector, "the projector with photos of solutions")
    assert small_targets(ana) == []

    # Ana takes hers back: it leaves the projector at once.
    panel.get_by_role("button", name="Remove my photo").tap()
    expect(panel.get_by_role("status")).to_have_text("Your photo was removed.")
    expect(grid.locator("figcaption")).to_have_text(["Ben Coach"])
