"""PNG export for slides: every figure, at the documented fixed pixel size."""

from __future__ import annotations

from pathlib import Path

from matplotlib.image import imread

from drawdown.report import PNG_SIZE_PX
from drawdown.report.registry import own_section_keys
from drawdown.report.render import PNG_SIZE_PX as RENDERED


def test_png_figures_have_the_slide_size(tiny_report: Path) -> None:
    """Each figure is written as a 1600x900 PNG (16:9 at 200 dpi)."""
    assert PNG_SIZE_PX == RENDERED == (1600, 900)
    for key in own_section_keys():
        path = tiny_report.parent / "figures" / f"{key}.png"
        height, width = imread(path).shape[:2]
        assert (width, height) == PNG_SIZE_PX, key


def test_report_lists_the_png_files(tiny_report: Path) -> None:
    """The report's manifest names the PNG files written beside it."""
    text = tiny_report.read_text(encoding="utf-8")
    assert "figures/map.png" in text
