"""Analyses written into a results folder appear in its report; foreign ones are refused."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from drawdown.results import INFO_FILE
from drawdown.scenario.model import Scenario

# analysis -> (section heading, figure keys drawn in it)
SECTIONS = {
    "compare": ("Options compared", ("compare-fan", "compare-gantt")),
    "sensitivity": ("Sensitivity", ("sensitivity-prob_on_time", "sensitivity-casualties")),
    "calibration": ("Threat calibration", ("calibration",)),
    "check": ("Check against outcomes", ("check",)),
    "sweep": ("Sweep", ("sweep-ranking",)),
}


def _section(html: str, key: str) -> str:
    """The HTML of one section ('' when absent)."""
    found = re.search(rf'<section id="{key}">(.*?)</section>', html, flags=re.S)
    return found.group(1) if found else ""


def _svg_marks(html: str, figure: str) -> int:
    """How many drawn elements the inline SVG of `figure` holds (0: absent)."""
    found = re.search(rf'<svg[^>]*data-figure="{figure}".*?</svg>', html, flags=re.S)
    return len(re.findall(r"<(path|use|rect|text)\b", found.group(0))) if found else 0


@pytest.mark.parametrize("kind", list(SECTIONS))
def test_each_analysis_adds_its_section(analysed, kind: str) -> None:  # type: ignore[no-untyped-def]
    """Right after its command, the rebuilt report has the section, its nav link and figures."""
    assert analysed.codes[kind] == 0
    html = analysed.steps[kind]
    heading, figures = SECTIONS[kind]
    body = _section(html, kind)
    assert f"<h2>{heading}</h2>" in body
    assert f'<a href="#{kind}">{heading}</a>' in html
    assert "<table" in body
    for figure in figures:
        assert _svg_marks(body, figure) > 10, figure
    assert (analysed.folder / kind / INFO_FILE).exists()


def test_sections_accumulate_and_read_well(analysed) -> None:  # type: ignore[no-untyped-def]
    """Each command keeps the earlier sections; each section says what a reader needs."""
    html = analysed.steps["sweep"]  # the last command
    assert all(_section(html, k) for k in SECTIONS)
    assert _section(analysed.steps["compare"], "check") == ""  # only when present
    nav = re.search(r"<nav>(.*?)</nav>", html, flags=re.S).group(1)  # type: ignore[union-attr]
    order = [nav.index(f'href="#{k}"') for k in ("gain", *SECTIONS, "sources")]
    assert order == sorted(order)
    compare = _section(html, "compare")
    assert "threat.ied.rate=*3 − baseline" in compare and "common random numbers" in compare
    sensitivity = _section(html, "sensitivity")
    assert "ST (total)" in sensitivity and "±" in sensitivity
    assert "The plan is fixed" in sensitivity
    calibration = _section(html, "calibration")
    assert "events.csv" in calibration and "2023-01-01" in calibration
    assert "north-hub" in calibration and "Events near no link or base" in calibration
    check = _section(html, "check")
    assert "50% interval" in check and "CRPS" in check and "Spearman" in check
    sweep = _section(html, "sweep")
    assert "3 variants of tiny" in sweep and "Best 2 variants" in sweep
    assert "Variants that failed" in sweep and "cannot be planned" in sweep


def test_report_command_rebuilds_with_every_analysis(analysed, drawdown_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`drawdown report DIR` picks up every analysis folder it finds."""
    folder = tmp_path / "copy"
    shutil.copytree(analysed.folder, folder)
    (folder / "report.html").unlink()
    done = drawdown_cli("report", str(folder))
    assert done.returncode == 0, done.stderr
    html = (folder / "report.html").read_text(encoding="utf-8")
    for kind, (heading, _) in SECTIONS.items():
        assert f"<h2>{heading}</h2>" in _section(html, kind)
    assert "compare/" in _section(html, "manifest")


def _foreign(folder: Path, kind: str) -> None:
    path = folder / kind / INFO_FILE
    info = json.loads(path.read_text())
    info.update(scenario_name="elsewhere", scenario_hash="0123456789abcdef")
    path.write_text(json.dumps(info))


def test_analysis_of_another_scenario_is_refused(analysed, drawdown_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An analysis folder from another scenario stops `drawdown report` with status 2."""
    folder = tmp_path / "copy"
    shutil.copytree(analysed.folder, folder)
    before = (folder / "report.html").read_text(encoding="utf-8")
    _foreign(folder, "sensitivity")
    done = drawdown_cli("report", str(folder))
    assert done.returncode == 2
    assert "analysis of another scenario" in done.stderr and "elsewhere" in done.stderr
    assert "Traceback" not in done.stderr
    assert (folder / "report.html").read_text(encoding="utf-8") == before  # left as it was


def test_analysis_into_another_scenarios_run_is_refused_first(  # type: ignore[no-untyped-def]
    analysed, drawdown_cli, tiny_copy: Path, tmp_path: Path
) -> None:
    """Writing an analysis of another scenario into a run folder fails before any work."""
    yaml = tiny_copy / "scenario.yaml"
    yaml.write_text(yaml.read_text().replace("deadline: 2023-07-30", "deadline: 2023-07-29"))
    folder = tmp_path / "copy"
    shutil.copytree(analysed.folder, folder)
    done = drawdown_cli(
        "sensitivity", str(tiny_copy), "--samples", "8", "--greedy", "-o", str(folder)
    )
    assert done.returncode == 2
    assert "analysis of another scenario" in done.stderr and "Traceback" not in done.stderr
    # a comparison's first option is the reference: it must be the run's scenario
    tiny_dir = str(Path(__file__).parents[1] / "data" / "tiny")
    done = drawdown_cli("compare", str(tiny_copy), tiny_dir, "--greedy", "-o", str(folder))
    assert done.returncode == 2 and "analysis of another scenario" in done.stderr
    saved = (analysed.folder / "compare" / "compare.csv").read_bytes()
    assert (folder / "compare" / "compare.csv").read_bytes() == saved  # left untouched
    # and a new run into a folder holding analyses of another scenario stops at validation
    done = drawdown_cli("run", str(tiny_copy), "-o", str(folder), "--runs", "10")
    assert done.returncode == 2 and "analysis of another scenario" in done.stderr


def test_builtin_threats_bring_their_calibration(tiny: Scenario, tmp_path: Path) -> None:
    """A scenario whose threats cite the shipped sample gets its calibration; others do not."""
    from drawdown.analyse.calibrate import builtin_calibration
    from drawdown.results import save_calibration
    from drawdown.scenario.io import load_scenario

    assert builtin_calibration(tiny) is None
    minusma = load_scenario("minusma-2023")
    calibration = builtin_calibration(minusma)
    assert calibration is not None
    save_calibration(calibration, tmp_path / "calibration", minusma)
    info = json.loads((tmp_path / "calibration" / INFO_FILE).read_text())
    assert info["scenario_hash"] == minusma.content_hash()
    assert info["details"]["file"] == "minusma-incidents-2022-2023.csv"
    assert (tmp_path / "calibration" / "calibration_rates.csv").stat().st_size > 0
