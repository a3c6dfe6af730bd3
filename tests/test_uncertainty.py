"""Bands (``neuroimmune.predict``): the two uncertainties kept apart and combined, against known answers.

Every band here runs the default 24 h endotoxin scenario with the same parameter names drawn, so the tests share
one compiled kernel. The posteriors are synthetic, written in the packaged file's layout (``conftest.py``; the
real sample is produced by the calibration).
"""

import numpy as np
import pytest

import neuroimmune as ni
from neuroimmune.analysis import uncertainty as unc
from neuroimmune.cohort import Variability, simulate_cohort
from neuroimmune.errors import InputError, NeuroimmuneError
from neuroimmune.model.parameters import default_parameters

FREE = tuple(p.name for p in default_parameters().free())
FIT = default_parameters().values()
#: Every variability parameter with no spread: members differ only as the posterior says.
NO_SPREAD = {name: 0.0 for name in Variability.default().parameters}


def test_zero_variability_and_a_one_draw_posterior_collapse_the_band_to_simulates_curve(one_draw_posterior,
                                                                                        default_result):
    band = ni.predict(uncertainty="both", members=8, posterior=one_draw_posterior,
                      variability={"parameters": NO_SPREAD})
    assert band.sizes["quantile"] == len(unc.QUANTILES) and band.attrs["members_failed"] == 0
    for name in ("tnf", "il6", "temperature", "back_pain", "ppt_change", "fatigue"):
        values = band[name].values
        # every member is the same person: the quantiles agree to round-off of the interpolation
        np.testing.assert_allclose(values.min(axis=0), values.max(axis=0), rtol=1e-13, atol=1e-13, err_msg=name)
        ref = default_result[name].values
        scale = np.abs(ref).max()
        # the cohort kernel (Dormand-Prince, rtol 3e-5) against LSODA: the kernel's documented accuracy
        np.testing.assert_allclose(values[0], ref, rtol=0, atol=2e-3 * scale, err_msg=name)


def test_the_people_band_is_the_quantiles_of_the_cohort_of_the_same_seed():
    band = ni.predict(uncertainty="people", members=64, seed=3, observables=["tnf", "temperature"])
    cohort = simulate_cohort(None, 64, seed=3, keep={"trajectories": 64})
    for name in ("tnf", "temperature"):
        expected = np.quantile(cohort[name].values, unc.QUANTILES, axis=0)
        np.testing.assert_allclose(band[name].values, expected, rtol=1e-6, err_msg=name)


def test_the_median_of_a_large_people_band_is_near_the_run_at_median_parameters(default_result):
    # temperature's rise is close to proportional to the cytokine drive (near-linear) where people differ in how
    # much cytokine they make (not in how long they make it: that bends the map), and every multiplier has
    # median 1: the median of the band is the run at the fit, to within 2 % of the rise (1 % measured with 2001
    # members; the rest is the sampling error of a median and the curvature)
    cv = Variability.default().parameters
    amount = {"parameters": {k: cv[k] for k in ("k_TNFM", "k_6M")}}
    band = ni.predict(uncertainty="people", members=2001, seed=1, observables=["temperature"], quantiles=[0.5],
                      variability=amount)
    ref = default_result["temperature"].values
    rise = ref.max() - ref.min()
    np.testing.assert_allclose(band["temperature"].values[0], ref, rtol=0, atol=0.02 * rise)


def test_with_one_parameter_varying_the_median_band_is_the_run_at_the_median_member():
    # quantiles commute with a monotone map: where plasma TNF rises with TNF release per monocyte, the median
    # band is the run at the members' median value. TNF falls back slightly faster when it rose higher (the
    # tolerance it induces), which bends the map near the end of the fall: 1 % of the rise allows for that
    # (0.7 % measured)
    variability = {"parameters": {**NO_SPREAD, "k_TNFM": 0.5}}
    members = unc.member_trajectories(uncertainty="people", members=801, seed=1, variability=variability,
                                      observables=["tnf"])
    band = ni.predict(uncertainty="people", members=801, seed=1, variability=variability, observables=["tnf"],
                      quantiles=[0.5])
    median_value = float(np.median(members["param_k_TNFM"].values))
    at_median = ni.simulate(parameters={"k_TNFM": median_value}, observables=["tnf"])["tnf"].values
    np.testing.assert_allclose(band["tnf"].values[0], at_median, rtol=0, atol=0.01 * np.ptp(at_median))
    assert abs(median_value / FIT["k_TNFM"] - 1) < 0.05  # the median multiplier is 1 (3 standard errors: 4.5 %)


