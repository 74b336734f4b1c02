"""Atomic output: every writer stages its files and moves them in place only when complete.

An interrupted command (Ctrl-C, a full disk, an error halfway) therefore never leaves a
half-written scenario, plan, results folder or file where a good one was. This is the one
place that knows how; every writer in drawdown goes through `atomic_dir` or `atomic_file`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


def _shareable(path: Path, mode: int) -> None:
    """Give a staged path the permissions a plain mkdir/open would (mkdtemp and mkstemp make
    owner-only ones; written results are meant to be shared)."""
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(mode & ~umask)


@contextmanager
def atomic_dir(target: str | os.PathLike[str], *, replace: bool = False) -> Iterator[Path]:
    """Yield a staging folder that is moved to `target` only if the block completes.

    By default the staged entries are merged into `target`: entries already there that the
    block does not write are kept, so writing a report or an analysis beside saved results
    never loses them. With `replace=True` the staging folder replaces `target` as a whole
    (a saved scenario is exactly the files written). An interrupted block leaves `target`
    untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    _shareable(staging, 0o777)
    try:
        yield staging
        if replace:
            _swap(staging, target)
        else:
            target.mkdir(exist_ok=True)
            for item in staging.iterdir():
                dest = target / item.name
                if dest.is_dir() and not dest.is_symlink():
                    shutil.rmtree(dest)
                os.replace(item, dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, target: Path) -> None:
    """Put `staging` where `target` is, keeping the old one aside until the rename is done."""
    if not target.exists():
        staging.rename(target)
        return
    backup = target.with_name(f".{target.name}.old")
    shutil.rmtree(backup, ignore_errors=True)
    target.rename(backup)
    staging.rename(target)
    shutil.rmtree(backup, ignore_errors=True)


@contextmanager
def atomic_file(path: str | os.PathLike[str], *, newline: str | None = None) -> Iterator[TextIO]:
    """Yield a text handle (UTF-8) on a temporary file that replaces `path` when complete."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
            yield handle
        _shareable(Path(tmp), 0o666)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write a whole text file atomically; returns its path."""
    with atomic_file(path) as handle:
        handle.write(text)
    return Path(path)
