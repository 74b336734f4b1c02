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
