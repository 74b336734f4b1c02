"""The HTML report: every section present, self-contained, and nothing fetched from outside."""

from __future__ import annotations

import re
from pathlib import Path

from drawdown.report.html import SECTIONS


def test_every_section_is_present(tiny_report: Path) -> None:
    """Each section of issue 5 appears, with its heading, in one HTML file."""
    text = tiny_report.read_text(encoding="utf-8")
    for key, _ in SECTIONS:
        assert f'<section id="{key}">' in text, key
    for words in (
        "All people out by the deadline",
        "Last person out",
        "Casualties",
        "Equipment repatriated",
        "Equipment handed over",
        "Equipment destroyed",
        "Equipment lost",
        "Cost",
        "Protection gap",
        "runs",
    ):
        assert words in text, words


def test_figures_are_inline_svg(tiny_report: Path) -> None:
    """The six figures are inline SVG elements with unique ids across the page."""
    text = tiny_report.read_text(encoding="utf-8")
    for key in ("map", "gantt", "fan", "cargo-outcome", "incidents", "protection"):
        assert f'data-figure="{key}"' in text, key
    ids = re.findall(r'\sid="([^"]+)"', text)
    assert len(ids) == len(set(ids))


def test_no_reference_to_any_network_address(tiny_report: Path) -> None:
    """No src/href/url() points outside the page (offline use)."""
    text = tiny_report.read_text(encoding="utf-8")
    # Only in-page anchors (#...) and inline data (data:...) may be referred to.
    assert not re.search(r'(src|href)\s*=\s*"(?!#|data:)', text)
    assert not re.search(r"https?://(?!www\.w3\.org/)", text)
    assert not re.search(r"url\((?!#)", text)
    assert "@import" not in text
    assert "<link" not in text


def test_sources_list_every_input(tiny_report: Path, tiny) -> None:  # type: ignore[no-untyped-def]
    """Every site, link and manifest source appears in the sources section."""
    text = tiny_report.read_text(encoding="utf-8")
    sources = text[text.index('<section id="sources">') :]
    for site in tiny.sites:
        assert f"<td>{site.id}</td>" in sources
    for link in tiny.links:
        assert f"<td>{link.id}</td>" in sources
    for key in tiny.manifest.sources:
        assert f"<td>{key}</td>" in sources


def test_movements_table_is_sortable_and_complete(tiny_report: Path, tiny_plan) -> None:  # type: ignore[no-untyped-def]
    """The movements table holds every movement of the plan and is marked sortable."""
    text = tiny_report.read_text(encoding="utf-8")
    section = text[
        text.index('<section id="movements">') : text.index('<section id="constraints">')
    ]
    assert 'class="sortable"' in section
    assert section.count("<tr>") == len(tiny_plan.movements) + 1


def test_gain_and_constraints_shown(tiny_report: Path) -> None:
    """The optimiser's gain over greedy and the planner's binding constraints are shown."""
    text = tiny_report.read_text(encoding="utf-8")
    assert "lower than the greedy baseline" in text
    assert "escort capacity on corridor north" in text
