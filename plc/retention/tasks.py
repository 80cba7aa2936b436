"""The hourly job that removes kept original photos once they pass the team's retention period.

Declared when the `plc` package is imported (plc/__init__.py), so every task-queue worker,
`huey_consumer plc.worker.huey` included, schedules it.
"""
from __future__ import annotations

import logging

from huey import crontab

from plc.extensions import db
from plc.jobs import app_context, huey

log = logging.getLogger(__name__)


@huey.periodic_task(crontab(minute="17"))
def remove_expired_originals_hourly() -> dict[int, int]:
    from plc.retention.services import remove_all_expired_originals

    with app_context():
        try:
            removed = remove_all_expired_originals()
        finally:
            db.session.remove()
    for team_id, n in removed.items():
        if n:
            log.info("removed %s kept originals of team %s after its retention period", n, team_id)
    return removed
