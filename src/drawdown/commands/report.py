"""`drawdown report RESULTS_DIR`: rebuild a report from a run's saved plan and results."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from drawdown.commands.common import console


def report(
    results_dir: Annotated[
        Path, typer.Argument(help="A folder written by `drawdown run` (its -o folder).")
    ],
    png: Annotated[
        bool, typer.Option("--png", help="Also write the figures as 1600x900 PNGs for slides.")
    ] = False,
) -> None:
    """Rebuild the HTML report of a results folder (refuses incomplete or foreign folders)."""
    from drawdown.output_paths import check_output
    from drawdown.report import rebuild_report

    check_output(results_dir, kind="folder", option="RESULTS_DIR")
    check_plan_was_simulated(results_dir)

    path = rebuild_report(results_dir, png=png)
    console.print(f"[green]✓[/green] report: {path}", soft_wrap=True)
    if png:
        console.print(f"  figures: {path.parent / 'figures'}", soft_wrap=True)


def check_plan_was_simulated(results_dir: Path) -> None:
    """Refuse a folder whose plan is not the one its simulation executed (the simulation's
    summary records the plan's content hash): the report would pair one plan's schedule
    with another plan's odds.

    Folders too broken to read are left to `rebuild_report`, which says what is missing.
    """
    import json

    from drawdown.errors import InputError, Problem
    from drawdown.plan.io import load_plan
    from drawdown.results.layout import PLAN_DIR, SIMULATION_DIR
    from drawdown.simulate.io import SUMMARY

    plan_dir = results_dir / PLAN_DIR
    try:
        meta = json.loads((results_dir / SIMULATION_DIR / SUMMARY).read_text(encoding="utf-8"))
        simulated = str(meta["meta"].get("plan_hash") or "")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return
    if not simulated or not plan_dir.is_dir():
        return
    planned = load_plan(plan_dir).content_hash()
    if planned != simulated:
        raise InputError(
            Problem(
                str(plan_dir),
                "plan hash",
                f"this plan ({planned}) is not the plan the simulation executed ({simulated}); "
                "the report would show one plan's schedule with another plan's odds",
                "put back the plan that was simulated, or run again into a fresh folder "
                "(`drawdown run SCENARIO -o DIR`)",
            ),
            title="plan and simulation do not belong together",
        )


def register(app: typer.Typer) -> None:
    app.command()(report)
