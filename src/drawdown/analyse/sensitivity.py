"""Global sensitivity over a scenario's declared uncertainties: Sobol indices and Morris screening.

Assumption: the plan is fixed (by default the baseline optimised plan) and only its execution
varies; fleet sizes and capacities that the planner would use differently therefore matter
only through what the plan already commits to. With `replan` each set is planned afresh
instead (`analyse.declared.simulate_replanned`) and its own plan run.

Each parameter set of the design (SALib's Saltelli/Sobol or Morris sample) is executed
`runs_per_set` times with common random numbers (the same uniforms for every set); an output
is the mean over those runs (for `prob_on_time`, the share of runs out by the deadline). Each
set is a variant (a list of overrides) run through `drawdown.simulate.simulate_variants`,
which compiles the scenario once and patches it per set where that is exact.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import latin
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from drawdown.errors import InputError, Problem
from drawdown.plan.model import Plan
from drawdown.scenario.model import Scenario, Uncertainty
from drawdown.scenario.overrides import Override, is_relative, resolve
from drawdown.simulate.variants import VariantRuns, simulate_variants

Method = Literal["sobol", "morris"]
OUTPUTS: dict[str, str] = {
    "prob_on_time": "probability that everyone is out by the deadline",
    "casualties": "killed and wounded (mean over a set's runs)",
    "killed": "killed (mean over a set's runs)",
    "destroyed": "containers (TEU) and vehicles destroyed (mean over a set's runs)",
    "completion_day": "day the last person leaves (mean; runs never done count as 3x horizon)",
}
DEFAULT_OUTPUTS = ("prob_on_time", "casualties", "destroyed")


@dataclass(frozen=True)
class SensitivityResult:
    """Sensitivity indices of each output to each declared uncertainty."""

    scenario_name: str
    method: Method
    parameters: tuple[str, ...]
    indices: pd.DataFrame  # output, parameter, then S1/S1_conf/ST/ST_conf or mu_star/...
    samples: int  # base samples (Sobol N) or trajectories (Morris)
    parameter_sets: int  # rows of the design
    runs_per_set: int
    seconds: float
    design: np.ndarray  # [sets, parameters]
    outputs: dict[str, np.ndarray]  # output -> [sets]
    # each set planned afresh (`analyse.declared`) instead of one plan executed under all
    replanned: bool = False

    @property
    def score_column(self) -> str:
        return "ST" if self.method == "sobol" else "mu_star"

    def ranking(self, output: str) -> pd.DataFrame:
        """Parameters ordered by their total effect (Sobol ST or Morris mu*) on `output`."""
        rows = self.indices[self.indices["output"] == output]
        return rows.sort_values(self.score_column, ascending=False).reset_index(drop=True)

    def summary(self) -> str:
        """The top parameters for each output, with confidence intervals."""
        lines = [
            f"{self.method} sensitivity of {self.scenario_name}: {len(self.parameters)} "
            f"parameters, {self.parameter_sets} parameter sets x {self.runs_per_set} runs "
            f"({self.seconds:.1f} s); "
            + (
                "each set planned afresh"
                if self.replanned
                else "the plan is fixed, only its execution varies"
            )
        ]
        for output in dict.fromkeys(self.indices["output"]):
            lines.append(f"  {output}:")
            for row in self.ranking(output).head(5).itertuples():
                if self.method == "sobol":
                    lines.append(
                        f"    {row.parameter:<40} ST {row.ST:5.2f} ± {row.ST_conf:4.2f}"
                        f"   S1 {row.S1:5.2f} ± {row.S1_conf:4.2f}"
                    )
                else:
                    lines.append(
                        f"    {row.parameter:<40} mu* {row.mu_star:.3g} ± {row.mu_star_conf:.2g}"
                        f"   sigma {row.sigma:.3g}"
                    )
        return "\n".join(lines)


# --- the design --------------------------------------------------------------------------------


def declared(scenario: Scenario, names: list[str] | None = None) -> tuple[Uncertainty, ...]:
    """The scenario's declared uncertainties (optionally only `names`), checked."""
    found = scenario.manifest.uncertainties
    if not found:
        raise InputError(
            Problem(
                "scenario.yaml",
                "uncertainties",
                "the scenario declares no uncertain parameters",
                "add `uncertainties:` with parameter, low, high (see docs/how-to)",
            )
        )
    if names:
        by_name = {u.parameter: u for u in found}
        missing = [n for n in names if n not in by_name]
        if missing:
            raise InputError(
                Problem(
                    "--parameters",
                    ", ".join(missing),
                    "not declared as uncertain by the scenario",
                    f"declared: {', '.join(by_name)}",
                )
            )
        found = tuple(by_name[n] for n in names)
    problems = []
    for u in found:
        try:
            resolve(u.parameter, scenario, source="scenario.yaml")
        except InputError as exc:
            problems += exc.problems
        if not u.low < u.high:
            problems.append(
                Problem("scenario.yaml", u.parameter, f"low {u.low} is not below high {u.high}")
            )
    if problems:
        raise InputError(problems, title="declared uncertainties cannot be used")
    return found


