"""The benchmark harness of `make bench`: a synthetic market, measured through HTTP.

`python -m bench.run` generates the market (bench.synth), loads it (bench.load), serves the app
with gunicorn (bench.serve), measures it (bench.measure) and writes bench/results.json.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261127


@dataclass(frozen=True)
class Scale:
    """How big the synthetic market is and how long each measurement runs."""

    name: str
    buildings: int
    units: int
    articles: int
    queries: int  # per latency category
    wrk_seconds: int
    map_results: int  # the map query looks for at least this many results
    import_articles: int
    link_runs: int
    saved_searches: int
    requirements: int
    alert_units: int  # changed units whose matches are timed
    place_pages: int  # distinct district and town pages rendered first, one untimed among them
    lag_units: int  # units changed to time how soon their town's figures show it


SCALES = {
    "full": Scale(
        "full", 100_000, 1_000_000, 20_000, 200, 10, 10_000, 1000, 50, 100_000, 5000, 300, 200, 20
    ),
    "small": Scale("small", 1_000, 10_000, 200, 200, 5, 100, 100, 50, 1000, 50, 300, 100, 20),
    "tiny": Scale("tiny", 200, 2_000, 50, 20, 1, 1, 20, 5, 200, 20, 20, 10, 3),
}


def scale_from_env() -> Scale:
    """The scale named by BENCH_SCALE (full by default), with the saved searches and
    requirements of BENCH_SUBSCRIBERS's scale when it names one: what a unit matches depends
    on the subscribers of its places, not on the size of the market, so the alert figures of
    the full scale can be had over the small market in minutes."""
    name = os.environ.get("BENCH_SCALE", "full").strip() or "full"
    if name not in SCALES:
        raise SystemExit(f"BENCH_SCALE must be one of {', '.join(SCALES)}, not {name!r}")
    scale = SCALES[name]
    subscribers = os.environ.get("BENCH_SUBSCRIBERS", "").strip()
    if subscribers:
        if subscribers not in SCALES:
            raise SystemExit(f"BENCH_SUBSCRIBERS must be one of {', '.join(SCALES)}")
        other = SCALES[subscribers]
        scale = replace(
            scale,
            saved_searches=other.saved_searches,
            requirements=other.requirements,
            alert_units=other.alert_units,
        )
    return scale
