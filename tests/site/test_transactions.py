"""The transaction rule (docs/architecture.md, Transactions): services change the session and
never end its transaction; the view or command that owns the unit of work commits."""

from __future__ import annotations

import ast

from app.config import ROOT

APP = ROOT / "app"
# The two jobs the rule names, which commit their own batch.
OWN_BATCH = {
    ("listings/actions.py", "flush"),
    ("demo/loader.py", "load"),
    ("mail.py", "deliver"),
    ("agent/import_jobs.py", "run"),
}


def _is_caller(relative: str) -> bool:
    """Views, commands and the error handler own a unit of work; everything else serves them."""
    name = relative.rsplit("/", 1)[-1]
    return name in ("views.py", "commands.py", "errors.py") or name.endswith("_views.py")


def _ends_the_session(path) -> set[str]:
    """The functions that call `<...>.session.commit()` or `.rollback()` (a SAVEPOINT's own
    commit or rollback ends only that SAVEPOINT and is allowed)."""
    found = set()
    for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(function, ast.FunctionDef):
            continue
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("commit", "rollback")
                and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr == "session"
            ):
                found.add(function.name)
    return found


def test_no_service_commits_or_rolls_back_the_session():
    modules = [
        p for p in sorted(APP.rglob("*.py")) if not _is_caller(p.relative_to(APP).as_posix())
    ]
    assert len(modules) > 40, "the walk found the services"
    ending = {
        (path.relative_to(APP).as_posix(), name)
        for path in modules
        for name in _ends_the_session(path)
    }
    assert ending == OWN_BATCH
