"""Background jobs: on RQ when REDIS_URL is set, else in this process once the work is done.

A job is a plain function of plain arguments (ids, not models): it runs later, in an app context
and a database session of its own, and reads its rows again. Callers enqueue after their commit
(app.mail does it from an after-commit listener), never inside a transaction a job would have
to wait for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from flask import Flask, after_this_request, current_app, has_request_context

log = logging.getLogger(__name__)


def enqueue(func: Callable, *args) -> None:
    """Run `func(*args)` in the background: a job on RQ with retries and backoff, or, without
    REDIS_URL, in this process after the response is sent (outside a request, at once)."""
    app = current_app._get_current_object()
    if app.config.get("REDIS_URL"):
        from rq import Retry

        intervals = list(app.config["JOB_RETRY_INTERVALS"])
        queue(app).enqueue(
            func,
            *args,
            retry=Retry(max=len(intervals), interval=intervals) if intervals else None,
            job_timeout=app.config["JOB_TIMEOUT"],
        )
        return
    call = partial(run, app, func, *args)
    if not has_request_context():
        call()
        return

    @after_this_request
    def after_response(response):
        # Werkzeug's test client never closes a response: tests run the job as the response
        # is made, everything else once the server has sent the whole body.
        if app.testing:
            call()
        else:
            response.call_on_close(call)
        return response


def run(app: Flask, func: Callable, *args) -> None:
    """Run one job in an app context (and so a database session) of its own; a failure is
    logged, not raised: the caller's response or command has already succeeded."""
    with app.app_context():
        try:
            func(*args)
        except Exception:
            log.exception("job %s%r failed", func.__qualname__, args)


def queue(app: Flask):
    from redis import Redis
    from rq import Queue

    connection = Redis.from_url(app.config["REDIS_URL"])
    return Queue(app.config["JOB_QUEUE"], connection=connection)


def worker(app: Flask, burst: bool = False) -> bool:
    """Work the app's queue: each job in an app context of its own (its own session), in this
    process, one at a time; run more workers for more at once. `burst` stops when it is empty."""
    from rq import SimpleWorker

    class AppWorker(SimpleWorker):
        def perform_job(self, job, queue):
            with app.app_context():
                return super().perform_job(job, queue)

    q = queue(app)
    return AppWorker([q], connection=q.connection).work(
        burst=burst, with_scheduler=True, logging_level="INFO"
    )
