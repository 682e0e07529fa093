"""Statistics shared by the benchmarks, so every table computes a p95 the same way."""
from __future__ import annotations

from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """Linearly interpolated percentile, ``q`` in percent (95 = p95), as ``numpy.percentile``.

    The same definition as numpy's default ("linear") and the MASSIVE evaluation script, so
    numbers from every bench are comparable.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"q is a percentage between 0 and 100, got {q}")
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)
