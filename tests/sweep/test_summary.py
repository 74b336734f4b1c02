"""The summary ranks finished variants by one key figure, whichever way is better."""

from __future__ import annotations

from typing import Any

import pandas as pd

from drawdown.sweep.summary import ranking, summary_table


def _record(index: int, status: str = "done", **figures: float) -> dict[str, Any]:
    return {
        "index": index,
        "label": f"v{index}",
        "overrides": [f"trucks.count={index}"],
        "status": status,
        "reason": "" if status == "done" else "cannot be planned: no trucks",
        "plan_note": "",
        "plan_hash": "p",
        "scenario_hash": "s",
        "runs": 10 if status == "done" else 0,
        "figures": {k: [v, v - 1, v + 1] for k, v in figures.items()},
    }


def test_ranks_follow_the_figure_and_break_ties_by_variant() -> None:
    """More is better for P(on time), less for the rest; ties go to the lower variant; a
    failed variant has no rank; records arrive in any order."""
    records = [
        _record(2, p_out_on_time=0.9, killed=3.0),
        _record(0, p_out_on_time=0.5, killed=1.0),
        _record(1, status="failed"),
        _record(3, p_out_on_time=0.9, killed=1.0),
    ]
    on_time = summary_table(records, "p_out_on_time")
    assert list(on_time["variant"]) == [0, 1, 2, 3]
    assert on_time["rank"].tolist() == [3, pd.NA, 1, 2]
    killed = summary_table(records, "killed")
    assert killed["rank"].tolist() == [1, pd.NA, 3, 2]
    assert list(ranking(killed, "killed")["variant"]) == [0, 3, 2]
    assert killed.loc[2, "killed_low"] == 2.0 and killed.loc[2, "killed_high"] == 4.0
    failed = killed.loc[1]
    assert failed["failure_reason"].startswith("cannot be planned") and pd.isna(failed["killed"])
