"""Student work in a live meeting, in real browsers: a phone uploads photos at the
"Bring in the student work" step of Work Sort; the projector shows the thumbnails at once
and the text once the background worker (started by wsgi.py beside the server) has read it.
"""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.pages import TEAM, join, log_in, start_meeting, step_title
from tests.work.conftest import generate

TASK = "Apple boxes"
PROTOCOL = "Work Sort"
UPLOAD_STEP = "Bring in the student work"
THUMB_SECONDS = 30  # the worker's first stage: the cleaned, upright, name-blurred thumbnail
TEXT_SECONDS = 60  # the second stage: OCR of the whole page, in the background worker


def start_work_sort(page: Page) -> str:
    """From the teams list to the projector of a new Work Sort meeting, at its upload step; the code."""
    code = start_meeting(page, TASK, PROTOCOL)
    expect(step_title(page)).to_have_text("Purpose and norms")
    page.get_by_role("button", name="Next ▶").click()
    expect(step_title(page)).to_have_text(UPLOAD_STEP)
    return code


def card(page: Page, label: str):
    """The sample card whose student code is `label` (page 1)."""
    return page.locator("[data-sample-id]").filter(
        has=page.locator(".sample-label", has_text=re.compile(f"^{re.escape(label)}$")))


def choose_and_label(phone: Page, files: list, labels: list[str]) -> None:
    """Choose files through the phone's "Choose photos" button (its hidden input) and code each row."""
    expect(phone.locator("label", has_text="Take a photo")).to_be_visible()
    expect(phone.locator("label", has_text="Choose photos")).to_be_visible()
    expect(phone.locator("#work-camera")).to_have_attribute("capture", "environment")
    phone.locator("#work-files").set_input_files([str(f) for f in files])
    rows = phone.locator(".upload-row")
    expect(rows).to_have_count(len(files))
    for file, label in zip(files, labels):
        phone.get_by_label(f"Student code for {file.name}").fill(label)


def wait_for_thumbnail(page: Page, label: str) -> None:
    """The card's <img> has really loaded (not just been put in the page); robust to re-renders."""
    page.wait_for_function(
        """label => [...document.querySelectorAll('[data-sample-id]')].some(c =>
             c.querySelector('.sample-label')?.textContent === label &&
             c.querySelector('img')?.complete && c.querySelector('img').naturalWidth > 0)""",
        arg=label, timeout=THUMB_SECONDS * 1000)


def test_phone_photos_reach_the_projector_with_their_text(new_context, live_server, artifacts_dir, tmp_path):
    photos = generate(tmp_path, "--photo", "--gps", "--rotate-exif", count=2, megapixels=3)
    labels = ["AB", "CD"]

    projector_context = new_context(**DESKTOP)
    projector = projector_context.new_page()
    log_in(projector, live_server.email, live_server.password)
    code = start_work_sort(projector)

    phone = new_context(**PHONE).new_page()
    join(phone, code, "Ana Teacher")
    expect(step_title(phone)).to_have_text(UPLOAD_STEP)
    expect(phone.locator('[data-bind="prompt"]')).to_contain_text("Photograph each piece of student work")

    choose_and_label(phone, [p["path"] for p in photos], labels)
    phone.get_by_role("button", name="Upload 2 files").tap()
    rows = phone.locator(".upload-row")
    for row in rows.all():
        expect(row.locator(".upload-status")).to_have_text("Uploaded", timeout=THUMB_SECONDS * 1000)
        expect(row).to_have_class(re.compile(r"\bis-ok\b"))
        expect(row.locator("progress")).to_have_js_property("value", 1)
    expect(phone.get_by_role("button", name=re.compile(r"^Upload \d"))).to_be_hidden()

    # The projector: both thumbnails first (stage 1), then the text (stage 2).
    for label in labels:
        thumb = card(projector, label).locator("img")
        expect(thumb).to_be_visible(timeout=THUMB_SECONDS * 1000)
        expect(thumb).to_have_attribute("src", re.compile(r"^/work/\d+/thumb\?v=\w+$"))
        expect(thumb).to_have_attribute("alt", f"Work of {label}")
    for label in labels:
        sample = card(projector, label)
        expect(sample).to_have_class(re.compile(r"\bstatus-done\b"), timeout=TEXT_SECONDS * 1000)
        expect(sample.locator(".sample-text")).to_have_text(re.compile(r"\S"))
        expect(sample.locator(".sample-status")).to_have_count(0)
        expect(sample).not_to_contain_text("Reading…")
    expect(projector.locator(".samples-summary")).not_to_contain_text("being read")

    # The text is the work's, without the student's name (it is blurred and left out).
    for photo, label in zip(photos, labels):
        text = card(projector, label).locator(".sample-text").inner_text()
        assert re.search(r"\d", text), (label, text)
        assert photo["student"].lower() not in text.lower(), (label, photo["student"], text)

    # The thumbnails really load, on the projector and on the phone.
    for label in labels:
        wait_for_thumbnail(projector, label)
        size = card(projector, label).locator("img").evaluate("img => [img.naturalWidth, img.naturalHeight]")
        assert size[0] > 0 and size[1] > 0, (label, size)
        # Upright: the photos were stored sideways with EXIF orientation 6, the page is portrait.
        assert size[1] > size[0], (label, size)

    # The phone shows both samples, read, too.
    for label in labels:
        sample = card(phone, label)
        expect(sample).to_have_count(1)
        expect(sample).to_have_class(re.compile(r"\bstatus-done\b"), timeout=TEXT_SECONDS * 1000)
        expect(sample.locator(".sample-text")).to_have_text(re.compile(r"\S"))
        sample.scroll_into_view_if_needed()
        wait_for_thumbnail(phone, label)

    # Screenshots once the text has arrived.
    projector.screenshot(path=str(artifacts_dir / "projector-work-1280x800.png"))
    phone.evaluate("window.scrollTo(0, 0)")
    phone.screenshot(path=str(artifacts_dir / "phone-work-390x844.png"))
    phone.screenshot(path=str(artifacts_dir / "phone-work-390x844-full.png"), full_page=True)

    # The files are private: the facilitator (a team member) gets them, a browser that has not joined gets 404.
    src = card(projector, labels[0]).locator("img").get_attribute("src")
    sample_id = card(projector, labels[0]).get_attribute("data-sample-id")
    image = f"/work/{sample_id}/image"
    for url in (src, image):
        seen = projector_context.request.get(url)
        assert seen.status == 200, (url, seen.status)
        assert seen.headers["content-type"] == "image/jpeg"
        assert "private" in seen.headers["cache-control"]
    stranger = new_context(**DESKTOP)
    assert stranger.cookies() == []
    for url in (src, image):
        response = stranger.request.get(url)
        assert response.status == 404, (url, response.status)
        assert response.headers["content-type"] != "image/jpeg"


