"""Settings read from the environment, one class per way the app is run."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "dev-only-not-secret"

# Rules of the product, each written here once: code imports these names, templates read the
# ones they print as globals (app.filters), and Config hands the page size to the views.
PER_PAGE = 20  # search results or articles on one page
# What is "near" a park or a place: a park page lists the buildings this close to its centre,
# and an article's 推荐楼盘 come from this close. It places no building in a park: a building is
# in a park only inside its boundary, or within the radius its own record sets (app.geo.locate).
PARK_RADIUS_KM = 3.0
# The parks an agent may choose on the building form: those holding the pin, and those whose
# centre lies this close. The demo's drawn zones reach 2 to 5 km from their centres (大唐袜业
# 2 km, 次坞 4 km, 诸暨经济开发区 5 km), so a building at the edge of a zone whose boundary is
# not known can still be put in it, while the parks of other towns, mostly 10 km and more
# away, are not offered.
PARK_CHOICE_KM = 5.0
STALE_AFTER_DAYS = 30  # a unit unconfirmed this long shows 待确认 and ranks below confirmed ones
EXPIRED_AFTER_DAYS = 90  # a unit unconfirmed this long leaves the public search
MAX_AREA_M2 = 100_000  # a unit's area, and a search's area bounds: more is a typo, not an office
# Requests one client may make (Flask-Limiter syntax): enough for a person, too few for a script.
SIGN_IN_LIMIT = "10 per minute"  # registration posts, reset and verification links
# Failed sign-ins (wrong password, bad form): per address, per account from one address, and per
# account from everywhere. One address cannot lock out an account: it runs into its own two
# limits long before the account's, so the right password from elsewhere still works; many
# addresses together only slow the account to SIGN_IN_ACCOUNT_LIMIT guesses.
SIGN_IN_ADDRESS_LIMIT = "30 per minute"
SIGN_IN_PAIR_LIMIT = "5 per minute"
SIGN_IN_ACCOUNT_LIMIT = "20 per minute"
INQUIRY_LIMIT = "5 per minute;30 per day"
REPORT_LIMIT = "5 per minute;20 per day"
GEOCODE_LIMIT = "60 per minute"  # the pin map's address preview
# 显示电话 on a building or an agent's page: a tenant calls a few agents, a scraper wants them all.
PHONE_REVEAL_LIMIT = "10 per minute;60 per day"
# Emailed links: a reset link asked for again from one address, and a verification link again
# by one signed-in user, a few times an hour at most (each answer sends an email).
RESET_LIMIT = "3 per hour;10 per day"
VERIFY_RESEND_LIMIT = "1 per minute;5 per day"
RESET_LINK_HOURS = 1  # a password reset link works this long, and once
VERIFY_LINK_DAYS = 3  # an email verification link works this long


# One Redis serves the rate limits and the page cache, under one key prefix.
_REDIS_URL = os.environ.get("REDIS_URL")
_REDIS_KEY_PREFIX = os.environ.get("REDIS_KEY_PREFIX", "xiezilou:")


def _sqlite_url(instance_path: str) -> str:
    return f"sqlite:///{Path(instance_path) / 'xiezilou.sqlite3'}"


DEFAULT_SITE_URL = f"http://127.0.0.1:{os.environ.get('PORT', '5000')}"


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET)
    # Where the site is, for links that leave it (emails, feeds, the sitemap): never taken from
    # a request's Host, which anyone can forge to point a reset link at their own server.
    SITE_URL = (os.environ.get("SITE_URL") or DEFAULT_SITE_URL).rstrip("/")
    # How many reverse proxies stand in front of the app and append X-Forwarded-For and
    # X-Forwarded-Proto (Werkzeug's ProxyFix trusts that many hops). 0: the headers are ignored
    # and the client is the connection's address, as nobody but a proxy may set them.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # None: SQLite in instance/
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    WTF_CSRF_TIME_LIMIT = None
    # Werkzeug's method for new password hashes (and the stand-in an unknown email is checked
    # against, so that a miss costs what a wrong password does).
    LOGIN_HASH_METHOD = "scrypt"
    # Use WTForms' own translations (app/forms.py sets the zh locale) instead of Flask-Babel.
    WTF_I18N_ENABLED = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER")  # None: instance/uploads
    PHOTO_MAX_BYTES = 8 * 1024 * 1024
    # Where limits are counted: Redis, shared by every worker and server. "memory://" counts
    # per process, which only a single-process server can use (production refuses it unless
    # it is asked for by name).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or _REDIS_URL or "memory://"
    RATELIMIT_KEY_PREFIX = _REDIS_KEY_PREFIX
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = True
    # While that Redis is down, each process counts the limits itself (Flask-Limiter checks
    # the storage again after 1, 2, 4, ... 32 s): looser by the number of processes, never off.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # Every Redis client of the web side (app.redis_clients): how long it waits to connect and
    # for an answer (a local Redis answers in well under a millisecond), and how long a server
    # that failed is skipped before one request tries it again.
    REDIS_CONNECT_TIMEOUT = 0.5
    REDIS_TIMEOUT = 0.5
    REDIS_BREAKER_SECONDS = 5.0
    BOOTSTRAP_SERVE_LOCAL = True
    # Rendered search results and building pages (app.pagecache): shared in Redis when
    # REDIS_URL is set, else kept per worker. Entries are keyed by change stamps, so the timeout
    # only bounds how long a time-based state (a unit turning 待确认 after STALE_AFTER_DAYS)
    # can lag.
    CACHE_TYPE = "RedisCache" if _REDIS_URL else "SimpleCache"
    CACHE_REDIS_URL = _REDIS_URL
    CACHE_DEFAULT_TIMEOUT = 60
    CACHE_THRESHOLD = 500  # SimpleCache: entries per worker (a results fragment is 10-30 KB)
    CACHE_KEY_PREFIX = _REDIS_KEY_PREFIX
    # Entries each worker also keeps, unpickled, in front of the cache above (0: none). A page
    # seen by visitors who are not signed in takes two (the page, and the results or building
    # parts it was drawn from): 400 keep 200 pages, 20-30 MB (a building page and its parts
    # take about 100 KB in memory, a search page and its results 150 KB).
    PAGECACHE_LOCAL_ENTRIES = 400
    # gzip only: fast, and every client has it. Map data and result pages shrink 5-10 times.
    COMPRESS_ALGORITHM = "gzip"
    COMPRESS_LEVEL = 3  # a result page: 6% larger than at 5, in 60% of the time
    COMPRESS_STREAMS = False  # files (assets, photos) are sent as streams; leave them be
    COMPRESS_MIMETYPES = [
        "text/html",
        "application/json",
        "application/geo+json",
        "text/css",
        "application/javascript",
        "text/javascript",
        "application/atom+xml",
        "application/xml",
    ]
    # Map tiles: "osm" (default) or "amap" (高德, drawn in GCJ-02).
    MAP_TILES = os.environ.get("MAP_TILES", "osm")
    # Geocoder: "offline" (gazetteer, default), "nominatim" or "baidu" (needs BAIDU_AK).
    GEOCODER = os.environ.get("GEOCODER", "offline")
    GEOCODER_TIMEOUT = float(os.environ.get("GEOCODER_TIMEOUT", "3"))
    BAIDU_AK = os.environ.get("BAIDU_AK")
    NOMINATIM_USER_AGENT = os.environ.get("NOMINATIM_USER_AGENT", "xiezilou-portal")
    PER_PAGE = PER_PAGE
    # Email (app.mail): MAIL_URL is smtp://user:pass@host:port (STARTTLS when the server offers
    # it) or smtps://… (TLS); without it each email is written to MAIL_OUTBOX as an .eml file.
    MAIL_URL = os.environ.get("MAIL_URL")
    MAIL_FROM = os.environ.get("MAIL_FROM", "绍兴诸暨写字楼网 <noreply@xiezilou.example>")
    MAIL_OUTBOX = os.environ.get("MAIL_OUTBOX")  # None: instance/outbox
    MAIL_TIMEOUT = 30.0  # seconds for one SMTP session; a claim outlives it many times over
    MAIL_MAX_ATTEMPTS = 8  # sends tried before a row is left `failed`
    # Background jobs (app.jobs): on RQ over REDIS_URL, else in the process that enqueued them.
    REDIS_URL = _REDIS_URL
    JOB_QUEUE = os.environ.get("JOB_QUEUE", f"{_REDIS_KEY_PREFIX}jobs")
    JOB_TIMEOUT = 120  # seconds
    JOB_RETRY_INTERVALS = (10, 60, 300, 1800, 7200)  # seconds before each retry of a failed job


class DevelopmentConfig(Config):
    pass


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    CACHE_TYPE = "SimpleCache"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    # Tests make and check hundreds of hashes: a cheap method keeps them from costing seconds;
    # what a hash is for (a miss and a hit cost the same) does not depend on the method.
    LOGIN_HASH_METHOD = "pbkdf2:sha256:1000"
    # Jobs run in the test's process unless a test sets REDIS_URL; emails go to the `mailbox`
    # fixture's server, or to a folder outside the checkout.
    REDIS_URL = None
    MAIL_URL = None
    MAIL_OUTBOX = os.path.join(tempfile.gettempdir(), "xiezilou-test-outbox")
    JOB_RETRY_INTERVALS = (0, 0, 0)


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or _REDIS_URL


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def resolve(config: str | type | dict | None) -> tuple[type, dict]:
    """Return the config class and any overrides for `create_app`."""
    overrides: dict = {}
    if isinstance(config, dict):
        overrides = config
        config = overrides.pop("CONFIG", None)
    if config is None:
        config = os.environ.get("APP_ENV", "development")
    if isinstance(config, str):
        config = CONFIGS[config]
    return config, overrides


def check(app_config: dict, production: bool) -> None:
    """Refuse to run production without a real secret; say where its emails go."""
    if production and app_config.get("SECRET_KEY") in (None, "", DEFAULT_SECRET):
        raise RuntimeError(
            "生产环境必须设置 SECRET_KEY 环境变量 (SECRET_KEY must be set in production)"
        )
    if production and not app_config.get("RATELIMIT_STORAGE_URI"):
        raise RuntimeError(
            "生产环境的访问频率限制需要共享存储：请设置 REDIS_URL（或 RATELIMIT_STORAGE_URI）"
            " (production counts rate limits in Redis: set REDIS_URL, or RATELIMIT_STORAGE_URI;"
            " memory:// counts per worker and suits a single-process server only)"
        )
    if production:
        # A warning, so that it shows under gunicorn's default log level.
        logging.getLogger(__name__).warning("email: %s", describe_mail(app_config))
        if app_config.get("SITE_URL") == DEFAULT_SITE_URL:
            logging.getLogger(__name__).warning(
                "SITE_URL is not set: emailed and feed links point at %s", DEFAULT_SITE_URL
            )


def describe_mail(app_config: dict) -> str:
    """Where emails go, without the password: MAIL_URL's server, or the outbox folder."""
    url = app_config.get("MAIL_URL")
    if not url:
        return f"written to {app_config.get('MAIL_OUTBOX') or 'instance/outbox'}/ (no MAIL_URL)"
    parts = urlsplit(url)
    port = parts.port or (465 if parts.scheme == "smtps" else 25)
    user = f" as {unquote(parts.username)}" if parts.username else ""
    tls = {"smtps": "TLS", "smtp": "STARTTLS when offered"}.get(parts.scheme, "unknown scheme")
    return f"{parts.scheme}://{parts.hostname}:{port}{user} ({tls})"


def database_url(app_config: dict, instance_path: str) -> str:
    url = app_config.get("SQLALCHEMY_DATABASE_URI") or _sqlite_url(instance_path)
    # Heroku-style URLs name the driver "postgres"; SQLAlchemy wants psycopg 3 explicitly.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url
