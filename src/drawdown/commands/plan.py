"""`drawdown plan SCENARIO`: optimise (or the greedy baseline), print a summary, save the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from drawdown.commands.common import as_flags, console, print_warnings
from drawdown.commands.usage import number
from drawdown.defaults import DEFAULT_SEED
from drawdown.hxl import HELP as HXL_HELP
from drawdown.hxl import set_tagging

DEFAULT_TIME_LIMIT_S = 120.0  # a safety net: the planner ends on gaps and counts
FLAGS = {"time_limit_s": "--time-limit", "base_attacks": "--base-attacks", "seed": "--seed"}


def plan(
    scenario: Annotated[str, typer.Argument(help="A scenario folder or a built-in name.")],
    out: Annotated[
        Path | None,
        typer.Option("-o", "--out", help="Plan folder (default: plans/<scenario name>)."),
    ] = None,
    greedy: Annotated[
        bool, typer.Option("--greedy", help="Make the greedy baseline plan instead.")
    ] = False,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            min=1.0,
            callback=number(minimum=1.0),
            help="Safety-net seconds for the optimiser.",
        ),
    ] = DEFAULT_TIME_LIMIT_S,
    base_attacks: Annotated[
        bool,
        typer.Option(
            "--base-attacks/--no-base-attacks",
            help="Plan against base attacks as garrisons thin, as the plan is scored "
            "(--no-base-attacks: leave them out of the model, faster to prove).",
        ),
    ] = True,
    whole_convoys: Annotated[
        bool,
        typer.Option(
            "--whole-convoys",
            help="Whole convoys in the model itself, not only in the rounding step (slower "
            "to prove; the result then depends on the time limit).",
        ),
    ] = False,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="The solver's seed (the same as `run --seed`).")
    ] = DEFAULT_SEED,
    warm_start: Annotated[
        Path | None,
        typer.Option(
            "--warm-start",
            help="A previous plan folder of a similar scenario (e.g. before changing one "
            "parameter): the re-plan starts from its closure order, its LP basis and its "
            "whole convoys, in about two thirds of the CPU time; the plan records it.",
        ),
    ] = None,
    hxl: Annotated[bool, typer.Option("--hxl", help=HXL_HELP)] = False,
) -> None:
    """Optimise the withdrawal: closure order, daily convoys and flights, disposition."""
    from drawdown.output_paths import check_output

    set_tagging(hxl)
    from drawdown.errors import InputError, Problem
    from drawdown.plan import InfeasiblePlanError, greedy_plan, load_plan, optimise, save_plan
    from drawdown.scenario.io import validate_scenario

    s, problems = validate_scenario(scenario)
    print_warnings(problems, limit=5)
    target = out if out is not None else Path("plans") / s.name
    check_output(target, kind="folder", option="--out")  # before planning
    previous = None
    if warm_start is not None:
        if greedy:
            raise InputError(
                Problem(
                    "--warm-start",
                    str(warm_start),
                    "the greedy baseline has no search to start",
                    "drop --greedy or --warm-start",
                )
            )
        previous = load_plan(warm_start)  # a located error if it is no plan folder
    try:
        with console.status("planning…"), as_flags(FLAGS):
            p = (
                greedy_plan(s)
                if greedy
                else optimise(
                    s,
                    time_limit_s=time_limit,
                    base_attacks=base_attacks,
                    whole_convoys=whole_convoys,
                    seed=seed,
                    warm_start=previous,
                )
            )
    except InfeasiblePlanError as exc:  # still write the best plan found, marked as such
        if exc.best_plan is not None:
            save_plan(exc.best_plan, target, scenario=s)
            console.print(f"best plan found (it does not meet the deadline) written to {target}")
        raise
    save_plan(p, target, scenario=s)
    _print(p, s)
    console.print(f"plan written to [bold]{target}[/bold]")


def _print(p: object, s: object) -> None:
    from rich.table import Table

    from drawdown.plan.model import Plan
    from drawdown.scenario.model import Scenario

    assert isinstance(p, Plan) and isinstance(s, Scenario)
    console.print(
        f"[bold]{p.method} plan[/bold] for {s.name}: {p.horizon_days} days, "
        f"deadline {s.manifest.deadline}"
    )
    order = Table(title="Closure order", show_edge=False)
    order.add_column("site")
    order.add_column("role")
    order.add_column("closes", justify="right")
    order.add_column("date")
    order.add_column("binding")
    binding = p.binding()
    roles = {x.id: x.role for x in s.sites}
    # Closure order, the HQ and hubs last among sites closing the same day.
    rank = {"hq": 2, "hub": 1}
    for site, day in sorted(p.closure_order(), key=lambda kv: (kv[1], rank.get(roles[kv[0]], 0))):
        order.add_row(
            site, roles.get(site, ""), f"day {day}", str(s.date_of(day)), binding.get(site, "")
        )
    console.print(order)
    t = p.totals()
    console.print(
        f"movements: {int(t['movements'])} legs, {int(t['road_convoy_legs'])} "
        f"convoy-legs, {int(t['sorties'])} sorties"
    )
    console.print(
        f"cargo: repatriated {t['repatriate_teu']:,.0f} TEU / "
        f"{t['repatriate_vehicles']:,.0f} vehicles; handed over "
        f"{t['hand_over_teu']:,.0f} TEU / {t['hand_over_vehicles']:,.0f} vehicles; "
        f"destroyed {t['destroy_teu']:,.0f} TEU / {t['destroy_vehicles']:,.0f} vehicles"
    )
    terms = Table(title="Objective (USD-equivalent)", show_edge=False)
    terms.add_column("term")
    terms.add_column("value", justify="right")
    for k, v in p.objective.items():
        terms.add_row(k, f"{v:,.0f}")
    console.print(terms)
    info = p.solver
    for line in info.describe():  # layout, gaps, work; the safety net in plain words if hit
        console.print(f"planner: {line}")
    if info.work.seconds:
        console.print(f"planner seconds (information only): {info.work.seconds}")
    if info.gain_over_greedy == info.gain_over_greedy:  # not NaN
        console.print(
            f"gain over greedy: {info.gain_over_greedy:,.0f} ({info.gain_over_greedy_pct:.1f}%)"
        )
    attacks = p.objective.get("base_attacks", 0.0)
    if not info.base_attacks and attacks > 0.25 * max(p.objective["total"], 1e-9):
        console.print(
            f"[yellow]note:[/yellow] base attacks on thinning garrisons make up "
            f"{100 * attacks / p.objective['total']:.0f}% of this plan's score but are not "
            "in the model by default; --base-attacks plans against them (its gap is not "
            "proven to 0.5% within the default time limit)"
        )
    stranded = p.figures.get("stranded_people", 0.0)
    if stranded:
        console.print(f"[red]warning:[/red] {stranded:.0f} people still in theatre at the deadline")


def register(app: typer.Typer) -> None:
    app.command("plan")(plan)
