"""Background jobs: on RQ when REDIS_URL is set, else on a thread of this process.

A job is a plain function of plain arguments (ids, not models): it runs later, in an app context
and a database session of its own, and reads its rows again. Callers enqueue after their commit
(app.mail does it from an after-commit listener), never inside a transaction a job would have
to wait for.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from functools import partial

from flask import Flask, after_this_request, current_app, has_request_context

from app import redis_clients

log = logging.getLogger(__name__)


def enqueue(func: Callable, *args, wait: bool = False) -> bool:
    """Run `func(*args)` in the background: a job on RQ with retries and backoff, or, without
    REDIS_URL, on a thread of this process once the view has returned (outside a request, at
    once).

    When REDIS_URL's Redis cannot take the job (down, or skipped after a recent failure:
    app.redis_clients), the job runs in this process as it would without REDIS_URL, unless
    `wait`: then nothing runs and False is returned, for a caller whose own rows say what is
    left to do (app.mail's rows wait for the worker's start or `flask mail retry`).
    """
    app = current_app._get_current_object()
    if app.config.get("REDIS_URL"):
        try:
            _on_rq(app, func, args)
            return True
        except Exception as error:
            if not redis_clients.is_outage(error):
                raise
            if wait:
                return False
    call = partial(run, app, func, *args)
    if not has_request_context():
        call()
        return True

    @after_this_request
    def after_view(response):
        # A thread of its own, not the response's close: a server need not close a response
        # whose client has gone (Werkzeug's skips it when the client resets the connection),
        # and the job would be lost. Tests run the job here, so they see its effect at once.
        if app.testing:
            call()
        else:
            threading.Thread(target=call, name=f"job-{func.__name__}", daemon=True).start()
        return response

    return True


def _on_rq(app: Flask, func: Callable, args: tuple) -> None:
    from rq import Retry

    intervals = list(app.config["JOB_RETRY_INTERVALS"])
    queue(app.config).enqueue(
        func,
        *args,
        retry=Retry(max=len(intervals), interval=intervals) if intervals else None,
        job_timeout=app.config["JOB_TIMEOUT"],
    )


def run(app: Flask, func: Callable, *args) -> None:
    """Run one job in an app context (and so a database session) of its own; a failure is
    logged, not raised: the caller's response or command has already succeeded."""
    with app.app_context():
        try:
            func(*args)
        except Exception:
            log.exception("job %s%r failed", func.__qualname__, args)


def queue(config: Mapping, *, worker: bool = False):
    """The job queue named by `config` (an app's config): JOB_QUEUE on REDIS_URL.

    The web side's connection gives up fast and skips a Redis that just failed
    (app.redis_clients); a worker's waits on the queue (RQ gives it a socket timeout longer
    than its wait for a job) and retries by itself.
    """
    from redis import Redis
    from rq import Queue

    connection = Redis.from_url(config["REDIS_URL"]) if worker else redis_clients.client(config)
    return Queue(config["JOB_QUEUE"], connection=connection)


def worker(config: Mapping):
    """An RQ worker of the app's queue that runs each job in an app context of its own (so a
    database session of its own), in this process, one job at a time: run several workers for
    more at once. It serves the app current when a job starts: the one `flask worker` loads."""
    from rq import SimpleWorker

    class AppWorker(SimpleWorker):
        def perform_job(self, *args, **kwargs):
            with current_app._get_current_object().app_context():
                return super().perform_job(*args, **kwargs)

        def unsubscribe(self):
            # The thread that reads the worker's command channel waits up to 60 s for a
            # message, and redis-py 8 waits for that thread when it is stopped: lower its flag
            # first, so that the reply to UNSUBSCRIBE ends its wait and it exits at once.
            if self.pubsub_thread is not None:
                self.pubsub_thread._running.clear()
            super().unsubscribe()

    q = queue(config, worker=True)
    return AppWorker([q], connection=q.connection)
