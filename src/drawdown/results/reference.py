"""The results-folder reference, generated from the code (docs/reference/results-folder.md).

    python -m drawdown.results.reference > docs/reference/results-folder.md

File and folder names come from `drawdown.results.layout`; the columns of the plan and
simulation tables from the types and constants that write them. The analysis tables'
columns are listed here and a test checks them against the files a real run writes, so the
page cannot drift from the code unseen.
"""

from __future__ import annotations

from dataclasses import dataclass

from drawdown.hxl import tag as hxl_tag
from drawdown.results import layout as L


@dataclass(frozen=True)
class File:
    """One file (or folder) of a results folder."""

    path: str
    what: str
    columns: tuple[str, ...] = ()


# Units and meanings of columns, by name; a column not here is read by its suffix (`UNITS`).
COLUMNS = {
    "day": "day index from the scenario's start (day 0)",
    "arrival_day": "day index the movement arrives",
    "closure_day": "day index the site closes",
    "early_closed_site": "1 if the site was closed early under attack",
    "date": "calendar date (ISO) of the day index",
    "convoys": "road convoys or air sorties",
    "people": "people",
    "containers_teu": "containers, TEU",
    "vehicles": "vehicles",
    "value_usd": "value, USD",
    "fate": "plan disposition: repatriate, hand_over or destroy",
    "run": "run number (0-based; run i draws from its own fixed slice of the seed's stream)",
    "people_low": "people in theatre, lower end of the histogram bin",
    "people_high": "people in theatre, upper end of the bin (inclusive)",
    "civilians_low": "civilians uncovered, lower end of the histogram bin",
    "civilians_high": "civilians uncovered, upper end of the bin (exclusive)",
    "place": "site or lift row id the figure is of ('' for a figure of the whole run)",
    "binned": "true: `value` is the midpoint of a 0.1%-wide bin (more than 65,536 distinct "
    "values); false: the exact value",
    "lift": "lift row id (scenario `lift`)",
    "people_seated": "people seated on charters that day, summed over runs",
    "seats": "seats cleared that day, summed over runs",
    "teu_crossed": "TEU that crossed the corridor's end in the run",
    "vehicles_crossed": "vehicles that crossed the corridor's end in the run",
    "packed_day": "day index the site had packed all its plan ships (-1: never, or nothing "
    "to pack)",
    "handover_day": "day index the host took the site over while its people were there (-1: "
    "not handed over: refused, or abandoned by an evacuation or a guard gone first)",
    "early_close_day": "day index the site closed early under attack (-1: it did not)",
    "runs": "simulated runs",
    "cost_usd": "running and movement cost, USD",
    "protection_gap_person_days": "people uncovered times days, person-days",
    "killed": "people killed",
    "wounded": "people wounded",
    "completion_day": "day index the last person left",
    "low": "lower end of the interval",
    "high": "upper end of the interval",
    "mean": "posterior mean rate per exposure unit",
    "distance_km": "distance to the nearest link or base, km",
    "crps": "continuous ranked probability score (lower is better)",
    "origin": "site id the movement leaves",
    "destination": "site id the movement reaches",
    "link": "link id",
    "mode": "road, air or river",
    "asset": "asset id (truck fleet or aircraft type)",
    "route": "the sites passed, in order",
    "site": "site id",
    "cargo_class": "cargo class of the holding",
    "sensitive": "weapons, ammunition or armour: may not be handed over",
    "owner": "who decides what becomes of it: coe (its contingent) or un",
    "group": "Financial Regulation 5.14 group of what stays: hand_over, sell or write_off "
    "(empty when repatriated)",
    "option": "option label (the first is the reference)",
    "figure": "key figure id (in distributions.parquet: the per-run figure tallied)",
    "label": "key figure, in words",
    "unit": "unit of the key figure",
    "value": "mean over runs, in `unit` (in distributions.parquet: a value the figure took)",
    "diff": "difference to the first option (common random numbers), in `unit`",
    "diff_low": "lower end of the difference's interval",
    "diff_high": "upper end of the difference's interval",
    "planned_day": "the plan's closure day index",
    "p_closed_by_deadline": "share of runs with the site closed by the deadline",
    "p_low": "lower end of that share's interval",
    "p_high": "upper end of that share's interval",
    "output": "simulated output the index is about",
    "parameter": "declared uncertainty (scenario.yaml `uncertainties`)",
    "S1": "first-order Sobol index",
    "S1_conf": "half-width of its 95% confidence interval",
    "ST": "total-order Sobol index",
    "ST_conf": "half-width of its 95% confidence interval",
    "kind": "threat or observation kind",
    "observed": "observed value",
    "median": "median of the simulated distribution",
    "in_50": "observed value inside the central 50% interval",
    "in_80": "observed value inside the central 80% interval",
    "pit": "share of simulated runs below the observed value",
    "median_error": "median minus observed",
    "source": "where the observation comes from",
    "observations": "observations of the kind",
    "coverage_50": "share inside their 50% interval",
    "coverage_80": "share inside their 80% interval",
    "median_abs_error": "mean absolute median error",
    "target": "link or site id the rate applies to",
    "period": "period label",
    "period_start": "first day of the period (date)",
    "period_end": "last day of the period (date)",
    "events": "events matched to the target in the period",
    "exposure": "exposure in the period, in `exposure_unit`",
    "pooled_events": "events after pooling",
    "pooled_exposure": "exposure after pooling",
    "pooled_over": "targets pooled together",
    "exposure_unit": "convoy-km, sortie or site-day",
    "prior_shape": "gamma prior shape",
    "prior_rate": "gamma prior rate",
    "shape": "gamma posterior shape",
    "rate_param": "gamma posterior rate",
    "row": "row in the incident file",
    "source_id": "the incident file's own event id",
    "lat": "latitude, WGS84 degrees",
    "lon": "longitude, WGS84 degrees",
    "reason": "why the event matched nothing",
    "matched": "whether it matched a target",
    "geo_precision": "the file's location precision code",
    "time_precision": "the file's date precision code",
    "inter1": "ACLED actor type of the first actor",
    "inter2": "ACLED actor type of the second actor",
    "location": "place name in the file",
    "description": "the file's notes on the event",
    "all_out_by_deadline": "everyone out by the deadline (1) or not (0)",
    "draws_short": "runs whose random draws ran short (should be 0)",
    "bases_closed_early": "bases closed before their planned day",
    # a sweep's summary (sweep/summary.csv); its key figures are described by `_sweep_unit`
    "variant": "variant number (its partition of sweep/runs/)",
    "variant_label": "what the variant changes, in words",
    "overrides": "the variant's NAME=VALUE overrides, `;`-separated",
    "status": "done, or failed (see failure_reason)",
    "failure_reason": "why the variant failed (empty when done)",
    "plan_note": "why the plan executed is not the optimised one asked for, if so",
    "plan_hash": "content hash of the plan executed",
    "scenario_hash": "content hash of the variant's scenario",
    "rank": "rank by the sweep's `rank_by` figure (1: best; empty: failed)",
}
UNITS = {
    "_teu": "TEU",
    "_usd": "USD",
    "_km": "km",
    "_day": "day index",
    "_days": "days",
    "_people": "people",
    "vehicles_": "vehicles",
    "teu_": "TEU",
    "incidents_": "incidents",
    "people_": "people",
}

