"""Read incident exports (ACLED, UCDP GED) into one table of dated, located, typed events.

Both readers check the file at the boundary and report every problem at once: missing
columns by name, and unparsable dates or coordinates by spreadsheet row (the header is row
1; an HXL hashtag row, if present, is row 2 and is skipped). Everything downstream works on
the normalised `Incidents.events` frame, whatever the source.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from drawdown.errors import InputError, Problem
from drawdown.scenario.csvfile import read_csv
from drawdown.scenario.kinds import THREAT_NAMES

IncidentKind = Literal["ied", "ambush", "ground_fire", "base_attack", "other"]
# the registry's threat kinds, and "other" for events that match none of them
THREAT_KINDS: tuple[str, ...] = THREAT_NAMES
KINDS: tuple[str, ...] = (*THREAT_NAMES, "other")
Format = Literal["acled", "ucdp", "auto"]

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2",
    "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1",
    "admin2", "admin3", "location", "latitude", "longitude", "geo_precision", "source",
    "source_scale", "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
ACLED_REQUIRED = ("event_date", "event_type", "sub_event_type", "latitude", "longitude")

UCDP_COLUMNS: tuple[str, ...] = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_dset_id", "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id",
    "dyad_name", "side_a_dset_id", "side_a_new_id", "side_a", "side_b_dset_id",
    "side_b_new_id", "side_b", "number_of_sources", "source_article", "source_office",
    "source_date", "source_headline", "source_original", "where_prec", "where_coordinates",
    "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt", "priogrid_gid",
    "country", "country_id", "region", "event_clarity", "date_prec", "date_start", "date_end",
    "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low",
    "gwnoa", "gwnob",
)  # fmt: skip
UCDP_REQUIRED = ("id", "date_start", "latitude", "longitude")

# Columns of the normalised table, in order. Precision codes follow ACLED's 1 (exact) to 3
# (region) scale; UCDP's coarser codes map to 4 (see `_ucdp_precision`).
EVENT_COLUMNS: tuple[str, ...] = (
    "row", "source_id", "date", "lat", "lon", "kind", "killed", "wounded",
    "geo_precision", "time_precision", "inter1", "inter2", "location", "description",
)  # fmt: skip

# ACLED actor-type codes: the API gives text labels by default and numbers on request.
INTER_LABELS: dict[str, int] = {
    "state forces": 1, "military forces": 1, "rebel group": 2, "rebel groups": 2,
    "political militia": 3, "political militias": 3, "identity militia": 4,
    "identity militias": 4, "rioters": 5, "protesters": 6, "civilians": 7,
    "external/other forces": 8, "external/other force": 8, "other forces": 8,
}  # fmt: skip

# Words in the notes or headline that say where an attack struck (English and French).
_CONVOY = r"convoy|convoi|escort|patrol|patrouille|supply run|logisti"
_BASE = r"\bcamp\b|\bbase\b|airport|a[ée]roport|super camp|garrison|emprise"
_AIR = r"aircraft|helicopter|h[ée]licopt|airplane|aeroplane|a[ée]ronef|\bplane\b|\bavion"
_IED = r"\bied\b|\bieds\b|landmine|\bmine\b|explosive device|engin explosif|roadside bomb"
_SHELLING = r"mortar|rocket|shell|obus|roquette"

MAX_LISTED_ROWS = 20
HINTS = {
    "date": "write dates as YYYY-MM-DD (ACLED's '21 February 2023' is also read)",
    "coord": "write decimal degrees WGS84, e.g. 14.513 and -4.080; latitude within ±90, "
    "longitude within ±180",
}


@dataclass(frozen=True)
class Incidents:
    """Normalised incident events read from one file, with how many rows were read.

    `events` has the columns of `EVENT_COLUMNS`: `date` (datetime64), `lat`/`lon` (WGS84
    degrees), `kind` (ied, ambush, ground_fire, base_attack, other), `killed` and `wounded`
    (NaN when unknown), `geo_precision`/`time_precision` (1 exact to 4 coarse), `row` (the
    spreadsheet row in the file, for messages) and `source_id`.
    """

    events: pd.DataFrame
    file: str
    format: str
    rows_read: int = 0
    dropped: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.events)

    @property
    def name(self) -> str:
        """The file's name, short enough for a threat row's source."""
        return Path(self.file).name

    def date_range(self) -> tuple[dt.date, dt.date] | None:
        """First and last event date, or None when empty."""
        if self.events.empty:
            return None
        dates = self.events["date"]
        return dates.min().date(), dates.max().date()

    def select(
        self,
        *,
        start: dt.date | None = None,
        end: dt.date | None = None,
        kinds: Iterable[str] | None = THREAT_KINDS,
        max_geo_precision: int | None = 3,
        max_time_precision: int | None = 3,
        involving: Iterable[int] | None = None,
    ) -> Incidents:
        """Events within dates (inclusive), of the given kinds, precise enough.

        `involving` keeps only events where either actor has one of these ACLED actor-type
        codes, e.g. (8,) for external forces such as a UN mission: a whole-country export
        also holds attacks on national forces and civilians, which share the roads but not
        the convoys.

        The counts dropped for each reason accumulate in `dropped` so a summary can say what
        was left out and why.
        """
        ev = self.events
        dropped = dict(self.dropped)
        tests: list[tuple[str, pd.Series]] = []
        if start is not None:
            tests.append((f"before {start}", ev["date"] >= pd.Timestamp(start)))
        if end is not None:
            tests.append((f"after {end}", ev["date"] <= pd.Timestamp(end)))
        if kinds is not None:
            wanted = list(kinds)
            tests.append((f"kind not in {', '.join(wanted)}", ev["kind"].isin(wanted)))
        if max_geo_precision is not None:
            tests.append(
                (
                    f"geo_precision above {max_geo_precision}",
                    ev["geo_precision"] <= max_geo_precision,
                )
            )
        if max_time_precision is not None:
            tests.append(
                (
                    f"time_precision above {max_time_precision}",
                    ev["time_precision"] <= max_time_precision,
                )
            )
        if involving is not None:
            codes = list(involving)
            either = ev["inter1"].isin(codes) | ev["inter2"].isin(codes)
            tests.append((f"no actor of type {', '.join(map(str, codes))}", either))
        keep = pd.Series(True, index=ev.index)
        for reason, ok in tests:
            lost = int((keep & ~ok).sum())
            if lost:
                dropped[reason] = dropped.get(reason, 0) + lost
            keep &= ok
        return Incidents(
            ev[keep].reset_index(drop=True), self.file, self.format, self.rows_read, dropped
        )


def incidents_from_arrays(
    date: Sequence[dt.date] | np.ndarray,
    lat: Sequence[float] | np.ndarray,
    lon: Sequence[float] | np.ndarray,
    kind: Sequence[str] | np.ndarray | str,
    *,
    killed: Sequence[float] | np.ndarray | None = None,
    wounded: Sequence[float] | np.ndarray | None = None,
    file: str = "<synthetic>",
) -> Incidents:
    """Incidents built in memory (synthetic tests, benchmarks, other loaders)."""
    n = len(lat)
    nan = np.full(n, np.nan)
    events = pd.DataFrame(
        {
            "row": np.arange(2, n + 2),
            "source_id": [f"syn{i}" for i in range(n)],
            "date": pd.to_datetime(np.asarray(date)),
            "lat": np.asarray(lat, dtype=float),
            "lon": np.asarray(lon, dtype=float),
            "kind": np.broadcast_to(np.asarray(kind, dtype=object), (n,)),
            "killed": nan if killed is None else np.asarray(killed, dtype=float),
            "wounded": nan if wounded is None else np.asarray(wounded, dtype=float),
            "geo_precision": np.ones(n, dtype=int),
            "time_precision": np.ones(n, dtype=int),
            "inter1": np.zeros(n, dtype=int),
            "inter2": np.zeros(n, dtype=int),
            "location": "",
            "description": "",
        }
    )
    return Incidents(events, file, "synthetic", rows_read=n)


def read_incidents(path: str | os.PathLike[str], format: Format = "auto") -> Incidents:
    """Read an ACLED or UCDP GED export; `auto` tells them apart by their columns."""
    frame, first_row = _read_table(path)
    fmt = format
    if fmt == "auto":
        columns = set(frame.columns)
        if {"event_date", "sub_event_type"} & columns:
            fmt = "acled"
        elif {"date_start", "where_prec", "type_of_violence"} & columns:
            fmt = "ucdp"
        else:
            raise InputError(
                Problem(
                    str(path),
                    "header (row 1)",
                    "neither an ACLED export (no event_date, sub_event_type) nor a UCDP GED "
                    f"CSV (no date_start, where_prec); columns found: {_list(frame.columns)}",
                    "export the events as CSV with their standard column names, or pass "
                    "--format acled|ucdp",
                )
            )
    if fmt == "acled":
        return _acled(frame, str(path), first_row)
    if fmt == "ucdp":
        return _ucdp(frame, str(path), first_row)
    raise InputError(
        Problem(str(path), "--format", f"unknown format '{fmt}'", "use acled, ucdp or auto")
    )


def read_acled(path: str | os.PathLike[str]) -> Incidents:
    """Read an ACLED export CSV (31 columns; inter codes as text or numbers; HXL row ok)."""
    return read_incidents(path, "acled")


def read_ucdp(path: str | os.PathLike[str]) -> Incidents:
    """Read a UCDP GED CSV (49 columns; HXL row ok)."""
    return read_incidents(path, "ucdp")


# ---------------------------------------------------------------------------------------
# Reading and checking


ROW_NUMBERS = "row_numbers"  # frame.attrs key: each row's number in the file


def _read_table(path: str | os.PathLike[str]) -> tuple[pd.DataFrame, int]:
    """All cells as text, HXL row dropped; also the spreadsheet row of the first data row."""
    file = str(path)
    # the one strict reader: ragged rows, duplicated columns, non-UTF-8 text are located
    table = read_csv(Path(path), file, lower=True)
    if not table.header:
        raise InputError(Problem(file, "", "is empty", "export the events as CSV"))
    frame = pd.DataFrame(
        [[row[c] for c in table.header] for _, row in table.rows],
        columns=list(table.header),
        dtype=str,
    )
    numbers = np.array([n for n, _ in table.rows], dtype=np.int64)
    if len(frame) and _is_hxl_row(frame.iloc[0].tolist()):
        frame = frame.iloc[1:].reset_index(drop=True)
        numbers = numbers[1:]
    frame.attrs[ROW_NUMBERS] = numbers  # blank rows are skipped: rows keep their own numbers
    return frame, int(numbers[0]) if len(numbers) else 2


def _is_hxl_row(cells: list[str]) -> bool:
    filled = [c.strip() for c in cells if c and c.strip()]
    return bool(filled) and all(c.startswith("#") for c in filled)


def _require(frame: pd.DataFrame, file: str, required: Sequence[str], what: str) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(
            Problem(
                file,
                "header (row 1)",
                f"missing column(s) {', '.join(missing)}, needed to read it as {what}",
                "add them, or export again with the standard columns; found: "
                f"{_list(frame.columns)}",
            )
        )
    if frame.empty:
        raise InputError(Problem(file, "", "has no event rows", "export a non-empty query"))


def _list(columns: Iterable[str], limit: int = 12) -> str:
    names = list(columns)
    more = f" … (+{len(names) - limit})" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def _bad_rows(
    file: str, rows: np.ndarray, column: str, values: pd.Series, message: str, hint: str
) -> list[Problem]:
    """One problem per bad row (up to a limit) and one for the rest."""
    problems = [
        Problem(file, f"row {r}, column {column}", f"{message}: '{v}'", hint)
        for r, v in zip(rows[:MAX_LISTED_ROWS], values.iloc[:MAX_LISTED_ROWS], strict=True)
    ]
    if len(rows) > MAX_LISTED_ROWS:
        rest = rows[MAX_LISTED_ROWS:]
        shown = ", ".join(str(r) for r in rest[:50]) + (" …" if len(rest) > 50 else "")
        problems.append(Problem(file, f"{len(rest)} more rows", f"{message} in rows {shown}", hint))
    return problems


def parse_dates(text: pd.Series) -> pd.Series:
    """ISO dates (with or without a time) and ACLED's '21 February 2023' style; NaT if neither."""
    clean = text.str.strip()
    dates = pd.to_datetime(clean, format="ISO8601", errors="coerce")
    for fmt in ("%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%d/%m/%Y"):
        todo = dates.isna() & (clean != "")
        if not todo.any():
            break
        dates = dates.where(~todo, pd.to_datetime(clean.where(todo), format=fmt, errors="coerce"))
    return dates.dt.normalize()


