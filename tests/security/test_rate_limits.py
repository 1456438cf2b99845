"""Rate limits on sign-in, registration and inquiries, counted in Redis when REDIS_URL is set."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import redis

from app.config import ROOT
from tests.conftest import need

REDIS_URL = "redis://127.0.0.1:6379/15"
TOO_MANY = "操作过于频繁，请稍后再试。"
# The limit of each route, as the views declare it.
LIMITS = {"login": 5, "register": 10, "inquiry": 5}  # login: one account from one address


@pytest.fixture
def redis_db():
    store = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        store.ping()
    except redis.RedisError:
        need(False, f"a Redis server at {REDIS_URL}")
    store.flushdb()
    yield store
    store.flushdb()
    store.close()


def _probe(database_url: str, building_id: int) -> dict:
    env = dict(os.environ, REDIS_URL=REDIS_URL, SECRET_KEY="probe-secret-not-the-default")
    env.pop("APP_ENV", None)
    result = subprocess.run(
        [sys.executable, "-m", "tests.security.limits_probe", database_url, str(building_id)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_limits_live_in_redis_and_answer_429_in_chinese(redis_db, database_url, world):
    seen = _probe(database_url, world.ids["building"])
    assert seen["storage"] == REDIS_URL
    assert seen["limiter"] == "RedisStorage"
    for name, limit in LIMITS.items():
        codes = seen[name]["codes"]
        assert 429 not in codes[:limit], (name, codes)
        assert codes[limit:] == [429], (name, codes)
        assert TOO_MANY in seen[name]["body"], name
    keys = [k.decode() for k in redis_db.keys("*")]
    for view in ("login", "register", "inquiry"):
        assert any(view in key for key in keys), (view, keys)
