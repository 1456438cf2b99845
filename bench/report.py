"""The figures as a flat JSON object and as a table beside their targets."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from bench import ROOT, SEED, Scale, measure, serve
from bench.queries import CATEGORIES, Plan

# The names the issue asks for; the unprefixed figures are SQLite's, postgres_* PostgreSQL's.
REQUIRED = (
    "units", "buildings", "articles", "search_filters_p95_ms", "search_keyword_p95_ms",
    "search_radius_2km_p95_ms", "search_radius_10km_p95_ms", "map_10k_results_ms",
    "map_10k_results_kb", "link_article_5k_chars_ms", "import_articles_per_s",
    "search_page_rps_ratio_to_hello", "building_page_rps_ratio_to_hello",
    "postgres_to_sqlite_search_ratio", "worker_peak_rss_mb", "alert_match_unit_p95_ms",
    "alert_digest_100k_s", "place_page_first_p95_ms", "market_page_first_ms", "rollup_lag_ms",
)  # fmt: skip
PREFIX = {"sqlite": "", "postgresql": "postgres_"}
# Targets as bench/README.md states them (none where it states none): (label, key, op, value).
P95_TARGETS = {"filters": 30, "keyword": 30, "radius_2km": 20, "radius_10km": 50}
ROWS = [
    *[(f"search {c.replace('_', ' ')} p50 ms", f"search_{c}_p50_ms", "", None) for c in CATEGORIES],
    *[
        (f"search {c.replace('_', ' ')} p95 ms", f"search_{c}_p95_ms", "<=", P95_TARGETS[c])
        if c in P95_TARGETS
        else (f"search {c.replace('_', ' ')} p95 ms", f"search_{c}_p95_ms", "", None)
        for c in CATEGORIES
    ],
    ("map data ms (median of 5)", "map_10k_results_ms", "<=", 200),
    ("map data KB (gzip)", "map_10k_results_kb", "", None),
    ("map data KB (uncompressed)", "map_10k_results_raw_kb", "", None),
    ("map features drawn", "map_features", "", None),
    ("map results (total)", "map_results_total", "", None),
    ("link 5k-char article ms", "link_article_5k_chars_ms", "<=", 2),
    ("import articles per s", "import_articles_per_s", ">=", 200),
    ("search page first render p50 ms", "search_page_first_p50_ms", "", None),
    ("building page first render p50 ms", "building_page_first_p50_ms", "", None),
    ("building page first render p95 ms", "building_page_first_p95_ms", "", None),
    ("search page req/s", "search_page_rps", "", None),
    ("building page req/s", "building_page_rps", "", None),
    ("hello page req/s (best run)", "hello_rps", "", None),
    ("hello around search page req/s", "search_page_hello_rps", "", None),
    ("hello around building page req/s", "building_page_hello_rps", "", None),
    ("search page / hello", "search_page_rps_ratio_to_hello", ">=", 0.2),
    ("building page / hello", "building_page_rps_ratio_to_hello", ">=", 0.1),
    ("load errors (non-2xx, socket)", "load_errors", "<=", 0),
    ("worker peak RSS MB", "worker_peak_rss_mb", "<=", 250),
    ("alert: who a unit matches p50 ms", "alert_match_unit_p50_ms", "", None),
    ("alert: who a unit matches p95 ms", "alert_match_unit_p95_ms", "<=", 5),
    ("alert: saved searches matched (median)", "alert_match_searches_median", "", None),
    ("alert: requirements matched (median)", "alert_match_requirements_median", "", None),
    ("alert: daily digests s", "alert_digest_100k_s", "<=", 120),
    ("alert: daily digests (emails)", "alert_digest_emails", "", None),
    ("alert: digest emails per s", "alert_digest_emails_per_s", "", None),
    ("place page first render p50 ms", "place_page_first_p50_ms", "", None),
    ("place page first render p95 ms", "place_page_first_p95_ms", "<=", 30),
    ("market page first render ms", "market_page_first_ms", "<=", 50),
    ("rollup lag p50 ms", "rollup_lag_p50_ms", "", None),
    ("rollup lag ms (worst)", "rollup_lag_ms", "<=", 1000),
    ("rollup rebuild s", "rollup_rebuild_s", "", None),
    ("generation s (all engines)", "generate_s", "", None),
]


def machine() -> dict:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return {
        "machine_nproc": len(os.sched_getaffinity(0)),
        "machine_cpu": model,
        "machine_memory_gb": round(
            os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1
        ),
        "machine_platform": platform.platform(),
        "python_version": platform.python_version(),
        "sqlite_version": sqlite3.sqlite_version,
        "git_commit": _git_commit(),
    }


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return None
    return out.stdout.strip() or None


def engine_figures(prefix: str, f: dict) -> dict:
    """One engine's figures under flat names; a failed measurement leaves its names null."""
    out: dict = {}
    for category in CATEGORIES:
        for name, value in (f.get(f"search_{category}") or {}).items():
            out[f"{prefix}search_{category}_{name}"] = value
    names = {
        "map": {"ms": "map_10k_results_ms", "kb": "map_10k_results_kb",
                "raw_kb": "map_10k_results_raw_kb", "features": "map_features",
                "total": "map_results_total", "api_total": "map_api_total"},
        "link": {"ms": "link_article_5k_chars_ms", "chars": "link_article_chars",
                 "places": "link_article_places", "find_places_ms": "link_find_places_5k_chars_ms"},
        "import": {"per_s": "import_articles_per_s", "count": "import_articles_count",
                   "seconds": "import_articles_s"},
        "alert_match": {"p50_ms": "alert_match_unit_p50_ms", "p95_ms": "alert_match_unit_p95_ms",
                        "max_ms": "alert_match_unit_max_ms", "n": "alert_match_units",
                        "searches_median": "alert_match_searches_median",
                        "requirements_median": "alert_match_requirements_median",
                        "requirements": "alert_match_includes_requirements"},
        "place_page_first": {"p50_ms": "place_page_first_p50_ms",
                             "p95_ms": "place_page_first_p95_ms",
                             "max_ms": "place_page_first_max_ms", "n": "place_page_first_n"},
        "market_page_first": {"ms": "market_page_first_ms"},
        # The worst lag is the figure: the target bounds how late any change shows.
        "rollup_lag": {"max_ms": "rollup_lag_ms", "p50_ms": "rollup_lag_p50_ms",
                       "p95_ms": "rollup_lag_p95_ms", "n": "rollup_lag_changes"},
        "alert_digest": {"seconds": "alert_digest_100k_s", "emails": "alert_digest_emails",
                         "hits": "alert_digest_hits", "pending_hits": "alert_pending_hits",
                         "emails_per_s": "alert_digest_emails_per_s",
                         "delivery_jobs": "alert_digest_delivery_jobs"},
    }  # fmt: skip
    for part, keys in names.items():
        for name, key in keys.items():
            out[prefix + key] = (f.get(part) or {}).get(name)
    out[prefix + "worker_peak_rss_mb"] = f.get("worker_peak_rss_mb")
    for page in ("search_page", "building_page"):
        for name in ("p50_ms", "p95_ms", "n"):
            out[f"{prefix}{page}_first_{name}"] = (f.get(f"{page}_first") or {}).get(name)
        out[f"{prefix}{page}_rps"] = (f.get(page) or {}).get("rps")
        out[f"{prefix}{page}_load_errors"] = (f.get(page) or {}).get("errors")
        # Against the minimal page measured right before and after this one (bench.run).
        hello = (f.get(page) or {}).get("hello_rps")
        out[f"{prefix}{page}_hello_rps"] = hello
        rps = out[f"{prefix}{page}_rps"]
        ratio = round(rps / hello, 4) if rps is not None and hello else None
        out[f"{prefix}{page}_rps_ratio_to_hello"] = ratio
    out[f"{prefix}hello_rps"] = (f.get("hello") or {}).get("rps")
    out[f"{prefix}hello_rps_runs"] = (f.get("hello") or {}).get("runs")
    errors = [out[f"{prefix}{p}_load_errors"] for p in ("search_page", "building_page")]
    out[f"{prefix}load_errors"] = sum(e for e in errors if e is not None)
    return out


