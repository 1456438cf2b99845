"""Dates on saved portal pages: as pages write them, and, for a page without one, from its
address or id, conservatively."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

# Portal pages print Beijing time; a date taken from elsewhere is read in the same zone.
PAGE_TIME = timezone(timedelta(hours=8))
EARLIEST = date(1995, 1, 1)  # before any Chinese news portal

FULL_WIDTH = str.maketrans("０１２３４５６７８９：／－．　", "0123456789:/-. ")
DATE = re.compile(
    r"(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?"
    r"(?:\s*(\d{1,2})\s*[:时]\s*(\d{2})\s*分?(?:\s*[:]?\s*(\d{2})\s*秒?)?)?"
)
# In an address: 2024-03-15, 2024/03/15, 2024_3_15, or a run of digits that opens with 20240315
# (a date folder, or an id such as 20240315123).
URL_DATE = re.compile(r"(?<!\d)(\d{4})[-/_.](\d{1,2})[-/_.](\d{1,2})(?!\d)")
DIGIT_RUN = re.compile(r"(?<!\d)\d{8,17}(?!\d)")


def normalise(text: str) -> str:
    """Full-width digits and separators as ASCII, for reading dates only."""
    return text.translate(FULL_WIDTH)


def find_date(text: str) -> re.Match | None:
    return DATE.search(normalise(text))


def page_date(match: re.Match) -> datetime:
    """The date and time a page writes; ValueError when it is no real date."""
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    return datetime(year, month, day, hour, minute, second)


def today() -> date:
    return datetime.now(PAGE_TIME).date()


def _plausible(year: int, month: int, day: int) -> date | None:
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found if EARLIEST <= found <= today() else None


def address_date(address: str) -> date | None:
    """The one date an address or id carries, or None when it carries none or several."""
    address = re.sub(r"^[a-z]+://[^/]+", "", address.strip(), flags=re.IGNORECASE)
    found: set[date] = set()
    for match in URL_DATE.finditer(address):
        found.add(_plausible(*map(int, match.groups())))
    for match in DIGIT_RUN.finditer(address):
        digits = match.group()
        found.add(_plausible(int(digits[:4]), int(digits[4:6]), int(digits[6:8])))
    found.discard(None)
    return found.pop() if len(found) == 1 else None


def file_time(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, PAGE_TIME).replace(
        tzinfo=None, second=0, microsecond=0
    )
