"""Output paths checked before any work: a file where a folder goes, a folder where a file
goes, a path below a file, a dangling link, no permission to write.

Every command that writes calls `check_output` on each of its output paths before it plans
or simulates, so a mistake costs a second, not a whole run. Writes are staged beside the
target and renamed into place (`drawdown.atomic`), so the folder holding the target must be
writable too, and is checked.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from drawdown.errors import InputError, Problem

Kind = Literal["folder", "file"]


def check_output(path: str | os.PathLike[str], *, kind: Kind, option: str) -> Path:
    """`path` if something of `kind` can be written there; else an InputError naming
    `option` (the flag or argument the path came from), what is wrong and how to fix it."""
    target = Path(path)
    problem = _problem(target, kind)
    if problem is not None:
        message, hint = problem
        raise InputError(Problem(option, str(target), message, hint), "cannot write the output")
    return target


def check_outputs(paths: dict[str, tuple[str | os.PathLike[str] | None, Kind]]) -> None:
    """`check_output` on each (path, kind) by option, every problem reported at once."""
    problems: list[Problem] = []
    for option, (path, kind) in paths.items():
        if path is None:
            continue
        try:
            check_output(path, kind=kind, option=option)
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems, f"cannot write {len(problems)} output(s)")


def _problem(target: Path, kind: Kind) -> tuple[str, str] | None:
    try:
        return _inspect(target, kind)
    except (OSError, ValueError) as exc:  # a name too long, a NUL byte in it
        return f"is not a usable path ({exc})", "check the path"


def _inspect(target: Path, kind: Kind) -> tuple[str, str] | None:
    if target.is_symlink() and not target.exists():
        return (
            f"is a link to {os.readlink(target)}, which does not exist",
            "remove the link or point it at an existing folder",
        )
    if target.exists():
        if kind == "folder" and not target.is_dir():
            return (
                "is a file, but a folder is written here",
                "give a folder path, or move the file away",
            )
        if kind == "file" and target.is_dir():
            return (
                "is a folder, but a file is written here",
                f"give a file name, e.g. {target / 'out'}",
            )
        if kind == "folder" and not _writable(target):
            return _no_permission(target)
    existing = target.parent
    while not existing.exists() and existing != existing.parent:
        if existing.is_symlink():
            return (
                f"cannot be created: {existing} is a link to nothing",
                "remove the link or give another path",
            )
        existing = existing.parent
    if not existing.is_dir():
        return (
            f"cannot be created: {existing} is a file, not a folder",
            "give a path whose folders are folders",
        )
    if not _writable(existing):
        return _no_permission(existing)
    return None


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def _no_permission(folder: Path) -> tuple[str, str]:
    return (
        f"cannot be written: no permission to write in {folder}",
        f"choose a folder you can write to, or make it writable (chmod u+w {folder})",
    )
