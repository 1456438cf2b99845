"""Every way the search steers a database's planner, each one named and explained once.

Each function writes a condition, a subquery or a join so that the planner takes the path the
search was designed for (docs/search.md names the strategy each serves, its index and the test
that pins it). The decision of *when* to apply one belongs to the plan
(app.listings.search.planner);
these say only *what* the SQL looks like and why that shape steers the planner. The module
sits beside the search package, not in it, because the spatial and full-text modules the package
builds on use it too.
"""

from __future__ import annotations

from itertools import product

from sqlalchemy import ARRAY, Integer, Select, String, any_, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.selectable import Join

from app.models.listings import PLACE_RANK_OFFSET


def unindexed(expr):
    """`expr` written so that no index serves it: `expr + 0`, or `expr || ''` for text, with the
    zero or the empty string a bound parameter.

    SQLite uses an index for a column, or for an expression exactly as the index wrote it (a
    literal `+ 0`, `in_rank_index`); a column plus a bound parameter is neither. The test still
    holds row by row, but the planner no longer starts a scan from it, so another index (the
    ranking's, a rare keyword's ids, a place's) leads."""
    if isinstance(expr.type, String):
        return expr + ""
    return expr + 0


def in_rank_index(column):
    """A place column written as SQLite's place ranking indexes write it (`<place>_id + 0`,
    the zero a literal: models.listings.place_rank_index), so that only the ranking walk of that
    place reads that index. A scan for the first matches keeps the plain column, which the place's
    facets index serves, and a walk's other place tests use `unindexed` (a bound zero)."""
    return column + PLACE_RANK_OFFSET


def no_semi_join(probe: Select) -> Select:
    """A correlated EXISTS probe that PostgreSQL runs once per outer row (`OFFSET 0`).

    Without it PostgreSQL turns the probe into a semi-join and hashes every unit matching the
    filters in the whole region; with it the probe stays a lookup of each building's units in
    the unit index by building (ix_unit_building_status). PostgreSQL never pulls up a subquery
    that has an OFFSET."""
    return probe.offset(0)


def one_array_parameter(column, ids: list[int]):
    """`column = ANY(:ids)` with the ids as one array parameter (PostgreSQL): an IN list of two
    thousand parameters costs PostgreSQL more to plan than to run."""
    return column == any_(literal(ids, ARRAY(Integer)))


def materialized(sql: str, column: str) -> str:
    """`sql` as a MATERIALIZED CTE read for `column` (PostgreSQL), so that a LIMIT around it does
    not turn its plan into a table scan.

    Given a LIMIT and a common word, PostgreSQL expects a table scan to stop early and prefers
    it, testing each row by detoasting its text. A materialized CTE is planned for all its rows,
    which only the full-text index finds cheaply, and is still read only as far as the LIMIT."""
    return f"WITH found AS MATERIALIZED ({sql}) SELECT {column} FROM found"


def unindexed_tsvector(column: str) -> str:
    """A tsvector column in SQL text, written so that no index serves a match on it
    (`coalesce(column, ''::tsvector)`): rows already found by their primary key are tested one
    by one, instead of the phrase being matched over the whole full-text index first."""
    return f"coalesce({column}, ''::tsvector)"


class ReadFirst(Join):
    """A join that SQLite runs in the order written (CROSS JOIN): its left side is the outer
    loop. SQLite never reorders the tables of a CROSS JOIN."""

    inherit_cache = True


@compiles(ReadFirst, "sqlite")
def _cross_join(join: ReadFirst, compiler, asfrom=False, from_linter=None, **kw) -> str:
    """The compiler's own join (SQLCompiler.visit_join) with CROSS JOIN for JOIN."""
    if from_linter is not None:  # what the compiler's own joins tell its cartesian-product check
        from_linter.edges.update(product(join.left._from_objects, join.right._from_objects))
    left = join.left._compiler_dispatch(compiler, asfrom=True, from_linter=from_linter, **kw)
    right = join.right._compiler_dispatch(compiler, asfrom=True, from_linter=from_linter, **kw)
    onclause = join.onclause._compiler_dispatch(compiler, from_linter=from_linter, **kw)
    return f"{left} CROSS JOIN {right} ON {onclause}"


def read_first(left, right, onclause) -> ReadFirst:
    """`left` joined to `right`, `left` read first (SQLite: CROSS JOIN)."""
    return ReadFirst(left, right, onclause)
