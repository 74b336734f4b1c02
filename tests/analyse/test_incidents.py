"""Reading ACLED and UCDP incident files: formats, classification and bad input."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from drawdown.analyse.calibrate import SAMPLE
from drawdown.analyse.incidents import (
    ACLED_COLUMNS,
    UCDP_COLUMNS,
    read_acled,
    read_incidents,
    read_ucdp,
)
from drawdown.errors import InputError

BASE_ROW = {
    "event_id_cnty": "MLI1",
    "event_date": "2023-02-21",
    "year": "2023",
    "time_precision": "1",
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Remote explosive/landmine/IED",
    "inter1": "Political militia",
    "inter2": "External/Other forces",
    "country": "Mali",
    "location": "Songobia",
    "latitude": "14.165",
    "longitude": "-3.800",
    "geo_precision": "2",
    "notes": "IED hit a supply convoy",
    "fatalities": "3",
}


def write_acled(
    path: Path,
    rows: list[dict[str, str]],
    *,
    hxl: bool = False,
    columns: tuple[str, ...] = ACLED_COLUMNS,
) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        if hxl:
            handle.write(",".join("#" + c.replace("_", "+") for c in columns) + "\n")
        writer.writerows(rows)
    return path


def test_shipped_sample_reads() -> None:
    """The shipped MINUSMA sample parses: 12 real incidents, IEDs, an ambush, a base attack."""
    incidents = read_acled(SAMPLE)
    ev = incidents.events
    assert len(incidents) == 12 and incidents.rows_read == 12
    assert set(ev["kind"]) == {"ied", "ambush", "base_attack"}
    assert (ev["kind"] == "ied").sum() == 10
    assert ev["date"].min().year == 2022 and ev["date"].max().strftime("%Y-%m") == "2023-04"
    assert ev["killed"].sum() == 23  # 13 peacekeepers and 10 civilians (Sévaré)
    assert ev["wounded"].notna().sum() == 5  # from the 'wounded=N' tags
    assert (ev["inter2"] > 0).all()


def test_inter_as_text_or_numbers(tmp_path: Path) -> None:
    """ACLED actor-type columns give the same codes as labels or as numbers."""
    text = read_acled(write_acled(tmp_path / "text.csv", [BASE_ROW]))
    numeric_row = {**BASE_ROW, "inter1": "3", "inter2": "8"}
    numbers = read_acled(write_acled(tmp_path / "num.csv", [numeric_row]))
    for column in ("inter1", "inter2"):
        assert text.events[column].tolist() == numbers.events[column].tolist()
    assert numbers.events[["inter1", "inter2"]].iloc[0].tolist() == [3, 8]
    assert len(numbers.select(involving=(8,))) == 1
    assert len(text.select(involving=(1,))) == 0 and text.select(involving=(1,)).dropped


def test_acled_classification_and_dates(tmp_path: Path) -> None:
    """Sub-event types and notes give the incident kind; ACLED's long dates are read."""
    rows = [
        BASE_ROW,
        {
            **BASE_ROW,
            "event_type": "Battles",
            "sub_event_type": "Armed clash",
            "notes": "Gunmen ambushed a MINUSMA convoy",
            "event_date": "21 February 2023",
        },
        {
            **BASE_ROW,
            "sub_event_type": "Shelling/artillery/missile attack",
            "notes": "Mortar rounds fell inside the camp",
        },
        {
            **BASE_ROW,
            "sub_event_type": "Shelling/artillery/missile attack",
            "notes": "Rockets fired at a helicopter taking off",
        },
        {
            **BASE_ROW,
            "event_type": "Protests",
            "sub_event_type": "Peaceful protest",
            "notes": "Protest against the mission",
        },
    ]
    ev = read_acled(write_acled(tmp_path / "k.csv", rows)).events
    assert ev["kind"].tolist() == ["ied", "ambush", "base_attack", "ground_fire", "other"]
    assert ev["date"].nunique() == 1