COMPARE = ("figure", "label", "unit", "option", "value", "low", "high", "diff", "diff_low",
           "diff_high")  # fmt: skip
COMPARE_FAN = ("option", "day", "q05", "q25", "q50", "q75", "q95", "mean", "date")
COMPARE_GANTT = ("option", "site", "q05", "q05_date", "q50", "q50_date", "q95", "q95_date",
                 "p_closed_by_deadline", "p_low", "p_high", "planned_day")  # fmt: skip
SENSITIVITY = ("output", "parameter", "S1", "S1_conf", "ST", "ST_conf")
CHECK = ("kind", "site", "date", "observed", "q10", "q25", "median", "q75", "q90", "in_50",
         "in_80", "pit", "crps", "median_error", "source")  # fmt: skip
CHECK_BY_KIND = ("kind", "observations", "coverage_50", "coverage_80", "crps",
                 "median_abs_error")  # fmt: skip
CALIBRATION_RATES = ("target", "kind", "period", "period_start", "period_end", "events",
                     "exposure", "pooled_events", "pooled_exposure", "pooled_over",
                     "exposure_unit", "prior_shape", "prior_rate", "shape", "rate_param", "mean",
                     "low", "high")  # fmt: skip
CALIBRATION_UNMATCHED = ("row", "source_id", "date", "lat", "lon", "kind", "killed", "wounded",
                         "geo_precision", "time_precision", "inter1", "inter2", "location",
                         "description", "target", "distance_km", "matched", "reason")  # fmt: skip
