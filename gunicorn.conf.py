"""Gunicorn settings for production and the benchmarks: `gunicorn wsgi:app` reads this file.

Workers are 2 × cores + 1, capped by WEB_CONCURRENCY when the host sets it; each runs
GUNICORN_THREADS threads (gthread), so a slow query does not hold a whole worker.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = 2 * multiprocessing.cpu_count() + 1
if os.environ.get("WEB_CONCURRENCY"):
    workers = min(workers, int(os.environ["WEB_CONCURRENCY"]))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = 60
graceful_timeout = 20
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG")  # None: off; "-" for stdout
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def worker_exit(server, worker):
    """Write the page views a worker still holds (app.listings.actions.ViewCounter)."""
    app = getattr(worker, "wsgi", None)
    if app is None or not hasattr(app, "app_context"):
        return
    from app.listings.actions import flush_views

    with app.app_context():
        try:
            flush_views()
        except Exception:  # the database may be gone at shutdown; views are not worth a crash
            server.log.exception("could not write pending page views")


def post_worker_init(worker):
    """Take what the worker loaded with the app (the gazetteer, the search's dictionaries, the
    templates) out of the garbage collector's reach: these live as long as the worker, and a full
    collection would walk them all again, a pause of 100 ms or more in whichever request
    happens to trigger it."""
    import gc

    gc.freeze()
