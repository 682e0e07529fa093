"""Statistics shared by the benchmarks, so every table computes a p95 the same way."""
from __future__ import annotations

from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """Linearly interpolated percentile, ``q`` a fraction (0.95 = p95).

    The same definition as numpy's default ("linear") and the MASSIVE evaluation script, so
    numbers from every bench are comparable.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 1:
        raise ValueError(f"q is a fraction between 0 and 1, got {q}")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)