# Morris sensitivity writes mu_star, mu_star_conf, sigma instead of S1/ST.


def _sweep_summary() -> tuple[str, ...]:
    from drawdown.analyse.compare import FIGURES
    from drawdown.sweep.summary import ID_COLUMNS

    figures = (f"{k}{s}" for k in FIGURES for s in ("", "_low", "_high"))
    return (*ID_COLUMNS, *figures, "rank")


def files() -> tuple[File, ...]:
    """Every file of a results folder, in the order the reference lists them."""
    from drawdown.plan.io import DISPOSITION_COLUMNS, MOVEMENT_COLUMNS
    from drawdown.simulate import io as sim
    from drawdown.simulate.outcomes import RUN_COLUMNS
    from drawdown.simulate.policy import FATES

    sweep_summary = _sweep_summary()

    movements = (*MOVEMENT_COLUMNS, "date")
    closures = ("site", "closure_day", "date")
    sites = (
        "run",
        "site",
        "closure_day",
        *(f"{u}_{f}" for f in FATES for u in ("teu", "vehicles")),
        *sim.SITE_DAYS,
    )
    plan = L.PLAN_DIR
    sim_dir = L.SIMULATION_DIR
    return (
        File(
            L.RUN_FILE,
            "the run manifest: drawdown version, scenario name and content hash, "
            "seed, runs, and extra rows (stage times, a plan note)",
        ),
        File(
            f"{L.SCENARIO_DIR}/",
            "the scenario as run, in the scenario format (YAML + CSV; "
            "see scenario-format.md), so the folder stands alone",
        ),
        File(L.GEOJSON_FILE, "sites (points) and links (lines) for GIS"),
        File(
            f"{plan}/movements.csv",
            "the plan's movements, one row a leg (also .parquet)",
            movements,
        ),
        File(f"{plan}/closures.csv", "closure day of every site (also .parquet)", closures),
        File(
            f"{plan}/dispositions.csv",
            "what happens to each site's cargo class (also .parquet)",
            tuple(DISPOSITION_COLUMNS),
        ),
        File(
            f"{plan}/summary.json",
            "scenario name and hash, horizon, method, objective "
            "terms (USD-equivalent), solver record, figures, totals",
        ),
        File(
            f"{plan}/routes.geojson",
            "the links the plan uses, with convoys, people, TEU and vehicles over each",
        ),
        File(
            f"{L.BASELINE_DIR}/",
            f"the greedy baseline plan, same files as {plan}/ (when one was made)",
        ),
        File(
            f"{sim_dir}/{sim.SUMMARY}",
            "seed, runs, scenario and plan hashes, version, "
            "headline figures, site and link ids, incidents and deaths by place, and the "
            "streaming statistics the summaries come from (strict JSON: see below for `null`)",
        ),
        File(f"{sim_dir}/{sim.RUNS}", "one row a simulated run", ("run", *RUN_COLUMNS)),
        File(
            f"{sim_dir}/{sim.SITES}",
            "one row a run and site: closure day, cargo by simulated outcome and closure work",
            sites,
        ),
        File(
            f"{sim_dir}/{sim.FAN}",
            "people in theatre by day as histogram counts (bins of `fan_bin` people)",
            ("day", "people_low", "people_high", "runs"),
        ),
        File(
            f"{sim_dir}/{sim.TEU_OUT}",
            "containers out of the theatre by the end of each day, counted as teu_shipped "
            "counts them (across a corridor's border or into its port, or on reaching an exit "
            "without a corridor), as histogram counts (bins of `teu_out_bin` TEU)",
            ("day", "teu_low", "teu_high", "runs"),
        ),
        File(
            f"{sim_dir}/{sim.UNCOVERED}",
            "civilians left uncovered by day as histogram counts (bins of 1/4096 of the "
            "population covered at the start); the report's 10% and 90% lines are bin edges",
            ("day", "civilians_low", "civilians_high", "runs"),
        ),
        File(
            f"{sim_dir}/{sim.DISTRIBUTIONS}",
            "how many runs took each value of each per-run figure: the quantiles of "
            "summary.json and the report come from these counts",
            ("figure", "place", "value", "runs", "binned"),
        ),
        File(
            f"{sim_dir}/{sim.LIFT}",
            "strategic lift by lift row and day, summed over runs (only with lift rows): "
            "columns lift (id), day, people_seated, seats",
        ),
        File(
            f"{sim_dir}/{sim.LIFT_RUNS}",
            "TEU and vehicles that crossed each corridor's end, one row a run and lift row "
            "(only with lift rows): columns run, lift (id), teu_crossed, vehicles_crossed",
        ),
        File(
            f"{sim_dir}/{sim.TIMELINES}",
            "people in theatre by day for every run (only "
            "with --timelines): one row a run, columns run, d0, d1, ... one a day",
        ),
        File(
            f"{sim_dir}/{sim.TEU_OUT_TIMELINES}",
            "TEU out of the theatre by the end of each day for every run (only with "
            "--timelines): one row a run, columns run, d0, d1, ... one a day",
        ),
        File(
            f"{L.COMPARE_DIR}/compare.csv",
            "key figures of each option with 90% intervals, and differences to the first option",
            COMPARE,
        ),
        File(
            f"{L.COMPARE_DIR}/compare_fan.csv",
            "people in theatre by day, quantiles per option",
            COMPARE_FAN,
        ),
        File(
            f"{L.COMPARE_DIR}/compare_gantt.csv",
            "closure day quantiles per option and site",
            COMPARE_GANTT,
        ),
        File(
            f"{L.SENSITIVITY_DIR}/sensitivity.csv",
            "Sobol first-order and total indices "
            "with 95% confidence (Morris: mu_star, mu_star_conf, sigma)",
            SENSITIVITY,
        ),
        File(
            f"{L.CALIBRATION_DIR}/calibration_rates.csv",
            "pooled posterior incident rates "
            "per target and kind (per convoy-km, sortie or site-day: `exposure_unit`)",
            CALIBRATION_RATES,
        ),
        File(
            f"{L.CALIBRATION_DIR}/calibration_estimates.csv",
            "the same by period",
            CALIBRATION_RATES,
        ),
        File(
            f"{L.CALIBRATION_DIR}/calibration_unmatched.csv",
            "events near no link or base, and why",
            CALIBRATION_UNMATCHED,
        ),
        File(
            f"{L.CHECK_DIR}/check.csv",
            "one row an observed outcome, scored against the simulated distribution",
            CHECK,
        ),
        File(
            f"{L.CHECK_DIR}/check_by_kind.csv",
            "coverage and scores by observation kind",
            CHECK_BY_KIND,
        ),
        File(
            f"{L.SWEEP_DIR}/summary.csv",
            "one row per variant of a `drawdown sweep`: its status and each key figure with "
            "its 95% interval (also summary.parquet); beside it: runs/variant=N/ (per-run "
            "outcomes: `run` and the columns of simulation/runs.parquet), done/N.json, "
            "plans/HASH/, variants.csv, spec.yaml, sweep.json",
            sweep_summary,
        ),
        File(
            f"*/{L.INFO_FILE}",
            "in each analysis folder: kind, version, scenario name and "
            "hash (an analysis of another scenario is refused), seed, runs, settings, notes",
        ),
        File(L.REPORT_FILE, "the self-contained offline report"),
        File(
            f"{L.FIGURES_DIR}/",
            "the report's figures as 1600x900 PNGs (with --png); the "
            "analysis folders hold their own PNGs",
        ),
    )


