"""The report's analysis sections, from the analyses saved in a results folder.

Each section appears only when its analysis is there; these functions only reshape the
saved results (`drawdown.results`) into words and tables for reading. The figures
drawn in a section are the registry's (`drawdown.report.registry`, by their `section`).
"""

from __future__ import annotations

import math

import pandas as pd

from drawdown.report.figure_data import AnalysisSection, SectionTable
from drawdown.results import Analyses, AnalysisInfo, CalibrationData, CompareData

# Section id -> navigation label, in the order the report shows them.
ANALYSIS_SECTIONS = (
    ("compare", "Options compared"),
    ("sensitivity", "Sensitivity"),
    ("calibration", "Threat calibration"),
    ("check", "Check against outcomes"),
    ("sweep", "Sweep"),
)
OUTPUT_NAMES = {
    "prob_on_time": "P(everyone out by the deadline)",
    "casualties": "killed and wounded",
    "destroyed": "equipment destroyed",
}


def analysis_sections(analyses: Analyses) -> tuple[AnalysisSection, ...]:
    """The sections of every analysis present, in report order."""
    sections = []
    if analyses.compare is not None:
        sections.append(compare_section(analyses.compare))
    if analyses.sensitivity is not None and analyses.sensitivity_info is not None:
        sections.append(sensitivity_section(analyses.sensitivity, analyses.sensitivity_info))
    if analyses.calibration is not None:
        sections.append(calibration_section(analyses.calibration))
    if analyses.check is not None and analyses.check_info is not None:
        sections.append(check_section(analyses.check, analyses.check_info))
    if analyses.sweep is not None:
        from drawdown.report.sweep_section import sweep_section

        sections.append(sweep_section(analyses.sweep))
    return tuple(sections)


def analysis_manifest(analyses: Analyses) -> dict[str, str]:
    """One run-manifest row per analysis present: what was run, with which seed and hash."""
    rows = {}
    if analyses.compare is not None:
        c = analyses.compare
        rows["compare"] = f"{len(c.labels)} options × {c.runs:,} runs, seed {c.seed}"
    if analyses.sensitivity_info is not None:
        i = analyses.sensitivity_info
        d = i.details
        rows["sensitivity"] = (
            f"{d['method']}, {len(d['parameters'])} parameters, {d['parameter_sets']:,} sets × "
            f"{d['runs_per_set']} runs, seed {i.seed}"
        )
    if analyses.calibration is not None:
        d = analyses.calibration.info.details
        rows["calibration"] = f"{d['file']}, {d['start']} to {d['end']}, {d['matched']} events"
    if analyses.check_info is not None:
        i = analyses.check_info
        rows["check"] = f"{len(analyses.check.scores)} observations, {i.runs:,} runs, seed {i.seed}"
    if analyses.sweep is not None:
        i = analyses.sweep.info
        rows["sweep"] = (
            f"{len(analyses.sweep.summary):,} variants × {i.runs:,} runs, seed {i.seed}, "
            f"spec {i.details.get('spec_hash')}"
        )
    return rows


def _g(x: float, *, sign: bool = False) -> str:
    """A number to three significant figures, thousands separated."""
    if not isinstance(x, (int, float)) or not math.isfinite(x):
        return "–"
    if abs(x) >= 1000:
        return f"{x:+,.0f}" if sign else f"{x:,.0f}"
    return f"{x:+.3g}" if sign else f"{x:.3g}"


def _value(x: float, low: float, high: float, unit: str, *, sign: bool = False) -> str:
    if unit == "probability":
        f = (lambda v: "–" if not math.isfinite(v) else f"{v * 100:+.1f} pp") if sign else None
        if f is None:
            return f"{x:.0%} [{low:.0%}, {high:.0%}]"
        return f"{f(x)} [{f(low)}, {f(high)}]"
    return f"{_g(x, sign=sign)} [{_g(low, sign=sign)}, {_g(high, sign=sign)}]"


# --- compare -----------------------------------------------------------------------------------


def compare_section(data: CompareData) -> AnalysisSection:
    """Key figures side by side with paired differences."""
    first = data.labels[0]
    rows = []
    for key in dict.fromkeys(data.figures["figure"]):
        rows_of_key = data.figures[data.figures["figure"] == key]
        head = rows_of_key.iloc[0]
        row = {"key figure": f"{head['label']} ({head['unit']})"}
        for r in rows_of_key.itertuples():
            row[str(r.option)] = _value(r.value, r.low, r.high, str(r.unit))
            if r.option != first:
                row[f"{r.option} − {first}"] = _value(
                    r.diff, r.diff_low, r.diff_high, str(r.unit), sign=True
                )
        rows.append(row)
    options = "; ".join(
        f"[{i}] {o.get('label')} (scenario {o.get('scenario_name')}, {o.get('plan_method')} plan)"
        for i, o in enumerate(data.options)
    )
    paragraphs = [
        f"{len(data.labels)} options, {data.runs:,} simulated runs each with seed {data.seed}: "
        "every option draws the same random numbers (common random numbers), so a difference "
        "is computed run by run and shown as its mean with a 95% interval; an interval that "
        "excludes zero is a difference the runs can tell apart. Values: mean [95% interval].",
    ]
    if options:
        paragraphs.append(f"Options: {options}.")
    paragraphs += [f"{k}: {v}." for k, v in data.notes.items()]
    return AnalysisSection(
        "compare",
        "Options compared",
        tuple(paragraphs),
        tables=(SectionTable("Key figures by option", pd.DataFrame(rows)),),
    )


