"""Rendered fragments of public pages, cached under the change stamp of what they show.

A search page or a building page is the same for every visitor who asks the same thing, except
for a few per-visitor bits (the CSRF tokens, the CSP nonce, the comparison in the session, the
signed-in user's menu and favourites). Those stay in the page's shell, rendered on every
request; the expensive middle (the queries, the cards, the filters, the pagination; a building's
facts, surroundings and news) is rendered once per question and per version of what it shows,
and served from the cache (Redis when REDIS_URL is set) after that. Changes to listings and to
articles raise their stamps (app.models.stamps), so no entry outlives the data it came from.

An entry never changes under its key (the key holds the stamps), so each worker also keeps the
entries it served lately in memory (`LocalEntries`): a hot page costs no trip to Redis and no
unpickling, and no copy can go stale.

For a visitor who is not signed in and has no message waiting, the whole page is the same as
every such visitor's but for the CSRF token and the CSP nonce: `page` keeps it rendered with
stand-ins for those two (`NONCE_HOLE`, `TOKEN_HOLE`) and fills in the visitor's own on every
request, so a hit renders no template at all.
"""

from __future__ import annotations

import hashlib
import re
import struct
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app import redis_clients
from app.extensions import cache, db
from app.models import stamps
from app.security import csp_nonce

Rendered = tuple[Any, int]  # HTML (or a dict of HTML parts) and the status it was rendered with


def key(kind: str, versions: tuple[int, ...], parts: tuple) -> str:
    """A short key for any question: its parts are hashed, so a long query stays bounded."""
    digest = hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{kind}:{'.'.join(map(str, versions))}:{digest}"


class LocalEntries:
    """The last `size` entries a worker served, least recently used out first; thread-safe
    (gunicorn's threads share it)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[str, Rendered] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, entry: str) -> Rendered | None:
        with self._lock:
            found = self._entries.get(entry)
            if found is not None:
                self._entries.move_to_end(entry)
            return found

    def put(self, entry: str, value: Rendered) -> None:
        if self.size <= 0:
            return
        with self._lock:
            self._entries[entry] = value
            self._entries.move_to_end(entry)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


def init_app(app: Flask) -> None:
    app.extensions["pagecache_local"] = LocalEntries(app.config["PAGECACHE_LOCAL_ENTRIES"])


def _local() -> LocalEntries:
    return current_app.extensions["pagecache_local"]


def fragment(
    kind: str, stamp_names: tuple[str, ...], parts: tuple, render: Callable[[], Rendered]
) -> Rendered:
    """The cached fragment for `parts` under the current stamps, or `render()`'s, kept if 200.

    Pages with errors (a bad filter answered 400) are rendered every time: nobody asks the same
    wrong question twice on purpose, and hostile ones must not crowd out the rest. A cache
    that fails (Redis gone) costs speed, never the page, and a Redis that failed is skipped for
    a few seconds (app.redis_clients). The links in a fragment start with the root the app is
    served under, so that root is part of the question.
    """
    entry = key(kind, stamps.current(db.session, *stamp_names), (request.script_root, *parts))
    local = _local()
    hit = local.get(entry)
    if hit is not None:
        return hit
    try:
        hit = cache.get(entry)
    except Exception as error:  # noqa: BLE001 - any backend error means "not cached"
        _unavailable(error)
        hit = None
    if hit is not None:
        local.put(entry, hit)
        return hit
    html, status = render()
    if status == 200:
        local.put(entry, (html, status))
        try:
            cache.set(entry, (html, status))
        except Exception as error:  # noqa: BLE001
            _unavailable(error)
    return html, status


def _unavailable(error: Exception) -> None:
    """Log a failure of the cache, unless it is Redis being down or skipped: its breaker logs
    that once for the outage (app.redis_clients), where a line per page would flood the log."""
    if not redis_clients.is_outage(error):
        current_app.logger.warning("page cache unavailable", exc_info=error)


# Stand-ins for the per-visitor values of a shared page; NUL never occurs in a page otherwise
# (requests carrying one are refused, app.security).
NONCE_HOLE = "\x00csp-nonce\x00"
TOKEN_HOLE = "\x00csrf-token\x00"


def page(kind: str, stamp_names: tuple[str, ...], parts: tuple, render: Callable[[], Rendered]):
    """The whole page `render()` draws, shared by every visitor who is not signed in and has no
    flashed message waiting (cached as `fragment` does, under the full path asked for too);
    anyone else gets `render()`'s own."""
    if current_user.is_authenticated or session.get("_flashes"):
        return fill(*render())
    parts = (request.full_path, *parts)
    shared, status = fragment(f"{kind}:shared", stamp_names, parts, lambda: _shared(render))
    return shared.response(status)


