"""`drawdown compare`, `drawdown sensitivity` and `drawdown check`: thin wrappers on analyse."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from drawdown.commands.common import console
from drawdown.defaults import DEFAULT_SEED
from drawdown.errors import InputError, Problem
from drawdown.hxl import HELP as HXL_HELP
from drawdown.hxl import set_tagging


def _load(name: str) -> Any:
    from drawdown.scenario.io import load_scenario

    return load_scenario(name)


OUT_HELP = (
    "Results folder: writes FOLDER/{kind}/ (tables, analysis.json, PNG); when FOLDER holds "
    "a `drawdown run`, its report is rebuilt with this analysis in it."
)


def _check_out(out: Path | None, scenario: Any, kind: str) -> None:
    """Refuse, before any work, a run folder of another scenario."""
    if out is not None:
        from drawdown.results import check_target

        check_target(out, scenario, kind)


def _writable(out: Path | None) -> None:
    """Refuse, before anything is loaded, an output folder that cannot be written."""
    if out is not None:
        from drawdown.output_paths import check_output

        check_output(out, kind="folder", option="--out")


def _write(out: Path, kind: str, save: Any) -> None:
    """Write OUT/KIND/ in one piece (replacing an earlier one), then rebuild OUT's report."""
    from drawdown.report import add_analysis

    path = add_analysis(out, kind, save)
    console.print(f"[green]✓[/green] {kind} results in [bold]{out / kind}[/bold]")
    if path is not None:
        console.print(f"[green]✓[/green] report with the {kind} section: [bold]{path}[/bold]")
    else:
        console.print(
            f"  no run in {out}: `drawdown run SCENARIO -o {out}` writes a report that "
            "includes this analysis"
        )


def compare(
    scenarios: Annotated[list[str], typer.Argument(help="Scenario folders or built-in names.")],
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="PARAM=VALUE or PARAM=*FACTOR (e.g. clearance.road.approval=0.5). With one "
            "scenario: compare it with the changed copy; with several: applied to all.",
        ),
    ] = None,
    runs: Annotated[int, typer.Option("--runs", min=1, help="Runs per option.")] = 2000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed shared by every option.")] = (
        DEFAULT_SEED
    ),
    same_plan: Annotated[
        bool,
        typer.Option("--same-plan", help="Execute the first option's plan in every option."),
    ] = False,
    greedy: Annotated[
        bool,
        typer.Option("--greedy", help="Plan with the fast greedy baseline, not the optimiser."),
    ] = False,
    out: Annotated[
        Path | None, typer.Option("-o", "--out", help=OUT_HELP.format(kind="compare"))
    ] = None,
    hxl: Annotated[bool, typer.Option("--hxl", help=HXL_HELP)] = False,
) -> None:
    """Compare scenarios (or one scenario and --set changes) with common random numbers."""
    set_tagging(hxl)
    from drawdown.analyse.compare import FIGURES
    from drawdown.analyse.compare import compare as run_compare
    from drawdown.analyse.overrides import apply_overrides, parse_overrides

    _writable(out)
    loaded = [_load(s) for s in scenarios]
    changes = list(set_ or [])
    if len(loaded) == 1:
        if not changes:
            raise InputError(
                Problem(
                    "compare",
                    "arguments",
                    "one scenario and nothing to compare it with",
                    "give a second scenario, or --set PARAM=VALUE",
                )
            )
        parse_overrides(changes, loaded[0])
        # the first option (the report's reference) is the scenario itself
        _check_out(out, loaded[0], "compare")
        comparison = run_compare(
            loaded[0],
            overrides=[changes],
            runs=runs,
            seed=seed,
            same_plan=same_plan,
            planner=_planner(greedy),
        )
    else:
        if changes:
            loaded = [apply_overrides(s, parse_overrides(changes, s)) for s in loaded]
        # the first option, as changed, must be the scenario of the run in OUT
        _check_out(out, loaded[0], "compare")
        comparison = run_compare(
            loaded, runs=runs, seed=seed, same_plan=same_plan, planner=_planner(greedy)
        )
    table = Table(title=f"{runs:,} runs per option, seed {seed} (the same for every option)")
    table.add_column("key figure")
    for i, label in enumerate(comparison.labels):
        table.add_column(label if i == 0 else f"{label}\n(difference to the first)")
    for key, (label, unit) in FIGURES.items():
        rows = comparison.figures[comparison.figures["figure"] == key]
        cells = []
        for i, row in enumerate(rows.itertuples()):
            text = f"{_num(row.value)} [{_num(row.low)}, {_num(row.high)}]"
            if i:
                low, high = _num(row.diff_low, True), _num(row.diff_high, True)
                text = f"{_num(row.diff, True)} [{low}, {high}]"
            cells.append(text)
        table.add_row(f"{label} ({unit})", *cells)
    console.print(table)
    if out is not None:
        from drawdown.report.analysis_pngs import compare_pngs
        from drawdown.results import save_comparison

        notes = {
            "plans": "the first option's plan executed in every option"
            if same_plan
            else "each option executes its own plan",
        }
        if changes:
            notes["changes"] = ", ".join(changes)

        def save(folder: Path) -> None:
            save_comparison(comparison, folder, notes=notes)
            compare_pngs(comparison, folder)

        _write(out, "compare", save)


