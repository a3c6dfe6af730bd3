"""citation lists what this scenario's result rests on, not every source of the model."""

import neuroimmune as ni
from neuroimmune.analysis.citation import relevant_parameters, sources


def test_an_endotoxin_run_does_not_rest_on_the_virus_or_the_drugs():
    keys = sources(ni.Scenario.coerce({"challenge": {"kind": "endotoxin", "dose": "2 ng/kg"}, "duration": "8 h"}))
    assert "janum2016" in keys and "windoloski2024" in keys
    assert "baccam2006" not in keys  # influenza kinetics
    assert "ibuprofen_pk2001" not in keys  # no drug taken
    names = relevant_parameters(ni.Scenario.coerce({"challenge": {"kind": "endotoxin", "dose": 2}, "duration": 8}))
    assert "k_E" in names and "x_ME" in names
    assert not any(n.startswith("flu_") for n in names)


def test_influenza_with_ibuprofen_rests_on_the_virus_model_and_the_drug_evidence():
    scenario = ni.Scenario.coerce({"challenge": {"kind": "influenza"}, "duration": "4 days",
                                   "interventions": [{"kind": "ibuprofen", "start": "24 h"}]})
    keys = sources(scenario)
    assert "baccam2006" in keys
    assert set(scenario.interventions[0].sources()) <= set(keys)
    assert any(n.startswith("flu_") for n in relevant_parameters(scenario))


def test_the_bibtex_has_one_entry_per_source():
    text = ni.citation({"challenge": {"kind": "endotoxin", "dose": 2}, "duration": 8})
    assert text.count("@") == len(sources(ni.Scenario.coerce({"challenge": {"kind": "endotoxin", "dose": 2},
                                                              "duration": 8})))
    assert "@article{janum2016," in text


def test_every_study_the_fit_rests_on_has_a_bibtex_entry():
    from neuroimmune import studies
    from neuroimmune.model.citation import bibliography

    missing = [name for name in studies.fitted() if name not in bibliography()]
    assert not missing, missing
