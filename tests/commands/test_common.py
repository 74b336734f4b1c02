"""The CLI names the library's parameters by its own flags."""

from __future__ import annotations

import pytest

from drawdown.commands.common import as_flags, flagged
from drawdown.errors import InputError, Problem

FLAGS = {"time_limit_s": "--time-limit", "runs": "--runs"}


def test_parameters_become_flags_where_they_are_named() -> None:
    """`file`, `where` and backticked names are rewritten; plain prose is not."""
    with pytest.raises(InputError) as caught, as_flags(FLAGS):
        raise InputError(
            [
                Problem("runs", "", "must be positive", "use fewer runs"),
                Problem("scenario", "time_limit_s", "no plan", "allow more time (`time_limit_s`)"),
            ]
        )
    first, second = caught.value.problems
    assert (first.file, first.hint) == ("--runs", "use fewer runs")
    assert (second.file, second.where) == ("scenario", "--time-limit")
    assert second.hint == "allow more time (--time-limit)"


def test_warnings_are_flagged_too() -> None:
    """Warnings the CLI prints (not raised) get the same names."""
    [p] = flagged([Problem("time_limit_s", "", "note", severity="warning")], FLAGS)
    assert p.file == "--time-limit" and p.severity == "warning"
