"""Chinese full-text search over buildings: one token per character, searched as a phrase.

jieba's words miss fragments that cross word boundaries (纺城 in 轻纺城) and SQLite's trigram
tokenizer cannot find two-character words (次坞), so every CJK character is its own token and a
query term is matched as a phrase of its characters. SQLite keeps the tokens in an FTS5 table,
PostgreSQL in a `simple` tsvector with a GIN index; both are kept current at commit time by
app.listings.upkeep, which also raises the listings change stamp that cached search pages follow.

PostgreSQL's index holds no positions, so it matches a phrase by rereading every candidate's
tsvector (25-70 us a row), and a common two-character word (研发) has thousands of candidates.
Its rows also carry `grams`: every run of two to GRAM_MAX consecutive characters, without
positions, in a GIN index of its own. A term of that length is one lexeme there, answered by the
index alone; a longer one is first narrowed by its grams, then matched as a phrase.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime

from flask import g, has_app_context
from sqlalchemy import distinct, func, select, text, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import TextClause

from app.listings import facets, nudges
from app.models import Building, Unit, UnitStatus
from app.models.base import plain_rows
from app.models.listings import DEALS

# Words every building answers to: a query term made of one of them filters nothing.
GENERIC_TERMS = {"写字楼", "办公楼", "办公室", "写字间", "办公", "楼盘", "写字楼盘"}
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN = re.compile(f"[{CJK}]|[0-9a-z]+")
IDEOGRAPH = re.compile(f"[{CJK}]")
GRAM_MAX = 4  # most Chinese words and place names a tenant types are two to four characters
MAX_TERMS = 8
NEVER_CONFIRMED = datetime(2000, 1, 1)


def tokens(value: str) -> list[str]:
    """Split text into search tokens: each CJK character, and runs of ASCII letters or digits."""
    return TOKEN.findall(value.lower())


def query_terms(q: str) -> list[str]:
    """The phrases a query asks for, one per whitespace-separated term with any token in it."""
    phrases = [" ".join(tokens(term)) for term in q.split() if term not in GENERIC_TERMS]
    return [p for p in phrases if p][:MAX_TERMS]


def _ideographs(term_tokens: list[str]) -> bool:
    return all(IDEOGRAPH.fullmatch(t) for t in term_tokens)


def grams(body: str) -> str:
    """The runs of 2 to GRAM_MAX consecutive characters of a document (its `body`, the tokens
    `document` joins), as PostgreSQL tsvector input: distinct lexemes, no positions."""
    found: set[str] = set()
    run: list[str] = []
    for token in [*body.split(), ""]:
        if IDEOGRAPH.fullmatch(token):
            run.append(token)
            continue
        for n in range(2, GRAM_MAX + 1):
            found.update("".join(run[i : i + n]) for i in range(len(run) - n + 1))
        run = []
    return " ".join(sorted(found))


def document(building: Building) -> str:
    """The text a building is found by: its own words, its places' names and its units' terms."""
    parts = [building.name, building.address, building.description or "", building.grade or ""]
    for place in (building.town, building.district, building.park.place if building.park else None):
        if place is not None:
            parts.extend(place.names)
    for unit in building.units:
        parts.extend([DEALS.get(unit.deal, ""), unit.decoration or ""])
    return " ".join(tokens(" ".join(parts)))


def refresh_ranking(session: Session, ids: list[int]) -> None:
    """Set what each building's available units say about it: units_confirmed_at, the latest
    confirmation, and the summary unit filters test first (app.listings.facets).

    A building with none gets NEVER_CONFIRMED rather than NULL, so that one descending index
    orders the ranking on SQLite and PostgreSQL alike (they sort NULLs differently).
    """

    def of_available(figure):
        return (
            select(figure)
            .where(Unit.building_id == Building.id, Unit.status == UnitStatus.AVAILABLE)
            .scalar_subquery()
        )

    session.execute(
        update(Building)
        .where(Building.id.in_(ids))
        .values(
            units_confirmed_at=of_available(
                func.coalesce(func.max(Unit.confirmed_at), NEVER_CONFIRMED)
            ),
            rent_low=of_available(func.min(Unit.rent_per_m2_day)),
            rent_high=of_available(func.max(Unit.rent_per_m2_day)),
            unit_kinds=of_available(func.coalesce(func.sum(distinct(facets.unit_kind_bit())), 0)),
            updated_at=Building.updated_at,
        )
        .execution_options(synchronize_session=False)
    )


def reindex(session: Session, building_ids: Iterable[int]) -> None:
    """Rewrite the index rows and ranking of these buildings (removing deleted ones)."""
    ids = sorted(set(building_ids))
    if not ids:
        return
    conn = session.connection()
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        refresh_ranking(session, chunk)
    postgres = conn.dialect.name == "postgresql"
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        if postgres:
            conn.execute(
                text("DELETE FROM building_fts WHERE building_id = ANY(:ids)"), {"ids": chunk}
            )
        else:
            marks = ",".join(str(int(i)) for i in chunk)
            conn.execute(text(f"DELETE FROM building_fts WHERE rowid IN ({marks})"))
        buildings = session.scalars(
            select(Building)
            .where(Building.id.in_(chunk))
            .options(selectinload(Building.units), selectinload(Building.town))
        ).all()
        rows = [{"id": b.id, "body": document(b)} for b in buildings]
        if rows and postgres:
            for row in rows:
                row["grams"] = grams(row["body"])
            conn.execute(
                text(
                    "INSERT INTO building_fts (building_id, body, grams)"
                    " VALUES (:id, :body, CAST(:grams AS tsvector))"
                ),
                rows,
            )
        elif rows:
            conn.execute(text("INSERT INTO building_fts (rowid, body) VALUES (:id, :body)"), rows)


def reindex_all(session: Session) -> None:
    reindex(session, session.scalars(select(Building.id)).all())


def clear(session: Session) -> None:
    session.execute(text("DELETE FROM building_fts"))


def _match_sql(session: Session, q: str, indexed: bool = True) -> tuple[str, dict] | None:
    """SQL selecting the ids of buildings matching every term of `q`, or None for no terms.

    `indexed=False` (PostgreSQL) writes the tests so that no index serves them, for
    `matching_among`, which tests rows found by their primary key."""
    phrases = query_terms(q)
    if not phrases:
        return None
    if session.get_bind().dialect.name != "postgresql":
        match = " AND ".join(f'"{p}"' for p in phrases)
        return "SELECT rowid FROM building_fts WHERE building_fts MATCH :match", {"match": match}
    tsv, gram_column = (
        ("tsv", "grams")
        if indexed
        else (nudges.unindexed_tsvector("tsv"), nudges.unindexed_tsvector("grams"))
    )
    tests, params = [], {}
    for i, phrase in enumerate(phrases):
        chars = phrase.split(" ")
        if len(chars) > 1 and _ideographs(chars):
            word = "".join(chars)
            covering = {word[j : j + GRAM_MAX] for j in range(max(1, len(word) - GRAM_MAX + 1))}
            params[f"g{i}"] = " & ".join(sorted(covering))
            tests.append(f"{gram_column} @@ CAST(:g{i} AS tsquery)")
            if len(word) <= GRAM_MAX:
                continue  # one gram: the index tells it exactly
            # A longer term: its grams narrow it to the few rows the phrase is tested on.
        params[f"t{i}"] = phrase
        tests.append(f"{tsv} @@ phraseto_tsquery('simple', :t{i})")
    return f"SELECT building_id FROM building_fts WHERE {' AND '.join(tests)}", params


def matching_ids(session: Session, q: str):
    """A selectable of the ids of buildings matching every term of `q`, or None for no terms."""
    found = _match_sql(session, q)
    return None if found is None else text(found[0]).bindparams(**found[1])


COMMON = 2000  # matches past which a keyword is common, not rare (app.listings.search plans by it)


def matching_among(session: Session, q: str, ids: list[int]) -> set[int]:
    """Which of these buildings match `q` (PostgreSQL: one index lookup of their rows)."""
    found = _match_sql(session, q, indexed=False)
    if found is None or not ids:
        return set(ids) if found is None else set()
    return {
        building_id
        for (building_id,) in plain_rows(session, *matching_among_statement(session, q, ids))
    }


def matching_among_statement(session: Session, q: str, ids: list[int]) -> tuple[TextClause, dict]:
    """The statement and parameters `matching_among` sends (`q` has terms, `ids` some ids): the
    ids' rows found by primary key, each tested on a tsvector no index serves
    (`nudges.unindexed_tsvector`), where PostgreSQL would otherwise match the phrase over the
    whole full-text index (rechecking every candidate's tsvector) and then keep these."""
    sql, params = _match_sql(session, q, indexed=False)
    if session.get_bind().dialect.name == "postgresql":
        return text(f"{sql} AND building_id = ANY(:among)"), {**params, "among": ids}
    among = text(f"{sql} AND rowid IN (SELECT value FROM json_each(:among))")
    return among, {**params, "among": json.dumps(ids)}


def is_common(session: Session, q: str, threshold: int = COMMON) -> bool:
    """Whether `q` matches more than `threshold` buildings (counting stops just past it)."""
    return len(first_ids(session, q, threshold)) > threshold


def rare_ids(session: Session, q: str) -> list[int] | None:
    """The ids of every building matching `q`, when they are no more than COMMON; else None.

    A short list of ids is what the planners look up best: SQLite, given the match as a
    subquery, walks every published building to test each against it.
    """
    ids = first_ids(session, q, COMMON)
    return None if len(ids) > COMMON else ids


def first_ids(session: Session, q: str, threshold: int) -> list[int]:
    """Up to `threshold` + 1 ids of buildings matching `q`, in one query.

    Asked once per request and keyword: the suggestions of an empty result plan the same
    keyword again with other filters.
    """
    known = g.setdefault("fulltext_common", {}) if has_app_context() else {}
    if (q, threshold) not in known:
        found = first_ids_statement(session, q, threshold)
        ids: list[int] = []
        if found is not None:
            ids = [building_id for (building_id,) in plain_rows(session, *found)]
        known[(q, threshold)] = ids
    return known[(q, threshold)]


def first_ids_statement(session: Session, q: str, threshold: int) -> tuple[TextClause, dict] | None:
    """The statement and parameters `first_ids` sends; None for no terms. On PostgreSQL the
    match is a materialized CTE (`nudges.materialized`): read through the full-text index, never
    by a table scan."""
    found = _match_sql(session, q)
    if found is None:
        return None
    sql, params = found
    if session.get_bind().dialect.name == "postgresql":
        sql = nudges.materialized(sql, "building_id")
    return text(f"{sql} LIMIT :cap"), {**params, "cap": threshold + 1}
