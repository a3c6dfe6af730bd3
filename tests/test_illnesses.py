"""Issue 3: each challenge kind runs and behaves as the studies behind it say; memory and persistence."""

from __future__ import annotations

import numpy as np
import pytest

import neuroimmune as ni
from neuroimmune.outcomes import ILL_AT, course, ill

FLU = {"challenge": {"kind": "influenza"}, "duration": "14 days", "output_step": "1 h"}
COV = {"challenge": {"kind": "sars_cov_2"}, "duration": "21 days", "output_step": "2 h"}


def peak_day(da):
    return float(da["time"][int(np.argmax(da.to_numpy()))]) / 24.0


@pytest.mark.parametrize(
    "challenge, unit",
    [({"kind": "influenza"}, "log10(TCID50/mL)"), ({"kind": "sars_cov_2"}, "log10(copies/mL)"),
     ({"kind": "bacterial"}, "log10(1/mL)"), ({"kind": "vaccine"}, "log10(1/mL)")],
)
def test_every_kind_runs_with_finite_observables_and_its_viral_load_unit(challenge, unit):
    ds = ni.simulate({"challenge": challenge, "duration": "7 days", "output_step": "2 h"})
    for name in ni.model.OBSERVABLE_NAMES:
        assert np.isfinite(ds[name].to_numpy()).all(), name
    assert ds["viral_load"].attrs["units"] == unit
    assert float(ds["temperature"].max()) > float(ds["temperature"][0]) + 0.05  # every challenge makes some fever


def test_influenza_titre_peaks_on_day_2_and_is_cleared_within_a_week():
    vl = ni.simulate(FLU)["viral_load"]
    assert 1.5 <= peak_day(vl) <= 3.0
    assert 5.0 < float(vl.max()) < 7.0  # Baccam volunteers peaked at 10^5-10^7.5 TCID50/mL
    assert float(vl.sel(time=7 * 24.0)) < 0.5  # below detection by day 7


def test_influenza_il6_peaks_with_the_virus_and_tnf_later():
    ds = ni.simulate(FLU)
    assert peak_day(ds["tnf"]) - peak_day(ds["il6"]) > 0.5


def test_no_virus_grows_without_a_viral_challenge():
    # V = 0 is an unstable equilibrium with target cells present; they exist only for the challenge's virus
    ds = ni.simulate({"challenge": {"kind": "bacterial", "load": 0.1}, "duration": "21 days", "output_step": "6 h"},
                     include_states=True)
    assert float(np.abs(ds["state_V"]).max()) < 1e-6


def test_sars_cov_2_peaks_later_and_lasts_longer_than_influenza():
    flu, cov = ni.simulate(FLU), ni.simulate(COV)
    assert peak_day(cov["viral_load"]) > peak_day(flu["viral_load"]) + 1.5
    assert (cov["viral_load"] >= 0.5).sum() * 2 > (flu["viral_load"] >= 0.5).sum() * 1


def test_early_antiviral_lowers_titre_more_than_late():
    def titre_area(start):
        ds = ni.simulate({**FLU, "interventions": [{"kind": "antiviral", "start": start}]})
        return float(ds["viral_load"].clip(min=0).sum())

    untreated = float(ni.simulate(FLU)["viral_load"].clip(min=0).sum())
    early, late = titre_area("24 h"), titre_area("72 h")
    assert early < late < untreated
    # a 5-day course started before the adaptive response has seen antigen only delays the infection: the titre
    # rebounds when it stops (the model's prediction for very early, short treatment)
    assert titre_area("6 h") > early


def test_antibiotic_clears_bacteria_sooner_and_a_larger_load_takes_longer():
    def cleared_at(load, interventions=()):
        ds = ni.simulate({"challenge": {"kind": "bacterial", "load": load}, "duration": "14 days",
                          "output_step": "1 h", "interventions": list(interventions)})
        below = ds["bacterial_load"].to_numpy() < 0.0 + 1e-9 + np.log10(2.0)  # fewer than one bacterium per mL
        return float(ds["time"][np.argmax(below)])

    assert cleared_at(3.0, [{"kind": "antibiotic", "start": "6 h"}]) < cleared_at(3.0)
    assert cleared_at(0.5) < cleared_at(3.0)


def hours_ill(ds):
    flags = ill({name: ds[name].to_numpy() for name in ILL_AT})
    return float(flags.sum()) * float(ds["time"][1] - ds["time"][0])


def test_memory_makes_a_second_infection_shorter_and_milder():
    # antibody left by the first infection slows the second one (it starts later), and the recall response ends it
    # sooner: fewer hours ill, a lower titre and less back ache
    naive = ni.simulate(FLU)
    again = ni.simulate({**FLU, "host": {"history": [{"kind": "influenza", "time": "-90 days"}]}})
    assert hours_ill(again) < 0.8 * hours_ill(naive)
    assert float(again["back_pain"].max()) < float(naive["back_pain"].max())
    assert float(again["viral_load"].max()) < float(naive["viral_load"].max())


