"""The sweep's summary table: one row per variant, its key figures with 95% intervals, ranked.

Built from the variants' records only, in variant order, so it is the same whatever order
the variants finished in or how many workers ran them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from drawdown.analyse.compare import FIGURES
from drawdown.sweep.spec import HIGHER_IS_BETTER

ID_COLUMNS = (
    "variant",
    "variant_label",
    "overrides",
    "status",
    "failure_reason",
    "plan_note",
    "plan_hash",
    "scenario_hash",
    "runs",
)


def summary_table(records: list[dict[str, Any]], rank_by: str) -> pd.DataFrame:
    """One row per variant: what it is, its status, each key figure (value, low, high), rank.

    `rank` is 1 for the best variant by `rank_by` (ties: the lower variant number first);
    a failed variant has no rank and no figures, and its `reason` says why.
    """
    rows = []
    for r in sorted(records, key=lambda r: int(r["index"])):
        row: dict[str, Any] = {
            "variant": int(r["index"]),
            "variant_label": r["label"],
            "overrides": "; ".join(r["overrides"]),
            "status": r["status"],
            "failure_reason": r["reason"],
            "plan_note": r["plan_note"],
            "plan_hash": r["plan_hash"],
            "scenario_hash": r["scenario_hash"],
            "runs": int(r["runs"]),
        }
        for key in FIGURES:
            value, low, high = r["figures"].get(key, (None, None, None))
            row[key] = _num(value)
            row[f"{key}_low"] = _num(low)
            row[f"{key}_high"] = _num(high)
        rows.append(row)
    columns = [*ID_COLUMNS, *(f"{k}{s}" for k in FIGURES for s in ("", "_low", "_high"))]
    frame = pd.DataFrame(rows, columns=columns)
    frame["rank"] = ranks(frame, rank_by)
    return frame


def ranks(frame: pd.DataFrame, rank_by: str) -> pd.Series:
    """1 for the best finished variant by `rank_by`; <NA> for the failed ones."""
    done = frame["status"].eq("done") & frame[rank_by].notna()
    value = frame.loc[done, rank_by].to_numpy(dtype=float)
    key = -value if rank_by in HIGHER_IS_BETTER else value
    order = np.lexsort((frame.loc[done, "variant"].to_numpy(), key))
    rank = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    rank.loc[frame.index[done][order]] = np.arange(1, len(order) + 1)
    return rank


def _num(x: Any) -> float:
    return float("nan") if x is None else float(x)


def ranking(summary: pd.DataFrame, rank_by: str, top: int = 20) -> pd.DataFrame:
    """The best `top` variants by `rank_by`, best first (the report's table)."""
    ranked = summary[summary["rank"].notna()].sort_values("rank")
    return ranked.head(top).reset_index(drop=True)


__all__ = ["ID_COLUMNS", "ranking", "ranks", "summary_table"]