def test_a_text_file_named_jpg_is_refused_and_the_good_photo_goes_through(
        new_context, live_server, artifacts_dir, tmp_path):
    good = generate(tmp_path / "photos", "--photo", "--rotate-exif", count=1, megapixels=2)[0]["path"]
    bad = tmp_path / "notes.jpg"
    bad.write_text("Ana: 8 + 5 = 13\nBen: 6 x 7 = 42\n")

    projector = new_context(**DESKTOP).new_page()
    log_in(projector, live_server.email, live_server.password)
    code = start_work_sort(projector)
    phone = new_context(**PHONE).new_page()
    join(phone, code, "Ben Coach")
    expect(step_title(phone)).to_have_text(UPLOAD_STEP)
    # Samples belong to the task: earlier meetings on it may have brought some already.
    before = projector.locator("[data-sample-id]")
    expect(projector.locator(".samples-summary")).to_be_visible()
    known = before.count()

    choose_and_label(phone, [bad, good], ["GH", "EF"])
    phone.get_by_role("button", name="Upload 2 files").tap()

    bad_row = phone.locator(".upload-row", has_text="notes.jpg")
    good_row = phone.locator(".upload-row", has_text=good.name)
    expect(bad_row.locator(".upload-status")).to_contain_text("not a photo", timeout=THUMB_SECONDS * 1000)
    expect(bad_row).to_have_class(re.compile(r"\bis-bad\b"))
    expect(good_row.locator(".upload-status")).to_have_text("Uploaded", timeout=THUMB_SECONDS * 1000)
    expect(good_row).to_have_class(re.compile(r"\bis-ok\b"))

    expect(card(projector, "EF").locator("img")).to_be_visible(timeout=THUMB_SECONDS * 1000)
    wait_for_thumbnail(projector, "EF")
    expect(card(projector, "EF")).to_have_class(re.compile(r"\bstatus-done\b"), timeout=TEXT_SECONDS * 1000)
    expect(card(projector, "GH")).to_have_count(0)
    expect(projector.locator("[data-sample-id]")).to_have_count(known + 1)
    expect(card(phone, "EF")).to_have_count(1)
    expect(card(phone, "GH")).to_have_count(0)
    expect(projector.locator(".room-main")).not_to_contain_text("notes.jpg")


def open_task_work(page: Page) -> None:
    """From the teams list to the task's student-work page on a laptop."""
    page.get_by_role("link", name=TEAM).click()
    page.get_by_role("link", name=TASK, exact=True).first.click()
    page.get_by_role("link", name="Student work").click()
    expect(page.get_by_role("heading", name=f"Student work for “{TASK}”")).to_be_visible()


def test_two_laptops_on_the_task_page_see_work_arrive_be_read_and_leave_without_reloading(
        new_context, live_server, tmp_path):
    [photo] = generate(tmp_path, "--photo", count=1, megapixels=2)
    laptops = []
    for _ in range(2):
        page = new_context(**DESKTOP).new_page()
        log_in(page, live_server.email, live_server.password)
        open_task_work(page)
        laptops.append(page)
    uploader, watcher = laptops
    watcher.evaluate("() => { window.stillTheSamePage = true; }")  # a reload would forget it

    uploader.locator("#work-files").set_input_files(str(photo["path"]))
    uploader.get_by_label(f"Student code for {photo['path'].name}").fill("LP1")
    uploader.get_by_role("button", name="Upload 1 file").click()

    # The other laptop hears of the sample, then of its text, from the server: no reload, no polling.
    expect(card(watcher, "LP1")).to_be_visible(timeout=THUMB_SECONDS * 1000)
    expect(card(watcher, "LP1").locator(".sample-text")).not_to_be_empty(timeout=TEXT_SECONDS * 1000)
    expect(card(watcher, "LP1").locator(".sample-status")).to_have_count(0)

    card(uploader, "LP1").get_by_role("link", name="Delete the work of LP1").click()
    uploader.get_by_role("button", name="Delete for good").click()
    expect(uploader.get_by_text("The work of LP1 was deleted")).to_be_visible()
    expect(card(watcher, "LP1")).to_have_count(0)
    assert watcher.evaluate("() => window.stillTheSamePage") is True
