import math

from neuroimmune.model.citation import bibliography
from neuroimmune.model.fits import load_fit
from neuroimmune.model.parameters import EVIDENCE_KINDS, base_parameters, default_parameters


def test_every_parameter_has_value_unit_source_evidence_rationale():
    bib = bibliography()
    params = default_parameters()
    assert len(params) > 60
    for name in params:
        p = params[name]
        assert math.isfinite(p.value), name
        assert p.unit.strip(), name
        assert p.source in bib, f"{name}: source {p.source!r} is not in references.bib"
        assert p.evidence in EVIDENCE_KINDS, name
        assert len(p.rationale) > 20, name
        assert p.lower <= p.value <= p.upper, name


def test_fitted_parameters_come_from_the_calibration_file():
    fit = load_fit("endotoxemia")
    assert fit is not None
    base, params = base_parameters(), default_parameters()
    free = {p.name for p in base.free()}
    assert set(fit.values) == free, "the fitted file must hold exactly the free parameters"
    for name, value in fit.values.items():
        assert params[name].value == value
        assert params[name].evidence == "human_data_fit"
    for key in ("data", "objective", "optimizer", "final_cost", "date"):
        assert key in fit.provenance