# --- sensitivity -------------------------------------------------------------------------------


def sensitivity_section(result: object, info: AnalysisInfo) -> AnalysisSection:
    """The indices of each output with their intervals, and the ranges used."""
    d = info.details
    indices: pd.DataFrame = result.indices  # type: ignore[attr-defined]
    method = str(d["method"])
    outputs = [str(o) for o in d.get("outputs") or dict.fromkeys(indices["output"])]
    plan = (d.get("notes") or {}).get("plan", "the scenario's plan")
    sets, per_set = int(d["parameter_sets"]), int(d["runs_per_set"])
    if method == "sobol":
        how = (
            f"Sobol indices (Saltelli design, base sample N = {d['samples']}): first order S1 "
            "is the share of an output's variance due to a parameter alone, total order ST "
            "adds its interactions; ± gives the 95% bootstrap interval."
        )
    else:
        how = (
            f"Morris screening ({d['samples']} trajectories): mu* is the mean absolute "
            "elementary effect of a parameter (in the output's units), sigma the spread of "
            "its effects (interactions or non-linearity); ± gives the 95% interval of mu*."
        )
    paragraphs = (
        f"{len(d['parameters'])} declared uncertainties varied over their ranges; "
        f"{sets:,} parameter sets × {per_set} runs = {sets * per_set:,} simulated runs, seed "
        f"{info.seed}. Outputs: {', '.join(OUTPUT_NAMES.get(o, o) for o in outputs)}.",
        how,
        (
            f"Each parameter set is planned afresh, as a re-plan of {plan}, and its own plan "
            "is run: the indices say which inputs move the outcomes of the best plan for "
            "them, fleets and escorts included."
            if d.get("replanned")
            else f"The plan is fixed: every parameter set executes the same plan ({plan}). The "
            "indices say which inputs move the outcomes of that plan, not how a plan "
            "re-optimised for each set of inputs would fare (`drawdown sensitivity --replan`)."
        ),
    )
    rows = []
    for output in outputs:
        ranked = result.ranking(output)  # type: ignore[attr-defined]
        for r in ranked.itertuples():
            row = {"output": output, "parameter": r.parameter}
            if method == "sobol":
                row["ST (total)"] = f"{r.ST:.2f} ± {r.ST_conf:.2f}"
                row["S1 (first order)"] = f"{r.S1:.2f} ± {r.S1_conf:.2f}"
            else:
                row["mu*"] = f"{_g(r.mu_star)} ± {_g(r.mu_star_conf)}"
                row["sigma"] = _g(r.sigma)
            rows.append(row)
    ranges = pd.DataFrame(d.get("ranges") or [])
    tables = [SectionTable("Indices by output, most influential first", pd.DataFrame(rows))]
    if not ranges.empty:
        tables.append(
            SectionTable(
                "Ranges sampled (uniform; multiplier: a factor on each matching row's value)",
                ranges,
                {"low": ".3g", "high": ".3g"},
            )
        )
    return AnalysisSection("sensitivity", "Sensitivity", paragraphs, tables=tuple(tables))


# --- calibration -------------------------------------------------------------------------------

UNITS = {"ied": "convoy-km", "ambush": "convoy-km", "base_attack": "site-day"}


