"""RQ's cron scheduler, told to enqueue the digests each morning (docs/operations.md):

    rq cron app/alerts/rq_cron.py --url "$REDIS_URL"

beside `flask --app wsgi worker`, which runs the job in the app. ALERTS_CRON (a cron line in
the scheduler host's local time, 08:00 by default) and JOB_QUEUE are read from the environment.
"""

from __future__ import annotations

import os

from rq import cron

from app.alerts.commands import send_due_digests
from app.config import Config

cron.register(
    send_due_digests,
    Config.JOB_QUEUE,
    cron=os.environ.get("ALERTS_CRON", "0 8 * * *"),
    job_timeout=3600,  # a full day's digests take minutes, not the two of an email job
)
