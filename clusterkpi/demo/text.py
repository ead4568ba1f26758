"""Strings of the generated tables: picks from word lists, string columns by index."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def pick_one(rng: np.random.Generator, options: Sequence[str]) -> str:
    """Return one of ``options``, drawn uniformly."""
    return options[int(rng.integers(len(options)))]


def take_strings(
    values: Sequence[str] | pd.Series | np.ndarray, index: np.ndarray
) -> pd.Series:
    """Strings picked by ``index`` (-1: missing), without a Python object per row."""
    strings = pd.array(np.asarray(values, dtype=object), dtype="str")
    return pd.Series(strings.take(np.asarray(index, dtype=np.int64), allow_fill=True))