def salib_problem(params: tuple[Uncertainty, ...]) -> dict[str, object]:
    """SALib's problem definition of the declared uncertainties `params`."""
    return {
        "num_vars": len(params),
        "names": [u.parameter for u in params],
        "bounds": [[u.low, u.high] for u in params],
    }


def sample_design(
    params: tuple[Uncertainty, ...], n: int, *, method: Literal["lhs", "sobol"], seed: int
) -> np.ndarray:
    """`n` rows of a Latin hypercube, or a Sobol design of base sample `n` (first order),
    over the ranges of `params`: one parameter set a row (`sweep` samples, `check
    --declared`)."""
    problem = salib_problem(params)
    if method == "lhs":
        design = latin.sample(problem, n, seed=seed)
    else:
        design = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    return np.asarray(design, dtype=float)


# --- evaluating a design -------------------------------------------------------------------------


def design_variants(
    scenario: Scenario, params: tuple[Uncertainty, ...], design: np.ndarray
) -> list[list[Override]]:
    """Each row of `design` as a variant: the overrides putting every parameter at its value."""
    targets = [resolve(u.parameter, scenario, source="scenario.yaml") for u in params]
    return [
        [
            Override(t.name, float(v), is_relative(u))
            for t, u, v in zip(targets, params, row, strict=True)
        ]
        for row in design
    ]


def output_values(runs: VariantRuns) -> dict[str, np.ndarray]:
    """Every output of every variant: means over its runs (`prob_on_time`: share on time)."""
    horizon = runs.horizon_days[:, None]
    days = np.where(runs.completion_day >= 0, runs.completion_day, 3 * horizon)
    return {
        "prob_on_time": runs.on_time.mean(axis=1),
        "casualties": (runs.killed + runs.wounded).mean(axis=1),
        "killed": runs.killed.mean(axis=1),
        "destroyed": (runs.destroyed_teu + runs.destroyed_vehicles).mean(axis=1),
        "completion_day": days.mean(axis=1),
    }


def evaluate_design(
    scenario: Scenario,
    plan: Plan,
    params: tuple[Uncertainty, ...],
    design: np.ndarray,
    *,
    runs_per_set: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
    scheduler: str | None = None,
) -> dict[str, np.ndarray]:
    """Every output for every parameter set of `design` (mean over `runs_per_set` runs).

    With `scheduler` (a Dask scheduler's address) the sets are run on that cluster, with
    the same numbers (`drawdown.sweep.distribute`).
    """
    # the plan need only fit the scenario's sites and links: declaring uncertainties (or a
    # stress test of a plan made before an edit) changes the scenario's hash, not the plan
    variants = design_variants(scenario, params, design)
    if scheduler is not None:
        from drawdown.sweep.cluster import connect
        from drawdown.sweep.distribute import simulate_variants_on

        with connect(scheduler) as client:
            runs = simulate_variants_on(
                client,
                scenario,
                plan,
                variants,
                runs=runs_per_set,
                seed=seed,
                check_hash=False,
                progress=progress,
            )
        return output_values(runs)
    runs = simulate_variants(
        scenario, plan, variants, runs=runs_per_set, seed=seed, check_hash=False, progress=progress
    )
    return output_values(runs)


def check_design(
    scenario: Scenario,
    *,
    method: str,
    samples: int,
    outputs: tuple[str, ...],
    runs_per_set: int,
    parameters: list[str] | None,
    replan: bool = False,
    scheduler: str | None = None,
) -> tuple[Uncertainty, ...]:
    """The declared uncertainties a design would vary; refuses, before any plan is made or
    run simulated, an unknown method, output or parameter, a bad sample count, and
    re-planning on a cluster."""
    _check_outputs(outputs)
    if replan and scheduler is not None:
        raise InputError(
            Problem(
                "--replan",
                "",
                "plans each set on this machine, so it cannot run on a Dask scheduler",
                "drop --scheduler, or drop --replan to run one plan on the cluster",
            )
        )
    params = declared(scenario, parameters)
    if method not in ("sobol", "morris"):
        raise InputError(Problem("--method", method, "unknown method", "use sobol or morris"))
    if samples < 2 or runs_per_set < 1:
        raise InputError(Problem("--samples", str(samples), "needs at least 2 samples and 1 run"))
    if method == "sobol" and samples & (samples - 1):
        raise InputError(
            Problem("--samples", str(samples), "Sobol needs a power of two", "e.g. 256 or 512")
        )
    return params


def _check_outputs(outputs: tuple[str, ...]) -> None:
    bad = [o for o in outputs if o not in OUTPUTS]
    if bad or not outputs:
        raise InputError(
            Problem(
                "--output",
                ",".join(bad) or "(none)",
                "unknown output",
                f"choose from {', '.join(OUTPUTS)}",
            )
        )


