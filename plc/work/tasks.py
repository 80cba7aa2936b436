"""Background jobs for student work. Nothing here runs inside a request or a socket handler."""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from huey import crontab

from plc import storage
from plc.jobs import huey, in_app, job, periodic_job
from plc.work import leftovers  # noqa: F401 - registers student work's folders for the sweep below
from plc.work import lifecycle, processing

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
def requeue_lost_jobs() -> int:
    """Send again the jobs that were lost with a server or a worker, or whose worker died."""
    ids = lifecycle.requeue_stale()
    for sample_id in ids:
        log.info("taking up sample %s again after its job or worker was lost", sample_id)
        process_sample_job(sample_id)
    return len(ids)


@in_app
def remove_leftover_files() -> int:
    """Remove the files a crash left that no row names - student work's, teachers' photos of their
    solutions (plc/solutions) - a lease after they were last written."""
    removed = storage.remove_leftover_files(older_than=timedelta(seconds=current_app.config["JOB_LEASE_SECONDS"]))
    if removed:
        log.info("removed %d files a crash left behind", len(removed))
    return len(removed)


def recover() -> int:
    """What a worker does when it starts, after a crash anywhere: both of the above. Returns
    how many jobs went again."""
    requeued = requeue_lost_jobs()
    remove_leftover_files()
    return requeued


@huey.on_startup()
def recover_on_startup() -> None:
    recover()


@huey.periodic_task(crontab(minute="*"))
def requeue_lost_jobs_every_minute() -> None:
    requeue_lost_jobs()


# Hourly: the pass reads the whole uploads folder.
@periodic_job(crontab(minute="37"))
def remove_leftover_files_hourly() -> None:
    remove_leftover_files()
