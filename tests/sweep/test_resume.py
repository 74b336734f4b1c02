"""A sweep killed part-way (SIGKILL) and started again ends as an uninterrupted one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from drawdown.sweep import run_sweep
from drawdown.sweep.store import load_runs

TINY = Path(__file__).parents[1] / "data" / "tiny"
VARIANTS = 8
SPEC = f"""scenario: {TINY}
runs: 3000
seed: 11
planner: greedy
grid:
  clearance.road.approval: [0.4, 0.6, 0.8, 1.0]
  threat.ied.rate: ["*1", "*2"]
"""


def test_killed_sweep_resumes_to_the_same_results(tmp_path: Path) -> None:
    """Kill `drawdown sweep` once two variants are recorded; the restart skips them and the
    folder ends with the summary and per-run outcomes of a sweep never interrupted."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC)
    killed = tmp_path / "killed"
    drawdown = Path(sys.executable).parent / "drawdown"
    args = [str(drawdown), "sweep", str(spec), "-o", str(killed), "--workers", "0"]
    process = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    done = killed / "sweep" / "done"
    deadline = time.monotonic() + 120  # a safety net for a stuck child, not a result
    while len(list(done.glob("*.json"))) < 2 and process.poll() is None:
        assert time.monotonic() < deadline, "the sweep never recorded a variant"
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    finished = len(list(done.glob("*.json")))
    assert 2 <= finished < VARIANTS, "killed too late to test a resume"
    assert not (killed / "sweep" / "summary.parquet").exists()

    resumed = run_sweep(spec, killed, workers=0)
    assert resumed.resumed == finished and resumed.ran == VARIANTS - finished
    whole = run_sweep(spec, tmp_path / "whole", workers=0)
    pd.testing.assert_frame_equal(resumed.summary, whole.summary, check_exact=True)
    pd.testing.assert_frame_equal(
        load_runs(resumed.folder), load_runs(whole.folder), check_exact=True
    )
    on_disk = pd.read_parquet(resumed.folder / "summary.parquet")
    pd.testing.assert_frame_equal(on_disk, pd.read_parquet(whole.folder / "summary.parquet"))
