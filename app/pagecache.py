"""Rendered fragments of public pages, cached under the change stamp of what they show.

A search page or a building page is the same for every visitor who asks the same thing, except
for a few per-visitor bits (the CSRF tokens, the CSP nonce, the comparison in the session, the
signed-in user's menu and favourites). Those stay in the page's shell, rendered on every
request; the expensive middle (the queries, the cards, the filters, the pagination; a building's
facts, surroundings and news) is rendered once per question and per version of what it shows,
and served from the cache (Redis when REDIS_URL is set) after that. Changes to listings and to
articles raise their stamps (app.models.stamps), so no entry outlives the data it came from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from flask import current_app

from app.extensions import cache, db
from app.models import stamps

Rendered = tuple[Any, int]  # HTML (or a dict of HTML parts) and the status it was rendered with


def key(kind: str, versions: tuple[int, ...], parts: tuple) -> str:
    """A short key for any question: its parts are hashed, so a long query stays bounded."""
    digest = hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{kind}:{'.'.join(map(str, versions))}:{digest}"


def fragment(
    kind: str, stamp_names: tuple[str, ...], parts: tuple, render: Callable[[], Rendered]
) -> Rendered:
    """The cached fragment for `parts` under the current stamps, or `render()`'s, kept if 200.

    Pages with errors (a bad filter answered 400) are rendered every time: nobody asks the same
    wrong question twice on purpose, and hostile ones must not crowd out the rest. A cache
    that fails (Redis gone) costs speed, never the page.
    """
    entry = key(kind, stamps.current(db.session, *stamp_names), parts)
    try:
        hit = cache.get(entry)
    except Exception:  # noqa: BLE001 - any backend error means "not cached"
        current_app.logger.warning("page cache unavailable", exc_info=True)
        hit = None
    if hit is not None:
        return hit
    html, status = render()
    if status == 200:
        try:
            cache.set(entry, (html, status))
        except Exception:  # noqa: BLE001
            current_app.logger.warning("page cache unavailable", exc_info=True)
    return html, status
