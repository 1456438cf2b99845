"""The synthetic market's rent history: 24 months of events for every unit, from the app's own
generator (app.market.synth, which the demo uses too), as rows for the bulk path.

The rollups are then built from the history by the app's own `rebuild` (bench.load), so the
bench measures pages over the figures the app itself would keep.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from app.market.synth import EVENT_COLUMNS, SynthUnit, history_rows

COLUMNS = {"unit_event": ("id", *EVENT_COLUMNS)}

# Where the tuples of bench.synth put what a unit's history needs.
B_ID, B_TOWN, B_GRADE, B_STATUS = 0, 7, 10, 17
U_ID, U_BUILDING, U_DEAL, U_AREA, U_RENT, U_PRICE, U_STATUS = 0, 1, 2, 4, 5, 6, 8


class History:
    """The events of the units of each batch of buildings, numbered across batches."""

    def __init__(self, seed: int, now: datetime) -> None:
        self.seed = seed
        self.now = now
        self.next_id = 1

    def rows(self, buildings: list[tuple], units: list[tuple]) -> list[tuple]:
        return list(self._rows(buildings, units))

    def _rows(self, buildings: list[tuple], units: list[tuple]) -> Iterator[tuple]:
        of = {b[B_ID]: b for b in buildings}
        synth_units = (
            SynthUnit(
                u[U_ID], u[U_BUILDING], u[U_DEAL], u[U_AREA], u[U_RENT], u[U_PRICE], u[U_STATUS],
                of[u[U_BUILDING]][B_STATUS] == "published",
                f"{of[u[U_BUILDING]][B_TOWN]}:{of[u[U_BUILDING]][B_GRADE]}",
            )
            for u in units
        )  # fmt: skip
        for event in history_rows(synth_units, self.seed, self.now):
            yield (self.next_id, *event)
            self.next_id += 1
