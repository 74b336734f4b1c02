"""The page's figures and numbers, drawn by the report's own code (one figure code, not two).

The headline is `drawdown.report.headline.headline`, the figures are the report registry's
entries for the map, the closure Gantt, the people-remaining fan, the equipment fate and
the protection gap, drawn with `drawdown.report.render` as inline SVG (`Drawer`). The key
figures and their paired differences are `drawdown.analyse.compare.figures_frame`, the
table of `drawdown compare`.
"""

from __future__ import annotations

import hashlib
import math
import multiprocessing
import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import asdict
from typing import Any

from drawdown.analyse.compare import FIGURES as KEY_FIGURES
from drawdown.analyse.compare import Option, figures_frame, format_figure
from drawdown.plan.model import Plan
from drawdown.report import render
from drawdown.report.data import views_from_result
from drawdown.report.figure_data import Figure
from drawdown.report.headline import headline
from drawdown.report.registry import FIGURES
from drawdown.report.select import ReportInputs
from drawdown.scenario.model import Scenario
from drawdown.serve.frames import Frame, draw_framed, frame_of
from drawdown.simulate.result import SimulationResult

#: The report figures the page shows, in page order.
PAGE_FIGURES = ("map", "gantt", "fan", "cargo-outcome", "protection")
CACHE_SIZE = 64
MAX_LATER = 8  # pages drawn ahead of their request at most
#: Figures drawn in this process even with workers: the map keeps where its names were placed
#: (`report.figures.map`), which only helps if every map is drawn in one process.
DRAWN_HERE = ("map",)
#: Figures always laid out afresh: the map places its names while it is plotted, measuring
#: the axes as the layout leaves them, so a frame set after plotting would misplace them.
UNFRAMED = ("map",)
#: Matplotlib is not thread-safe and saving an SVG sets process-wide rcParams (its id salt):
#: one figure at a time in this process, whichever drawer draws it.
DRAWING = threading.Lock()
#: which way a key figure gets better (the page colours a clear difference by it)
BETTER = {"p_out_on_time": "higher", "teu_handed_over": "", "vehicles_handed_over": ""}


def draw_svg(plot: Any, data: Any, key: str, frame: Frame | None = None) -> tuple[str, Frame]:
    """One figure as inline SVG, exactly as the report draws it, and the frame it was drawn
    in (`serve.frames`: a later figure of its kind skips the layout); also run in workers."""
    fig, framed = draw_framed(plot, data, None if key in UNFRAMED else frame)
    svg = render.to_svg(fig, key)  # saving lays out a figure drawn without a frame
    return svg, frame if framed and frame is not None else frame_of(fig)


def timed_svg(
    plot: Any, data: Any, key: str, frame: Frame | None = None
) -> tuple[str, Frame, float]:
    """`draw_svg` and the seconds its drawing took (where it ran: a worker's own clock)."""
    started = time.perf_counter()
    svg, drawn_in = draw_svg(plot, data, key, frame)
    return svg, drawn_in, time.perf_counter() - started


def _warm() -> None:
    import matplotlib.figure  # noqa: F401  (a worker's first figure should not pay the import)


