import pytest

from neuroimmune import Scenario
from neuroimmune.errors import ScenarioError


def problems(data):
    with pytest.raises(ScenarioError) as info:
        Scenario.from_dict(data)
    return {field: rule for field, rule, _ in info.value.problems}, str(info.value)


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ({"challenge": {"kind": "plague", "dose": "2 ng/kg"}}, "challenge", "kind must be one of endotoxin"),
        ({"challenge": {"kind": "endotoxin", "dose": "-2 ng/kg"}}, "challenge.dose", "greater than 0"),
        ({"challenge": {"kind": "endotoxin"}}, "challenge", "needs a bolus dose"),
        ({"challenge": {"kind": "endotoxin", "dose": "2 kg/ng"}}, "challenge.dose", "upside down"),
        ({"challenge": {"kind": "endotoxin", "dose": "2 ng"}}, "challenge.dose", "units of ng/kg"),
        ({"duration": "0 h"}, "duration", "greater than 0"),
        ({"duration": "-3 h"}, "duration", "greater than 0"),
        ({"duration": "3 kg"}, "duration", "units of h"),
        ({"colour": "red"}, "colour", "unknown field"),
        ({"host": {"sex": "male", "height": 180}}, "host.height", "unknown field"),
        ({"host": {"age": "5 years"}}, "host.age", "greater than or equal to 18"),
        ({"interventions": [{"kind": "massage"}]}, "interventions", "intervention kind"),
        ({"interventions": [{"kind": "antiviral"}]}, "interventions.0.start", "required"),
        ({"interventions": [{"kind": "heat"}]}, "interventions.0.region", "required"),
        ({"interventions": [{"kind": "heat", "region": "elbow"}]}, "interventions.0.region", "lower_back"),
        ({"interventions": [{"kind": "ibuprofen", "dose": "400 ng/kg"}]}, "interventions.0.dose", "unit of mg"),
        ({"interventions": [{"kind": "ibuprofen", "dose": "4 g"}]}, "interventions.0.dose", "less than or equal"),
        ({"interventions": [{"kind": "sleep", "start": "2 days", "stop": "1 day"}]}, "interventions.0", "after start"),
        ({"challenge": {"kind": "influenza", "inoculum": "1e4 kg"}}, "challenge.inoculum", "TCID50"),
        ({"host": {"history": [{"kind": "influenza", "time": "5 days"}]}}, "host.history.0.time", "less than 0"),
        ({"host": {"history": [{"kind": "influenza", "date": "2026-12-01"}]}, "start_date": "2026-11-01"},
         "host.history.0.date", "before the scenario's start_date"),
        ({"host": {"history": [{"kind": "influenza", "date": "2026-10-01"}]}}, "host.history.0.date", "start_date"),
        ({"challenge": {"kind": "vaccine", "dose_number": 3},
          "host": {"history": [{"kind": "vaccine", "time": "-21 days"}]}}, "challenge.dose_number", "not both"),
        ({"challenge": {"kind": "endotoxin", "infusion": {"rate": "0.5 ng/kg/h", "duration": "0 h"}}},
         "challenge.infusion.duration", "greater than 0"),
    ],
)
def test_bad_input_names_field_rule_and_value(data, field, text):
    found, message = problems(data)
    assert field in found, message
    assert text in found[field], message
    assert "got" in message


def test_malformed_yaml_is_reported_with_position(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("challenge: {kind: endotoxin, dose: [2 ng/kg\n")
    with pytest.raises(ScenarioError, match="must be valid YAML.*line"):
        Scenario.from_yaml(path)


def test_round_trip_through_dict_and_yaml(tmp_path):
    import yaml

    sc = Scenario.from_dict({"host": {"sex": "female", "age": "40 years"},
                             "challenge": {"kind": "endotoxin", "dose": "1 ng/kg", "time": "30 min"}})
    assert sc.challenge.time == 0.5
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(sc.to_dict()))
    assert Scenario.from_yaml(path) == sc
