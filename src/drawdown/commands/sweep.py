"""`drawdown sweep SPEC.yaml`: many variants of a scenario, stress-tested on Dask."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from drawdown.commands.common import console

SCHEDULER_HELP = (
    "Address of a running Dask scheduler (e.g. tcp://host:8786); default: a local cluster "
    "on this machine."
)


def sweep(
    spec: Annotated[
        Path, typer.Argument(help="The sweep's YAML spec (scenario, runs, seed, variants).")
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--out",
            help="Results folder: writes FOLDER/sweep/ (default: results/<scenario name>). "
            "Started again with the same spec, a sweep skips the variants already finished; "
            "when FOLDER holds a `drawdown run`, its report gains the sweep's ranking.",
        ),
    ] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help=SCHEDULER_HELP)] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=0,
            help="Local worker processes (default: one per core; 0: in this process, "
            "without Dask). Ignored with --scheduler.",
        ),
    ] = None,
) -> None:
    """Run every variant of a spec (grid, options, sample) and rank them; resumable."""
    from drawdown.results import RUN_FILE
    from drawdown.sweep import read_spec, run_sweep

    read = read_spec(spec)  # a bad spec stops here, before any work
    folder = out if out is not None else Path("results") / Path(read.scenario).name

    def started(link: str | None) -> None:
        where = f"Dask scheduler {scheduler}" if scheduler else "this machine"
        if workers == 0 and not scheduler:
            where = "this process"
        console.print(f"sweep of {read.scenario} on {where} into [bold]{folder / 'sweep'}[/bold]")
        if link:
            console.print(f"  Dask dashboard: {link}")

    result = run_sweep(
        spec,
        folder,
        scheduler=scheduler,
        workers=None if scheduler else workers,
        progress=console,
        on_start=started,
    )
    console.print(result.summary_text(), soft_wrap=True, markup=False)
    console.print(
        f"[green]✓[/green] summary in [bold]{result.folder / 'summary.csv'}[/bold] "
        f"(and .parquet); per-run outcomes in [bold]{result.folder / 'runs'}[/bold]",
        soft_wrap=True,
    )
    if (folder / RUN_FILE).exists():
        from drawdown.report import rebuild_report

        path = rebuild_report(folder)
        console.print(f"[green]✓[/green] report with the sweep section: [bold]{path}[/bold]")


def register(app: typer.Typer) -> None:
    app.command()(sweep)
