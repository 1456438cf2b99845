"""Values built from the gazetteer and kept per process: the linker's automaton of place names,
the prepared boundaries that place buildings.

Each is kept per database and rebuilt when the gazetteer (places and parks) changes: in this
process at once, since a listener on places and parks (app.effects) counts every change a flush
writes or a rollback undoes; in another process at its next request or command, since a
committed change raises the places stamp (app.listings.upkeep). The stamp is read once per
request or command, not once per point of an import or article of a relink.
"""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock
from typing import Generic, TypeVar

from flask import g, has_app_context

from app.extensions import db
from app.models import stamps

T = TypeVar("T")

_generation = 0  # changes to places and parks this process has written or rolled back


def invalidate() -> None:
    """Every value built from the gazetteer is stale in this process: for a write that no ORM
    event sees (a bulk UPDATE), and for the listener below."""
    global _generation
    _generation += 1


def gazetteer_changed(_mapper, _connection, _target) -> None:
    """After a place or park is inserted, updated or deleted (app.effects)."""
    invalidate()


def version() -> tuple[int, ...]:
    """What a value built from the gazetteer must match: this process's changes and the places
    stamp (every process's committed changes). Remembered for the request or command until
    this process changes the gazetteer again."""
    known = g.get("gazetteer_version") if has_app_context() else None
    if known is not None and known[0] == _generation:
        return known
    found = (_generation, *stamps.current(db.session, stamps.PLACES))
    if has_app_context():
        g.gazetteer_version = found
    return found


class GazetteerCache(Generic[T]):
    """One value built from the gazetteer, per database, rebuilt when the gazetteer changes."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._held: dict[str, tuple[tuple[int, ...], T]] = {}
        self._lock = Lock()

    def get(self) -> T:
        key = str(db.engine.url)
        wanted = version()
        with self._lock:
            held = self._held.get(key)
            if held is None or held[0] != wanted:
                held = self._held[key] = (wanted, self._build())
        return held[1]