def _dates(
    frame: pd.DataFrame, column: str, file: str, rows: np.ndarray
) -> tuple[pd.Series, list[Problem]]:
    dates = parse_dates(frame[column])
    bad = dates.isna().to_numpy()
    if not bad.any():
        return dates, []
    return dates, _bad_rows(
        file, rows[bad], column, frame[column][bad], "not a date", HINTS["date"]
    )


def _coordinates(
    frame: pd.DataFrame, file: str, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray, list[Problem]]:
    problems: list[Problem] = []
    out = []
    for column, limit in (("latitude", 90.0), ("longitude", 180.0)):
        values = pd.to_numeric(frame[column].str.strip(), errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(values) | (np.abs(values) > limit)
        if bad.any():
            problems += _bad_rows(
                file,
                rows[bad],
                column,
                frame[column][bad],
                f"not a {column} in degrees",
                HINTS["coord"],
            )
        out.append(values)
    return out[0], out[1], problems


def _number(frame: pd.DataFrame, column: str, default: float = np.nan) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), default)
    values = pd.to_numeric(frame[column].str.strip(), errors="coerce").to_numpy(dtype=float)
    return np.where(np.isfinite(values), values, default)


def _precision(frame: pd.DataFrame, column: str, file: str, rows: np.ndarray) -> np.ndarray:
    """ACLED precision codes (1 exact, 2 near, 3 coarse; blank: 1); others are refused."""
    text = _text(frame, column)
    code = pd.to_numeric(text, errors="coerce")
    bad = ((text != "") & ~code.isin((1, 2, 3))).to_numpy()
    if bad.any():
        raise InputError(
            _bad_rows(
                file,
                rows[bad],
                column,
                text[bad],
                f"not an ACLED {column} code",
                "use 1 (exact), 2 (near) or 3 (region), or leave it blank",
            ),
            f"{file}: {int(bad.sum())} unreadable {column} value(s)",
        )
    return code.where(text != "", 1).to_numpy(dtype=float).astype(int)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    return frame[column].str.strip()


