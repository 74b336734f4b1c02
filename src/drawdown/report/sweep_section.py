"""The report's sweep section: the variants ranked by one key figure, and the failures."""

from __future__ import annotations

import math

import pandas as pd

from drawdown.analyse.compare import FIGURES
from drawdown.report.figure_data import AnalysisSection, SectionTable
from drawdown.results import SweepData

TOP = 20
# the key figures shown beside the ranking one, in this order
SHOWN = ("p_out_on_time", "completion_day", "casualties", "teu_destroyed", "cost_usd")


def sweep_section(data: SweepData) -> AnalysisSection:
    """The best variants with their key figures (mean [95% interval]) and why any failed."""
    d = data.info.details
    key = str(d.get("rank_by", "p_out_on_time"))
    summary = data.summary
    done = summary[summary["status"] == "done"]
    failed = summary[summary["status"] != "done"]
    label, unit = FIGURES[key]
    plans = "each variant re-planned" if d.get("replan") else "every variant executes the base plan"
    paragraphs = [
        f"{len(summary):,} variants of {data.info.scenario_name}, {data.info.runs:,} simulated "
        f"runs each with seed {data.info.seed} ({plans}, {d.get('planner', 'optimise')} "
        f"planner); ranked by {label}. Values: mean [95% interval]. Every variant draws its "
        "runs from the same seed, so the numbers do not depend on the workers that ran them.",
    ]
    if len(failed):
        paragraphs.append(f"{len(failed)} variant(s) failed; their reasons are listed below.")
    keys = [key, *(k for k in SHOWN if k != key)]
    rows = []
    for r in done.sort_values("rank").head(TOP).itertuples():
        row = {"rank": int(r.rank), "variant": f"[{r.variant}] {r.variant_label}"}
        for k in keys:
            name, u = FIGURES[k]
            row[f"{name} ({u})"] = _value(
                getattr(r, k), getattr(r, f"{k}_low"), getattr(r, f"{k}_high"), u
            )
        if r.plan_note:
            row["plan"] = r.plan_note
        rows.append(row)
    tables = [SectionTable(f"Best {min(TOP, len(done))} variants by {label}", pd.DataFrame(rows))]
    if len(failed):
        tables.append(
            SectionTable(
                "Variants that failed",
                pd.DataFrame(
                    {
                        "variant": [
                            f"[{v}] {t}"
                            for v, t in zip(failed["variant"], failed["variant_label"], strict=True)
                        ],
                        "reason": failed["failure_reason"].tolist(),
                    }
                ),
            )
        )
    return AnalysisSection("sweep", "Sweep", tuple(paragraphs), tables=tuple(tables))


def _value(x: float, low: float, high: float, unit: str) -> str:
    if not math.isfinite(x):
        return "–"
    if unit == "probability":
        return f"{x:.0%} [{low:.0%}, {high:.0%}]"
    return f"{_g(x)} [{_g(low)}, {_g(high)}]"


def _g(x: float) -> str:
    if not math.isfinite(x):
        return "–"
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"
