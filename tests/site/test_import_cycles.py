"""No import cycle in app/ (tests/import_cycles.py; `.venv/bin/python -m tests.import_cycles`)."""

from __future__ import annotations

import textwrap

from tests.import_cycles import find_cycles


def test_app_has_no_import_cycle():
    assert find_cycles() == []


def test_a_cycle_through_an_import_inside_a_function_is_found(tmp_path, monkeypatch):
    package = tmp_path / "cyclic"
    (package / "inner").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "inner" / "__init__.py").write_text("")
    (package / "a.py").write_text("from cyclic import b\n")
    (package / "b.py").write_text(
        textwrap.dedent(
            """
            def late():
                from cyclic import a
            """
        )
    )
    (package / "inner" / "c.py").write_text("import cyclic.d\n")
    (package / "d.py").write_text("from cyclic.inner import c\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    found = find_cycles("cyclic")
    assert any(line.startswith("modules: cyclic.a <-> cyclic.b") for line in found)
    assert any(line.startswith("modules: cyclic.d <-> cyclic.inner.c") for line in found)
    assert any(line.startswith("packages in cyclic: cyclic.d <-> cyclic.inner") for line in found)
