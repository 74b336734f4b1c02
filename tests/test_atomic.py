"""Atomic output: a writer's files appear together or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from drawdown.atomic import atomic_dir, atomic_file, atomic_write_text


def test_merge_keeps_entries_the_block_does_not_write(tmp_path: Path) -> None:
    """By default staged entries join the folder; others already there stay."""
    target = tmp_path / "out"
    target.mkdir()
    (target / "kept.txt").write_text("old")
    (target / "sub").mkdir()
    (target / "sub" / "stale.txt").write_text("x")
    with atomic_dir(target) as staging:
        (staging / "new.txt").write_text("new")
        (staging / "sub").mkdir()
        (staging / "sub" / "fresh.txt").write_text("y")
    assert (target / "kept.txt").read_text() == "old"
    assert (target / "new.txt").read_text() == "new"
    assert sorted(p.name for p in (target / "sub").iterdir()) == ["fresh.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging left


def test_replace_swaps_the_whole_folder(tmp_path: Path) -> None:
    """With replace=True the folder is exactly what the block wrote."""
    target = tmp_path / "out"
    target.mkdir()
    (target / "gone.txt").write_text("old")
    with atomic_dir(target, replace=True) as staging:
        (staging / "only.txt").write_text("new")
    assert sorted(p.name for p in target.iterdir()) == ["only.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


@pytest.mark.parametrize("replace", [False, True])
def test_interrupted_block_leaves_the_folder_as_it_was(tmp_path: Path, replace: bool) -> None:
    """An error inside the block changes nothing and leaves no staging folder."""
    target = tmp_path / "out"
    target.mkdir()
    (target / "a.txt").write_text("old")
    with pytest.raises(KeyboardInterrupt), atomic_dir(target, replace=replace) as staging:
        (staging / "a.txt").write_text("new")
        raise KeyboardInterrupt
    assert (target / "a.txt").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_atomic_file_is_shareable_and_all_or_nothing(tmp_path: Path) -> None:
    """A written file gets the usual permissions; a failed write keeps the old file."""
    path = atomic_write_text(tmp_path / "f.txt", "one")
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
    with pytest.raises(RuntimeError), atomic_file(path) as handle:
        handle.write("two")
        raise RuntimeError
    assert path.read_text() == "one"
    assert [p.name for p in tmp_path.iterdir()] == ["f.txt"]


# --- kills (SIGKILL in a child process) at every step of a folder's replacement -----------

CHILD = r"""
import os, shutil, signal, sys
from pathlib import Path
import drawdown.atomic as atomic

target, where, replace = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "replace"

def die():
    os.kill(os.getpid(), signal.SIGKILL)

real_exchange, real_link, real_rmtree = atomic._exchange, atomic._link_or_copy, shutil.rmtree
if where == "before-exchange":
    atomic._exchange = lambda a, b: die()
elif where == "after-exchange":
    atomic._exchange = lambda a, b: (real_exchange(a, b), die())
elif where == "linking":
    atomic._link_or_copy = lambda s, d: (real_link(s, d), die())
elif where == "removing-old":
    def rmtree(path, *a, **k):
        victim = next(p for p in Path(path).rglob("*") if p.is_file())
        victim.unlink()  # the old folder half removed
        die()
    atomic.shutil.rmtree = rmtree
elif where == "between-renames":
    atomic._exchange = lambda a, b: False
    calls = []
    real_rename = Path.rename
    def rename(self, dest):
        calls.append(dest)
        if len(calls) == 2:
            die()
        return real_rename(self, dest)
    Path.rename = rename

with atomic.atomic_dir(target, replace=replace) as staging:
    (staging / "report.html").write_text("new report")
    (staging / "simulation").mkdir()
    (staging / "simulation" / "runs.parquet").write_text("new runs")
    if where == "writing":
        die()
    (staging / "simulation" / "summary.json").write_text("new summary")
"""

OLD = {
    "report.html": "old report",
    "simulation/runs.parquet": "old runs",
    "simulation/summary.json": "old summary",
    "simulation/stale.parquet": "old stale",
    "compare/compare.csv": "old compare",
}
NEW_FILES = {
    "report.html": "new report",
    "simulation/runs.parquet": "new runs",
    "simulation/summary.json": "new summary",
}


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text() for p in folder.rglob("*") if p.is_file()}


def _run_child(target: Path, where: str, mode: str) -> int:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", CHILD, str(target), where, mode], check=False)
    return done.returncode


STEPS = ["writing", "before-exchange", "after-exchange", "removing-old", "between-renames"]


@pytest.mark.parametrize(
    ("where", "mode"),
    [(w, m) for w in STEPS for m in ("merge", "replace")] + [("linking", "merge")],
)
def test_kill_leaves_the_old_or_the_new_folder_whole(tmp_path: Path, where: str, mode: str) -> None:
    """SIGKILL while writing, linking, swapping or removing the old folder: after the next
    start the folder is the old one or the new one, whole, and no staging is left."""
    import signal

    from drawdown.atomic import recover

    target = tmp_path / "results"
    for name, text in OLD.items():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(text)
    new = dict(NEW_FILES)
    if mode == "merge":
        new["compare/compare.csv"] = "old compare"  # entries the write does not touch stay
    assert _run_child(target, where, mode) == -signal.SIGKILL
    recover(target)  # what the next start does before writing there
    assert _tree(target) in (OLD, new)
    assert [p.name for p in tmp_path.iterdir()] == ["results"]
    if where in ("after-exchange", "removing-old"):
        assert _tree(target) == new  # the swap was done: the new folder stands


def test_next_write_cleans_staging_of_a_killed_writer(tmp_path: Path) -> None:
    """A staging folder left by a killed writer goes at the next write to the same target."""
    target = tmp_path / "results"
    target.mkdir()
    (target / "a.txt").write_text("old")
    _run_child(target, "writing", "merge")
    assert len(list(tmp_path.iterdir())) == 2  # the killed writer's staging is still there
    with atomic_dir(target) as staging:
        (staging / "b.txt").write_text("new")
    assert [p.name for p in tmp_path.iterdir()] == ["results"]
    assert _tree(target) == {"a.txt": "old", "b.txt": "new"}


def test_kept_entries_are_linked_not_copied(tmp_path: Path) -> None:
    """An entry the write does not touch is the same file in the new folder (no copy)."""
    target = tmp_path / "out"
    (target / "sim").mkdir(parents=True)
    (target / "sim" / "big.parquet").write_text("x" * 1000)
    inode = (target / "sim" / "big.parquet").stat().st_ino
    with atomic_dir(target) as staging:
        (staging / "report.html").write_text("r")
    assert (target / "sim" / "big.parquet").stat().st_ino == inode
