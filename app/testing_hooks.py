"""Test-only hooks for the crash tests; each does nothing unless its environment variable is set.

`pause_point(name)` marks a place inside a write transaction (the news import, the CSV listing
import) or inside a job (an email claimed and not yet sent). When XZL_CRASH_PAUSE_AT is
"NAME:N", the N-th time the process passes `pause_point(NAME)` it writes the file named by
XZL_CRASH_MARKER and sleeps, so that a test can kill the process there and check what was kept
and what is done again. Production never sets the variable."""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

PAUSE_ENV = "XZL_CRASH_PAUSE_AT"
MARKER_ENV = "XZL_CRASH_MARKER"
PAUSE_SECONDS = 120.0  # a test kills the process well before; never hang for good

_passes: Counter[str] = Counter()


def pause_point(name: str) -> None:
    """Pause here, for a test to kill the process, when XZL_CRASH_PAUSE_AT asks for it."""
    spec = os.environ.get(PAUSE_ENV)
    if not spec:
        return
    wanted, _, count = spec.rpartition(":")
    if wanted != name:
        return
    _passes[name] += 1
    if str(_passes[name]) != count:
        return
    marker = os.environ.get(MARKER_ENV)
    if marker:
        Path(marker).write_text(f"{name}:{count}\n")
    time.sleep(PAUSE_SECONDS)
