"""Import cycles in `app/`: `.venv/bin/python -m tests.import_cycles` prints them, exits 1 if any.

grimp reads every import statement of every module without running it: top-level imports,
imports inside functions and those under `if TYPE_CHECKING:` alike, so an import moved into a
function to dodge a cycle still counts. Two checks:

- modules: no module imports itself through others (app.db_setup -> app.models.stamps ->
  app.db_setup was one);
- packages: no two siblings depend on each other in both directions, counting every module
  inside each (app.news -> app.listings and app.listings -> app.news would be one), at every
  level: app's own packages and modules, then each package's children.

What it does not see: an import written as a string (importlib, Flask's `--app wsgi`), and the
implicit import of a package's `__init__` when one of its modules is imported.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping

import grimp

PACKAGE = "app"


def _cycles(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = len(index)
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(sorted(edges.get(succ, ())))))
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return sorted(found)


def _child(module: str, parent: str) -> str | None:
    """The child of `parent` that `module` is or lies inside, or None if outside it."""
    if not module.startswith(parent + "."):
        return None
    return f"{parent}.{module[len(parent) + 1 :].split('.')[0]}"


def find_cycles(package: str = PACKAGE) -> list[str]:
    """Every cycle, described with the imports that make it (empty when there is none)."""
    graph = grimp.build_graph(package, cache_dir=None)
    imports = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    report = []
    for component in _cycles(imports):
        lines = [
            f"  {a} imports {b} (line {', '.join(str(d['line_number']) for d in details)})"
            for a in component
            for b in sorted(imports[a] & set(component))
            for details in [graph.get_import_details(importer=a, imported=b)]
        ]
        cycle = " <-> ".join(component)
        report.append(f"modules: {cycle}\n" + "\n".join(lines))
    for parent in sorted(m for m in graph.modules if graph.find_children(m)):
        between: dict[str, set[str]] = {}
        why: dict[tuple[str, str], list[str]] = {}
        for importer, imported in ((a, b) for a in imports for b in imports[a]):
            a, b = _child(importer, parent), _child(imported, parent)
            if a and b and a != b:
                between.setdefault(a, set()).add(b)
                why.setdefault((a, b), []).append(f"{importer} imports {imported}")
        for component in _cycles(between):
            lines = [
                f"  {a} -> {b}: {'; '.join(sorted(why[a, b])[:3])}"
                for a in component
                for b in sorted(between[a] & set(component))
            ]
            cycle = " <-> ".join(component)
            report.append(f"packages in {parent}: {cycle}\n" + "\n".join(lines))
    return report


def main() -> int:
    cycles = find_cycles()
    for cycle in cycles:
        print(cycle)
    if not cycles:
        print(f"no import cycle in {PACKAGE}/ (modules, and sibling packages at every level)")
    return 1 if cycles else 0


if __name__ == "__main__":
    sys.exit(main())