def parse_inter(values: pd.Series) -> np.ndarray:
    """ACLED actor-type codes from numbers ('8') or labels ('External/Other forces'); 0 if blank."""
    text = values.str.strip().str.lower()
    numeric = pd.to_numeric(text, errors="coerce")
    # a code is 0-8; anything else (99999999999999999999, 2.5) is read as a label, so 0
    numeric = numeric.where(numeric.isin(range(9)))
    labels = text.map(INTER_LABELS)
    codes = numeric.where(numeric.notna(), labels).fillna(0)
    return codes.to_numpy(dtype=float).astype(int)


def _matches(text: pd.Series, pattern: str) -> np.ndarray:
    return text.str.contains(pattern, case=False, regex=True, na=False).to_numpy(dtype=bool)


def classify(sub_event_type: pd.Series, description: pd.Series) -> np.ndarray:
    """Incident kind from ACLED's sub-event type, and the notes for where an attack struck.

    Remote explosive/landmine/IED is an `ied`; shelling is a `base_attack` (or `ground_fire`
    when the notes speak of aircraft); armed clashes, attacks, suicide bombs and grenades are
    an `ambush` when the notes mention a convoy, escort or patrol, a `base_attack` when they
    mention a camp, base or airport, `ground_fire` for aircraft; everything else is `other`.
    """
    sub = sub_event_type.str.strip().str.lower()
    convoy = _matches(description, _CONVOY)
    base = _matches(description, _BASE)
    air = _matches(description, _AIR)
    kinds = np.full(len(sub), "other", dtype=object)
    attack = sub.isin(["armed clash", "attack", "suicide bomb", "grenade"]).to_numpy(dtype=bool)
    shelling = (sub == "shelling/artillery/missile attack").to_numpy(dtype=bool)
    kinds[attack & base] = "base_attack"
    kinds[attack & air & ~base] = "ground_fire"
    kinds[attack & convoy] = "ambush"  # a convoy hit near a camp is still on the road
    kinds[shelling] = np.where(air[shelling] & ~base[shelling], "ground_fire", "base_attack")
    kinds[(sub == "remote explosive/landmine/ied").to_numpy(dtype=bool)] = "ied"
    return kinds