def analyse_design(
    problem: dict[str, object],
    design: np.ndarray,
    y: np.ndarray,
    *,
    method: Method,
    seed: int,
    resamples: int = 200,
) -> pd.DataFrame:
    """Indices of one output from its values on a SALib design, with 95% intervals.

    Sobol: S1, S1_conf, ST, ST_conf; Morris: mu, mu_star, sigma, mu_star_conf. An output
    that never varies gets zero indices rather than a division by zero.
    """
    names = list(problem["names"])  # type: ignore[call-overload]
    if method == "sobol":
        keys = ("S1", "S1_conf", "ST", "ST_conf")
        if np.ptp(y) == 0:
            table = {k: np.zeros(len(names)) for k in keys}
        else:
            with warnings.catch_warnings():
                # SALib warns when a bootstrap resample is constant; the intervals show it
                warnings.simplefilter("ignore", UserWarning)
                table = sobol_analyze.analyze(
                    problem, y, calc_second_order=False, num_resamples=resamples, seed=seed
                )
    else:
        keys = ("mu", "mu_star", "sigma", "mu_star_conf")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            table = morris_analyze.analyze(problem, design, y, num_resamples=resamples, seed=seed)
    frame = pd.DataFrame({k: np.asarray(table[k], dtype=float) for k in keys})
    frame.insert(0, "parameter", names)
    return frame


def sensitivity(
    scenario: Scenario,
    plan: Plan | None = None,
    *,
    method: Method = "sobol",
    samples: int = 256,
    outputs: tuple[str, ...] = DEFAULT_OUTPUTS,
    runs_per_set: int = 8,
    seed: int = 0,
    parameters: list[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    scheduler: str | None = None,
    replan: bool = False,
) -> SensitivityResult:
    """Sobol (first and total order, 95% intervals) or Morris indices of each output.

    Parameters
    ----------
    plan
        The plan executed under every parameter set (default: the optimised baseline plan).
    samples
        Sobol base sample N (a power of two; N x (parameters + 2) sets) or Morris trajectories.
    runs_per_set
        Simulated runs per parameter set, with the same random numbers for every set.
    parameters
        Only these declared uncertainties (default: all of them).
    scheduler
        Address of a Dask scheduler to run the parameter sets on (same results).
    replan
        Plan each parameter set afresh (from `plan`, as a re-plan; `analyse.declared`) and
        run its plan, with the same random numbers for every set. A fixed plan does not feel
        a parameter the engine only reads through the plan (a fleet's size, a road's
        escorts): its index is zero by construction, where re-planned it is what the
        parameter does to the best plan for it. One plan per set: use Morris.
    """
    import time

    start = time.perf_counter()
    params = check_design(
        scenario,
        method=method,
        samples=samples,
        outputs=outputs,
        runs_per_set=runs_per_set,
        parameters=parameters,
        replan=replan,
        scheduler=scheduler,
    )
    if plan is None:
        from drawdown.analyse.compare import plan_option
        from drawdown.plan import optimise

        # A baseline whose deadline cannot be met is still analysed, with its best plan.
        plan, _ = plan_option(optimise, scenario)
    problem = salib_problem(params)
    if method == "sobol":
        design = sample_design(params, samples, method="sobol", seed=seed)
    else:
        design = morris_sample.sample(problem, samples, num_levels=4, seed=seed)
    if replan:
        from drawdown.analyse.declared import replanned_runs, simulate_replanned

        sets = simulate_replanned(
            scenario,
            design_variants(scenario, params, design),
            runs=runs_per_set,
            seeds=[seed] * len(design),  # common random numbers, as for a fixed plan
            greedy=plan.method == "greedy",
            progress=progress,
            base=plan,
        )
        values = output_values(replanned_runs(sets))
    else:
        values = evaluate_design(
            scenario,
            plan,
            params,
            design,
            runs_per_set=runs_per_set,
            seed=seed,
            progress=progress,
            scheduler=scheduler,
        )
    frames = []
    for output in outputs:
        frame = analyse_design(problem, design, values[output], method=method, seed=seed)
        frame.insert(0, "output", output)
        frames.append(frame)
    return SensitivityResult(
        scenario_name=scenario.name,
        method=method,
        parameters=tuple(problem["names"]),  # type: ignore[arg-type]
        indices=pd.concat(frames, ignore_index=True),
        samples=samples,
        parameter_sets=len(design),
        runs_per_set=runs_per_set,
        seconds=time.perf_counter() - start,
        design=design,
        outputs={o: values[o] for o in outputs},
        replanned=replan,
    )


__all__ = [
    "DEFAULT_OUTPUTS",
    "analyse_design",
    "OUTPUTS",
    "SensitivityResult",
    "design_variants",
    "evaluate_design",
    "output_values",
    "sensitivity",
]