@pytest.mark.parametrize("uncertainty", unc.UNCERTAINTIES)
def test_quantiles_are_ordered_and_the_band_says_what_it_means(uncertainty, spread_posterior):
    band = ni.predict(uncertainty=uncertainty, members=48, posterior=spread_posterior)
    for name in ("tnf", "temperature", "back_pain", "ppt_change"):
        steps = np.diff(band[name].values, axis=0)
        assert (steps >= 0).all(), name
    lo, hi = band["temperature"].sel(quantile=0.05).max(), band["temperature"].sel(quantile=0.95).max()
    assert hi > lo  # a band, not a line
    assert band.attrs["uncertainty"] == uncertainty and band.attrs["members"] == 48
    assert band.attrs["band"] == unc.meaning(uncertainty, 48, 0.05, 0.95)
    assert ("posterior" in band.attrs) == (uncertainty != "people")
    assert ("variability" in band.attrs) == (uncertainty != "parameter")


def test_the_parameter_band_draws_posterior_rows_and_both_multiplies_them(spread_posterior):
    names = spread_posterior.names
    param = unc.member_trajectories(uncertainty="parameter", members=30, seed=5, posterior=spread_posterior,
                                    observables=["tnf"])
    rows = {tuple(np.round(r, 12)) for r in spread_posterior.draws}
    drawn = np.column_stack([param[f"param_{k}"].values for k in names])
    assert all(tuple(np.round(r, 12)) in rows for r in drawn)
    for k in Variability.default().parameters:  # no person-to-person differences in the parameter band
        if k not in names:
            assert np.all(param[f"param_{k}"].values == FIT[k])
    people = unc.member_trajectories(uncertainty="people", members=30, seed=5, observables=["tnf"])
    both = unc.member_trajectories(uncertainty="both", members=30, seed=5, posterior=spread_posterior,
                                   observables=["tnf"])
    # the same seed draws the same posterior rows and the same multipliers: both = posterior draw x multiplier
    multiplier = people["param_k_TNFM"].values / FIT["k_TNFM"]
    upper = default_parameters()["k_TNFM"].upper
    expected = np.minimum(param["param_k_TNFM"].values * multiplier, upper)  # clipped to the bound, as cohorts clip
    inside = people["param_k_TNFM"].values < upper
    np.testing.assert_allclose(both["param_k_TNFM"].values[inside], expected[inside], rtol=1e-12)
    np.testing.assert_allclose(both["param_k_M"].values, param["param_k_M"].values, rtol=0)  # posterior only
    np.testing.assert_allclose(both["param_k_6M"].values, people["param_k_6M"].values, rtol=0)  # people only


def test_the_same_seed_gives_the_same_band_and_another_seed_another():
    a = ni.predict(members=32, seed=2, observables=["temperature"])
    b = ni.predict(members=32, seed=2, observables=["temperature"])
    c = ni.predict(members=32, seed=3, observables=["temperature"])
    assert a.identical(b)
    assert not np.array_equal(a["temperature"].values, c["temperature"].values)


def test_user_parameters_are_held_in_posterior_draws_and_centre_the_people_band(spread_posterior):
    band = unc.member_trajectories(uncertainty="both", members=16, posterior=spread_posterior, observables=["tnf"],
                                   parameters={"k_M": 0.5 * FIT["k_M"], "k_TNFM": 2.0})
    assert np.all(band["param_k_M"].values == 0.5 * FIT["k_M"])
    assert np.isclose(np.median(band["param_k_TNFM"].values), 2.0, rtol=0.3)


def test_quantiles_over_members_match_numpys():
    x = np.random.default_rng(0).lognormal(size=(101, 7, 5))
    qs = (0.0, 0.05, 0.3, 0.5, 0.95, 1.0)
    np.testing.assert_allclose(unc.quantiles_over_members(x, qs), np.quantile(x, qs, axis=0), rtol=1e-13)


