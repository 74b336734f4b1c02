"""What drawdown writes is read by other tools: strict JSON, HXL-tagged CSV on request."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import TINY_DIR, run_cli
from drawdown.hxl import TAGS, has_tags
from drawdown.plan import load_plan


def _strict(text: str) -> object:
    """Parse like a strict reader (Node's JSON.parse): Infinity and NaN are refused."""

    def refuse(token: str) -> object:
        raise ValueError(f"not JSON: {token}")

    return json.loads(text, parse_constant=refuse)


def test_every_json_of_a_results_folder_is_strict(analysed) -> None:  # type: ignore[no-untyped-def]
    """Every .json and .geojson of a run with all its analyses parses strictly, and the
    simulation summary says what its nulls mean."""
    found = sorted(analysed.folder.rglob("*.json")) + sorted(analysed.folder.rglob("*.geojson"))
    assert len(found) >= 8
    for path in found:
        _strict(path.read_text(encoding="utf-8"))
    summary = _strict((analysed.folder / "simulation" / "summary.json").read_text())
    assert isinstance(summary, dict) and summary["nulls"]


def test_plan_and_cli_json_are_strict(tmp_path: Path) -> None:
    """A greedy plan (its gain over greedy is not a number: null), the GeoJSON and the JSON
    Schema commands write strict JSON."""
    assert run_cli("plan", str(TINY_DIR), "--greedy", "-o", str(tmp_path / "plan")) == 0
    summary = _strict((tmp_path / "plan" / "summary.json").read_text())
    assert isinstance(summary, dict) and summary["solver"]["gain_over_greedy"] is None
    assert run_cli("geojson", str(TINY_DIR), str(tmp_path / "tiny.geojson")) == 0
    _strict((tmp_path / "tiny.geojson").read_text())
    assert run_cli("schema", "-o", str(tmp_path / "schema.json")) == 0
    _strict((tmp_path / "schema.json").read_text())


def test_hxl_row_under_each_csv_header(tmp_path: Path) -> None:
    """`--hxl` adds a hashtag row under the header of each CSV; the plan reads back the same
    from its CSV files; without --hxl there is none."""
    tagged, plain = tmp_path / "tagged", tmp_path / "plain"
    assert run_cli("plan", str(TINY_DIR), "--greedy", "-o", str(tagged), "--hxl") == 0
    assert run_cli("plan", str(TINY_DIR), "--greedy", "-o", str(plain)) == 0
    for name in ("movements", "closures", "dispositions"):
        assert has_tags(tagged / f"{name}.csv") and not has_tags(plain / f"{name}.csv")
    rows = (tagged / "movements.csv").read_text().splitlines()
    header, hashtags = rows[0].split(","), rows[1].split(",")
    assert dict(zip(header, hashtags, strict=True))["origin"] == TAGS["origin"]
    assert all(t.startswith("#") for t in hashtags)
    for name in ("movements", "closures", "dispositions"):
        (tagged / f"{name}.parquet").unlink()  # read the CSV, with its hashtag row
    assert load_plan(tagged).content_hash() == load_plan(plain).content_hash()


def test_hxl_on_analysis_tables(tmp_path: Path) -> None:
    """An analysis written with --hxl has tagged CSV, which the report reads back."""
    from drawdown.results import load_analyses
    from drawdown.scenario.io import load_scenario

    out = tmp_path / "results"
    args = ("sensitivity", str(TINY_DIR), "--samples", "8", "--runs-per-set", "2")
    assert run_cli(*args, "--greedy", "--seed", "1", "-o", str(out), "--hxl") == 0
    assert has_tags(out / "sensitivity" / "sensitivity.csv")
    tiny = load_scenario(TINY_DIR)
    loaded = load_analyses(out, tiny.content_hash(), tiny.name)
    assert loaded.sensitivity is not None
    indices = loaded.sensitivity.indices
    assert pd.api.types.is_numeric_dtype(indices["S1"])


@pytest.mark.parametrize("column", ["site", "killed", "some_new_column"])
def test_every_column_has_a_tag(column: str) -> None:
    """A column not in TAGS still gets a valid hashtag (#indicator+name)."""
    from drawdown.hxl import tag

    text = tag(column, numeric=True)
    assert text.startswith("#") and " " not in text
