"""Atomic output: every writer stages its files and moves them in place only when complete.

An interrupted command (Ctrl-C, a full disk, an error halfway, even SIGKILL) therefore never
leaves a half-written scenario, plan, results folder or file where a good one was. This is
the one place that knows how; every writer in drawdown goes through `atomic_dir` or
`atomic_file`.

A folder is always replaced as a whole: the new folder is built beside the target (entries
kept from the old one are hard-linked into it, so this costs no copy), then one system call
puts it in place — `renameat2(RENAME_EXCHANGE)` on Linux, which swaps the two names at once.
Where that call is missing, two renames are used, and a kill between them is repaired on the
next start (the old folder is put back). Staging folders of a killed writer are recognised by
their dead process id and removed the next time anything is written to the same target.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

STAGING = "tmp"  # .<name>.<pid>.<token>.tmp: a folder being written
BACKUP = "old"  # .<name>.<pid>.<token>.old: the old folder during a two-rename swap
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _shareable(path: Path, mode: int) -> None:
    """Give a staged path the permissions a plain mkdir/open would (mkdtemp and mkstemp make
    owner-only ones; written results are meant to be shared)."""
    umask = os.umask(0)
    os.umask(umask)
    path.chmod(mode & ~umask)


def _side_name(target: Path, suffix: str) -> Path:
    return target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.{suffix}")


def _side_parts(name: str, target_name: str) -> tuple[int, str] | None:
    """(writer's pid, STAGING or BACKUP) when `name` is a side path of `target_name`."""
    prefix = f".{target_name}."
    rest = name[len(prefix) :].split(".") if name.startswith(prefix) else []
    if len(rest) != 3 or rest[2] not in (STAGING, BACKUP) or not rest[0].isdigit():
        return None
    return int(rest[0]), rest[2]


def _leftovers(target: Path) -> Iterator[tuple[Path, str]]:
    """Staging and backup paths beside `target` whose writer is no longer running."""
    try:
        entries = list(target.parent.iterdir())
    except OSError:
        return
    for entry in entries:
        parts = _side_parts(entry.name, target.name)
        if parts is not None and not _alive(parts[0]):
            yield entry, parts[1]


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: leave its folders alone
    return True


def recover(target: str | os.PathLike[str]) -> None:
    """Repair what a killed writer of `target` left: put back an old folder a two-rename
    swap had moved aside, and remove staging folders."""
    target = Path(target)
    found = list(_leftovers(target))
    for entry, kind in found:
        if kind == BACKUP and not target.exists():
            entry.rename(target)  # killed between the two renames: the old folder is whole
    for entry, _ in found:
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.exists() or entry.is_symlink():
            entry.unlink(missing_ok=True)


@contextmanager
def atomic_dir(target: str | os.PathLike[str], *, replace: bool = False) -> Iterator[Path]:
    """Yield a staging folder that replaces `target` as a whole when the block completes.

    By default entries of `target` the block does not write are kept in the new folder, so
    writing a report or an analysis beside saved results never loses them. With
    `replace=True` the new folder is exactly what the block wrote (a saved scenario is its
    files). An interrupted block, or a kill at any point, leaves `target` as it was or as the
    block made it, never a mix.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    staging = _side_name(target, STAGING)
    staging.mkdir()
    _shareable(staging, 0o777)
    try:
        yield staging
        if not replace and target.is_dir():
            _keep_old_entries(target, staging)
        _swap(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def scratch_dir(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield an empty folder beside `target` for work that ends up in it (a simulation
    streamed before its results folder is written), removed at the end; after a kill it
    is removed on the next start, like any staging folder."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    scratch = _side_name(target, STAGING)
    scratch.mkdir()
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _keep_old_entries(target: Path, staging: Path) -> None:
    """Hard-link into `staging` what `target` holds and the block did not write."""
    written = {p.name for p in staging.iterdir()}
    for item in target.iterdir():
        if item.name in written or _is_side(item.name):
            continue
        dest = staging / item.name
        if item.is_dir() and not item.is_symlink():
            shutil.copytree(item, dest, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(str(item), str(dest))


def _is_side(name: str) -> bool:
    """A staging or backup path of some entry (a nested writer killed in the old folder)."""
    parts = name.split(".")
    return name.startswith(".") and len(parts) >= 5 and parts[-1] in (STAGING, BACKUP)


def _link_or_copy(src: str, dst: str) -> None:
    """A hard link (files are never changed in place, only replaced), else a copy."""
    if os.path.islink(src):
        os.symlink(os.readlink(src), dst)
        return
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _swap(staging: Path, target: Path) -> None:
    """Put `staging` where `target` is, in one step; `staging` then holds the old one."""
    if not target.exists() and not target.is_symlink():
        staging.rename(target)
        return
    if _exchange(staging, target):
        return
    backup = _side_name(target, BACKUP)
    target.rename(backup)
    staging.rename(target)  # a kill before this line: `recover` puts `backup` back
    backup.rename(staging)  # so the caller removes the old folder with its staging


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # a file system without the exchange: two renames instead
    raise OSError(code, os.strerror(code), str(b))


@contextmanager
def atomic_file(path: str | os.PathLike[str], *, newline: str | None = None) -> Iterator[TextIO]:
    """Yield a text handle (UTF-8) on a temporary file that replaces `path` when complete."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # No scan for a killed writer's temporary file here (a folder of many small files would
    # pay it at every write): it is hidden, and a folder rewritten by `atomic_dir` drops it.
    tmp = _side_name(path, STAGING)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
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
