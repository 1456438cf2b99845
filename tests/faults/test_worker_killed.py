"""A worker killed mid-job (SIGKILL) leaves its job to be done again, and the email is sent once.

The worker is the real `flask worker` in a process of its own, on the tests' own Redis; the hook
app.testing_hooks.pause_point stops it inside the delivery job, after it claimed the email and
before it talked to the mail server, and the test kills it there. RQ's maintenance then finds
the job abandoned (its heartbeat lapsed: JOB_TIMEOUT + 60 s after it started) and runs it again;
the test asks RQ's registry for that clean-up at a time past the lapse instead of waiting.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator

import pytest
from rq import Worker
from rq.registry import StartedJobRegistry
from sqlalchemy import select

from app import jobs
from app.extensions import db
from app.mail import send_email
from app.models import OutboundEmail
from tests.reliability.conftest import FLASK, ROOT, cli_env

MARKER_TIMEOUT_S = 30
JOB_TIMEOUT_S = 1  # the job's timeout here (production: 120 s); RQ's heartbeat lapses 60 s later
HEARTBEAT_GRACE_S = 60  # what rq.SimpleWorker adds to a job's timeout for its heartbeat


@pytest.fixture
def queued(app, redis_server, mailbox) -> Iterator[dict]:
    """The test's app with its jobs on the tests' own Redis, and its emails to `mailbox`."""
    app.config.update(
        REDIS_URL=redis_server.url, JOB_QUEUE="fault-worker-jobs", JOB_TIMEOUT=JOB_TIMEOUT_S
    )
    yield app.config


def _row() -> OutboundEmail:
    db.session.expire_all()
    return db.session.scalars(select(OutboundEmail)).one()


def _start_worker(database_url: str, config, mail_url: str, tmp_path) -> subprocess.Popen:
    env = cli_env(
        database_url,
        tmp_path / "instance",
        REDIS_URL=config["REDIS_URL"],
        JOB_QUEUE=config["JOB_QUEUE"],
        MAIL_URL=mail_url,
        XZL_CRASH_PAUSE_AT="mail.deliver:1",
        XZL_CRASH_MARKER=str(tmp_path / "paused"),
    )
    # A session of its own: the worker and the scheduler process RQ forks beside it end
    # together, as under a process manager that kills a service's whole group.
    return subprocess.Popen(
        [FLASK, "--app", "wsgi", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _wait_for(condition, what: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + MARKER_TIMEOUT_S
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"the worker exited before {what}: {process.stderr.read()}")
        assert time.monotonic() < deadline, f"the worker never reached {what}"
        time.sleep(0.05)


def test_a_worker_killed_mid_job_leaves_the_job_to_rq_and_the_email_goes_once(
    app, queued, database_url, mailbox, tmp_path, timings
):
    queue = jobs.queue(queued, worker=True)
    worker = _start_worker(database_url, queued, mailbox.url, tmp_path)
    try:
        _wait_for(lambda: Worker.all(queue=queue), "listening", worker)
        send_email(
            "li@example.com",
            "password_changed",
            key="password_changed:fault",
            subject="密码已修改",
            name="李四",
            email="li@example.com",
            how="修改",
            reset_url="http://127.0.0.1/accounts/reset",
        )
        db.session.commit()  # enqueued on RQ; the worker takes it and pauses after the claim
        _wait_for((tmp_path / "paused").exists, "the claimed email", worker)
        os.killpg(worker.pid, signal.SIGKILL)
        killed_at = time.perf_counter()
        assert worker.wait(timeout=30) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
        worker.stderr.close()

    row = _row()
    assert (row.status, row.attempts) == ("sending", 1)
    started = StartedJobRegistry(queue=queue)
    assert len(started.get_job_ids()) == 1  # RQ holds the job as started by a dead worker
    time.sleep(0.1)
    assert mailbox.messages == []

    # RQ's maintenance once the dead worker's heartbeat has lapsed: the job is retried.
    time.sleep(JOB_TIMEOUT_S)  # the claim is now older than any live job could hold it
    started.cleanup(timestamp=time.time() + JOB_TIMEOUT_S + HEARTBEAT_GRACE_S + 1)
    assert queue.count == 1
    jobs.worker(queued).work(burst=True)  # another worker, here in the test's process
    (msg,) = mailbox.wait_for(1)
    sent_after = time.perf_counter() - killed_at
    assert msg["Subject"] == "密码已修改"
    row = _row()
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)

    # The app's own safety net finds nothing left to do: the email went once.
    result = app.test_cli_runner().invoke(args=["mail", "retry", "--older-than", "0"])
    assert result.exit_code == 0 and "0 封邮件重新排队" in result.output, result.output
    jobs.worker(queued).work(burst=True)
    time.sleep(0.2)
    assert len(mailbox.messages) == 1
    timings.update(
        kill_to_sent=f"{sent_after * 1000:.0f} ms (with RQ's {JOB_TIMEOUT_S + 60} s lapse skipped)"
    )