@pytest.mark.parametrize("kwargs, field", [
    ({"uncertainty": "parameters"}, "uncertainty"),
    ({"uncertainty": None}, "uncertainty"),
    ({"members": 1}, "members"),
    ({"members": True}, "members"),
    ({"members": 2.5}, "members"),
    ({"quantiles": [0.5, 1.5]}, "quantiles"),
    ({"quantiles": ["median"]}, "quantiles"),
    ({"quantiles": []}, "quantiles"),
    ({"observables": ["pain"]}, "observables"),
    ({"observables": []}, "observables"),
    ({"observables": "tnf"}, "observables"),
    ({"parameters": {"k_nope": 1.0}}, "parameters"),
])
def test_bad_input_names_the_field_rule_and_value(kwargs, field):
    with pytest.raises(NeuroimmuneError) as info:
        ni.predict(**kwargs)
    assert str(info.value).startswith(f"{field}:"), str(info.value)


@pytest.mark.parametrize("uncertainty", ["parameter", "both"])
def test_without_a_packaged_posterior_the_parameter_bands_are_refused(monkeypatch, uncertainty):
    monkeypatch.setattr(unc, "packaged_posterior", lambda: None)
    with pytest.raises(unc.NoPosteriorError) as info:
        ni.predict(uncertainty=uncertainty, members=4)
    assert isinstance(info.value, InputError) and info.value.problems[0][0] == "uncertainty"
    assert "posterior" in str(info.value) and uncertainty in str(info.value)
    assert unc.available() == ("people",)


def test_coverage_of_the_volunteers_counts_every_point_once_and_grows_with_the_band():
    # the small version of benchmarks/bands_coverage.py (2000 members there, the table in benchmarks/README.md)
    from neuroimmune.studies import windoloski2024_individuals as study

    narrow = unc.coverage(members=200, low=0.25, high=0.75)
    ninety = unc.coverage(members=200)
    wide = unc.coverage(members=200, low=0.01, high=0.99)
    subjects = study.individuals("TNF")[1].shape[0]
    assert subjects == 20 and len(ninety) == 20 * 8 * 4  # 20 volunteers, 8 sampling times, 4 cytokines
    assert set(ninety["role"]) == {"fitted", "held out"}
    assert set(ninety[ninety["role"] == "held out"]["observable"]) == {"il8"}
    assert (ninety[["inside", "below", "above"]].sum(axis=1) == 1).all()  # each point in exactly one class
    assert ((ninety["low"] <= ninety["value"]) & (ninety["value"] <= ninety["high"]) == ninety["inside"]).all()
    after = [t[t["time"] > 0]["inside"].mean() for t in (narrow, ninety, wide)]
    assert after[0] < after[1] < after[2]  # a wider band holds more of the same points
    # in plasma every member rests at the model's resting level before the challenge: the band has no width there
    plasma = unc.coverage(members=200, measured=False)
    first = plasma[plasma["time"] == 0]
    assert np.allclose(first["low"], first["high"], rtol=1e-9)
    none = unc.coverage(members=50, variability={"parameters": NO_SPREAD}, measured=False)
    assert np.allclose(none["low"], none["high"], rtol=1e-9)  # no variability, no band
    # read as measured, the band before the challenge is the spread of the volunteers' resting readings: the 5th
    # and 95th percentiles of a log-normal with their log mean and SD, to the sampling error of 200 members
    for name, tag in {**study.FITTED, **study.HELD_OUT}.items():
        mean, sd = study.resting_level(tag)
        rest = ninety[(ninety["time"] == 0) & (ninety["observable"] == name)].iloc[0]
        np.testing.assert_allclose(np.log([rest["low"], rest["high"]]), [mean - 1.645 * sd, mean + 1.645 * sd],
                                   atol=0.35 * sd)
    # the rise above rest is the plasma band's: without variability, reading and plasma differ by one offset per
    # member, so the readings' band is as wide at every time as the offsets' spread
    flat = unc.coverage(members=50, variability={"parameters": NO_SPREAD})
    widths = (flat["high"] - flat["low"]).groupby([flat["observable"], flat["time"]]).first().unstack()
    assert np.allclose(widths.to_numpy(), widths.to_numpy()[:, :1], rtol=1e-6)


def test_the_packaged_posterior_gives_the_parameter_band():
    post = unc.packaged_posterior()
    assert post is not None and unc.available() == unc.UNCERTAINTIES
    members = unc.member_trajectories(uncertainty="parameter", members=16, observables=["temperature"])
    rows = {tuple(r) for r in np.round(post.draws, 10)}
    drawn = np.column_stack([members[f"param_{k}"].values for k in post.names])
    assert all(tuple(r) in rows for r in np.round(drawn, 10))  # every member is a draw of the packaged sample
    assert members.attrs["posterior"] == str(post.path) and "sampler" in members.attrs["posterior_provenance"]
