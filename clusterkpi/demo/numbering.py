"""Row numbering: identifiers such as ``M0001`` for the rows of a generated table."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from clusterkpi.demo.text import take_strings


def _ids(prefix: str, n: int, width: int) -> pd.Series:
    """Identifiers ``prefix`` + 1..n zero-padded to ``width`` (at least 4) digits."""
    numbers = np.arange(1, n + 1)
    width = max(width, len(str(n)))
    high = [f"{prefix}{i:0{width - 3}d}" for i in range(n // 1000 + 1)]
    low = [f"{i:03d}" for i in range(1000)]
    return take_strings(high, numbers // 1000) + take_strings(low, numbers % 1000)


def number_rows(
    frames: Sequence[pd.DataFrame], key: str, prefix: str, width: int = 4
) -> pd.DataFrame:
    """Concatenate yearly frames (each in date order) and number their rows."""
    frame = pd.concat([f for f in frames if len(f)], ignore_index=True)
    frame.insert(0, key, _ids(prefix, len(frame), width))
    return frame
