"""Command-line mistakes in any command: a located message, exit status 2, no traceback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

CliRun = Callable[..., tuple[int, str]]
TINY_S = str(Path(__file__).parents[1] / "data" / "tiny")

# (arguments, what the message must name, a word of the fix)
CASES = [
    (["simulate", TINY_S, "--runs", "abc"], "option --runs", "whole number"),
    (["run", TINY_S, "--runs", "0"], "option --runs", "1 or more"),
    (["simulate", TINY_S, "--runs", "0"], "--runs", "positive whole number"),
    (["simulate", TINY_S, "--seed", "-1"], "option --seed", "0 or more"),
    (["plan", TINY_S, "--time-limit", "inf"], "option --time-limit", "plain number"),
    (["run", TINY_S, "--time-limit", "nan"], "option --time-limit", ""),
    (["validate", TINY_S, "--bogus"], "option --bogus", "--help"),
    (["nosuchcommand"], "command 'nosuchcommand'", "the commands are"),
    (["simu", TINY_S], "command 'simu'", "simulate"),
    (["simulate"], "argument SCENARIO", "give it"),
    (["report"], "argument RESULTS_DIR", "give it"),
    (["calibrate", "events.csv"], "option --scenario", "give it"),
    (["run", TINY_S, "--runs"], "option --runs", "--runs VALUE"),
    (["simulate", TINY_S, "--timelines=3"], "option --timelines", "alone"),
    (["validate", TINY_S, "extra"], "drawdown validate", "--help"),
    (["compare", TINY_S, "--runs", "-3"], "option --runs", "1 or more"),
    (["sensitivity", TINY_S, "--samples", "0"], "option --samples", "1 or more"),
    (["sensitivity", TINY_S, "--runs-per-set", "x"], "option --runs-per-set", "whole number"),
    (["check", TINY_S, "--actuals", "a.csv", "--runs", "0"], "option --runs", "1 or more"),
    (["export"], "argument SCENARIO", "give it"),
    (["schema", "--table"], "option --table", "VALUE"),
]

CALIBRATE = ["calibrate", "events.csv", "-s", TINY_S, "-o", "threats.csv"]


@pytest.mark.parametrize(("args", "named", "fix"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_usage_mistake_is_located_with_status_2(
    cli: CliRun, args: list[str], named: str, fix: str
) -> None:
    """Each mistake names the command and option, says how to fix it, exits 2, no traceback."""
    code, out = cli(*args)
    flat = " ".join(out.split())
    assert code == 2, out
    assert "Traceback" not in out
    assert named in flat and fix in flat, flat


@pytest.mark.parametrize(
    ("option", "value", "why"),
    [
        ("--buffer-km", "-5", "must be above 0"),
        ("--buffer-km", "0", "must be above 0"),
        ("--convoys-per-week", "nan", "must be a finite number"),
        ("--reporting-fraction", "1.5", "must be at most 1"),
        ("--reporting-fraction", "0", "must be above 0"),
    ],
)
def test_calibrate_refuses_out_of_range_options(
    cli: CliRun, option: str, value: str, why: str
) -> None:
    """Negative, zero, infinite or too-large calibrate options are refused before any work."""
    code, out = cli(*CALIBRATE, option, value)
    flat = " ".join(out.split())
    assert code == 2 and f"option {option}" in flat and why in flat, flat


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "*inf", "*nan"])
def test_set_refuses_non_finite_values(cli: CliRun, value: str) -> None:
    """`--set NAME=inf` (which float() reads) is refused, naming the override."""
    code, out = cli("compare", TINY_S, "--set", f"threat.ied.rate={value}")
    flat = " ".join(out.split())
    assert code == 2 and "--set" in flat and "not a finite number" in flat, flat


def test_no_arguments_prints_the_help(cli: CliRun) -> None:
    """`drawdown` alone shows the commands (status 2, as click does), not a traceback."""
    code, out = cli()
    assert code == 2 and "simulate" in out and "Traceback" not in out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--output", "nosuch"], "--output"),
        (["--parameters", "nosuch"], "nosuch"),
        (["--samples", "3"], "power of two"),
        (["--method", "bogus"], "unknown method"),
    ],
)
def test_sensitivity_refuses_a_bad_design_before_planning(
    cli: CliRun, monkeypatch: pytest.MonkeyPatch, args: list[str], words: str
) -> None:
    """A typo in the design is refused before the plan is optimised (no planner call)."""
    import drawdown.plan

    def forbidden(*_: object, **__: object) -> None:
        raise AssertionError("planned before checking the design")

    monkeypatch.setattr(drawdown.plan, "optimise", forbidden)
    code, out = cli("sensitivity", TINY_S, *args)
    assert code == 2 and words in " ".join(out.split()), out


def test_calibrate_refuses_actor_types_outside_acled_codes(cli: CliRun) -> None:
    """`--involving 0` or 9 is not an ACLED actor type (1-8)."""
    code, out = cli("calibrate", "e.csv", "-s", TINY_S, "-o", "t.csv", "--involving", "0,9")
    assert code == 2 and "--involving" in out and "1-8" in out, out


def test_an_os_error_midway_is_a_clean_message(
    cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file operation the system refuses after the checks (disk full) exits 2, no traceback."""
    import drawdown.scenario.io

    def full(*_: object, **__: object) -> None:
        raise OSError(28, "No space left on device", "/results/x")

    monkeypatch.setattr(drawdown.scenario.io, "save_scenario", full)
    code, out = cli("export", TINY_S, "/tmp/never-written-by-this-test")
    flat = " ".join(out.split())
    assert code == 2 and "No space left on device" in flat and "Traceback" not in out, flat


def test_set_refuses_a_fractional_count_but_a_factor_rounds(cli: CliRun) -> None:
    """`--set trucks.x.count=40.5` is refused (not rounded silently); `*1.5` still rounds."""
    import drawdown
    from drawdown.scenario.overrides import apply_overrides

    code, out = cli("compare", TINY_S, "--set", "trucks.cargo-trucks.count=40.5")
    flat = " ".join(out.split())
    assert code == 2 and "count is a whole count; 40.5 is not" in flat, flat
    tiny = drawdown.load_scenario(TINY_S)
    scaled = apply_overrides(tiny, ["trucks.cargo-trucks.count=*1.01"])
    assert scaled.trucks[0].count == 40
