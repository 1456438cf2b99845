"""RQ's cron scheduler, told to enqueue the market's daily refresh (docs/operations.md):

    rq cron app/market/rq_cron.py --url "$REDIS_URL"

beside `flask --app wsgi worker`, which runs the job in the app. MARKET_CRON (a cron line in
the scheduler host's local time; by default 08:30, just after midnight UTC on a host in China,
so that the month just ended is closed within minutes) and JOB_QUEUE are read from the
environment.
"""

from __future__ import annotations

import os

from rq import cron

from app.config import Config
from app.market.commands import refresh

cron.register(
    refresh,
    Config.JOB_QUEUE,
    cron=os.environ.get("MARKET_CRON", "30 8 * * *"),
    job_timeout=3600,  # a million units' history takes minutes
)