def classify_text(description: pd.Series, default: str = "other") -> np.ndarray:
    """Incident kind from free text alone (UCDP headlines), by the same words."""
    kinds = np.full(len(description), default, dtype=object)
    convoy = _matches(description, _CONVOY)
    kinds[_matches(description, _AIR)] = "ground_fire"
    kinds[_matches(description, _BASE) | _matches(description, _SHELLING)] = "base_attack"
    kinds[convoy] = "ambush"
    kinds[_matches(description, _IED)] = "ied"
    return kinds


_WOUNDED = re.compile(r"(?:wounded|injured)\s*=\s*(\d+)", re.IGNORECASE)


def wounded_from_tags(tags: pd.Series) -> np.ndarray:
    """Wounded counts from a 'wounded=N' tag (drawdown's convention; ACLED has no such field)."""
    found = tags.str.extract(_WOUNDED, expand=False)
    return pd.to_numeric(found, errors="coerce").to_numpy(dtype=float)


def _finish(
    frame: pd.DataFrame, file: str, fmt: str, rows: np.ndarray, columns: dict[str, object]
) -> Incidents:
    events = pd.DataFrame({"row": rows, **columns}, index=frame.index)
    events["kind"] = events["kind"].astype(object)
    return Incidents(
        events[list(EVENT_COLUMNS)].reset_index(drop=True), file, fmt, rows_read=len(frame)
    )


