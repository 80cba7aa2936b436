"""Background jobs for student work. Nothing here runs inside a request or a socket handler."""
from __future__ import annotations

import logging

from huey import crontab

from plc.extensions import db
from plc.jobs import app_context, huey
from plc.work import processing

log = logging.getLogger(__name__)
RETRIES = 2


@huey.task(retries=RETRIES, retry_delay=2, context=True)
def process_sample_job(sample_id: int, task=None) -> None:
    with app_context():
        try:
            processing.process_sample(sample_id)
        except Exception as exc:
            last_try = task is None or task.retries == 0
            processing.release(sample_id, f"Could not process this page ({exc}). Try again." if last_try else None)
            raise
        finally:
            db.session.remove()


@huey.task(retries=RETRIES, retry_delay=2)
def blur_sample_job(sample_id: int) -> None:
    with app_context():
        try:
            processing.apply_blur_boxes(sample_id)
        finally:
            db.session.remove()


def requeue_stale() -> int:
    """Give jobs whose worker died (their lease ran out) to a worker again."""
    with app_context():
        try:
            ids = processing.stale_sample_ids()
        finally:
            db.session.remove()
    for sample_id in ids:
        log.info("taking up sample %s again after its worker stopped", sample_id)
        process_sample_job(sample_id)
    return len(ids)


@huey.on_startup()
def recover_on_startup() -> None:
    requeue_stale()


@huey.periodic_task(crontab(minute="*"))
def recover_every_minute() -> None:
    requeue_stale()