def _num(x: float, sign: bool = False) -> str:
    from drawdown.analyse.compare import format_figure

    return format_figure(x, sign=sign)


def sensitivity(
    scenario: Annotated[str, typer.Argument(help="A scenario folder or a built-in name.")],
    method: Annotated[str, typer.Option("--method", help="sobol or morris (cheaper).")] = "sobol",
    samples: Annotated[
        int,
        typer.Option(
            "--samples", min=1, help="Sobol base samples (power of two) or Morris trajectories."
        ),
    ] = 256,
    output: Annotated[
        str, typer.Option("--output", help="Comma-separated outputs.")
    ] = "prob_on_time,casualties,destroyed",
    runs_per_set: Annotated[
        int, typer.Option("--runs-per-set", min=1, help="Runs per parameter set.")
    ] = 8,
    parameters: Annotated[
        str | None,
        typer.Option("--parameters", help="Comma-separated subset of the declared uncertainties."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of the design and the runs.")] = (
        DEFAULT_SEED
    ),
    greedy: Annotated[
        bool,
        typer.Option("--greedy", help="Plan with the fast greedy baseline, not the optimiser."),
    ] = False,
    out: Annotated[
        Path | None, typer.Option("-o", "--out", help=OUT_HELP.format(kind="sensitivity"))
    ] = None,
    hxl: Annotated[bool, typer.Option("--hxl", help=HXL_HELP)] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Run the parameter sets on the Dask scheduler at this address (e.g. "
            "tcp://host:8786); the same indices as without it.",
        ),
    ] = None,
    replan: Annotated[
        bool,
        typer.Option(
            "--replan",
            help="Plan each parameter set afresh (a re-plan of the scenario's plan) and run "
            "its own plan: fleets and escorts then count, which a fixed plan does not feel. "
            "One plan per set: use --method morris.",
        ),
    ] = False,
) -> None:
    """Which declared uncertainty drives the risk: Sobol or Morris indices and a tornado chart."""
    from drawdown.analyse.sensitivity import check_design

    set_tagging(hxl)
    from drawdown.analyse.sensitivity import sensitivity as run_sensitivity

    _writable(out)
    s = _load(scenario)
    outputs = tuple(o.strip() for o in output.split(",") if o.strip())
    names = [p.strip() for p in parameters.split(",")] if parameters else None
    check_design(  # before the plan is made: a typo costs a second, not an optimisation
        s,
        method=method,
        samples=samples,
        outputs=outputs,
        runs_per_set=runs_per_set,
        parameters=names,
        replan=replan,
        scheduler=scheduler,
    )
    _check_out(out, s, "sensitivity")
    the_plan = _planner(greedy)(s)
    with console.status("evaluating the design…"):
        result = run_sensitivity(
            s,
            the_plan,
            method=method,  # type: ignore[arg-type]
            samples=samples,
            outputs=outputs,
            runs_per_set=runs_per_set,
            seed=seed,
            parameters=names,
            scheduler=scheduler,
            replan=replan,
        )
    console.print(result.summary())
    if out is not None:
        from drawdown.report.analysis_pngs import sensitivity_pngs
        from drawdown.results import save_sensitivity

        plan_note = f"{the_plan.method} plan of {s.name}, made for the scenario's central values"
        if replan:
            plan_note += ", re-planned for each parameter set"

        def save(folder: Path) -> None:
            save_sensitivity(result, folder, s, seed=seed, notes={"plan": plan_note})
            sensitivity_pngs(result, folder, outputs)

        _write(out, "sensitivity", save)


