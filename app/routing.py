"""URL converters: an id in a URL is ASCII digits within the database's integer range."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1  # the id columns are INTEGER: 32 bits on PostgreSQL (SQLite's hold more)


class IdConverter(IntegerConverter):
    """`<int:…>` for ids. Werkzeug's own reads any Unicode digit (`/news/１`, `/users/٣`) and
    any length, and an id past the database's range fails in the driver as a 500; here both are
    a 404 like any id that names nothing."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None, max=MAX_ID):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=False)
