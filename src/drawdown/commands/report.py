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

    path = rebuild_report(results_dir, png=png)
    console.print(f"[green]✓[/green] report: {path}")
    if png:
        console.print(f"  figures: {path.parent / 'figures'}")


def register(app: typer.Typer) -> None:
    app.command()(report)
