"""docs/reference/results-folder.md is what the code generates today."""

from __future__ import annotations

from pathlib import Path

from drawdown.results.reference import files, results_reference

DOC = Path(__file__).parents[2] / "docs" / "reference" / "results-folder.md"


def test_results_folder_reference_is_in_sync() -> None:
    """The committed page is the generated one (regenerate when a file or column changes)."""
    generated = results_reference()
    assert "## simulation/runs.parquet" in generated
    assert DOC.read_text(encoding="utf-8") == generated, (
        "regenerate with: python -m drawdown.results.reference > docs/reference/results-folder.md"
    )


def test_every_listed_column_has_a_unit_or_meaning() -> None:
    """No column of the reference is left without a unit or a meaning."""
    text = results_reference()
    assert sum(len(f.columns) for f in files()) > 100
    assert "|  |" not in text
