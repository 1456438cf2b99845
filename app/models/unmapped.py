"""What the migrations make by hand and the models do not map, for Alembic's autogenerate to
leave alone: the full-text and spatial index tables, and the indexes on an expression."""

from __future__ import annotations

from app.models.listings import PLACE_RANK_INDEXES

# Tables that migrations create by hand (full-text and spatial indexes).
UNMAPPED_PREFIXES = ("building_fts", "building_rtree", "article_fts")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Tell autogenerate to skip the hand-made index tables, and the indexes on an expression,
    which SQLAlchemy cannot reflect on SQLite (and which PostgreSQL does not have):
    app.models.listings.place_rank_index, made by migration 0014."""
    if type_ == "index" and name in PLACE_RANK_INDEXES:
        return False
    return not (type_ == "table" and name and name.startswith(UNMAPPED_PREFIXES))
