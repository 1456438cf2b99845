"""Keywords: one token per character, matched as a phrase; PostgreSQL's runs of characters."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.extensions import db
from app.listings import fulltext
from app.models import Building
from app.models.base import plain_rows


def test_which_of_some_buildings_match_a_keyword(demo):
    everyone = list(db.session.scalars(select(Building.id)))
    matching = set(db.session.execute(fulltext.matching_ids(db.session, "次坞")).scalars())
    assert matching and len(matching) < len(everyone)
    assert fulltext.matching_among(db.session, "次坞", everyone) == matching
    assert fulltext.matching_among(db.session, "次坞", everyone[:3]) == matching & set(everyone[:3])
    assert fulltext.matching_among(db.session, "次坞", []) == set()


def test_grams_are_the_runs_of_two_to_four_characters():
    assert fulltext.grams("次 坞 镇 a1 临 杭") == "临杭 坞镇 次坞 次坞镇"
    assert fulltext.grams("诸 暨 经 济 开") == " ".join(
        sorted(
            ["诸暨", "暨经", "经济", "济开", "诸暨经", "暨经济", "经济开", "诸暨经济", "暨经济开"]
        )
    )
    assert fulltext.grams("a 5 b") == "" and fulltext.grams("") == ""


def _phrase_matches(term: str) -> set[int]:
    """The buildings whose index text holds the term's tokens side by side, found in Python."""
    wanted = fulltext.tokens(term)
    found = set()
    for b in db.session.scalars(select(Building)):
        have = fulltext.document(b).split()
        if any(have[i : i + len(wanted)] == wanted for i in range(len(have))):
            found.add(b.id)
    return found


@pytest.mark.parametrize(
    "term", ["次坞", "产业园", "临杭产业", "临杭产业园", "次坞镇临杭产业园", "园区", "坞临", "1号"]
)
def test_a_keyword_term_matches_its_characters_side_by_side(demo, term):
    """Whatever the engine and however long the term (one gram, grams narrowing a phrase, or a
    phrase alone), the matches are the buildings whose text has the term's characters in a row."""
    expected = _phrase_matches(term)
    matching = set(db.session.execute(fulltext.matching_ids(db.session, term)).scalars())
    assert matching == expected
    everyone = list(db.session.scalars(select(Building.id)))
    assert fulltext.matching_among(db.session, term, everyone) == expected


def test_a_keywords_first_ids_are_its_matches_up_to_the_limit(demo):
    expected = _phrase_matches("产业园")
    ids = fulltext.first_ids(db.session, "产业园", len(expected) + 5)
    assert set(ids) == expected
    capped = fulltext.first_ids(db.session, "产业园", 1)
    assert len(capped) == min(2, len(expected)) and set(capped) <= expected


def test_two_terms_match_buildings_with_both(demo):
    both = set(db.session.execute(fulltext.matching_ids(db.session, "次坞 临杭产业园")).scalars())
    assert both and both == _phrase_matches("次坞") & _phrase_matches("临杭产业园")


def test_the_migration_fills_grams_as_the_app_writes_them(demo):
    """Migration 0008 computes the grams of existing rows in SQL; they must be the app's."""
    if db.engine.dialect.name != "postgresql":
        # FTS5 keeps positions: SQLite's index gets no grams.
        assert list(db.session.execute(text("SELECT * FROM building_fts LIMIT 0")).keys()) == [
            "body"
        ]
        return
    path = Path(__file__).parents[2] / "migrations" / "versions" / "0008_fulltext_grams.py"
    spec = importlib.util.spec_from_file_location("migration_0008", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    rows = text("SELECT building_id, grams::text FROM building_fts ORDER BY 1")
    written = db.session.execute(rows).all()
    assert any(grams for _, grams in written)
    db.session.execute(text("UPDATE building_fts SET grams = ''"))
    db.session.execute(text(migration.FILL))
    assert db.session.execute(rows).all() == written


def test_plain_rows_are_the_rows_sqlalchemy_would_give(demo):
    """The fast path for ids and numbers returns what the ORM would, as plain tuples."""
    query = select(Building.id, Building.name, Building.lat).order_by(Building.id)
    assert plain_rows(db.session, query) == [tuple(r) for r in db.session.execute(query)]
    sql = text("SELECT id FROM building WHERE id > :low ORDER BY id")
    assert plain_rows(db.session, sql, {"low": 2}) == [
        (i,)
        for i in db.session.scalars(
            select(Building.id).where(Building.id > 2).order_by(Building.id)
        )
    ]