def check(
    scenario: Annotated[str, typer.Argument(help="A scenario folder or a built-in name.")],
    actuals: Annotated[
        Path,
        typer.Option(
            "--actuals",
            help="Observed outcomes CSV (kind,site,date,value,source), or `builtin` for the "
            "record shipped with a built-in precedent scenario.",
        ),
    ],
    plan: Annotated[
        Path | None, typer.Option("--plan", help="Results folder holding the plan to check.")
    ] = None,
    runs: Annotated[int, typer.Option("--runs", min=1, help="Simulated runs.")] = 2000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Seed of the runs.")] = DEFAULT_SEED,
    greedy: Annotated[
        bool,
        typer.Option("--greedy", help="Plan with the fast greedy baseline, not the optimiser."),
    ] = False,
    out: Annotated[
        Path | None, typer.Option("-o", "--out", help=OUT_HELP.format(kind="check"))
    ] = None,
    hxl: Annotated[bool, typer.Option("--hxl", help=HXL_HELP)] = False,
    declared_sets: Annotated[
        int,
        typer.Option(
            "--declared",
            min=0,
            help="Also draw the scenario's declared uncertainties: this many parameter sets "
            "(Latin hypercube over their ranges), each planned afresh and stress-tested with "
            "its share of --runs, scored as one distribution. 0: the one plan's stress test.",
        ),
    ] = 0,
) -> None:
    """Score the simulated distributions against what actually happened."""
    set_tagging(hxl)
    from drawdown.analyse.check import check as run_check
    from drawdown.analyse.check import read_actuals
    from drawdown.results import load_saved_plan
    from drawdown.simulate import simulate

    _writable(out)
    if declared_sets and plan is not None:
        raise InputError(
            Problem(
                "--declared",
                str(declared_sets),
                "plans each parameter set afresh, so it cannot check a saved plan (--plan)",
                "drop --plan, or drop --declared to check the saved plan",
            )
        )
    s = _load(scenario)
    actuals = _actuals_file(actuals, scenario)
    observations = read_actuals(actuals, s)  # bad rows fail before any work
    _check_out(out, s, "check")
    if declared_sets:
        from drawdown.analyse.declared import check_declared, declared_forecast

        doing = f"planning and stress-testing parameter set {{}} of {declared_sets}…"
        with console.status(doing.format(1)) as status:
            sets = declared_forecast(
                s, sets=declared_sets, runs=runs, seed=seed, greedy=greedy,
                progress=lambda done, total: status.update(doing.format(min(done + 1, total))),
            )  # fmt: skip
        for one in sets:
            if one.note:
                console.print(f"  parameter set {one.number}: {one.note}")
        checked = check_declared(s.name, sets, observations)
        the_plan = sets[0].plan
    else:
        the_plan = load_saved_plan(plan) if plan is not None else _planner(greedy)(s)
        result = simulate(s, the_plan, runs=runs, seed=seed)
        checked = run_check(s, result, observations)
    table = Table(
        title=f"{len(checked.scores)} observations, {checked.runs:,} runs", pad_edge=False
    )
    # observations and intervals on one line each: container counts (thousands of TEU) made
    # the table wider than a terminal, and rich broke them across lines
    for column in ("observation", "observed", "median", "80% interval", "in 80%", "CRPS"):
        table.add_column(column, no_wrap=column in ("observation", "80% interval"))
    for row in checked.scores.itertuples():
        what = f"{row.kind} {row.site}".strip() + f" {row.date}"
        table.add_row(
            what,
            f"{row.observed:,.0f}",
            f"{row.median:,.0f}",
            f"{row.q10:,.0f}–{row.q90:,.0f}",
            "yes" if row.in_80 else "[red]no[/red]",
            f"{row.crps:,.0f}" if abs(row.crps) >= 100 else f"{row.crps:,.3g}",
        )
    console.print(table)
    console.print(checked.summary())
    if out is not None:
        from drawdown.report.analysis_pngs import check_pngs
        from drawdown.results import save_check

        notes = {
            "actuals": actuals.name,
            "plan": f"{the_plan.method} plan"
            + (f" from {plan}" if plan is not None else " made for this check")
            + (
                f", one for each of {checked.declared_sets} parameter sets of the declared "
                "uncertainties"
                if checked.declared_sets
                else ""
            ),
        }
        if checked.unscored:
            notes["not scored"] = "; ".join(
                f"{o.kind} {o.date} (row {o.row})" for o in checked.unscored
            )

        def save(folder: Path) -> None:
            save_check(checked, folder, s, seed=seed, notes=notes)
            check_pngs(checked, folder)

        _write(out, "check", save)


def _actuals_file(actuals: Path, scenario: str) -> Path:
    """The actuals CSV, or for `--actuals builtin` the record shipped with a built-in."""
    if str(actuals) != "builtin":
        return actuals
    from drawdown.scenario.io import builtin_names, builtin_record

    record = builtin_record(scenario)
    if record is None:
        with_record = [n for n in builtin_names() if builtin_record(n) is not None]
        raise InputError(
            Problem(
                "--actuals",
                "builtin",
                f"{scenario!r} is not a built-in scenario with a shipped record",
                f"give an actuals CSV, or check a built-in that has one: {', '.join(with_record)}",
            )
        )
    return record


def _planner(greedy: bool) -> Any:
    """The greedy baseline or the optimiser (with a note while it works)."""
    from drawdown.plan import greedy_plan, optimise

    if greedy:
        return greedy_plan

    def planned(scenario: Any) -> Any:
        with console.status(f"optimising the plan of {scenario.name}…"):
            return optimise(scenario, with_greedy=False)  # compare shows no gain over greedy

    return planned


def register(app: typer.Typer) -> None:
    app.command()(compare)
    app.command()(sensitivity)
    app.command()(check)
