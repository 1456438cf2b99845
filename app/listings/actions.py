"""What tenants write: inquiries (and the agent's email about each), reports, favourites and
page views.

Inquiries, reports and favourites follow the services' rule (docs/architecture.md, Transactions):
they change the session and the view commits. Page views are added up and written every few
seconds by ViewCounter, which commits its own batch: the batch holds many earlier requests'
views, not the current request's change."""

from __future__ import annotations

import threading
import time
from collections import Counter

from flask import current_app
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.filters import unit_label
from app.listings.details import UnitRow, public_units
from app.listings.services import BuildingCard, cards
from app.mail import send_email
from app.models import Building, Favorite, Inquiry, Report, Unit, User
from app.models.listings import UnitStatus


class ViewCounter:
    """Page views added up in memory and written in one statement every few seconds.

    A write per page view would make every reader of a building page a writer, and SQLite lets
    one writer in at a time: under load the building page would queue on its own hit counter.
    Each app (each gunicorn worker) keeps one counter; the first view after `FLUSH_SECONDS`, or
    the `FLUSH_VIEWS`th pending view, writes them all, and so does the worker on its way out.
    A killed worker loses at most those seconds' views, which a hit counter can afford.
    """

    FLUSH_SECONDS = 10.0
    FLUSH_VIEWS = 500

    def __init__(self) -> None:
        self.pending: Counter[int] = Counter()
        self.lock = threading.Lock()
        self.last_flush = time.monotonic()

    def add(self, building_id: int) -> bool:
        """Count one view; True when it is time to flush."""
        with self.lock:
            self.pending[building_id] += 1
            return (
                self.pending.total() >= self.FLUSH_VIEWS
                or time.monotonic() - self.last_flush >= self.FLUSH_SECONDS
            )

    def flush(self) -> int:
        """Write the pending views to the app's database; return how many were written."""
        with self.lock:
            taken, self.pending = self.pending, Counter()
            self.last_flush = time.monotonic()
        if not taken:
            return 0
        table = Building.__table__
        statement = (
            update(table)
            .where(table.c.id == bindparam("building"))
            # A view is not an edit: updated_at keeps its value.
            .values(
                view_count=table.c.view_count + bindparam("views"),
                updated_at=table.c.updated_at,
            )
        )
        try:
            # In id order: two workers flushing at once lock the rows in the same order, so
            # PostgreSQL never finds them waiting on each other (a deadlock).
            rows = [{"building": b, "views": n} for b, n in sorted(taken.items())]
            db.session.execute(statement, rows)
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            with self.lock:  # keep them for the next flush
                self.pending.update(taken)
            raise
        return taken.total()


def _views() -> ViewCounter:
    return current_app.extensions.setdefault("view_counter", ViewCounter())


def count_view(building_id: int) -> None:
    """Count a page view; it reaches the database with the next flush.

    A flush that fails (the database busy or gone) keeps its views for the next one and never
    costs the visitor the page.
    """
    if _views().add(building_id):
        try:
            flush_views()
        except SQLAlchemyError:
            current_app.logger.warning("page views not written yet", exc_info=True)


def flush_views() -> int:
    """Write this process's pending page views now (the agent area, tests, worker exit)."""
    return _views().flush()


def inquiry_units(building: Building, rows: list[UnitRow] | None = None) -> list[tuple[int, str]]:
    """The units an inquiry may be about, as (id, label): the available ones a tenant sees on
    the building page (`rows`, when the page has them already), in its order."""
    rows = public_units(building) if rows is None else rows
    return [(r.unit.id, unit_label(r.unit)) for r in rows if r.unit.status == UnitStatus.AVAILABLE]


def contact_details(user: User) -> tuple[str, str]:
    """The name and mobile a signed-in tenant's next inquiry starts with: those of their last
    inquiry, else their account's (a name longer than the form's 20 characters is left out)."""
    last = db.session.execute(
        select(Inquiry.name, Inquiry.mobile)
        .where(Inquiry.user_id == user.id)
        .order_by(Inquiry.id.desc())
        .limit(1)
    ).first()
    if last is not None:
        return last.name, last.mobile
    return (user.name if len(user.name) <= 20 else ""), (user.mobile or "")


def create_inquiry(
    building: Building, data: dict, user_id: int | None, unit_id: int | None = None
) -> Inquiry:
    """Store an inquiry about the building, or one of its units (checked: the form offers only
    the building's available ones, and a unit id from elsewhere is refused here too)."""
    if unit_id is not None:
        unit = db.session.get(Unit, unit_id)
        if unit is None or unit.building_id != building.id:
            raise ValueError("the unit is not in this building")
    inquiry = Inquiry(
        building_id=building.id,
        unit_id=unit_id,
        user_id=user_id,
        name=data["name"].strip(),
        mobile=data["mobile"].strip(),
        message=data["message"].strip(),
        preferred_time=(data.get("preferred_time") or "").strip() or None,
    )
    db.session.add(inquiry)
    db.session.flush()  # the id names the email to the agent
    return inquiry


def notify_agent(inquiry: Inquiry, inbox_url: str) -> bool:
    """Email the building's agent about a new inquiry, with the tenant's full mobile (the agent
    needs it to call back) and a link to their inbox; False when the building has no agent with
    an address. The email is stored in this transaction and sent after the caller commits."""
    building = db.session.get(Building, inquiry.building_id)
    agent = db.session.get(User, building.owner_id) if building.owner_id else None
    if agent is None or not agent.email:
        return False
    unit = db.session.get(Unit, inquiry.unit_id) if inquiry.unit_id else None
    return send_email(
        agent.email,
        "inquiry_new",
        key=f"inquiry:{inquiry.id}",
        subject=f"新留言：{building.name} · {inquiry.name}",
        agent=agent,
        building=building,
        inquiry=inquiry,
        unit=unit_label(unit) if unit else None,
        inbox_url=inbox_url,
    )


def create_report(building: Building, reason: str, note: str) -> Report:
    report = Report(building_id=building.id, reason=reason, note=note.strip())
    db.session.add(report)
    return report


def is_favorite(user_id: int, building_id: int) -> bool:
    return (
        db.session.scalar(
            select(Favorite.id).where(
                Favorite.user_id == user_id, Favorite.building_id == building_id
            )
        )
        is not None
    )


def toggle_favorite(user_id: int, building_id: int) -> bool:
    """Add or remove a favourite; return True when it was added."""
    existing = db.session.scalar(
        select(Favorite).where(Favorite.user_id == user_id, Favorite.building_id == building_id)
    )
    if existing is not None:
        db.session.delete(existing)
        return False
    db.session.add(Favorite(user_id=user_id, building_id=building_id))
    return True


def favorite_cards(user_id: int) -> list[BuildingCard]:
    buildings = db.session.scalars(
        select(Building)
        .join(Favorite, Favorite.building_id == Building.id)
        .where(Favorite.user_id == user_id, Building.status == "published")
        .order_by(Favorite.created_at.desc())
    ).all()
    return cards(list(buildings))