def _hxl(column: str) -> str:
    from drawdown.hxl import TAGS

    return f"`{hxl_tag(column)}`" + ("" if column in TAGS else " (`+num` if numbers)")


def _json_section() -> list[str]:
    """What the JSON files hold in place of numbers that are not finite."""
    from drawdown.simulate.io import NULLS

    lines = [
        "",
        "## JSON files and `null`",
        "",
        "Every JSON file drawdown writes is strict JSON (RFC 8259): there is no `Infinity` "
        "or `NaN`, which strict readers refuse. A number that is not finite is written as "
        "`null`. In `simulation/summary.json` (the `summary` record; the file repeats this "
        "under `nulls`):",
        "",
        "| keys | `null` means |",
        "|---|---|",
    ]
    lines += [f"| `{k}` | {v} |" for k, v in NULLS.items()]
    lines += [
        "",
        "Elsewhere (`plan/summary.json`, `*/analysis.json`) `null` marks a figure that is "
        "not defined for this run, e.g. the gain over a greedy baseline that was not made.",
        "",
        "Quantiles in `summary.json` and the report are exact (bit for bit numpy's over "
        "all runs) while a figure takes at most 65,536 distinct values; past that they come "
        "from bins 0.1% wide (`distributions.parquet`, `binned`). Means and intervals are "
        "numpy's up to 65,536 runs and merged over windows of 65,536 runs beyond.",
    ]
    return lines


