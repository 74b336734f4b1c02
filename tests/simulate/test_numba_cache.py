"""The engine runs for a user whose home directory is read-only (numba's cache elsewhere)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from drawdown.simulate import cache

TINY = Path(__file__).parents[1] / "data" / "tiny"
CHILD = f"""
import sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
from plans import batch_plan
import numba.core.config
import drawdown
from drawdown.scenario.io import load_scenario
s = load_scenario({str(TINY)!r})
result = drawdown.simulate(s, batch_plan(s), runs=20, seed=1)
print("CACHE", numba.core.config.CACHE_DIR)
print("RUNS", result.runs)
"""


@pytest.mark.slow
def test_engine_runs_with_a_read_only_home() -> None:
    """HOME read-only: the compiled engine is cached in a private temporary folder, this is
    said once on standard error, and the simulation runs (in a subprocess; root writes in
    any folder whatever its mode, so as root HOME is /proc, where nobody can make one)."""
    shared = Path(tempfile.mkdtemp(prefix="drawdown-ro-home-"))
    try:
        home, tmp = shared / "home", shared / "tmp"
        home.mkdir()
        tmp.mkdir()
        os.chmod(shared, 0o755)
        os.chmod(tmp, 0o1777)
        os.chmod(home, 0o555)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NUMBA_", "XDG_"))}
        env.update(HOME="/proc" if os.geteuid() == 0 else str(home), TMPDIR=str(tmp))
        done = subprocess.run(
            [sys.executable, "-c", CHILD],
            env=env,
            capture_output=True,
            text=True,
            cwd=str(tmp),
            check=False,
            timeout=900,
        )
        assert done.returncode == 0, done.stderr
        expected = tmp / f"drawdown-{os.getuid()}" / "numba"
        assert f"CACHE {expected}" in done.stdout
        assert "RUNS 20" in done.stdout
        assert done.stderr.count("cannot be written") == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert any(expected.rglob("*.nbi"))  # numba's cache index: compiled code was kept
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def test_a_folder_the_user_set_is_kept(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """NUMBA_CACHE_DIR set by the user is left as it is."""
    monkeypatch.setenv(cache.ENV, str(tmp_path / "mine"))
    assert cache.configure(say=False) == tmp_path / "mine"


def test_a_shared_temp_folder_of_another_user_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A temp cache folder owned by someone else is not used (its code would be run)."""
    monkeypatch.delenv(cache.ENV, raising=False)
    monkeypatch.setattr(cache, "user_cache_dir", lambda: Path("/proc/no-such/numba"))
    theirs = tmp_path / "drawdown-x" / "numba"
    theirs.mkdir(parents=True)
    monkeypatch.setattr(cache, "temp_cache_dir", lambda: theirs)
    monkeypatch.setattr(cache.os, "getuid", lambda: os.stat(theirs).st_uid + 1)
    assert cache.configure(say=False) is None
    monkeypatch.delenv(cache.ENV, raising=False)
