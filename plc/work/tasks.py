"""Background jobs for student work. Nothing here runs inside a request or a socket handler."""
from __future__ import annotations

import logging

from huey import crontab

from plc.jobs import huey, in_app, job
from plc.work import processing

log = logging.getLogger(__name__)
RETRIES = 2


@job(retries=RETRIES, retry_delay=2, context=True)
def process_sample_job(sample_id: int, task=None) -> None:
    try:
        processing.process_sample(sample_id)
    except Exception as exc:
        last_try = task is None or task.retries == 0
        processing.release(sample_id, f"Could not process this page ({exc}). Try again." if last_try else None)
        raise


@job(retries=RETRIES, retry_delay=2)
def blur_sample_job(sample_id: int) -> None:
    processing.apply_blur_boxes(sample_id)


@job(retries=RETRIES, retry_delay=2)
def publish_checked_job(sample_id: int) -> None:
    processing.publish_checked(sample_id)


@in_app
def requeue_stale() -> int:
    """Give jobs whose worker died (their lease ran out) to a worker again."""
    ids = processing.stale_sample_ids()
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