def _unit(column: str) -> str:
    if column in COLUMNS:
        return COLUMNS[column]
    sweep = _sweep_unit(column)
    if sweep:
        return sweep
    if column[0] == "q" and column[1:3].isdigit():
        what = "date of the " if column.endswith("_date") else ""
        return f"{what}{int(column[1:3])}% quantile over runs"
    for affix, unit in UNITS.items():
        if column.endswith(affix) or column.startswith(affix):
            return unit
    return ""


def _sweep_unit(column: str) -> str:
    """A key figure of a sweep's summary, or the end of its 95% interval."""
    from drawdown.analyse.compare import FIGURES

    key, end = column, ""
    for suffix in ("_low", "_high"):
        if column.endswith(suffix):
            key, end = column.removesuffix(suffix), suffix[1:]
    if key not in FIGURES:
        return ""
    label, unit = FIGURES[key]
    return f"{end} end of the 95% interval of: {label}, {unit}" if end else f"{label}, {unit}"


def results_reference() -> str:
    """The Markdown reference of the results folder."""
    lines = [
        "# Results folder reference",
        "",
        "<!-- Generated from the code; do not edit. Regenerate with",
        "`python -m drawdown.results.reference > docs/reference/results-folder.md` -->",
        "",
        "`drawdown run SCENARIO -o FOLDER` writes FOLDER; the analysis commands (`compare`,",
        "`sensitivity`, `calibrate --report-dir`, `check`, `sweep`) add their own folder to it,",
        "and `drawdown report FOLDER` rebuilds the report from it. Every part is written",
        "atomically. A folder is refused when it is incomplete (it needs "
        + ", ".join(f"`{n}`" for n in L.REQUIRED)
        + "), was made by another drawdown version, or holds parts of different scenarios.",
        "Day indices count from the scenario's start date (day 0).",
        "",
        "| file | what it holds |",
        "|---|---|",
    ]
    entries = files()
    lines += [f"| `{f.path}` | {f.what} |" for f in entries]
    lines += _json_section()
    lines += [
        "",
        "## HXL hashtags",
        "",
        "With `--hxl`, the commands that write CSV (`run`, `plan`, `compare`, `sensitivity`, "
        "`calibrate --report-dir`, `check`) put a row of HXL hashtags (hxlstandard.org) under "
        "each CSV header, so HXL tools read the tables without a mapping; drawdown reads its "
        "tagged CSV back as before. Each CSV table below lists its columns' tags; a column "
        "the code adds later gets `#indicator+<name>` (`+num` when numeric). "
        "`calibrate -o threats.csv` writes a scenario table, which stays untagged.",
    ]
    for f in entries:
        if not f.columns:
            continue
        lines += ["", f"## {f.path}", "", f.what[0].upper() + f.what[1:] + ".", ""]
        if f.path.endswith(".csv"):  # the hashtag each column gets with --hxl
            lines += ["| column | unit or meaning | HXL (`--hxl`) |", "|---|---|---|"]
            lines += [f"| `{c}` | {_unit(c)} | {_hxl(c)} |" for c in f.columns]
            continue
        lines += ["| column | unit or meaning |", "|---|---|"]
        lines += [f"| `{c}` | {_unit(c)} |" for c in f.columns]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(results_reference(), end="")
