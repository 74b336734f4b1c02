"""HXL hashtags for the CSV files drawdown writes (the Humanitarian Exchange Language).

Humanitarian coordinators exchange CSV whose second row tags each column (`#loc+code`,
`#date`, `#affected+killed`, ...) so tools such as HXL Proxy, HDX and Quick Charts read
them without a mapping. With `--hxl` on a command that writes CSV (or `with tagging():`
around a library call) every CSV it writes gets that row under its header. `TAGS` is the
one place a column's tag is chosen; a column not in it is tagged `#indicator+<its name>`
(`+num` when numeric). docs/reference/results-folder.md lists every column with its tag.
"""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas loads on first use: the CLI imports this module to parse --hxl
    import pandas as pd

# Tags by column name, after the HXL 1.1 dictionary (hxlstandard.org/standard/dictionary).
TAGS = {
    "site": "#loc+code",
    "origin": "#loc+code+origin",
    "destination": "#loc+code+dest",
    "target": "#loc+code",
    "place": "#loc+code",
    "location": "#loc+name",
    "link": "#loc+code+link",
    "route": "#loc+code+route",
    "lat": "#geo+lat",
    "lon": "#geo+lon",
    "date": "#date",
    "period_start": "#date+start",
    "period_end": "#date+end",
    "day": "#date+day_index+num",
    "arrival_day": "#date+day_index+arrival+num",
    "closure_day": "#date+day_index+closure+num",
    "planned_day": "#date+day_index+closure+planned+num",
    "killed": "#affected+killed+num",
    "wounded": "#affected+injured+num",
    "protection_gap_person_days": "#affected+uncovered+person_days+num",
    "people": "#population+peacekeepers+num",
    "containers_teu": "#indicator+containers+teu+num",
    "vehicles": "#indicator+vehicles+num",
    "value_usd": "#value+usd",
    "cost_usd": "#value+cost+usd",
    "mode": "#operations+mode",
    "asset": "#operations+asset",
    "kind": "#event+type",
    "source_id": "#event+id",
    "description": "#description",
    "source": "#meta+source",
    "cargo_class": "#item+type",
    "fate": "#item+disposition",
    "sensitive": "#item+sensitive",
    "option": "#meta+option",
    "figure": "#indicator+code",
    "label": "#indicator+name",
    "unit": "#indicator+unit",
    "row": "#meta+row+num",
    "reason": "#meta+reason",
}
_tagging: contextvars.ContextVar[bool] = contextvars.ContextVar("hxl_tagging", default=False)


def tag(column: str, numeric: bool = False) -> str:
    """The HXL hashtag (with attributes) of a column."""
    if column in TAGS:
        return TAGS[column]
    attribute = re.sub(r"[^a-z0-9_]+", "_", column.lower()).strip("_") or "value"
    if attribute[0].isdigit():
        attribute = f"x{attribute}"
    return f"#indicator+{attribute}" + ("+num" if numeric else "")


def tags(frame: pd.DataFrame) -> list[str]:
    """The hashtag row of a table."""
    import pandas as pd

    return [
        tag(str(c), numeric=pd.api.types.is_numeric_dtype(frame[c].dtype)) for c in frame.columns
    ]


@contextmanager
def tagging(on: bool = True) -> Iterator[None]:
    """Within the block, every CSV drawdown writes carries the hashtag row (or not)."""
    token = _tagging.set(on)
    try:
        yield
    finally:
        _tagging.reset(token)


def set_tagging(on: bool) -> None:
    """Tag (or not) every CSV written from here on in this context: a command's `--hxl`."""
    _tagging.set(on)


HELP = "Add an HXL hashtag row under each CSV header (humanitarian data exchange)."


def write_csv(frame: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write `frame` as CSV (no index), with the hashtag row under the header when tagging."""
    import pandas as pd

    path = Path(path)
    if not _tagging.get():
        frame.to_csv(path, index=False)
        return path
    header = pd.DataFrame([tags(frame)], columns=frame.columns)
    with path.open("w", encoding="utf-8", newline="") as handle:
        header.to_csv(handle, index=False)
        frame.to_csv(handle, index=False, header=False)
    return path


def has_tags(path: str | os.PathLike[str]) -> bool:
    """Whether the CSV's second row is a hashtag row."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        handle.readline()
        second = handle.readline()
    cells = [c.strip().strip('"') for c in second.split(",")]
    return bool(second.strip()) and all(c.startswith("#") for c in cells if c)


def read_csv(path: str | os.PathLike[str], **kwargs: Any) -> pd.DataFrame:
    """Read a CSV drawdown wrote, with or without its hashtag row."""
    import pandas as pd

    skip = [1] if has_tags(path) else None
    return pd.read_csv(path, skiprows=skip, **kwargs)
