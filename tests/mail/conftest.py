"""The mail tests' own fixtures: templates of a `notice` kind of email, and an RQ queue on the
local Redis with one burst worker for the whole session."""

from __future__ import annotations

import logging
import socket
import ssl
import subprocess
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest
import redis
from jinja2 import ChoiceLoader, DictLoader

from app import jobs
from tests.conftest import Mailbox

NOTICE = {
    "email/notice.txt": '{% extends "email/base.txt" %}{% block body %}{{ name }}，您好：\n'
    "{{ line }}{% endblock %}",
    "email/notice.html": '{% extends "email/base.html" %}{% block body %}<p>{{ name }}，您好：</p>'
    "<p>{{ line }}</p>{% endblock %}",
}
REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture(autouse=True)
def _loggers_on():
    """Alembic's logging setup, run when the session's template database is migrated, disables
    the loggers that exist by then, these among them; a process that serves or works jobs runs
    no migration in itself."""
    for name in ("app.mail", "app.jobs"):
        logging.getLogger(name).disabled = False


@pytest.fixture
def notice(app):
    """Give the app the `notice` templates."""
    app.jinja_env.loader = ChoiceLoader([DictLoader(NOTICE), app.jinja_env.loader])
    app.jinja_env.cache = {}


USER, PASSWORD = "noreply@example.com", "p@ss word"


@pytest.fixture(scope="session")
def tls_mailbox(tmp_path_factory) -> Iterator[Mailbox]:
    """A second SMTP server for the session, as a provider's submission port is: STARTTLS with
    a certificate of its own (`tls_mailbox.cafile` trusts it), and a login after it."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        + ["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (auth_data.login, auth_data.password) == (USER.encode(), PASSWORD.encode())
        return AuthResult(success=ok)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox()
    box.cafile = str(cert)
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        auth_required=True,
        authenticator=authenticator,
    )
    controller.start()
    box.url = f"smtp://{quote(USER)}:{quote(PASSWORD)}@127.0.0.1:{port}"
    yield box
    controller.stop()


@pytest.fixture(scope="session")
def _rq() -> Iterator[dict]:
    """A queue of this session's own on the local Redis, which must be running (here and in
    CI: no skip), and one worker for it."""
    store = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        store.ping()
    except redis.ConnectionError as exc:
        pytest.fail(f"the RQ tests need Redis at {REDIS_URL}: {exc}")
    config = {"REDIS_URL": REDIS_URL, "JOB_QUEUE": f"test-jobs-{uuid.uuid4().hex[:8]}"}
    yield {**config, "worker": jobs.worker(config)}
    jobs.queue(config).delete(delete_jobs=True)
    store.close()


@pytest.fixture
def rq_worker(app, _rq):
    """Point the app's jobs at the session's queue; calling the result works the queue until it
    is empty, in this process (with this test's app)."""
    app.config.update(REDIS_URL=_rq["REDIS_URL"], JOB_QUEUE=_rq["JOB_QUEUE"])
    jobs.queue(app.config).empty()
    return lambda: _rq["worker"].work(burst=True)
