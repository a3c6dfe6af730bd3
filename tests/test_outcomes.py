"""Every path that reports a summary uses the one definition in neuroimmune.outcomes: checked on courses built
to start and end exactly on day boundaries (24 h, 48 h), where the old copies disagreed."""

from types import SimpleNamespace

import numpy as np
import pytest
import xarray as xr

from neuroimmune import outcomes
from neuroimmune.analysis.compare import Outcome
from neuroimmune.engine.batch.engine import reduce_member
from neuroimmune.web.results import burden

T = np.round(np.arange(0, 72.0 + 1e-9, 0.1), 10)


def course(fever: tuple[float, float], ache: tuple[float, float], tired: tuple[float, float]) -> xr.Dataset:
    """A course with fever, back ache and fatigue flags on the closed windows given (hours)."""
    def box(window: tuple[float, float], low: float, high: float) -> np.ndarray:
        return np.where((T >= window[0] - 1e-9) & (T <= window[1] + 1e-9), high, low)

    ppt = np.stack([-10 * box(ache, 0.0, 1.0), -20 * box(ache, 0.0, 1.0)])
    return xr.Dataset(
        {"temperature": ("time", box(fever, 37.0, 38.5)), "back_pain": ("time", box(ache, 0.0, 3.0)),
         "fatigue": ("time", box(tired, 0.0, 0.5)), "ppt_change": (("region", "time"), ppt)},
        coords={"time": T, "region": ["neck", "lower_back"]})


CASES = [
    # fever, back ache, fatigue windows -> days with fever, days with back pain, recovery day, onset (h)
    (((24, 30), (24, 30), (24, 30)), 1, 1, 30.1 / 24, 24.0),  # starts on a boundary: day 1 only
    (((20, 24), (20, 24), (20, 24)), 2, 2, 24.1 / 24, 20.0),  # ends on a boundary: days 0 and 1
    (((10, 23.9), (30, 48), (47.9, 48.0)), 1, 2, 48.1 / 24, 10.0),  # 48 h opens day 2
    (((0, 0), (72, 72), (72, 72)), 1, 1, np.nan, 0.0),  # ill at the last output: not recovered
]


@pytest.mark.parametrize(("windows", "fever_days", "ache_days", "recovery", "onset"), CASES)
def test_every_path_counts_days_the_same_way(windows, fever_days, ache_days, recovery, onset):
    ds = course(*windows)
    single = outcomes.course(ds)
    assert single["days_with_fever"] == fever_days
    assert single["days_with_back_pain"] == ache_days
    np.testing.assert_allclose(single["recovery_day"], recovery, atol=1e-9)
    assert outcomes.onset(T, {n: ds[n].to_numpy() for n in outcomes.ILL_AT}) == pytest.approx(onset)

    web = burden(ds)  # POST /api/compare
    assert web["days_with_fever"] == fever_days and web["days_with_back_pain"] == ache_days
    cli = Outcome.of("arm", ds)  # neuroimmune compare
    assert cli.days_with_back_pain == ache_days
    np.testing.assert_allclose(cli.recovery_day, recovery, atol=1e-9)

    # the cohort's NumPy engines (the kernel's twin): flat observables in the layout's order
    values = np.stack([ds["temperature"].to_numpy(), ds["back_pain"].to_numpy(), ds["fatigue"].to_numpy()])
    lay = SimpleNamespace(t_out=T, day_obs=np.array([0, 1]), day_thr=np.array([outcomes.FEVER_C,
                                                                                 outcomes.BACK_PAIN_NRS]),
                          ill_obs=np.array([0, 1, 2]), peak_kinds=("max", "max", "max"))
    out = {"peak": np.empty((1, 3)), "peak_t": np.empty((1, 3)), "auc": np.empty((1, 3)),
           "days": np.empty((1, 2), dtype=np.int32), "last_ill": np.empty(1)}
    reduce_member(values, values[:, 0], lay, 0, out)
    assert list(out["days"][0]) == [fever_days, ache_days]
    np.testing.assert_allclose(outcomes.recovery_day_from_last_ill(T, out["last_ill"])[0], recovery, atol=1e-9)


def test_day_index_puts_a_boundary_in_the_day_it_opens():
    assert list(outcomes.day_index([0.0, 23.999, 24.0, 47.9, 48.0])) == [0, 0, 1, 1, 2]


def test_peaks_say_which_extreme_they_are():
    ds = course((24, 30), (6, 8), (0, 0))
    ppt = ds["ppt_change"].sel(region="lower_back").to_numpy()
    assert outcomes.peak_kind("ppt_change_lower_back") == "min"
    assert outcomes.peak(ppt, T, "min") == (-20.0, 6.0)
    assert outcomes.peak(ds["temperature"].to_numpy(), T) == (38.5, 24.0)
    # furthest from a baseline: a dip below it counts when it is larger than the rise
    assert outcomes.peak(np.array([1.0, 1.5, -2.0, 1.0]), np.arange(4.0), "extreme", baseline=1.0) == (-2.0, 2.0)
    assert burden(ds)["lower_back_ppt_min"] == -20.0


def test_hours_and_area_are_trapezoids():
    flag = np.where((T >= 24) & (T <= 30), 1.0, 0.0)
    assert outcomes.hours_at_or_above(flag, T, 0.5) == pytest.approx(6.1)  # 6 h plus half a step at each end
    assert outcomes.area(np.full(T.size, 2.0), T, 1.0) == pytest.approx(72.0)


def test_the_last_fall_below_a_level_is_interpolated_between_outputs():
    t = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    # a line from 39 down to 37 over 1-3 h crosses 38 exactly at 2 h; an earlier dip does not count
    v = np.array([38.5, 39.0, 38.0, 37.0, 37.0])
    assert outcomes.last_time_at_or_above(v, t, 38.0) == pytest.approx(2.0)
    assert outcomes.last_time_at_or_above(v, t, 38.5) == pytest.approx(1.5)
    late = np.array([38.5, 37.0, 38.4, 37.0, 36.0])
    assert outcomes.last_time_at_or_above(late, t, 38.0) == pytest.approx(2 + 0.4 / 1.4)
    # still above at the end: the last output time; never reached: NaN
    assert outcomes.last_time_at_or_above(np.full(5, 39.0), t, 38.0) == 4.0
    assert np.isnan(outcomes.last_time_at_or_above(np.full(5, 37.0), t, 38.0))
