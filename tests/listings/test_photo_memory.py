"""A burst of photos that decode to huge images, processed at once in a fresh process: the
bombs are refused with a clear code, the rest is processed, the process's peak memory
stays within the photo memory budget, and the memory comes back afterwards."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BUDGET_MIB = 256
# The encoders' buffers come on top of the decoded pixels that the budget covers.
OVERHEAD_MIB = 32

MAKE_FILES = """
import sys
from pathlib import Path
from PIL import Image
from pitchaseat.listings.photos import pixel_budget

out = Path(sys.argv[1])
budget = pixel_budget({budget} * 1024 * 1024, 2)
bomb_side = int(budget ** 0.5) * 2  # a 4x bomb, a few KiB on disk
Image.new("1", (bomb_side, bomb_side)).save(out / "bomb.png", optimize=True)
side = int(budget ** 0.5) - 1  # the largest square PNG the budget allows
Image.new("RGB", (side, side), (200, 30, 30)).save(out / "largest.png", optimize=True)
Image.new("RGB", (6000, 6000), (30, 30, 200)).save(out / "huge.jpg", quality=40)
"""

PROCESS_BURST = """
import asyncio, gc, json, os, sys
from pathlib import Path
from pitchaseat.adapters.workers import BoundedWorkers
from pitchaseat.listings.photo_service import PhotoPipeline

def rss():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

def peak_rss():
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so a child started by a big
    # test worker would report the worker's own high-water mark.
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024

def reset_peak():
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")  # the high-water mark starts again from here

files = Path(sys.argv[1])
uploads = [(files / name).read_bytes() for name in ("bomb.png", "largest.png", "huge.jpg")]

async def main():
    pipeline = PhotoPipeline.within(BoundedWorkers(2), {budget} * 1024 * 1024)
    await pipeline.process(uploads[2])  # warm up: codecs loaded, thread started
    gc.collect()
    baseline = rss()
    reset_peak()
    results = await asyncio.gather(
        *(pipeline.process(data) for data in uploads * 4), return_exceptions=True
    )
    gc.collect()
    await asyncio.sleep(0.2)
    outcomes = [
        getattr(result, "code", None) if isinstance(result, Exception) else "stored"
        for result in results
    ]
    print(json.dumps({{
        "baseline": baseline,
        "peak": peak_rss(),
        "after": rss(),
        "outcomes": outcomes,
    }}))

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def photo_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("photos")
    # In its own process, so that making the files does not count toward the burst's peak.
    subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", MAKE_FILES.format(budget=BUDGET_MIB), str(folder)], check=True
    )
    return folder


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs Linux's /proc")
def test_a_burst_of_huge_photos_stays_within_the_memory_budget(photo_files: Path) -> None:
    assert (photo_files / "bomb.png").stat().st_size < 200_000

    finished = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", PROCESS_BURST.format(budget=BUDGET_MIB), str(photo_files)],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(finished.stdout)

    mib = 1024 * 1024
    assert figures["outcomes"] == ["photo_dimensions_too_large", "stored", "stored"] * 4
    assert figures["peak"] < figures["baseline"] + (BUDGET_MIB + OVERHEAD_MIB) * mib, figures
    assert figures["after"] < figures["baseline"] + OVERHEAD_MIB * mib, figures
