"""Background jobs for student work. Nothing here runs inside a request or a socket handler."""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from huey import crontab

from plc.jobs import huey, in_app, job
from plc.work import leftovers, lifecycle, processing

log = logging.getLogger(__name__)
# The task queue tries a job as often as the life cycle lets a sample be claimed.
RETRIES = lifecycle.MAX_ATTEMPTS - 1


@job(retries=RETRIES, retry_delay=2)
def process_sample_job(sample_id: int) -> None:
    processing.process_sample(sample_id)


@job(retries=RETRIES, retry_delay=2)
def blur_sample_job(sample_id: int) -> None:
    processing.apply_blur_boxes(sample_id)


@in_app
def recover() -> int:
    """After a crash anywhere: send again the jobs that were lost or whose worker died, and
    remove the files a crash left that no sample names. Returns how many jobs went again."""
    ids = lifecycle.requeue_stale()
    for sample_id in ids:
        log.info("taking up sample %s again after its job or worker was lost", sample_id)
        process_sample_job(sample_id)
    removed = leftovers.remove_leftover_files(older_than=timedelta(seconds=current_app.config["JOB_LEASE_SECONDS"]))
    if removed:
        log.info("removed %d files a crash left behind", len(removed))
    return len(ids)


@huey.on_startup()
def recover_on_startup() -> None:
    recover()


@huey.periodic_task(crontab(minute="*"))
def recover_every_minute() -> None:
    recover()