def test_a_vaccinated_host_has_a_shorter_milder_covid():
    naive = ni.simulate(COV)
    vacc = ni.simulate({**COV, "host": {"history": [{"kind": "vaccine", "time": "-90 days"},
                                                      {"kind": "vaccine", "time": "-111 days"}]}})
    assert course(vacc)["recovery_day"] < course(naive)["recovery_day"]
    assert float(vacc["temperature"].max()) < float(naive["temperature"].max())


def test_memory_is_specific_to_the_antigen():
    naive = ni.simulate(FLU)
    other = ni.simulate({**FLU, "host": {"history": [{"kind": "sars_cov_2", "time": "-90 days"}]}})
    np.testing.assert_allclose(other["viral_load"], naive["viral_load"], atol=1e-6)


def test_history_dates_are_placed_before_the_start_date():
    by_date = ni.Scenario.from_dict({**FLU, "start_date": "2026-11-01",
                                     "host": {"history": [{"kind": "influenza", "date": "2026-08-03"}]}})
    assert by_date.host.history[0].time == pytest.approx(-90 * 24.0)
    by_time = ni.simulate({**FLU, "host": {"history": [{"kind": "influenza", "time": "-90 days"}]}})
    np.testing.assert_allclose(ni.simulate(by_date)["back_pain"], by_time["back_pain"], rtol=1e-9)


def test_second_vaccine_dose_brings_more_fever_and_fatigue_than_the_first():
    def dose(n):
        return ni.simulate({"challenge": {"kind": "vaccine", "dose_number": n}, "duration": "4 days"})

    one, two = dose(1), dose(2)
    assert float(two["temperature"].max()) > float(one["temperature"].max()) + 0.3
    assert float(two["fatigue"].max()) > 1.3 * float(one["fatigue"].max())
    # the sick feeling starts within a day and is gone by day 4
    assert float(two["fatigue"].idxmax()) < 24.0
    assert float(two["fatigue"].sel(time=96.0)) < 0.2


def test_dose_number_and_explicit_history_give_the_same_result():
    implied = ni.simulate({"challenge": {"kind": "vaccine", "dose_number": 2}, "duration": "3 days"})
    explicit = ni.simulate({"challenge": {"kind": "vaccine"}, "duration": "3 days",
                            "host": {"history": [{"kind": "vaccine", "time": "-21 days"}]}})
    np.testing.assert_allclose(implied["temperature"], explicit["temperature"], rtol=1e-9)


def test_persistence_is_an_outcome_of_the_glial_loop_gain_not_a_switch():
    long = {"challenge": {"kind": "sars_cov_2", "setting": "community"}, "duration": "60 days", "output_step": "12 h"}

    def lower_back(days, **parameters):
        ds = ni.simulate(long, parameters=parameters or None)
        return np.array([float(ds["ppt_change"].sel(region="lower_back", time=d * 24.0)) for d in days])

    weeks = (14, 28, 42, 56)
    default, large = lower_back(weeks), lower_back(weeks, a_prime=3.0)
    assert default[-1] > -5.0  # the default person is nearly back to baseline by day 56
    assert large[1] < -15.0  # a larger loop gain keeps the back sensitised for weeks
    assert np.all(large < default)
    # ... but the tail fades: priming decays once the illness's input has gone, whatever the loop gain
    assert np.all(np.diff(large) > 0.0) and np.all(np.diff(default) > 0.0)
    # with no glial loop gain there is no tail at all
    assert np.all(lower_back(weeks, a_prime=0.0) > -0.5)
    # and a challenge study's short, mild illness primes little, even with the larger loop gain
    flu = ni.simulate({**FLU, "duration": "60 days", "output_step": "12 h"}, parameters={"a_prime": 3.0})
    assert float(flu["ppt_change"].sel(region="lower_back", time=56 * 24.0)) > -2.0


def test_chronic_pain_history_lowers_thresholds_before_any_illness():
    ds = ni.simulate({"duration": "2 days", "host": {"chronic_pain": 1.0}})
    lb = ds["ppt_change"].sel(region="lower_back")
    assert float(lb[0]) < -5.0
    np.testing.assert_allclose(lb, lb[0], atol=1e-6)  # a steady state, not a transient


def test_sex_women_make_more_cytokines_but_their_fever_is_smaller():
    def bolus(sex):
        return ni.simulate({"challenge": {"kind": "endotoxin", "dose": "2 ng/kg"}, "host": {"sex": sex}})

    men, women = bolus("male"), bolus("female")
    assert float(women["tnf"].max()) > 1.2 * float(men["tnf"].max())
    rise = {k: float(v["temperature"].max() - v["temperature"][0]) for k, v in (("m", men), ("f", women))}
    assert rise["f"] < rise["m"]
