"""Strict JSON for every file drawdown writes: no `Infinity` or `NaN`, which are not JSON.

Python's `json` writes bare `Infinity` and `NaN` by default, which strict readers (Node's
`JSON.parse`, jq, most web tools) refuse. `dumps_strict` writes a non-finite number as `null`
(what the `null` means is said where each file is documented, e.g.
docs/reference/results-folder.md) and refuses anything else that is not JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any


def plain(value: Any) -> Any:
    """`value` with numpy numbers and arrays, dates and paths made plain JSON values, and
    every non-finite number made None."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, str | bytes):  # numpy
        return plain(value.tolist())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dt.date | Path):
        return str(value)
    return value


def dumps_strict(value: Any, **kwargs: Any) -> str:
    """JSON text of `value`; non-finite numbers become null (never Infinity or NaN)."""
    return json.dumps(plain(value), allow_nan=False, **kwargs)
