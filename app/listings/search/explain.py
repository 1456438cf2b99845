"""The database's plan of a query exactly as the app sends it, for plan tests and the bench.

The statement is executed through the session's connection as usual, compiled by its dialect
with its parameters bound by the driver, and only rewritten at the cursor into an EXPLAIN: a
value written into the SQL (literal binds) can match an index that a parameter does not, so
the plan of a literal query need not be the plan the app gets.
"""

from __future__ import annotations

from sqlalchemy import event

from app.extensions import db


def explain(statement, params: dict | None = None, session=None) -> list[str]:
    """The plan's steps: SQLite's EXPLAIN QUERY PLAN details, or PostgreSQL's EXPLAIN lines."""
    conn = (session or db.session).connection()
    prefix = "EXPLAIN QUERY PLAN " if conn.dialect.name == "sqlite" else "EXPLAIN "

    def rewrite(_conn, _cursor, sql, parameters, _context, _executemany):
        return prefix + sql, parameters

    event.listen(conn, "before_cursor_execute", rewrite, retval=True)
    try:
        result = conn.execute(statement, params)
        try:
            rows = result.cursor.fetchall()
        finally:
            result.close()
    finally:
        event.remove(conn, "before_cursor_execute", rewrite)
    return [str(row[-1]) if len(row) > 1 else str(row[0]) for row in rows]


def explained(statement, params: dict | None = None, session=None) -> str:
    """`explain`'s steps as one string, one step a line."""
    return "\n".join(explain(statement, params, session))
