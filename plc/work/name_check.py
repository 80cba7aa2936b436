"""The name check: a page whose name the OCR could not find with confidence stays private until
a person in the room looks at it and says there is no name, accepts the box found, or draws one.
Then the sample's job makes its blurred views and text (plc/work/processing.py) and the room sees it."""
from __future__ import annotations

from plc.extensions import db
from plc.work import lifecycle
from plc.work.errors import WorkRejected
from plc.work.models import WorkSample
from plc.work.services import box_in_pixels
from plc.work.tasks import process_sample_job

CHOICES = ("none", "accept", "box")


def check_name(sample: WorkSample, choice: str, box: tuple[float, float, float, float] | None = None) -> None:
    """``choice``: "none" (no name on this page), "accept" (the box found), or "box" with ``box``
    in fractions (0-1) of the page's width and height."""
    if sample.name_check != "waiting":
        raise WorkRejected("This page has already been checked for a name.")
    if choice == "none":
        name_boxes = []
    elif choice == "accept":
        if not sample.name_suggestion:
            raise WorkRejected("No box was found on this page: draw one over the name.")
        name_boxes = [list(sample.name_suggestion)]
    elif choice == "box":
        if box is None:
            raise WorkRejected("Draw a box over the name.")
        name_boxes = [box_in_pixels(sample, box)]
    else:
        raise WorkRejected("Choose: no name on this page, accept the box, or draw a box.")
    sample.blur_boxes = [*sample.blur_boxes, *name_boxes]
    sample.name_boxes = [*(sample.name_boxes or []), *name_boxes]
    sample.name_check = "checked"
    # The job publishes it through the life cycle: a crash or an error ends in recovery or in
    # "failed" with "Try again", never in a page left private with its unblurred file.
    lifecycle.queue_afresh(sample)
    db.session.commit()
    process_sample_job(sample.id)
