"""A real results folder holds the files and columns its reference lists."""

from __future__ import annotations

import pandas as pd

from drawdown.results.reference import files


def test_reference_matches_a_real_folder(analysed) -> None:  # type: ignore[no-untyped-def]
    """Each table the reference describes exists after a run and every analysis, with
    exactly the listed columns (in order)."""
    checked = 0
    for f in files():
        if not f.columns:
            continue
        path = analysed.folder / f.path
        if path.suffix == ".parquet":
            columns = list(pd.read_parquet(path).columns)
        else:
            columns = list(pd.read_csv(path, nrows=0).columns)
        assert columns == list(f.columns), f.path
        checked += 1
    assert checked >= 15
