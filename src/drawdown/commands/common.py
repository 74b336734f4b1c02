"""What every command shares: the console, problem printing, atomic output folders."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console

from drawdown.errors import InputError, Problem

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def print_problems(exc: InputError) -> None:
    """Print every problem of an InputError: errors first, then warnings."""
    err_console.print(f"[bold red]error:[/bold red] {exc.title}")
    for p in exc.errors:
        err_console.print(f"  [red]✗[/red] {_escape(str(p))}")
    for p in exc.warnings:
        err_console.print(f"  [yellow]![/yellow] {_escape(str(p))}")


def print_warnings(problems: list[Problem], *, limit: int = 20) -> None:
    """Print warnings (they do not fail a command)."""
    warnings = [p for p in problems if p.severity == "warning"]
    for p in warnings[:limit]:
        err_console.print(f"  [yellow]warning:[/yellow] {_escape(str(p))}")
    if len(warnings) > limit:
        err_console.print(f"  [yellow]… and {len(warnings) - limit} more warnings[/yellow]")


def _escape(text: str) -> str:
    return text.replace("[", "\\[")


@contextmanager
def atomic_dir(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a staging folder that replaces `target` only if the block completes.

    Files already in `target` that the block does not write are kept, so writing a report
    beside saved results never loses them; an interrupted block leaves `target` untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield staging
        target.mkdir(exist_ok=True)
        for item in staging.iterdir():
            dest = target / item.name
            if dest.is_dir() and not dest.is_symlink():
                shutil.rmtree(dest)
            os.replace(item, dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write a text file via a temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
