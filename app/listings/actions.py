"""What tenants write: inquiries, reports, favourites and page views. Each call commits."""

from __future__ import annotations

from sqlalchemy import select, update

from app.extensions import db
from app.listings.services import BuildingCard, cards
from app.models import Building, Favorite, Inquiry, Report


def count_view(building_id: int) -> None:
    """Count a page view without touching the building's updated_at."""
    db.session.execute(
        update(Building)
        .where(Building.id == building_id)
        .values(view_count=Building.view_count + 1, updated_at=Building.updated_at)
    )
    db.session.commit()


def create_inquiry(building: Building, data: dict, user_id: int | None) -> Inquiry:
    inquiry = Inquiry(
        building_id=building.id,
        user_id=user_id,
        name=data["name"].strip(),
        mobile=data["mobile"].strip(),
        message=data["message"].strip(),
        preferred_time=(data.get("preferred_time") or "").strip() or None,
    )
    db.session.add(inquiry)
    db.session.commit()
    return inquiry


def create_report(building: Building, reason: str, note: str) -> Report:
    report = Report(building_id=building.id, reason=reason, note=note.strip())
    db.session.add(report)
    db.session.commit()
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
        db.session.commit()
        return False
    db.session.add(Favorite(user_id=user_id, building_id=building_id))
    db.session.commit()
    return True


def favorite_cards(user_id: int) -> list[BuildingCard]:
    buildings = db.session.scalars(
        select(Building)
        .join(Favorite, Favorite.building_id == Building.id)
        .where(Favorite.user_id == user_id, Building.status == "published")
        .order_by(Favorite.created_at.desc())
    ).all()
    return cards(list(buildings))
