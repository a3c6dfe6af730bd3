import numpy as np
import pytest

import neuroimmune as ni
from neuroimmune.model import OBSERVABLE_NAMES, REGIONS


def bolus(dose, **extra):
    return {"challenge": {"kind": "endotoxin", "dose": dose}, **extra}


def test_result_is_labelled(default_result):
    ds = default_result
    assert ds["time"].attrs["units"] == "h"
    assert list(ds["region"].values) == list(REGIONS)
    for name in OBSERVABLE_NAMES:
        assert ds[name].attrs["units"] and ds[name].attrs["long_name"], name
    assert ds["ppt_change"].dims == ("region", "time")
    assert float(ds["time"][-1]) == 24.0


def test_no_challenge_stays_at_baseline_for_seven_days():
    ds = ni.simulate({"duration": "7 days", "output_step": "1 h"})
    first = ds.isel(time=0)
    for name in OBSERVABLE_NAMES:
        np.testing.assert_allclose(ds[name], first[name].broadcast_like(ds[name]), rtol=1e-9, atol=1e-9,
                                   err_msg=name)
    assert float(ds["back_pain"].max()) == 0.0
    np.testing.assert_allclose(ds["ppt_change"], 0.0, atol=1e-12)


def test_concentrations_never_negative():
    for dose in (0.1, 2.0, 4.0):
        ds = ni.simulate(bolus(dose, duration="48 h"), include_states=True)
        for name in ("tnf", "il6", "il8", "il10", "state_E", "state_MA", "state_MP", "state_MR"):
            # zero up to the default solver's absolute tolerance (atol 1e-9; quantities peak at 1e-1 to 1e4)
            assert float(ds[name].min()) >= -1e-9, (dose, name)


def test_endotoxin_clears_exponentially_as_the_analytic_solution():
    ds = ni.simulate(bolus(2.0, duration="6 h"), include_states=True)
    k_e = ni.model.default_parameters()["k_E"].value
    expected = 2.0 * np.exp(-k_e * ds["time"].values)
    np.testing.assert_allclose(ds["state_E"].values, expected, rtol=1e-5, atol=1e-9)


DOSES = [0.1, 0.2, 0.4, 0.8, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0]


@pytest.fixture(scope="module")
def dose_runs():
    return {dose: ni.simulate(bolus(dose)) for dose in DOSES}


def peak_of(ds, name):
    if name == "lower_back_threshold_fall":
        return -float(ds["ppt_change"].sel(region="lower_back").min())
    return float(ds[name].max())


@pytest.mark.parametrize("name", ["tnf", "il6", "il8", "il10", "crp", "temperature", "back_pain",
                                  "lower_back_threshold_fall"])
def test_more_endotoxin_gives_a_larger_response_over_0_1_to_8_ng_per_kg(dose_runs, name):
    """Monotone where nature is: every peak rises with the dose (no dip, no plateau) from 0.1 to 8 ng/kg."""
    values = [peak_of(dose_runs[dose], name) for dose in DOSES]
    assert np.all(np.diff(values) > 0), (name, values)


def test_low_dose_response_is_less_than_proportional_scaling():
    low = ni.simulate(bolus(0.4))
    high = ni.simulate(bolus(2.0))
    # a fifth of the dose gives less than a fifth of the fever and of the threshold fall (mechanism, not scaling)
    fever_low = float(low["temperature"].max() - low["temperature"][0])
    fever_high = float(high["temperature"].max() - high["temperature"][0])
    assert fever_low < fever_high
    lb_low = -float(low["ppt_change"].sel(region="lower_back").min())
    lb_high = -float(high["ppt_change"].sel(region="lower_back").min())
    assert lb_low < 0.5 * lb_high


def test_infusion_peaks_later_than_bolus_of_same_total_dose():
    b = ni.simulate(bolus(2.0))
    i = ni.simulate({"challenge": {"kind": "endotoxin", "infusion": {"rate": "0.5 ng/kg/h", "duration": "4 h"}}})
    for name in ("tnf", "il6", "il10", "temperature"):
        assert float(i["time"][int(i[name].argmax("time"))]) > float(b["time"][int(b[name].argmax("time"))]), name


def test_threshold_still_low_at_6_h_when_cytokines_have_fallen(default_result):
    ds = default_result
    tnf = ds["tnf"]
    assert float(tnf.interp(time=6.0)) < 0.1 * float(tnf.max())
    assert float(ds["ppt_change"].sel(region="lower_back").interp(time=6.0)) < -15.0
    # the lower back falls most, everywhere and at every time
    assert (ds["ppt_change"].sel(region="lower_back") <= ds["ppt_change"].min("region") + 1e-12).all()


def test_units_in_scenario_are_converted():
    a = ni.simulate(bolus("2 ng/kg", duration="1 day"))
    b = ni.simulate(bolus("0.002 ug/kg", duration="24 h"))
    np.testing.assert_allclose(a["tnf"], b["tnf"])


def test_fast_solver_agrees_with_tight_reference():
    fast = ni.simulate(bolus(2.0, duration="24 h"))
    ref = ni.simulate(bolus(2.0, duration="24 h"), solver="reference")
    for name in ("tnf", "il6", "il10", "temperature", "back_pain"):
        assert float(fast[name].max()) == pytest.approx(float(ref[name].max()), rel=1e-4), name


def test_sex_age_weight_change_the_response():
    base = ni.simulate(bolus(2.0))
    women = ni.simulate(bolus(2.0, host={"sex": "female"}))
    older = ni.simulate(bolus(2.0, host={"age": "70 years"}))
    heavy = ni.simulate(bolus(2.0, host={"weight": "110 kg"}))
    assert float(women["tnf"].max()) > float(base["tnf"].max())  # larger cytokines in women
    assert float(women["temperature"].max()) < float(base["temperature"].max())  # smaller fever (Coyle 2006)
    assert float(older["temperature"].interp(time=8.0)) > float(base["temperature"].interp(time=8.0))
    assert float(heavy["tnf"].max()) > float(base["tnf"].max())


def test_unknown_observable_and_solver_are_named():
    with pytest.raises(ni.errors.UnknownNameError, match=r"observables: must be one of .*\(got 'cortisol'\)"):
        ni.simulate(observables=["cortisol"])
    with pytest.raises(ni.errors.UnknownNameError, match="solver: must be one of"):
        ni.simulate(solver="euler")


def test_compiled_rhs_is_the_module_equations_to_round_off():
    from types import SimpleNamespace

    from neuroimmune.engine.compiled import compiled_model
    from neuroimmune.engine.simulate import resolve_parameters
    from neuroimmune.model import assembly

    model = compiled_model()
    rng = np.random.default_rng(1)
    for kind in ({"kind": "influenza"}, {"kind": "vaccine"}, {"kind": "endotoxin", "dose": "2 ng/kg"}):
        p = resolve_parameters(ni.Scenario.from_dict({"challenge": kind}), None)
        reference = assembly.make_rhs(p)
        for _ in range(20):
            y = assembly.initial_state(p) + rng.uniform(0.0, 2.0, len(assembly.STATE_NAMES))
            u = dict(zip(assembly.INPUTS, rng.uniform(0.0, 1.0, len(assembly.INPUTS)), strict=True))
            expected = reference(0.0, y, SimpleNamespace(**u))
            got = model.rhs(0.0, y.tolist(), model.input_vector(u), model.parameter_vector(p))
            np.testing.assert_allclose(got, np.asarray(expected, dtype=float), rtol=1e-13, atol=1e-300)
