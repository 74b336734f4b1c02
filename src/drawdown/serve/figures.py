"""The page's figures and numbers, drawn by the report's own code (one figure code, not two).

The headline is `drawdown.report.headline.headline`, the figures are the report registry's
entries for the map, the closure Gantt, the people-remaining fan, the equipment fate and
the protection gap, drawn with `drawdown.report.render` as inline SVG. The key figures and
their paired differences are `drawdown.analyse.compare.figures_frame`, the table of
`drawdown compare`. A drawn SVG is kept by its figure's data (a what-if that does not move
the map draws it once); matplotlib is not thread-safe, so drawing holds one lock.
"""

from __future__ import annotations

import hashlib
import math
import pickle
import threading
from collections import OrderedDict
from dataclasses import asdict
from typing import Any

from drawdown.analyse.compare import FIGURES as KEY_FIGURES
from drawdown.analyse.compare import Option, figures_frame, format_figure
from drawdown.plan.model import Plan
from drawdown.report import render
from drawdown.report.data import views_from_result
from drawdown.report.headline import headline
from drawdown.report.registry import FIGURES
from drawdown.report.select import ReportInputs
from drawdown.scenario.model import Scenario
from drawdown.simulate.result import SimulationResult

#: The report figures the page shows, in page order.
PAGE_FIGURES = ("map", "gantt", "fan", "cargo-outcome", "protection")
CACHE_SIZE = 64
#: which way a key figure gets better (the page colours a clear difference by it)
BETTER = {"p_out_on_time": "higher", "teu_handed_over": "", "vehicles_handed_over": ""}

_lock = threading.Lock()
_svgs: OrderedDict[str, str] = OrderedDict()


def _digest(key: str, data: Any) -> str:
    try:
        blob = pickle.dumps(data, protocol=5)
    except Exception:  # unpicklable data: no caching, draw every time
        return ""
    return key + ":" + hashlib.sha256(blob).hexdigest()


def draw_figures(scenario: Scenario, plan: Plan, result: SimulationResult) -> dict[str, Any]:
    """Headline numbers and inline SVG figures of one simulated variant."""
    views = views_from_result(scenario, plan, result)
    inputs = ReportInputs(scenario, plan, views)
    figures = []
    entries = {e.key: e for e in FIGURES}
    with _lock:
        for key in PAGE_FIGURES:
            for fig in entries[key].figures(inputs):
                digest = _digest(fig.key, fig.data)
                svg = _svgs.get(digest) if digest else None
                if svg is None:
                    svg = render.to_svg(render.draw(fig.plot, fig.data), fig.key)  # type: ignore[arg-type]
                    if digest:
                        _svgs[digest] = svg
                        while len(_svgs) > CACHE_SIZE:
                            _svgs.popitem(last=False)
                else:
                    _svgs.move_to_end(digest)
                figures.append(
                    {"key": fig.key, "title": fig.title, "caption": fig.caption, "svg": svg}
                )
    return {
        "headline": [asdict(h) for h in headline(scenario, plan, views)],
        "figures": figures,
    }


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def key_figures(
    baseline: tuple[Scenario, Plan, SimulationResult],
    variant: tuple[Scenario, Plan, SimulationResult],
) -> list[dict[str, Any]]:
    """Each key figure of the baseline and the variant, and the paired difference with its
    95% interval (run by run: the variant's run r against the baseline's run r)."""
    options = [Option("baseline", *baseline), Option("variant", *variant)]
    frame = figures_frame(options)
    rows = []
    for key, (label, unit) in KEY_FIGURES.items():
        part = frame[frame["figure"] == key]
        base, var = part.iloc[0], part.iloc[1]
        rows.append(
            {
                "figure": key,
                "label": label,
                "unit": unit,
                "better": BETTER.get(key, "lower"),
                "baseline": _finite(base["value"]),
                "baseline_interval": [_finite(base["low"]), _finite(base["high"])],
                "value": _finite(var["value"]),
                "interval": [_finite(var["low"]), _finite(var["high"])],
                "diff": _finite(var["diff"]),
                "diff_interval": [_finite(var["diff_low"]), _finite(var["diff_high"])],
                "text": (
                    f"{format_figure(var['value'])} [{format_figure(var['low'])}, "
                    f"{format_figure(var['high'])}]"
                ),
                "diff_text": (
                    f"{format_figure(var['diff'], sign=True)} "
                    f"[{format_figure(var['diff_low'], sign=True)}, "
                    f"{format_figure(var['diff_high'], sign=True)}]"
                ),
            }
        )
    return rows
