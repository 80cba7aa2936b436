"""The hourly job that removes kept original photos once they pass the team's retention period.

Declared where every task-queue worker imports it (plc/worker.py), so every worker,
`huey_consumer plc.worker.huey` included, schedules it.
"""
from __future__ import annotations

import logging

from huey import crontab

from plc.jobs import periodic_job
from plc.retention.services import remove_all_expired_originals

log = logging.getLogger(__name__)


@periodic_job(crontab(minute="17"))
def remove_expired_originals_hourly() -> dict[int, int]:
    removed = remove_all_expired_originals()
    for team_id, n in removed.items():
        if n:
            log.info("removed %s kept originals of team %s after its retention period", n, team_id)
    return removed
