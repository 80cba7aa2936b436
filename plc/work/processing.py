"""The background job that turns an upload into clean, private, readable work.

Stage 1 makes what people see: the page upright, without metadata, with the
student's name (found by reading the top of the page first) blurred, and a
thumbnail; the room shows it at once, "reading...". Stage 2 reads the whole page,
blurs a name found only then, and stores the text without the name's line.
When neither stage finds the name with confidence, the page waits, unblurred and
private, for a person to check it (plc/work/name_check.py); nothing of it is shown.
Once checked, the same job publishes it: its blurred views and text from the kept page.
A job can run again from the start at any point: the upload (or the kept page) stays until
the end. Its states, claim and lease are plc/work/lifecycle.py's.
"""
from __future__ import annotations

from flask import current_app
from PIL import Image

from plc import storage
from plc.errors import UserError
from plc.extensions import db
from plc.media.checks import inspect_upload
from plc.media.clean import clean, thumbnail
from plc.media.files import save_jpeg
from plc.media.pages import load_pages
from plc.media.redact import blur_boxes
from plc.ocr.base import Word
from plc.ocr.names import find_name, name_band
from plc.ocr.registry import get_engine
from plc.work import lifecycle
from plc.work.errors import WorkRejected
from plc.work.lifecycle import DONE, FAILED, READING, Claim, LeaseLost, pause_for_crash_test
from plc.work.models import WorkSample
from plc.work.notify import announce_from_worker


def _save(sample: WorkSample, job: Claim | None = None, **changes) -> None:
    """Commit the changes and tell the rooms; a job's change of status only while it holds the sample."""
    if job is not None:
        if changes["status"] == DONE:
            pause_for_crash_test("saving")  # the new views are written, the row does not name them yet
        lifecycle.keep_hold(job, changes["status"])
    for key, value in changes.items():
        setattr(sample, key, value)
    db.session.commit()
    announce_from_worker(sample)


def _keep_original(sample: WorkSample, image) -> str | None:
    """The upright, unblurred page, only for teams that chose to keep originals."""
    if not sample.task.unit.team.keep_originals:
        return None
    if not sample.original_name:
        sample.original_name = storage.new_name("originals", ".jpg")
    save_jpeg(image, storage.path_of(sample.original_name))
    return sample.original_name


def _page(sample: WorkSample):
    path = storage.path_of(sample.incoming_name)
    inspected = inspect_upload(path)
    page = next(load_pages(path, inspected, only_page=sample.page), None)
    if page is None:
        raise WorkRejected(f"The PDF has no page {sample.page}.")
    return clean(page)


def _boxes(sample: WorkSample) -> list[tuple[int, int, int, int]]:
    return [tuple(box) for box in sample.blur_boxes or []]


def _save_with_views(sample: WorkSample, image, boxes, job: Claim | None = None, **changes) -> None:
    """Save `changes` with a new blurred display image and thumbnail. The old files go only
    once the row names the new ones; the new ones go if the save fails (the sample may have
    been deleted meanwhile, or the job lost its lease), so no picture of student work is left
    behind on disk (after a crash, plc/work/leftovers.py removes them)."""
    display = blur_boxes(image, boxes) if boxes else image
    views = {"image_name": storage.new_name("work", ".jpg"), "thumb_name": storage.new_name("work", ".jpg")}
    old = (sample.image_name, sample.thumb_name)
    try:
        save_jpeg(display, storage.path_of(views["image_name"]))
        save_jpeg(thumbnail(display), storage.path_of(views["thumb_name"]))
        _save(sample, job=job, **changes, **views)
    except Exception:
        db.session.rollback()
        storage.delete(*views.values())
        raise
    storage.delete(*old)


def _word_dicts(words: list[Word]) -> list[dict]:
    return [{"text": w.text, "confidence": w.confidence, "box": list(w.box), "line": w.line} for w in words]


def _centre_inside(box, boxes) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)


def _on_name_line(box, name_boxes) -> bool:
    middle = (box[1] + box[3]) / 2
    return any(b[1] <= middle <= b[3] for b in name_boxes)


def _without_name(words: list[Word], boxes, name_boxes) -> tuple[str, list[Word]]:
    """The words outside every blurred box and off the name's line (its label, a date beside
    it), and the text they make, line by line."""
    kept = [w for w in words if not _centre_inside(w.box, boxes) and not _on_name_line(w.box, name_boxes)]
    lines: dict[int, list[str]] = {}
    for word in kept:
        lines.setdefault(word.line, []).append(word.text)
    return "\n".join(" ".join(parts) for parts in lines.values()), kept


def _stored_words(sample: WorkSample) -> list[Word]:
    return [Word(w["text"], w["confidence"], tuple(w["box"]), w["line"]) for w in sample.ocr_words or []]


def _as_lists(boxes) -> list[list[int]]:
    return [list(b) for b in boxes]


def process_sample(sample_id: int) -> None:
    pause_for_crash_test("before-claim")
    job = lifecycle.claim(sample_id)
    if job is None:
        return
    pause_for_crash_test("after-claim")
    try:
        if _checked_page(job.sample):
            _publish_checked(job)
        else:
            _clean_and_read(job)
    except LeaseLost:
        pass  # its worker was taken for dead and the sample given to another: that one finishes it
    except UserError as exc:
        _reject(job, exc)
    except Exception as exc:
        lifecycle.release(job, f"Could not process this page ({exc}). Try again.")
        raise