def _when_and_where(
    frame: pd.DataFrame, file: str, first_row: int, date_column: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """File row numbers, dates and coordinates; every unreadable value reported at once."""
    rows = frame.attrs.get(ROW_NUMBERS, np.arange(first_row, first_row + len(frame)))
    dates, problems = _dates(frame, date_column, file, rows)
    lat, lon, coord_problems = _coordinates(frame, file, rows)
    problems += coord_problems
    if problems:
        raise InputError(problems, f"{file}: {len(problems)} unreadable value(s)")
    return rows, dates, lat, lon


def _acled(frame: pd.DataFrame, file: str, first_row: int) -> Incidents:
    _require(frame, file, ACLED_REQUIRED, "an ACLED export")
    rows, dates, lat, lon = _when_and_where(frame, file, first_row, "event_date")
    notes = _text(frame, "notes")
    return _finish(
        frame,
        file,
        "acled",
        rows,
        {
            "source_id": _text(frame, "event_id_cnty"),
            "date": dates,
            "lat": lat,
            "lon": lon,
            "kind": classify(frame["sub_event_type"], notes),
            "killed": _number(frame, "fatalities"),
            "wounded": wounded_from_tags(_text(frame, "tags")),
            "geo_precision": _precision(frame, "geo_precision", file, rows),
            "time_precision": _precision(frame, "time_precision", file, rows),
            "inter1": parse_inter(_text(frame, "inter1")),
            "inter2": parse_inter(_text(frame, "inter2")),
            "location": _text(frame, "location"),
            "description": notes,
        },
    )


def _ucdp_precision(codes: np.ndarray, scale: dict[int, int]) -> np.ndarray:
    """UCDP precision codes on ACLED's 1-3 scale; anything coarser becomes 4."""
    out = np.full(codes.shape, 4, dtype=int)
    for ucdp, acled in scale.items():
        out[codes == ucdp] = acled
    return out


def _ucdp(frame: pd.DataFrame, file: str, first_row: int) -> Incidents:
    _require(frame, file, UCDP_REQUIRED, "a UCDP GED CSV")
    rows, dates, lat, lon = _when_and_where(frame, file, first_row, "date_start")
    headline = _text(frame, "source_headline")
    # where_prec: 1 exact, 2 near a place, 3 ADM2, 4 ADM1, 5+ coarser;
    # date_prec: 1 day, 2-3 within a week, 4 month, 5 year.
    geo = _ucdp_precision(_number(frame, "where_prec", 1), {1: 1, 2: 2, 3: 3})
    when = _ucdp_precision(_number(frame, "date_prec", 1), {1: 1, 2: 2, 3: 2, 4: 3})
    return _finish(
        frame,
        file,
        "ucdp",
        rows,
        {
            "source_id": _text(frame, "id"),
            "date": dates,
            "lat": lat,
            "lon": lon,
            "kind": classify_text(headline),
            "killed": _number(frame, "best"),
            "wounded": np.full(len(frame), np.nan),
            "geo_precision": geo,
            "time_precision": when,
            "inter1": np.zeros(len(frame), dtype=int),
            "inter2": np.zeros(len(frame), dtype=int),
            "location": _text(frame, "where_coordinates"),
            "description": headline,
        },
    )
