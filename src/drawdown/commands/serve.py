"""`drawdown serve [SCENARIO | RESULTS_DIR]`: the what-if workbench in a local browser page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from drawdown.commands.common import console, err_console
from drawdown.defaults import DEFAULT_SEED
from drawdown.errors import InputError, Problem

# Kept here (not imported from drawdown.serve) so `drawdown --help` loads no stage.
DEFAULT_RUNS = 2000

DEFAULT_PORT = 8050


def serve_command(
    source: Annotated[
        str,
        typer.Argument(
            help="A built-in scenario name, a scenario folder, or a results folder of "
            "`drawdown run` (its plan is reused)."
        ),
    ] = "minusma-2023",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port to listen on (0: any free).")
    ] = DEFAULT_PORT,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Interface to listen on. The default 127.0.0.1 is this machine only; any "
            "other address makes the workbench reachable from the network (it has no login).",
        ),
    ] = "127.0.0.1",
    runs: Annotated[
        int, typer.Option("--runs", min=1, help="Runs of the baseline and default per what-if.")
    ] = DEFAULT_RUNS,
    max_runs: Annotated[
        int, typer.Option("--max-runs", min=1, help="Most runs one what-if may ask for.")
    ] = 20_000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed shared by every variant.")] = (
        DEFAULT_SEED
    ),
    max_variants: Annotated[
        int, typer.Option("--max-variants", min=1, help="Variants kept; older ones are evicted.")
    ] = 20,
    greedy: Annotated[
        bool,
        typer.Option("--greedy", help="Plan (and re-plan) with the fast greedy baseline."),
    ] = False,
    draw_workers: Annotated[
        int | None,
        typer.Option(
            "--draw-workers",
            min=0,
            help="Processes drawing a what-if's figures side by side (0: in the server's own "
            "process; default: one a core, up to 4, on 2 cores or more).",
        ),
    ] = None,
    sim_workers: Annotated[
        int | None,
        typer.Option(
            "--sim-workers",
            min=0,
            help="Threads sharing a what-if's runs (0 or 1: in the request's own thread; "
            "default: one a core, up to 2, on 2 cores or more). The numbers are the same.",
        ),
    ] = None,
    exports: Annotated[
        Path,
        typer.Option("--exports", help="Folder the page's exports are written into."),
    ] = Path("drawdown-workbench"),
) -> None:
    """Start the what-if workbench: simulate, re-plan, compare and export in the browser."""
    from drawdown.serve import bind, is_loopback, open_workbench, serve
    from drawdown.serve.workbench import Settings

    if runs > max_runs:
        raise InputError(
            Problem("--runs", str(runs), f"more than --max-runs {max_runs}", "raise --max-runs"),
            title="cannot start the workbench",
        )
    if not is_loopback(host):
        err_console.print(
            f"[yellow]warning:[/yellow] listening on {host}: anyone who can reach this machine "
            "on the network can use the workbench and write exports (it has no login)"
        )
    sock = bind(host, port)  # a port in use fails now, before the planning
    settings = Settings(
        runs=runs,
        max_runs=max_runs,
        seed=seed,
        max_variants=max_variants,
        greedy=greedy,
        exports=exports,
        draw_workers=default_draw_workers() if draw_workers is None else draw_workers,
        sim_workers=default_sim_workers() if sim_workers is None else sim_workers,
    )
    try:
        bench = open_workbench(source, settings, say=say)
    except BaseException:
        sock.close()
        raise
    serve(bench, sock, say=say)


def default_draw_workers() -> int:
    """One drawing worker a core, up to 4 (the page's four changing figures), on 2 cores or
    more: the server waits while a what-if's figures are drawn, so every core can draw."""
    import os

    cores = os.cpu_count() or 1
    return min(4, cores) if cores >= 2 else 0


def default_sim_workers() -> int:
    """Two threads sharing a what-if's runs on 2 cores or more (a run's draws sit at fixed
    places, so the numbers do not change)."""
    import os

    return 2 if (os.cpu_count() or 1) >= 2 else 0


def say(text: str) -> None:
    console.print(text, markup=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command(name="serve")(serve_command)