def test_hxl_row_is_skipped(tmp_path: Path) -> None:
    """An HXL hashtag row under the header is skipped, and rows keep spreadsheet numbers."""
    path = write_acled(tmp_path / "hxl.csv", [{**BASE_ROW, "event_date": "not a day"}], hxl=True)
    with pytest.raises(InputError) as info:
        read_acled(path)
    assert info.value.errors[0].where == "row 3, column event_date"
    good = write_acled(tmp_path / "hxl2.csv", [BASE_ROW], hxl=True)
    assert len(read_acled(good)) == 1


def test_missing_columns_are_named(tmp_path: Path) -> None:
    """A file without the coordinate columns names them and the file."""
    columns = tuple(c for c in ACLED_COLUMNS if c not in ("latitude", "longitude"))
    path = write_acled(tmp_path / "cut.csv", [BASE_ROW], columns=columns)
    with pytest.raises(InputError) as info:
        read_acled(path)
    problem = info.value.errors[0]
    assert problem.file == str(path)
    assert "latitude" in problem.message and "longitude" in problem.message


def test_bad_dates_and_coordinates_name_every_row(tmp_path: Path) -> None:
    """Every unreadable date and coordinate is reported with its row, all at once."""
    rows = [
        BASE_ROW,
        {**BASE_ROW, "event_date": "2023-02-31"},
        BASE_ROW,
        {**BASE_ROW, "latitude": "north"},
        {**BASE_ROW, "longitude": "200"},
        {**BASE_ROW, "event_date": ""},
    ]
    path = write_acled(tmp_path / "bad.csv", rows)
    with pytest.raises(InputError) as info:
        read_acled(path)
    where = {p.where for p in info.value.errors}
    assert where == {
        "row 3, column event_date",
        "row 7, column event_date",
        "row 5, column latitude",
        "row 6, column longitude",
    }
    assert all(p.file == str(path) and p.hint for p in info.value.errors)


def test_many_bad_rows_are_summarised(tmp_path: Path) -> None:
    """Thousands of bad rows give a bounded list: some one by one, then the rest together."""
    path = write_acled(tmp_path / "many.csv", [{**BASE_ROW, "latitude": "x"}] * 100)
    with pytest.raises(InputError) as info:
        read_acled(path)
    assert len(info.value.errors) == 21
    assert info.value.errors[-1].where == "80 more rows"


def test_empty_and_unknown_files(tmp_path: Path) -> None:
    """A file with no rows, no file, or unknown columns is refused with a reason."""
    with pytest.raises(InputError, match="no event rows"):
        read_acled(write_acled(tmp_path / "empty.csv", []))
    with pytest.raises(InputError, match="not found"):
        read_incidents(tmp_path / "absent.csv")
    (tmp_path / "other.csv").write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="neither an ACLED export"):
        read_incidents(tmp_path / "other.csv")


def test_ucdp_reads(tmp_path: Path) -> None:
    """A UCDP GED file parses: dates, best deaths, precision mapped, headline classified."""
    rows = [
        {
            "id": "1001",
            "date_start": "2022-07-05 00:00:00.000",
            "latitude": "18.2",
            "longitude": "0.5",
            "where_prec": "2",
            "date_prec": "1",
            "best": "2",
            "low": "2",
            "high": "3",
            "source_headline": "Mine kills two peacekeepers on Tessalit road",
            "where_coordinates": "Tessalit road",
        },
        {
            "id": "1002",
            "date_start": "2023-04-22",
            "latitude": "14.5",
            "longitude": "-4.1",
            "where_prec": "4",
            "date_prec": "4",
            "best": "10",
            "source_headline": "Attack on Sevare airport camp",
        },
    ]
    path = tmp_path / "ged.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(UCDP_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    incidents = read_incidents(path)  # auto-detects UCDP
    assert incidents.format == "ucdp"
    ev = incidents.events
    assert ev["kind"].tolist() == ["ied", "base_attack"]
    assert ev["killed"].tolist() == [2.0, 10.0]
    assert ev["geo_precision"].tolist() == [2, 4] and ev["time_precision"].tolist() == [1, 3]
    assert np.isnan(ev["wounded"]).all()
    assert len(read_ucdp(path).select(max_geo_precision=3)) == 1