class Drawer:
    """Draws the report's figures as SVG, keeping each by its data (a what-if that does not
    move the map draws it once) and each kind's frame (the layout of the first one drawn, the
    baseline's), in `workers` processes when more than one is asked for.

    Matplotlib is not thread-safe, so in this process drawing holds one lock; worker
    processes draw a what-if's figures side by side (a laptop's spare cores).
    """

    def __init__(self, workers: int = 0, cache_size: int = CACHE_SIZE):
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._frames: dict[str, Frame] = {}  # by figure key
        # seconds each kind last took to draw: the workers take the longest first, so the
        # page's slowest figure does not start last behind the quick ones
        self._seconds: dict[str, float] = {}
        self._size = cache_size
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        # a what-if's figures start as soon as its numbers are known (`later`), while the
        # numbers are sent; two at a time, as the workers draw one what-if's side by side
        self._later = ThreadPoolExecutor(2, thread_name_prefix="drawdown-draw")
        self._waiting = 0  # pages started by `later` and not yet drawn
        if workers > 1:
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_warm)

    def svgs(self, figures: Sequence[Figure]) -> list[str]:
        """The SVG of each figure, in order."""
        digests = [_digest(f.key, f.data) for f in figures]
        with self._lock:
            found = [self._cache.get(d) if d else None for d in digests]
            frames = [self._frames.get(f.key) for f in figures]
            # a kind never drawn yet counts as the longest
            cost = {i: self._seconds.get(f.key, math.inf) for i, f in enumerate(figures)}
        todo = [i for i, svg in enumerate(found) if svg is None]
        args = {i: (figures[i].plot, figures[i].data, figures[i].key, frames[i]) for i in todo}
        pooled = self._pool is not None and len(todo) > 1
        here = [i for i in todo if not pooled or figures[i].key in DRAWN_HERE]
        futures = {
            i: self._pool.submit(timed_svg, *args[i])
            for i in sorted(todo, key=lambda i: -cost[i])  # longest first (stable for ties)
            if self._pool is not None and i not in here
        }
        with DRAWING:  # while the workers draw the others
            results = {i: timed_svg(*args[i]) for i in here}
        results.update({i: future.result() for i, future in futures.items()})
        drawn = {i: svg for i, (svg, _, _) in results.items()}
        with self._lock:
            for i, (_, frame, seconds) in results.items():
                self._frames[figures[i].key] = frame
                self._seconds[figures[i].key] = seconds
            for i, digest in enumerate(digests):
                if i in drawn:
                    found[i] = drawn[i]
                    if digest:
                        self._cache[digest] = drawn[i]
                elif digest in self._cache:
                    self._cache.move_to_end(digest)
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return [svg or "" for svg in found]

    def later(self, inputs: ReportInputs) -> Future[tuple[dict[str, Any], float]] | None:
        """Start drawing a variant's page (`draw_figures`) now; the future gives the page
        and the seconds its drawing took. None when `MAX_LATER` pages already wait (answers
        whose figures nobody fetched must not pile up work): draw it when asked."""
        with self._lock:
            if self._waiting >= MAX_LATER:
                return None
            self._waiting += 1

        def draw() -> tuple[dict[str, Any], float]:
            try:
                started = time.perf_counter()
                return draw_figures(inputs, self), time.perf_counter() - started
            finally:
                with self._lock:
                    self._waiting -= 1

        return self._later.submit(draw)

    def close(self) -> None:
        self._later.shutdown(wait=False, cancel_futures=True)
        if self._pool is not None:
            # wait for the pool's manager thread: left running, it closes its wake-up pipe
            # while Python's exit hook writes to it (CPython 3.11's ProcessPoolExecutor
            # race), and the server's Ctrl+C ends in an OSError traceback. Queued figures
            # are cancelled, so this waits at most for the ones being drawn.
            self._pool.shutdown(wait=True, cancel_futures=True)


def _digest(key: str, data: Any) -> str:
    try:
        blob = pickle.dumps(data, protocol=5)
    except Exception:  # unpicklable data: no caching, draw every time
        return ""
    return key + ":" + hashlib.sha256(blob).hexdigest()


def page_inputs(scenario: Scenario, plan: Plan, result: SimulationResult) -> ReportInputs:
    """What the report's headline and figures read of one simulated variant."""
    return ReportInputs(scenario, plan, views_from_result(scenario, plan, result))


def headline_of(inputs: ReportInputs) -> list[dict[str, Any]]:
    """The report's headline numbers of one simulated variant (no drawing)."""
    return [asdict(h) for h in headline(inputs.scenario, inputs.plan, inputs.views)]


def draw_figures(inputs: ReportInputs, drawer: Drawer) -> dict[str, Any]:
    """Headline numbers and inline SVG figures of one simulated variant."""
    entries = {e.key: e for e in FIGURES}
    drawn = [fig for key in PAGE_FIGURES for fig in entries[key].figures(inputs)]
    svgs = drawer.svgs(drawn)
    return {
        "headline": headline_of(inputs),
        "figures": [
            {"key": f.key, "title": f.title, "caption": f.caption, "svg": svg}
            for f, svg in zip(drawn, svgs, strict=True)
        ],
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
