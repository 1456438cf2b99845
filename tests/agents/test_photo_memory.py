"""Image work is bounded: eight large uploads at once keep a worker process under 300 MB, and a
lossless image too large to decode cheaply is refused before it is decoded."""

from __future__ import annotations

import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from app.agent.photos import TOO_MANY_PIXELS_LOSSLESS, PhotoError, store_image

LIMIT_MB = 300
# Eight threads of one process store the same 40 MP JPEG at once, as eight requests of one
# gthread worker would; the process's peak resident memory is what the worker would reach.
PROBE = """
import sys, threading
from io import BytesIO
from app.agent.photos import store_image
data = open(sys.argv[1], "rb").read()
errors = []
def upload():
    try:
        store_image(BytesIO(data), sys.argv[2], 20 * 1024 * 1024)
    except Exception as error:
        errors.append(error)
threads = [threading.Thread(target=upload) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
assert not errors, errors
# VmHWM, the peak of this process's own memory: ru_maxrss would carry over the parent's peak
# through fork and exec.
status = open("/proc/self/status").read()
print(int(next(l.split()[1] for l in status.splitlines() if l.startswith("VmHWM:"))) // 1024)
"""


@pytest.fixture(scope="module")
def big_jpeg(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("photos") / "40mp.jpg"
    image = Image.effect_noise((7200, 5500), 40).convert("RGB")  # noise: no trivial encoding
    image.save(path, "JPEG", quality=60)
    return path


def test_eight_large_uploads_at_once_stay_under_the_memory_limit(big_jpeg, tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(big_jpeg), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).parents[2],
    )
    assert done.returncode == 0, done.stderr
    peak_mb = int(done.stdout.strip().splitlines()[-1])
    assert peak_mb < LIMIT_MB, f"peak {peak_mb} MB"
    assert len(list(tmp_path.glob("*_thumb.jpg"))) == 8


def test_a_small_file_of_many_lossless_pixels_is_refused_undecoded(tmp_path):
    out = BytesIO()
    Image.new("RGBA", (6300, 6300), (0, 0, 0, 0)).save(out, "PNG", optimize=True)
    assert len(out.getvalue()) < 1_000_000  # small on disk, 160 MB once decoded
    with pytest.raises(PhotoError, match=TOO_MANY_PIXELS_LOSSLESS):
        store_image(BytesIO(out.getvalue()), str(tmp_path), 5 * 1024 * 1024)
