"""The dispatcher adds Python floats the way numpy added its arrays, to the last bit.

The daily dispatcher works on lists of a few floats (a numpy call per element cost more than
the arithmetic); a sum in another order can change the last bit, then a comparison, then
the plan. `ledger.added` and `ledger.split_whole` are checked against the numpy they replace.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from drawdown.plan.ledger import EPS, added, split_whole

amounts = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


def _bits(x: float) -> bytes:
    return np.float64(x).tobytes()


@given(st.lists(amounts, max_size=20), st.data())
def test_added_is_numpy_sum(values: list[float], data: st.DataObject) -> None:
    idx = data.draw(st.lists(st.integers(0, max(len(values) - 1, 0)), max_size=12))
    idx = [i for i in idx if i < len(values)]
    expected = np.array(values, dtype=float)[idx].sum()
    assert _bits(added(values, idx)) == _bits(float(expected))


def test_added_keeps_numpy_order_where_it_matters() -> None:
    # left to right, 1e16 + 1 + 1 loses both ones; numpy's pairwise blocks from 8 terms on
    # do not lose them all the same way
    for n in range(1, 12):
        values = [1e16] + [1.0] * n
        idx = list(range(len(values)))
        assert added(values, idx) == float(np.array(values).sum())


def _numpy_split_whole(parts: list[tuple[str, float, float, float]]) -> list[tuple]:
    out = []
    for col in (1, 3):
        values = np.array([p[col] for p in parts])
        total = int(round(values.sum()))
        base = np.floor(values + EPS).astype(int)
        rest = total - int(base.sum())
        if rest > 0:
            for i in np.argsort(-(values - base), kind="stable")[:rest]:
                base[i] += 1
        out.append(base)
    return [(u, int(out[0][i]), float(t), int(out[1][i])) for i, (u, _p, t, _v) in enumerate(parts)]


parts_strategy = st.lists(
    st.tuples(
        st.sampled_from(["", "a", "b", "c"]),
        st.floats(0, 500, allow_nan=False),
        st.floats(0, 50, allow_nan=False),
        st.one_of(st.floats(0, 30, allow_nan=False), st.integers(0, 30).map(float)),
    ),
    min_size=1,
    max_size=10,
)


@given(parts_strategy)
def test_split_whole_is_the_numpy_split(parts: list[tuple[str, float, float, float]]) -> None:
    got = split_whole(parts)
    assert got == _numpy_split_whole(parts)
    assert all(isinstance(r[1], int) and isinstance(r[3], int) for r in got)
