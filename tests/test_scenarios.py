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
        ({"interventions": [{"kind": "heat"}]}, "interventions", "intervention kind"),
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