def _shared(render: Callable[[], Rendered]) -> Rendered:
    html, status = _with_holes(render)
    return SharedPage.of(html, current_app.config["COMPRESS_LEVEL"]), status


def _with_holes(render: Callable[[], Rendered]) -> Rendered:
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    saved = {name: g.pop(name, None) for name in ("csp_nonce", field)}
    g.csp_nonce = NONCE_HOLE
    setattr(g, field, TOKEN_HOLE)
    try:
        return render()
    finally:
        for name, value in saved.items():
            g.pop(name, None)
            if value is not None:
                setattr(g, name, value)


def fill(html: str, status: int) -> Rendered:
    """`html` with this visitor's nonce and CSRF token in place of the stand-ins (a fragment
    rendered inside a shared page may carry them too)."""
    if "\x00" in html:
        for hole, value in _visitor_values(TOKEN_HOLE in html).items():
            html = html.replace(hole, value)
    return html, status


def _visitor_values(token: bool) -> dict[str, str]:
    """This visitor's values for the stand-ins; a CSRF token only if the page holds a form (the
    first token a visitor gets starts their session)."""
    values = {NONCE_HOLE: csp_nonce()}
    if token:
        values[TOKEN_HOLE] = generate_csrf()
    return values


# Gzip around raw deflate blocks: a header without name or time, and an empty final block.
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
DEFLATE_END = zlib.compressobj(wbits=-15).flush()
HOLE = re.compile(f"({re.escape(NONCE_HOLE)}|{re.escape(TOKEN_HOLE)})")


@dataclass(frozen=True)
class SharedPage:
    """A whole page with stand-ins, kept as its text between them, each piece also compressed
    once: a visitor's gzip response is those pieces with the visitor's values between them, in
    stored (uncompressed) deflate blocks, so a cache hit compresses nothing: gzip of the whole
    page would cost about a quarter of the time a cached search page takes."""

    texts: tuple[bytes, ...]  # the page's UTF-8 between the stand-ins
    deflated: tuple[bytes, ...]  # each text as raw deflate blocks, ending on a byte boundary
    holes: tuple[str, ...]  # the stand-in after each text but the last

    @classmethod
    def of(cls, html: str, level: int) -> SharedPage:
        pieces = HOLE.split(html)
        texts = tuple(piece.encode("utf-8") for piece in pieces[0::2])
        return cls(texts, tuple(_deflate(text, level) for text in texts), tuple(pieces[1::2]))

    def response(self, status: int):
        values = _visitor_values(TOKEN_HOLE in self.holes)
        filled = [values[hole].encode() for hole in self.holes]
        if request.accept_encodings["gzip"] and current_app.config.get("COMPRESS_REGISTER", True):
            headers = {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
            return self.gzip(filled), status, headers
        pairs = zip(self.texts, [*filled, b""], strict=True)
        return b"".join(text + value for text, value in pairs), status

    def gzip(self, values: list[bytes]) -> bytes:
        out, crc, size = [GZIP_HEADER], 0, 0
        for text, deflated, value in zip(self.texts, self.deflated, [*values, b""], strict=True):
            out += [deflated, _stored(value)]
            crc = zlib.crc32(value, zlib.crc32(text, crc))
            size += len(text) + len(value)
        out += [DEFLATE_END, struct.pack("<II", crc, size & 0xFFFFFFFF)]
        return b"".join(out)


def _deflate(text: bytes, level: int) -> bytes:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(text) + compressor.flush(zlib.Z_SYNC_FLUSH)


def _stored(value: bytes) -> bytes:
    """`value` as stored deflate blocks (each up to 65,535 bytes), after a byte boundary."""
    blocks = [value[i : i + 0xFFFF] for i in range(0, len(value), 0xFFFF)]
    return b"".join(b"\x00" + struct.pack("<HH", len(b), len(b) ^ 0xFFFF) + b for b in blocks)
