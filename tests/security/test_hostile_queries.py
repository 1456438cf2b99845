"""Hostile query strings on every searchable page: no 500, no unescaped echo, no writes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.extensions import db
from app.listings.forms import SearchForm
from tests.security import hostile
from tests.security.conftest import row_counts

SEARCH = sorted(SearchForm()._fields)
PAGES = {
    "/listings/": SEARCH,
    "/api/listings": [*SEARCH, "crs"],
    "/news/": ["page"],
    "/news/category/{category}": ["page"],
    "/listings/compare": ["ids", "near"],
    "/accounts/login": ["next"],
}
# The answers each page may give to a bad query (a message on the page, never a 500).
ANSWERS = {"/news/": (200, 400, 404), "/news/category/{category}": (200, 400, 404)}


def queries(names: list[str]):
    pair = st.tuples(st.sampled_from(names), hostile.hostile_value)
    raw = st.tuples(st.sampled_from(names), st.sampled_from(hostile.RAW_BAD_UTF8))
    return st.tuples(st.lists(pair, max_size=5), st.lists(raw, max_size=1))


@pytest.fixture
def places(app):
    """The gazetteer, so that `near` can name a real place."""
    from app.demo import loader
    from app.demo.parks import PARKS
    from app.demo.places import PLACES

    found = loader.load_places(PLACES)
    loader.load_parks(PARKS, found)
    db.session.commit()


@pytest.mark.parametrize("page", sorted(PAGES))
def test_hostile_query_strings(client, world, places, page):
    url = page.format(**world.ids)
    before = row_counts()

    @hostile.RUN
    @given(queries(PAGES[page]))
    def check(query):
        pairs, raw = query
        text = hostile.encode(pairs) + b"".join(f"&{k}={v}".encode() for k, v in raw)
        hostile.TRIED[f"query {page}"] += 1
        response = client.get(url, query_string=text.decode("ascii"))
        assert response.status_code in ANSWERS.get(page, (200, 400)), response.status_code
        if page.startswith("/api/"):
            body = json.loads(response.get_data(as_text=True))
            assert body["error"] if response.status_code == 400 else body["type"]
        else:
            hostile.assert_safe(response, [v for _k, v in pairs])

    check()
    assert row_counts() == before