def results(scale: Scale, stamps: dict, figures: dict, plan: Plan | None, run_s: float) -> dict:
    first = next(iter(stamps.values()))
    out: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": scale.name,
        "seed": SEED,
        "engines": ",".join(figures),
        **first["counts"],
        "generate_s": max(s.get("generate_s", 0) for s in stamps.values()),
        "reused_databases": all(s.get("reused") for s in stamps.values()),
        "queries_per_category": scale.queries,
        "gunicorn_workers": serve.WORKERS,
        "page_cache": "redis" if serve.shared_cache_url() else "per worker",
        "gunicorn_threads": serve.THREADS,
        "wrk": f"-t{measure.WRK_THREADS} -c{measure.WRK_CONNECTIONS} -d{scale.wrk_seconds}s",
        "map_query": plan.map_query if plan else None,
        "run_s": round(run_s, 1),
        **machine(),
    }
    for engine, f in figures.items():
        out.update(engine_figures(PREFIX[engine], f))
        out[f"{PREFIX[engine]}write_s"] = stamps[engine].get("write_s")
        out[f"{PREFIX[engine]}rollup_rebuild_s"] = stamps[engine].get("rollup_rebuild_s")
    out["postgres_to_sqlite_search_ratio"] = _worst_ratio(out)
    for key in REQUIRED:
        out.setdefault(key, None)
    return out


def _worst_ratio(out: dict) -> float | None:
    ratios = []
    for category in CATEGORIES:
        sqlite, pg = (
            out.get(f"search_{category}_p95_ms"),
            out.get(f"postgres_search_{category}_p95_ms"),
        )
        if sqlite and pg:
            ratios.append(pg / sqlite)
    return round(max(ratios), 2) if ratios else None


def _cell(value, op: str, target) -> str:
    if value is None:
        return "-"
    text = f"{value:,.2f}" if isinstance(value, float) else str(value)
    if op and isinstance(value, int | float) and not _meets(value, op, target):
        text += " !"
    return text


def _meets(value: float, op: str, target: float) -> bool:
    return value <= target if op == "<=" else value >= target


def table(results: dict) -> str:
    """The figures with SQLite and PostgreSQL side by side; "!" marks a missed target."""
    head = ("figure", "SQLite", "PostgreSQL", "target")
    lines = [head]
    for label, key, op, target in ROWS:
        lines.append((
            label, _cell(results.get(key), op, target),
            _cell(results.get("postgres_" + key), op, target),
            f"{op} {target:g}" if op else "",
        ))  # fmt: skip
    ratio = results.get("postgres_to_sqlite_search_ratio")
    lines.append(("PostgreSQL / SQLite, worst p95", "", _cell(ratio, "", None), ""))
    widths = [max(len(str(row[i])) for row in lines) for i in range(4)]
    rule = "  ".join("-" * w for w in widths)
    rendered = [
        "  ".join(
            str(c).ljust(w) if i == 0 else str(c).rjust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in lines
    ]
    counts = (
        f"{results['buildings']:,} buildings, {results['units']:,} units, "
        f"{results['articles']:,} articles; scale {results['scale']}, {results['machine_nproc']} "
        f"cores ({results['machine_cpu']}), run {results['run_s']:.0f} s"
    )
    return "\n".join([counts, rendered[0], rule, *rendered[1:]])
