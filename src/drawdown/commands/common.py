"""What every command shares: the console, problem printing, parameter names as flags."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace

from rich.console import Console

from drawdown.errors import InputError, Problem

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def print_problems(exc: InputError) -> None:
    """Print every problem of an InputError: errors first, then warnings."""
    err_console.print(f"[bold red]error:[/bold red] {exc.title}", soft_wrap=True)
    for p in exc.errors:
        err_console.print(f"  [red]✗[/red] {_escape(str(p))}", soft_wrap=True)
    for p in exc.warnings:
        err_console.print(f"  [yellow]![/yellow] {_escape(str(p))}", soft_wrap=True)


def print_warnings(problems: list[Problem], *, limit: int = 20) -> None:
    """Print warnings (they do not fail a command)."""
    warnings = [p for p in problems if p.severity == "warning"]
    for p in warnings[:limit]:
        err_console.print(f"  [yellow]warning:[/yellow] {_escape(str(p))}", soft_wrap=True)
    if len(warnings) > limit:
        err_console.print(f"  [yellow]… and {len(warnings) - limit} more warnings[/yellow]")


def _escape(text: str) -> str:
    return text.replace("[", "\\[")


@contextmanager
def as_flags(flags: Mapping[str, str]) -> Iterator[None]:
    """Re-raise the library's input errors with its parameter names given as this command's
    flags (`time_limit_s` -> `--time-limit`).

    Library problems name a parameter as their `file` or `where`, or in a hint between
    backticks; only those are rewritten, so prose that happens to use the word is kept.
    """
    try:
        yield
    except InputError as exc:
        exc.problems = [_flagged(p, flags) for p in exc.problems]
        raise


def flagged(problems: list[Problem], flags: Mapping[str, str]) -> list[Problem]:
    """`problems` with parameter names given as flags (see `as_flags`)."""
    return [_flagged(p, flags) for p in problems]


def _flagged(problem: Problem, flags: Mapping[str, str]) -> Problem:
    hint, message = problem.hint, problem.message
    for param, flag in flags.items():
        hint = hint.replace(f"`{param}`", flag)
        message = message.replace(f"`{param}`", flag)
    return replace(
        problem,
        file=flags.get(problem.file, problem.file),
        where=flags.get(problem.where, problem.where),
        message=message,
        hint=hint,
    )
