"""The name check in real browsers: a page with no name the reader is sure of waits, hidden,
with "Check for a name" on every card; a phone in the room opens the private check view, sees
the unblurred page, and answers; only then does the projector get a thumbnail."""
from __future__ import annotations

import io
import re

from PIL import Image, ImageDraw, ImageFont
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.pages import join, log_in, step_title
from tests.browser.test_work_upload import THUMB_SECONDS, UPLOAD_STEP, card, start_work_sort, wait_for_thumbnail

CHECK_SECONDS = 60  # both reads of the page, in the background worker


def page_without_a_name(path, shade: int) -> None:
    """A page with a line of work and no name line: the reader cannot be sure there is no name."""
    image = Image.new("RGB", (900, 1200), (255, 255, shade))
    ImageDraw.Draw(image).text((80, 600), "7 + 6 = 13", fill=(20, 20, 20), font=ImageFont.load_default(size=48))
    out = io.BytesIO()
    image.save(out, "JPEG")
    path.write_bytes(out.getvalue())


def upload(phone: Page, path, label: str) -> None:
    phone.locator("#work-files").set_input_files(str(path))
    phone.get_by_label(f"Student code for {path.name}").fill(label)
    phone.get_by_role("button", name="Upload 1 file").tap()
    expect(phone.locator(".upload-row").last.locator(".upload-status")).to_have_text("Uploaded")


def waits_for_a_check(page: Page, label: str) -> None:
    sample = card(page, label)
    expect(sample.locator(".sample-status")).to_have_text("Check for a name", timeout=CHECK_SECONDS * 1000)
    expect(sample.locator("img")).to_have_count(0)
    expect(sample.locator(".sample-text")).to_have_text("")


def test_a_page_waits_hidden_until_a_phone_checks_it_for_a_name(new_context, live_server, tmp_path):
    projector_context = new_context(**DESKTOP)
    projector = projector_context.new_page()
    log_in(projector, live_server.email, live_server.password)
    code = start_work_sort(projector)
    phone = new_context(**PHONE).new_page()
    join(phone, code, "Ana Teacher")
    expect(step_title(phone)).to_have_text(UPLOAD_STEP)

    first, second = tmp_path / "first.jpg", tmp_path / "second.jpg"
    page_without_a_name(first, 255)
    page_without_a_name(second, 250)
    upload(phone, first, "NC1")
    for page in (projector, phone):
        waits_for_a_check(page, "NC1")
    sample_id = card(projector, "NC1").get_attribute("data-sample-id")
    for url in (f"/work/{sample_id}/thumb", f"/work/{sample_id}/image"):
        assert projector_context.request.get(url).status == 404, url

    # The phone opens the check view: the unblurred page, and the three answers.
    link = card(phone, "NC1").get_by_role("link", name=re.compile("^Check this page"))
    link.tap()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Check for a name: NC1")
    image = phone.locator("#check-stage img")
    expect(image).to_have_attribute("src", f"/work/{sample_id}/check/image")
    phone.wait_for_function("() => document.querySelector('#check-stage img')?.naturalWidth > 0")
    expect(phone.get_by_role("button", name="Accept this box")).to_have_count(0)  # nothing was found
    phone.get_by_role("button", name="No name on this page").tap()
    expect(phone.get_by_role("status").filter(has_text="Thank you")).to_be_visible()
    expect(phone.locator("#check-stage img")).to_have_count(0)

    # Now the room sees it.
    expect(card(projector, "NC1").locator("img")).to_be_visible(timeout=THUMB_SECONDS * 1000)
    wait_for_thumbnail(projector, "NC1")
    expect(card(projector, "NC1").locator(".sample-text")).to_have_text(re.compile(r"\d"))  # the text, shown now

    # On the laptop, a box drawn by dragging over the page blurs it and publishes the page.
    phone.go_back()
    upload(phone, second, "NC2")
    waits_for_a_check(projector, "NC2")
    card(projector, "NC2").get_by_role("link", name=re.compile("^Check this page")).click()
    projector.get_by_role("button", name="Draw a box over the name").click()
    stage_image = projector.locator("#check-stage img")
    projector.wait_for_function("() => document.querySelector('#check-stage img')?.naturalWidth > 0")
    box = stage_image.bounding_box()
    projector.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.05)
    projector.mouse.down()
    projector.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.15, steps=5)
    projector.mouse.up()
    expect(projector.get_by_role("status").filter(has_text="Thank you")).to_be_visible()
    projector.go_back()
    expect(card(projector, "NC2").locator("img")).to_be_visible(timeout=THUMB_SECONDS * 1000)
