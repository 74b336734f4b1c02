"""`drawdown simulate` writes results and exits 0; bad input exits 2 with a message."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from plans import batch_plan

import drawdown.plan
from drawdown.cli import main

TINY = str(Path(__file__).parents[1] / "data" / "tiny")


def _main(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(drawdown.plan, "optimise", batch_plan, raising=False)
    monkeypatch.setattr(sys, "argv", ["drawdown", "simulate", *args])
    try:
        main()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    return 0


def test_cli_writes_results(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command prints the odds, casualties and closures and writes a results folder."""
    out = tmp_path / "sim"
    code = _main(monkeypatch, TINY, "--runs", "200", "--seed", "4", "-o", str(out))
    assert code == 0
    text = capsys.readouterr().out
    assert "P(all people out by deadline)" in text and "200 runs" in text
    assert "killed: mean" in text and "closure dates by site" in text
    assert sorted(p.name for p in out.iterdir()) == [
        "distributions.parquet",
        "fan.parquet",
        "runs.parquet",
        "sites.parquet",
        "summary.json",
        "teu_out.parquet",
        "uncovered.parquet",
    ]  # units.parquet only from a result that kept its runs (not streamed yet)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging left


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--runs", "0"], "positive whole number"),
        (["--runs", "10", "--plan", "no-such-plan"], "no-such-plan"),
    ],
)
def test_cli_bad_input_exits_2(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    """Bad settings or a missing plan exit with status 2 and say what is wrong."""
    monkeypatch.setattr(
        drawdown.plan,
        "load_plan",
        lambda path: (_ for _ in ()).throw(_missing(path)),
        raising=False,
    )
    assert _main(monkeypatch, TINY, *args) == 2
    assert message in capsys.readouterr().err


def test_cli_unknown_scenario_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown scenario name exits 2."""
    assert _main(monkeypatch, "atlantis", "--runs", "10") == 2
    assert "atlantis" in capsys.readouterr().err


def _missing(path: object) -> Exception:
    from drawdown.errors import InputError, Problem

    return InputError(Problem(str(path), "", "no plan here"))
