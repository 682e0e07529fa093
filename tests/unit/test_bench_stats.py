"""The one percentile every benchmark table uses."""
import pytest

from bench.stats import percentile


def test_interpolates_between_ranks_like_numpy() -> None:
    values = [float(v) for v in range(1, 21)]  # 1..20
    # numpy.percentile(range(1, 21), 95) == 19.05; nearest-rank would say 19 or 20
    assert percentile(values, 95) == pytest.approx(19.05)
    assert percentile(values, 50) == pytest.approx(10.5)
    assert percentile(list(reversed(values)), 0) == 1.0
    assert percentile(values, 100) == 20.0


def test_one_value_and_bad_input() -> None:
    assert percentile([3.5], 95) == 3.5
    with pytest.raises(ValueError, match="no values"):
        percentile([], 95)
    with pytest.raises(ValueError, match="percentage"):
        percentile([1.0, 2.0], 150)
