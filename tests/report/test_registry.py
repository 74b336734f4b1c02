"""The figure registry: a new figure is one module and one entry; every entry draws."""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import Path

import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from drawdown.plan.model import Plan
from drawdown.report import build, registry
from drawdown.report.content import report_content
from drawdown.report.data import SimulationViews, views_from_result
from drawdown.report.html import render_html
from drawdown.report.registry import FIGURES, FigureEntry
from drawdown.report.render import draw_all
from drawdown.report.select import ReportInputs
from drawdown.results import load_analyses
from drawdown.scenario.model import Scenario

FIGURES_DIR = Path(registry.__file__).parent / "figures"


def plot_dummy(runs: int, *, ax: Axes | None = None) -> Axes:
    """A figure no report has: one bar of the run count."""
    ax = ax or Figure().add_subplot()
    ax.bar([0], [runs])
    ax.set_title("dummy")
    return ax


DUMMY = FigureEntry(
    "dummy",
    "A dummy figure",
    "Dummy",
    "One bar: the runs.",
    lambda inputs: inputs.views.runs,
    plot_dummy,
)


def _nav(html: str) -> str:
    return re.search(r"<nav>(.*?)</nav>", html, flags=re.S).group(1)  # type: ignore[union-attr]


def test_a_new_entry_appears_in_navigation_and_body(
    tiny: Scenario, tiny_plan: Plan, tiny_views: SimulationViews
) -> None:
    """One entry in a copy of the registry gives a nav link, a section and its drawing."""
    content = report_content(tiny, tiny_plan, tiny_views, registry=(*FIGURES, DUMMY))
    html = render_html(content, draw_all(content.drawn()))
    nav = _nav(html)
    assert '<a href="#dummy">Dummy</a>' in nav
    assert (
        nav.index('href="#protection"')
        < nav.index('href="#dummy"')
        < nav.index('href="#movements"')
    )
    section = html[html.index('<section id="dummy">') :]
    section = section[: section.index("</section>")]
    assert "<h2>A dummy figure</h2>" in section and "One bar: the runs." in section
    assert 'data-figure="dummy"' in section


def test_a_new_entry_reaches_the_written_report_and_its_png(
    tiny: Scenario,
    tiny_plan: Plan,
    tiny_views: SimulationViews,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the entry in the registry and no other edit, the built folder has it everywhere."""
    monkeypatch.setattr(registry, "FIGURES", (*FIGURES, DUMMY))
    path = build.build_from_views(tiny, tiny_plan, tiny_views, tmp_path / "out", png=True)
    html = path.read_text(encoding="utf-8")
    assert '<a href="#dummy">Dummy</a>' in _nav(html)
    assert '<section id="dummy"><h2>A dummy figure</h2>' in html
    assert "<code>figures/dummy.png</code>" in html
    assert (path.parent / "figures" / "dummy.png").stat().st_size > 0


def test_an_entry_in_an_analysis_section_is_drawn_there(
    tiny: Scenario, tiny_plan: Plan, tiny_views: SimulationViews, analysed
) -> None:  # type: ignore[no-untyped-def]
    """An entry with a `section` is drawn inside that analysis section, not in the nav."""
    analyses = load_analyses(analysed.folder, tiny.content_hash(), tiny.name)
    extra = replace(DUMMY, key="check-dummy", nav="", section="check")
    content = report_content(
        tiny, tiny_plan, tiny_views, analyses=analyses, registry=(*FIGURES, extra)
    )
    check = next(a for a in content.analyses if a.key == "check")
    assert [f.key for f in check.figures] == ["check", "check-dummy"]
    html = render_html(content, draw_all(content.drawn()))
    assert 'href="#check-dummy"' not in _nav(html)
    assert '<figure id="figure-check-dummy"><h3>A dummy figure</h3>' in html


def test_an_entry_has_either_a_navigation_label_or_a_section() -> None:
    """An entry with neither (or both) a nav label and a section is refused."""
    with pytest.raises(ValueError, match="dummy"):
        replace(DUMMY, nav="")
    with pytest.raises(ValueError, match="dummy"):
        replace(DUMMY, section="check")


def test_every_entry_draws_on_the_tiny_results(tiny: Scenario, analysed) -> None:  # type: ignore[no-untyped-def]
    """Each registry entry gives at least one figure from a real tiny results folder with
    every analysis, and each draws on the caller's axis with a title."""
    from drawdown.plan import load_plan
    from drawdown.simulate.io import load

    folder = analysed.folder
    plan = load_plan(folder / "plan")
    views = views_from_result(tiny, plan, load(folder / "simulation"))
    inputs = ReportInputs(tiny, plan, views, load_analyses(folder, tiny.content_hash(), tiny.name))
    keys = []
    for entry in FIGURES:
        figures = entry.figures(inputs)
        assert figures, entry.key
        for fig in figures:
            ax = Figure().add_subplot()
            assert fig.plot(fig.data, ax=ax) is ax, fig.key  # type: ignore[operator]
            assert ax.get_children() and ax.get_title(), fig.key
            keys.append(fig.key)
    assert len(keys) == len(set(keys))  # figure keys are unique across the page
    assert {"sensitivity-prob_on_time", "sensitivity-casualties"} <= set(keys)


def test_analysis_entries_are_absent_without_their_analysis(
    tiny: Scenario, tiny_plan: Plan, tiny_views: SimulationViews
) -> None:
    """With no analysis saved, only the entries with their own section draw anything."""
    inputs = ReportInputs(tiny, tiny_plan, tiny_views)
    drawn = {e.key for e in FIGURES if e.figures(inputs)}
    assert drawn == {e.key for e in FIGURES if e.section is None}


def test_each_figure_module_holds_one_plot_function() -> None:
    """Each module of report/figures defines one public function, plot_<module>, and nothing
    public besides (private helpers of that drawing only)."""
    modules = sorted(p for p in FIGURES_DIR.glob("*.py") if p.name != "__init__.py")
    plots = {e.plot.__name__ for e in FIGURES}
    assert len(modules) == len(plots)
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        public = [
            n.name
            for n in tree.body
            if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and not n.name.startswith("_")
        ]
        assert public == [f"plot_{path.stem}"], path.name
        assert f"plot_{path.stem}" in plots, path.name