def calibration_section(data: CalibrationData) -> AnalysisSection:
    """Posterior incident rates per link or site, with the events and the file behind them."""
    d = data.info.details
    credible = float(d.get("credible", 0.9))
    rates = data.rates.sort_values(
        ["kind", "events", "pooled_events", "mean"], ascending=[True, False, False, False]
    )
    table = pd.DataFrame(
        {
            "target": rates["target"].astype(str),
            "kind": rates["kind"].astype(str),
            "events": rates["events"].astype(int),
            "events pooled": rates["pooled_events"].astype(int),
            "exposure": rates["pooled_exposure"].astype(float),
            "unit": rates["exposure_unit"].astype(str)
            if "exposure_unit" in rates
            else rates["kind"].map(UNITS).fillna("sortie"),
            "rate (posterior mean)": rates["mean"].astype(float),
            f"low ({credible:.0%})": rates["low"].astype(float),
            f"high ({credible:.0%})": rates["high"].astype(float),
        }
    )
    dropped = "; ".join(f"{n} {why}" for why, n in (d.get("dropped") or {}).items())
    paragraphs = [
        f"From {d['file']}: {d['rows_read']} rows read, events from {d['start']} to "
        f"{d['end']}; {d['matched']} matched to a road link or site within {d['buffer_km']:g} "
        f"km, {d['unmatched']} matched nothing"
        + (" (listed below)" if d["unmatched"] else "")
        + (f"; left out: {dropped}" if dropped else "")
        + ".",
        f"Rates are Gamma–Poisson posterior means per unit of exposure with {credible:.0%} "
        f"credible intervals. Exposure assumed [E]: {d.get('exposure', 'n/a')}. 'events "
        "pooled' counts the events of the group a target's rate borrows strength from.",
    ]
    paragraphs += [f"{v}" for v in (d.get("notes") or {}).values()]
    formats = {
        "exposure": ",.0f",
        "rate (posterior mean)": ".3g",
        f"low ({credible:.0%})": ".3g",
        f"high ({credible:.0%})": ".3g",
    }
    tables = [SectionTable("Posterior rate per target", table, formats)]
    if len(data.unmatched):
        columns = [
            c
            for c in ("row", "date", "kind", "location", "lat", "lon", "reason")
            if c in data.unmatched
        ]
        tables.append(
            SectionTable(
                "Events near no link or base (not counted)",
                _text(data.unmatched[columns], ("date", "kind", "location", "reason")),
                {"lat": ".3f", "lon": ".3f", "row": "d"},
            )
        )
    return AnalysisSection(
        "calibration",
        "Threat calibration",
        tuple(paragraphs),
        tables=tuple(tables),
    )


def _text(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """`columns` as text, blanks for missing values (not 'nan')."""
    frame = frame.copy()
    for c in columns:
        if c in frame:
            frame[c] = frame[c].astype(object).fillna("").astype(str)
    return frame


# --- check -------------------------------------------------------------------------------------


def check_section(result: object, info: AnalysisInfo) -> AnalysisSection:
    """Coverage of the 50% and 80% intervals, CRPS and median errors."""
    scores: pd.DataFrame = result.scores  # type: ignore[attr-defined]
    by_kind: pd.DataFrame = result.by_kind()  # type: ignore[attr-defined]
    c50 = float(result.coverage_50)  # type: ignore[attr-defined]
    c80 = float(result.coverage_80)  # type: ignore[attr-defined]
    rho = float(result.closure_order_spearman)  # type: ignore[attr-defined]
    runs = int(result.runs)  # type: ignore[attr-defined]
    notes = info.details.get("notes") or {}
    paragraphs = [
        f"{len(scores)} observed outcomes scored against {runs:,} simulated runs (seed "
        f"{info.seed}"
        + (f"; actuals from {notes['actuals']}" if "actuals" in notes else "")
        + (f"; plan: {notes['plan']}" if "plan" in notes else "")
        + ").",
        f"{c50:.0%} of observations fell in their 50% interval and {c80:.0%} in their 80% "
        "interval; a well-calibrated model gets about 50% and 80%. CRPS (lower is better) "
        "is in each observation's own unit (closures: days from the start); median error is "
        "the simulated median minus the observed value.",
    ]
    if math.isfinite(rho):
        paragraphs.append(
            f"Order of closures: Spearman rank correlation of observed and median simulated "
            f"closure days {rho:.2f} (1: the same order)."
        )
    table = pd.DataFrame(
        {
            "kind": scores["kind"].astype(str),
            "site": scores["site"].astype(str),
            "date": scores["date"].astype(str),
            "observed": scores["observed"].astype(float),
            "median": scores["median"].astype(float),
            "80% interval": [
                f"{_g(lo)} – {_g(hi)}" for lo, hi in zip(scores["q10"], scores["q90"], strict=True)
            ],
            "in 50%": ["yes" if x else "no" for x in scores["in_50"]],
            "in 80%": ["yes" if x else "no" for x in scores["in_80"]],
            "CRPS": scores["crps"].astype(float),
            "source": scores["source"].astype(str),
        }
    )
    summary = by_kind.rename(
        columns={
            "coverage_50": "in 50%",
            "coverage_80": "in 80%",
            "crps": "mean CRPS",
            "median_abs_error": "mean |median error|",
        }
    )
    return AnalysisSection(
        "check",
        "Check against outcomes",
        tuple(paragraphs),
        tables=(
            SectionTable(
                "By kind of observation",
                summary,
                {
                    "in 50%": ".0%",
                    "in 80%": ".0%",
                    "mean CRPS": ".3g",
                    "mean |median error|": ".3g",
                },
            ),
            SectionTable(
                "Each observation",
                table,
                {"observed": ",.0f", "median": ",.0f", "CRPS": ".3g"},
            ),
        ),
    )
