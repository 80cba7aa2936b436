"""The life of a sample's job in one place: its states, who moves it from one to the next, the
lease, and what recovery does with a sample whose job or worker was lost.

    queued --claim--> processing --> reading --> done (--name checked--> queued)
      ^                   |             |
      |                   +-------------+--> failed --"Try again"--> queued
      |                   |             |
      +--- release (an error, tries left) or recovery (the worker died)

Every state, read from the row alone, tells recovery what to do, whatever crashed when:
- queued: waiting for a worker, no lease. Queued longer than a lease with nothing happening
  (`updated_at`), its job was lost with a server or a worker: recovery sends it again.
- processing, reading: a worker holds it until `lease_until`, renewed at every step. Past
  that the worker is taken for dead: recovery queues the sample again.
- done: read, and its upload is gone. If its name was not found with confidence, its unblurred
  page is kept (`check_image_name`, plc/work/name_check.py) until a person checks it, which
  queues it again for the job to publish, or the sample is deleted.
- failed: stays until someone presses "Try again"; the upload stays when a try can help.

A sample gets MAX_ATTEMPTS claims between "Try again"s: a page that kills its worker every
time ends failed, not in an endless loop. A job's claim carries the attempt it was given;
a worker that lost its lease can no longer save (`LeaseLost`), so two never both write.
Files that a crash left named by no row are removed by plc/work/leftovers.py.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, or_, update

from plc.extensions import db
from plc.timeutil import utcnow
from plc.work.errors import WorkRejected
from plc.work.models import WorkSample
from plc.work.notify import announce_from_worker

QUEUED, PROCESSING, READING, DONE, FAILED = "queued", "processing", "reading", "done", "failed"
UNFINISHED = (QUEUED, PROCESSING, READING)
HELD = (PROCESSING, READING)
# Where a job that holds a sample may move it (back to queued only through `release`).
JOB_MOVES = (READING, DONE, FAILED)
MAX_ATTEMPTS = 3
OUT_OF_TRIES = f"Reading this page stopped {MAX_ATTEMPTS} times before it was done. Try again."

# Where a job may pause for the crash test (tests/work/test_job_crashes.py), in the order of its life.
STAGES = ("before-claim", "after-claim", "reading", "saving", "saved")


class LeaseLost(Exception):
    """This job's lease ran out and the sample was queued again or taken by another worker."""


@dataclass(frozen=True)
class Claim:
    """A job's hold on a sample: the attempt it was given is its proof at every save."""

    sample: WorkSample
    attempt: int


def _lease() -> timedelta:
    return timedelta(seconds=current_app.config["JOB_LEASE_SECONDS"])


def held(now: datetime):
    """SQL: a job holds the sample (its lease has not run out): it must not be deleted now."""
    return and_(WorkSample.lease_until.is_not(None), WorkSample.lease_until >= now)


def _worker_lost(now: datetime):
    return and_(WorkSample.status.in_(HELD), or_(WorkSample.lease_until.is_(None), WorkSample.lease_until < now))


def _claimable(now: datetime):
    return or_(WorkSample.status == QUEUED, _worker_lost(now))


def _stale(now: datetime):
    """A job lost in the queue, or a worker that died holding the sample."""
    return or_(and_(WorkSample.status == QUEUED, WorkSample.updated_at < now - _lease()), _worker_lost(now))


def claim(sample_id: int) -> Claim | None:
    """Take the sample for this job (it moves to processing, with a lease); None if it is done,
    failed, gone or held by a live worker. Out of tries, it fails instead, for "Try again"."""
    now = utcnow()
    claimable = and_(WorkSample.id == sample_id, _claimable(now))
    taken = db.session.execute(
        update(WorkSample).where(claimable, WorkSample.attempts < MAX_ATTEMPTS)
        .values(status=PROCESSING, error=None, lease_until=now + _lease(), attempts=WorkSample.attempts + 1)
    ).rowcount
    gave_up = 0 if taken else db.session.execute(
        update(WorkSample).where(claimable, WorkSample.attempts >= MAX_ATTEMPTS)
        .values(status=FAILED, error=OUT_OF_TRIES, lease_until=None)
    ).rowcount
    db.session.commit()
    if not (taken or gave_up):
        return None
    sample = db.session.get(WorkSample, sample_id)
    announce_from_worker(sample)
    return Claim(sample, sample.attempts) if taken else None


def keep_hold(job: Claim, status: str) -> None:
    """In the job's transaction, before it saves its sample as `status`: LeaseLost if the job no
    longer holds it; else the lease is renewed (or ended, when `status` is final)."""
    if status not in JOB_MOVES:
        raise ValueError(f"a job cannot move a sample to {status!r}")
    still_held = db.session.execute(
        update(WorkSample).where(WorkSample.id == job.sample.id, WorkSample.attempts == job.attempt,
                                 WorkSample.status.in_(HELD))
        .values(lease_until=utcnow() + _lease() if status in UNFINISHED else None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not still_held:
        db.session.rollback()
        raise LeaseLost(f"sample {job.sample.id}: attempt {job.attempt} no longer holds it")


def release(job: Claim, reason: str) -> None:
    """After an error: queued again at once for the task queue's next try, or, with no try
    left, failed with `reason` (the upload stays, for "Try again")."""
    db.session.rollback()
    last_try = job.attempt >= MAX_ATTEMPTS
    changes = {"status": FAILED, "error": reason[:300]} if last_try else {"status": QUEUED}
    released = db.session.execute(
        update(WorkSample).where(WorkSample.id == job.sample.id, WorkSample.attempts == job.attempt,
                                 WorkSample.status.in_(HELD))
        .values(lease_until=None, **changes)
    ).rowcount
    db.session.commit()
    if released:
        announce_from_worker(db.session.get(WorkSample, job.sample.id))


def try_again(sample: WorkSample) -> None:
    """"Try again" on a failed sample: queued with every try ahead of it (the caller commits)."""
    if sample.status != FAILED:
        raise WorkRejected("Only a sample that failed can be tried again.")
    queue_afresh(sample)


def queue_afresh(sample: WorkSample) -> None:
    """Queued for a new job with every try ahead of it: after "Try again", or a done page that a
    person has just checked for a name, for the job to publish (the caller commits)."""
    sample.status, sample.error, sample.lease_until, sample.attempts = QUEUED, None, None, 0


def requeue_stale() -> list[int]:
    """Queue again every sample whose job was lost or whose worker died; returns their ids, for
    the caller to send their jobs. Several workers may run this at once: each sample goes to one."""
    now = utcnow()
    stale = list(db.session.execute(db.select(WorkSample.id).where(_stale(now))).scalars())
    requeued = [
        sample_id for sample_id in stale
        if db.session.execute(
            update(WorkSample).where(WorkSample.id == sample_id, _stale(now))
            .values(status=QUEUED, lease_until=None, updated_at=now)
        ).rowcount
    ]
    db.session.commit()
    for sample_id in requeued:
        announce_from_worker(db.session.get(WorkSample, sample_id))
    return requeued


def pause_for_crash_test(stage: str) -> None:
    """Tests only: with PLC_TEST_PAUSE_JOB_AT naming this stage, the job leaves a mark in the
    instance folder and waits there for good, for the crash test to kill it."""
    if current_app.config["TEST_PAUSE_JOB_AT"] != stage:
        return
    (Path(current_app.instance_path) / f"job-paused-at-{stage}").touch()
    threading.Event().wait()
