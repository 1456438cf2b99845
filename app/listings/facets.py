"""What a building's available units offer, summed up on the building so filters can pass
buildings over without reading their units.

`rent_low` / `rent_high` hold the range of their rents; `unit_kinds` has one bit per kind of
unit (出租 or 出售, by decoration) that at least one available unit is. A search tests these
first, then its exact conditions on the units of the buildings left. Kept current with the
ranking by app.listings.fulltext.refresh_ranking.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import case

from app.models import Building, Unit
from app.models.listings import DECORATIONS

DEAL_KEYS = ("rent", "sale")
DECORATION_KEYS = (*DECORATIONS, None)  # None: no decoration given (or one no filter offers)


def kind_bit(deal: str, decoration: str | None) -> int:
    if decoration not in DECORATION_KEYS:
        decoration = None
    return 1 << (DEAL_KEYS.index(deal) * len(DECORATION_KEYS) + DECORATION_KEYS.index(decoration))


def kinds_of(pairs: Iterable[tuple[str, str | None]]) -> int:
    """The bits of these (deal, decoration) pairs."""
    bits = 0
    for deal, decoration in pairs:
        bits |= kind_bit(deal, decoration)
    return bits


def kinds_mask(deal: str | None, decoration: str | None) -> int:
    """The bits of every kind a unit matching this deal and decoration (None: any) can be."""
    deals = [deal] if deal else DEAL_KEYS
    decorations = [decoration] if decoration else DECORATION_KEYS
    return kinds_of((d, c) for d in deals for c in decorations)


def unit_kind_bit():
    """SQL: the bit of a unit's kind (summed DISTINCT, the bits of a building's units OR)."""
    whens = [
        ((Unit.deal == deal) & (Unit.decoration == decoration), kind_bit(deal, decoration))
        for deal in DEAL_KEYS
        for decoration in DECORATIONS
    ]
    whens += [(Unit.deal == deal, kind_bit(deal, None)) for deal in DEAL_KEYS]
    return case(*whens, else_=0)


def conditions(params: dict) -> list:
    """Conditions on the building's summary that every building matching `params` meets."""
    found = []
    if params.get("rent_min") is not None:
        found.append(Building.rent_high >= params["rent_min"])
    if params.get("rent_max") is not None:
        found.append(Building.rent_low <= params["rent_max"])
    deal = params.get("deal") or None
    if params.get("rent_min") is not None or params.get("rent_max") is not None:
        deal = deal or "rent"
    decoration = params.get("decoration") or None
    if deal or decoration:
        found.append(Building.unit_kinds.op("&")(kinds_mask(deal, decoration)) != 0)
    return found
