"""What happens at commit time, in one ordered list: every listener on the Session and on models.

SQLAlchemy's Session events are global (every app in the process shares the Session class) and
run in the order they were registered. Registering them here, in this order, from the app
factory, means their order is written down once and none of them exists only because some
module happened to be imported. docs/architecture.md explains each and why its position matters.

Engine-level hooks (SQLite's pragmas on connect, BEGIN before a SAVEPOINT) belong to each app's
engine and stay in app.db_setup, which the factory calls too; ENGINE_HOOKS lists them here so
that this module names everything the database layer does on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session

from app import db_setup, mail
from app.alerts import changes as alert_changes
from app.geo import cache as gazetteer_cache
from app.listings import upkeep
from app.market import history as market_history
from app.models import Park, Place, locking, stamps


@dataclass(frozen=True)
class Effect:
    target: type  # Session, or a model class for mapper events
    event: str
    listener: Callable
    why: str  # one line; docs/architecture.md has the full table


EFFECTS: tuple[Effect, ...] = (
    Effect(
        Session,
        "before_flush",
        locking.lock_buildings_of_changed_units,
        "PostgreSQL: lock the buildings of changed units before their units are written",
    ),
    Effect(
        Session,
        "before_flush",
        alert_changes.note_before_flush,
        "note what the units and buildings a flush changes were, before it writes them",
    ),
    Effect(
        Session,
        "before_flush",
        market_history.note_before_flush,
        "note the market state of the units a flush changes (and of changed buildings' units)",
    ),
    Effect(
        Session,
        "after_flush",
        stamps.note_news_changes,
        "note that the transaction wrote articles or their places",
    ),
    Effect(
        Session,
        "after_flush",
        upkeep.remember_changes,
        "note the buildings (and places, parks) the transaction wrote",
    ),
    Effect(
        Session,
        "after_flush",
        alert_changes.note_new_units,
        "note the units the transaction created, for saved searches",
    ),
    Effect(
        Session,
        "after_flush",
        market_history.note_new_units,
        "note the units the transaction created, for the rent history",
    ),
    Effect(
        Session,
        "before_commit",
        stamps.raise_news_stamp,
        "flush, then raise the news stamp: news before listings, always",
    ),
    Effect(
        Session,
        "before_commit",
        market_history.record,
        "write the rent history of the changed units and add the change to the market rollups",
    ),
    Effect(
        Session,
        "before_commit",
        upkeep.apply_changes,
        "reindex the changed buildings' full-text rows and ranking columns, then raise the "
        "listings stamp as the last write before the commit",
    ),
    Effect(
        Session,
        "after_rollback",
        stamps.forget_news_changes,
        "a rolled-back change raises no news stamp",
    ),
    Effect(
        Session,
        "after_rollback",
        upkeep.forget_changes,
        "a rolled-back change is not reindexed, and what was built from its places is stale",
    ),
    Effect(
        Session,
        "after_commit",
        mail.deliver_after_commit,
        "enqueue a delivery job for each email the committed transaction stored",
    ),
    Effect(
        Session,
        "after_soft_rollback",
        mail.forget_after_rollback,
        "a rolled-back transaction sends none of the emails it stored",
    ),
    Effect(
        Session,
        "after_commit",
        alert_changes.match_after_commit,
        "enqueue the matching of the committed transaction's units against saved searches",
    ),
    Effect(
        Session,
        "after_soft_rollback",
        alert_changes.forget_after_rollback,
        "a rolled-back transaction reports nothing to saved searches",
    ),
    Effect(
        Session,
        "after_commit",
        market_history.recompute_after_commit,
        "enqueue the recomputing of the places that committed building moves left or joined",
    ),
    Effect(
        Session,
        "after_soft_rollback",
        market_history.forget_after_rollback,
        "a rolled-back transaction records no history",
    ),
    *(
        Effect(model, name, gazetteer_cache.gazetteer_changed, "what is built from places is stale")
        for model in (Place, Park)
        for name in ("after_insert", "after_update", "after_delete")
    ),
)

# Per engine, registered by app.db_setup.init_app on a SQLite engine.
ENGINE_HOOKS = db_setup.SQLITE_ENGINE_HOOKS


def register() -> None:
    """Register every effect, in order. Idempotent: tests make several apps in one process,
    and a second registration would run each listener twice."""
    for effect in EFFECTS:
        if not event.contains(effect.target, effect.event, effect.listener):
            event.listen(effect.target, effect.event, effect.listener)