def _checked_page(sample: WorkSample) -> bool:
    """A person checked the kept page for a name: the job publishes it (the upload is gone)."""
    return sample.name_check == "checked" and sample.check_image_name is not None


def _clean_and_read(job: Claim) -> None:
    sample = job.sample
    engine = get_engine(current_app.config["OCR_ENGINE"], timeout=current_app.config["OCR_TIMEOUT_SECONDS"])
    image = _page(sample)
    size = {"width": image.width, "height": image.height}
    band_box = name_band(*image.size)
    band = engine.read(image, region=band_box)
    early = find_name(band.words, right_edge=image.width, band_bottom=band_box[3])
    original = _keep_original(sample, image)
    name_boxes = [list(early.box)] if early.sure else []
    if early.sure:
        # The name is hidden: show the work at once while the whole page is read.
        boxes = [*_boxes(sample), early.box]
        _save_with_views(sample, image, boxes, job, status=READING, blur_boxes=_as_lists(boxes),
                         name_boxes=name_boxes, original_name=original, **size)
    # Without a name found in the band, nothing is shown until the whole page is read.
    pause_for_crash_test("reading")
    result = engine.read(image)
    late = find_name(result.words, right_edge=image.width, band_bottom=band_box[3])
    incoming = sample.incoming_name
    finished = dict(status=DONE, incoming_name=None, original_name=original,
                    ocr_confidence=result.confidence, ocr_engine=result.engine, **size)
    if not (early.sure or late.sure):
        _wait_for_name_check(sample, image, early.box or late.box, job, ocr_words=_word_dicts(result.words),
                             **finished)
        pause_for_crash_test("saved")
        _drop_incoming_if_unused(incoming)
        return
    boxes = _boxes(sample)  # fresh: someone may have drawn a box meanwhile
    new_views = not sample.image_name
    if late.sure and not _centre_inside(late.box, boxes):
        boxes.append(late.box)
        name_boxes.append(list(late.box))
        new_views = True
    text, words = _without_name(result.words, boxes, name_boxes)
    done = dict(finished, blur_boxes=_as_lists(boxes), name_boxes=name_boxes, ocr_text=text,
                ocr_words=_word_dicts(words))
    if new_views:
        _save_with_views(sample, image, boxes, job, **done)
    else:
        _save(sample, job=job, **done)
    pause_for_crash_test("saved")  # the row is done; its upload is still on disk
    _drop_incoming_if_unused(incoming)


def _wait_for_name_check(sample: WorkSample, image, suggestion, job: Claim, **changes) -> None:
    """Keep the upright, unblurred page privately for the person who checks it, with all its
    words (the text is made without the name's line once the check is done). The job is done;
    the kept page stays, named by the row, until the page is checked and published or deleted."""
    name = sample.check_image_name or storage.new_name("checks", ".jpg")
    try:
        save_jpeg(image, storage.path_of(name))
        _save(sample, job=job, **changes, name_check="waiting", check_image_name=name,
              name_suggestion=list(suggestion) if suggestion else None, ocr_text=None)
    except Exception:
        db.session.rollback()
        storage.delete(name)
        raise


def _publish_checked(job: Claim) -> None:
    """A person checked the page for a name: make its blurred views and its text without the
    name's line, then drop the unblurred page (after a crash in between, plc/work/leftovers.py
    removes it: the row no longer names it)."""
    sample = job.sample
    unblurred = sample.check_image_name
    with Image.open(storage.path_of(unblurred)) as kept:
        image = kept.convert("RGB")
    boxes = _boxes(sample)
    text, words = _without_name(_stored_words(sample), boxes, sample.name_boxes or [])
    _save_with_views(sample, image, boxes, job, status=DONE, ocr_text=text, ocr_words=_word_dicts(words),
                     check_image_name=None, name_suggestion=None)
    pause_for_crash_test("saved")
    storage.delete(unblurred)


def _reject(job: Claim, exc: UserError) -> None:
    """The file itself is bad: say why, keep nothing made from it."""
    db.session.rollback()
    sample = job.sample
    incoming = sample.incoming_name
    made = (sample.image_name, sample.thumb_name, sample.original_name, sample.check_image_name)
    _save(sample, job=job, status=FAILED, error=str(exc), incoming_name=None,
          image_name=None, thumb_name=None, original_name=None, check_image_name=None)
    storage.delete(*made)
    _drop_incoming_if_unused(incoming)


def _drop_incoming_if_unused(name: str | None) -> None:
    """A PDF's pages share one upload: delete it once no page needs it."""
    if name and not db.session.execute(
        db.select(WorkSample.id).filter_by(incoming_name=name).limit(1)
    ).first():
        storage.delete(name)


def apply_blur_boxes(sample_id: int) -> None:
    """Blur the boxes people drew onto the shown image (the original is not kept by default,
    so blurring adds to what is there), and drop the words under them from the text."""
    sample = db.session.get(WorkSample, sample_id)
    if sample is None or not sample.image_name or sample.private:
        return
    boxes = _boxes(sample)
    with Image.open(storage.path_of(sample.image_name)) as shown:
        image = shown.convert("RGB")
    changes = {}
    if sample.ocr_words:
        text, kept = _without_name(_stored_words(sample), boxes, sample.name_boxes or [])
        changes.update(ocr_text=text, ocr_words=_word_dicts(kept))
    _save_with_views(sample, image, boxes, **changes)
