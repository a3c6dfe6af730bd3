"""Bad input, one class at a time: exit code 2 (422 in the API), a message naming the field, the rule and the value,
no traceback, and nothing left behind. Also the one way input becomes a scenario, the one atomic writer, the one
cache-folder rule and the machine-readable formats of the list commands."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import neuroimmune as ni
from neuroimmune.cli import app
from neuroimmune.errors import ScenarioError
from neuroimmune.io import atomic, cache, safe_yaml
from neuroimmune.scenarios import INTERVENTIONS, Scenario, default_scenario

runner = CliRunner()
WIDE = {"COLUMNS": "250"}
BOMB = "\n".join(
    [f'a: &a [{", ".join(["lol"] * 9)}]']
    + [f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]" for prev, name in zip("abcdefgh", "bcdefghi", strict=False)]
) + "\n"


def refused(res, *texts: str, folder: Path | None = None, keep: tuple[str, ...] = ()) -> str:
    """Assert the CLI refused the input cleanly; return the message with whitespace normalised."""
    text = " ".join(res.output.split())
    assert res.exit_code == 2, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert "Traceback" not in res.output
    assert text.startswith("error:") or "error:" in text
    for t in texts:
        assert t in text, (t, text)
    if folder is not None:
        assert sorted(p.name for p in folder.iterdir()) == sorted(keep), "files left behind"
    return text


# ---- scenario files a new user might try -------------------------------------------------------------------
SCENARIO_FILES = {
    "not_utf8": (b"\x9c\xff\xfe challenge\n", ["file:", "must be UTF-8 text", "0x9c"]),
    "binary_with_nul": (bytes(range(256)) * 4, ["file:", "NUL bytes"]),
    "deep_nesting": (b"[" * 5000 + b"]" * 5000, ["file:", "nested at most 50 levels"]),
    "alias_bomb": (BOMB.encode(), ["file:", "at most 100,000 values", "alias bomb"]),
    "recursive_alias": (b"a: &a [*a]\n", ["file:", "alias inside its own anchor"]),
    "empty": (b"", ["file:", "the scenario file is empty"]),
    "only_comments": (b"# nothing yet\n\n", ["file:", "the scenario file is empty"]),
    "duplicate_key": (b"challenge: {kind: endotoxin, dose: 2 ng/kg}\nduration: 4 h\nchallenge: {kind: influenza}\n",
                      ["file:", "must not repeat a key", "'challenge'", "line 1", "line 3"]),
    "malformed": (b"challenge: [unclosed\n", ["file:", "must be valid YAML", "line"]),
    "impossible_date": (b"start_date: 2026-02-30\nchallenge: {kind: endotoxin, dose: 2 ng/kg}\n",
                        ["start_date:", "valid date", "'2026-02-30'"]),
    "output_grid_too_fine": (b"challenge: {kind: endotoxin, dose: 2 ng/kg}\noutput_step: 0.001 s\n",
                             ["output_step:", "at most 250,000 output points", "86,400,000", "'0.001 s'"]),
    "dose_in_ng": (b"challenge: {kind: endotoxin, dose: 2 ng}\n",
                   ["challenge.dose:", "a dose per body weight", "'2 ng/kg'", "'2 ng' is a mass"]),
    "dose_upside_down": (b"challenge: {kind: endotoxin, dose: 2 kg/ng}\n", ["challenge.dose:", "upside down"]),
    "nan_quantity": (b"challenge: {kind: endotoxin, dose: nan ng/kg}\n", ["challenge.dose:", "finite", "nan ng/kg"]),
    "infinite_duration": (b"duration: .inf\n", ["duration:", "finite"]),
    "nan_plain_number": (b"host: {fluid_deficit: .nan}\n", ["host.fluid_deficit:", "finite"]),
    "nan_bacterial_load": (b"challenge: {kind: bacterial, load: .nan}\n", ["challenge.load:", "finite"]),
    "huge_number": (b"challenge: {kind: endotoxin, dose: 1.0e+308}\n", ["challenge.dose:", "less than or equal"]),
    "number_as_text": (b"challenge: {kind: endotoxin, dose: 1e3}\n", ["challenge.dose:", "needs a unit of ng/kg"]),
    "huge_integer": (b"seed: " + b"9" * 5000 + b"\n", ["file:", "4,300 digits"]),
    "power_tower": (b"duration: 9**9**9 h\n", ["duration:", "at most one power"]),
    "negative_duration": (b"duration: -5 h\n", ["duration:", "greater than 0"]),
    "unreadable_unit": (b"duration: '@@'\n", ["duration:", "unreadable"]),
    "bool_for_quantity": (b"challenge: {kind: endotoxin, dose: true}\n", ["challenge.dose:", "true/false"]),
    "list_for_challenge": (b"challenge: [1, 2]\n", ["challenge:", "must be a mapping with a kind"]),
    "name_for_challenge": (b"challenge: endotoxin\n", ["challenge:", "must be a mapping with a kind"]),
    "map_for_interventions": (b"interventions: {kind: heat}\n", ["interventions:", "must be a list"]),
    "name_for_intervention": (b"interventions: [heat]\n", ["interventions:", "each intervention must be a mapping"]),
    "map_for_history": (b"host: {history: {kind: influenza}}\n", ["host.history:", "valid list"]),
    "text_for_seed": (b"seed: abc\n", ["seed:", "integer"]),
    "top_level_list": (b"- a\n- b\n", ["scenario:", "must be a mapping of fields"]),
    "top_level_text": (b"hello\n", ["scenario:", "must be a mapping of fields"]),
    "unicode_unknown_field": ("farbe: 🦠\n".encode(), ["farbe:", "unknown field"]),
    "python_object_tag": (b"challenge: !!python/object/apply:os.system [echo hi]\n", ["file:", "valid YAML"]),
}


@pytest.mark.parametrize("case", SCENARIO_FILES, ids=list(SCENARIO_FILES))
def test_bad_scenario_file_is_refused_before_anything_is_written(tmp_path, case):
    content, texts = SCENARIO_FILES[case]
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    res = runner.invoke(app, ["run", str(path), "--out", str(tmp_path / "r.nc"), "--plot", str(tmp_path / "r.png")],
                        env=WIDE)
    refused(res, *texts, folder=tmp_path, keep=("bad.yaml",))


def test_an_echoed_value_is_cut_short(tmp_path):
    path = tmp_path / "long.yaml"
    path.write_text(f"name: {'x' * 100_000}\n")
    text = refused(runner.invoke(app, ["run", str(path)], env=WIDE), "name:", "at most 200 characters")
    assert len(text) < 400


@pytest.mark.parametrize(("make", "texts"), [
    (lambda tmp: tmp, ["file:", "it is a folder"]),
    (lambda tmp: tmp / "missing.yaml", ["file:", "No such file"]),
])
def test_a_scenario_path_that_is_no_file_is_refused(tmp_path, make, texts):
    refused(runner.invoke(app, ["run", str(make(tmp_path))], env=WIDE), *texts)


def test_scenario_from_standard_input(tmp_path):
    res = runner.invoke(app, ["citation", "-"], input="challenge: {kind: endotoxin, dose: 2 ng/kg}\n")
    assert res.exit_code == 0 and "@article{janum2016," in res.output
    refused(runner.invoke(app, ["citation", "-"], input="", env=WIDE), "the scenario text is empty")


# ---- output paths ----------------------------------------------------------------------------------------
def test_outputs_are_checked_before_the_simulation(tmp_path):
    (tmp_path / "afile").write_text("x")
    (tmp_path / "folder.nc").mkdir()
    keep = ("afile", "folder.nc")
    cases = [
        (["--out", str(tmp_path / "afile" / "r.nc")], ["--out:", "is a file"]),
        (["--plot", str(tmp_path / "afile" / "sub" / "r.png")], ["--plot:", "is a file"]),
        (["--out", str(tmp_path / "folder.nc")], ["--out:", "not an existing folder"]),
        (["--out", str(tmp_path / "r.txt")], ["--out:", "must end in .nc", "r.txt"]),
        (["--plot", str(tmp_path / "r.txt")], ["--plot:", "must end in .png, .pdf or .svg", "r.txt"]),
        (["--bodymap", str(tmp_path / "b.jpg")], ["--bodymap:", "must end in"]),
        (["--plot", str(tmp_path / "p.png"), "--bodymap", str(tmp_path / "p.png")], ["--bodymap:", "must differ"]),
        (["--out", ""], ["--out:", "must end in .nc"]),
    ]
    for args, texts in cases:
        refused(runner.invoke(app, ["run", *args], env=WIDE), *texts, folder=tmp_path, keep=keep)


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc, a folder that refuses new files")
def test_an_unwritable_place_is_refused_even_for_root(tmp_path):
    refused(runner.invoke(app, ["run", "--out", "/proc/r.nc"], env=WIDE), "--out:", "refuses new files")
    refused(runner.invoke(app, ["compare", "--with", "heat", "--plot", "/proc/c.png"], env=WIDE), "--plot:")


def test_compare_refuses_an_unsupported_figure_format_before_simulating(tmp_path):
    res = runner.invoke(app, ["compare", "--with", "heat", "--plot", str(tmp_path / "c.txt")], env=WIDE)
    refused(res, "--plot:", "must end in .png, .pdf or .svg", folder=tmp_path)


def test_a_failing_figure_leaves_no_netcdf(tmp_path, monkeypatch):
    from neuroimmune.plotting import figures

    def full_disk(ds):  # the figure fails after the NetCDF has been written to its temporary file
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "r.png"))

    monkeypatch.setattr(figures, "timecourse", full_disk)
    res = runner.invoke(app, ["run", "--out", str(tmp_path / "r.nc"), "--plot", str(tmp_path / "sub" / "r.png")],
                        env=WIDE)
    refused(res, "No space left on device", folder=tmp_path)  # neither file, no temporary, no folder "sub"


def test_written_files_follow_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        res = runner.invoke(app, ["run", "--out", str(tmp_path / "r.nc")], env=WIDE)
        ok = atomic.write_text("x", tmp_path / "t.txt")
    finally:
        os.umask(old)
    assert res.exit_code == 0, res.output
    assert (tmp_path / "r.nc").stat().st_mode & 0o777 == 0o640
    assert ok.stat().st_mode & 0o777 == 0o640


def test_an_unreachable_scheduler_leaves_no_store(tmp_path):
    short = tmp_path / "s.yaml"
    short.write_text("challenge: {kind: endotoxin, dose: 2 ng/kg}\nduration: 4 h\n")
    res = runner.invoke(app, ["cohort", str(short), "--n", "10", "--out", str(tmp_path / "c.zarr"),
                              "--scheduler", "tcp://127.0.0.1:1"], env=WIDE)
    refused(res, "--scheduler:", "no Dask scheduler reachable", folder=tmp_path, keep=("s.yaml",))


def test_cohort_out_must_not_be_a_file(tmp_path):
    (tmp_path / "c.zarr").write_text("x")
    refused(runner.invoke(app, ["cohort", "--n", "10", "--out", str(tmp_path / "c.zarr")], env=WIDE),
            "--out:", "not an existing file", folder=tmp_path, keep=("c.zarr",))


@pytest.mark.parametrize(("command", "texts"), [
    (["export", "sbml", "--out", "model.txt"], ["--out:", "must end in .xml or .sbml"]),
    (["calibrate", "endotoxemia", "--out", "fit.json"], ["--out:", "must end in .yaml or .yml"]),
    (["sensitivity", "--plot", "s.txt", "--n", "8"], ["--plot:", "must end in"]),
    (["params", "--module", "nope"], ["--module:", "must be one of"]),
    (["compare"], ["--with:", "at least one measure"]),
])
def test_other_commands_check_their_outputs_first(tmp_path, command, texts):
    args = [str(tmp_path / a) if a.endswith((".txt", ".json")) else a for a in command]
    refused(runner.invoke(app, args, env=WIDE), *texts, folder=tmp_path)


# ---- diary input -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("content", "texts"), [
    (b"\x00\x01binary", ["diary:", "NUL bytes"]),
    (b"", ["diary:", "the diary is empty"]),
    (b"illness: endotoxin\nillness: influenza\ndays: [{day: 1}]\n", ["diary:", "must not repeat a key"]),
    (b"- 1\n", ["diary:", "must be a mapping"]),
    (b"illness: endotoxin\ndays: [{day: 1, back_pain: .nan}]\n", ["days.0.back_pain", "finite"]),
])
def test_bad_diary_exits_2(tmp_path, content, texts):
    path = tmp_path / "diary.yaml"
    path.write_bytes(content)
    refused(runner.invoke(app, ["diary-check", str(path)], env=WIDE), *texts)


# ---- the API ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("body", "field"), [
    (b'{"challenge": {"kind": "endotoxin", "dose": NaN}}', "challenge.dose"),
    (b'{"challenge": {"kind": "bacterial", "load": NaN}}', "challenge.load"),
    (b'{"duration": Infinity}', "duration"),
    (b'{"host": {"fluid_deficit": -Infinity}}', "host.fluid_deficit"),
])
def test_api_refuses_nan_and_infinity_with_422(body, field):
    from fastapi.testclient import TestClient

    from neuroimmune.web import create_app

    with TestClient(create_app()) as client:
        res = client.post("/api/simulate", content=body, headers={"content-type": "application/json"})
    assert res.status_code == 422
    problems = {p["field"]: p for p in res.json()["detail"]}
    assert field in problems and "finite" in problems[field]["rule"], problems


# ---- one way to a Scenario -------------------------------------------------------------------------------
def test_coerce_reads_every_form_to_the_same_scenario(tmp_path):
    data = {"challenge": {"kind": "endotoxin", "dose": "2 ng/kg"}, "duration": "6 h"}
    text = "challenge: {kind: endotoxin, dose: 2 ng/kg}\nduration: 6 h\n"
    path = tmp_path / "s.yaml"
    path.write_text(text)
    expected = Scenario.from_dict(data)
    forms = [expected, data, text, text.encode(), path, str(path), json.dumps(data),
             "{challenge: {kind: endotoxin, dose: 2 ng/kg}, duration: 6 h}"]
    for form in forms:
        assert Scenario.coerce(form) == expected, form
    assert Scenario.coerce(None) == default_scenario()
    assert Scenario.from_json(json.dumps(data)) == expected
    with pytest.raises(ScenarioError, match="must be a Scenario, a mapping"):
        Scenario.coerce(42)
    with pytest.raises(ScenarioError, match="must not repeat a key"):
        Scenario.from_json('{"duration": 1, "duration": 2}')


def test_nan_is_refused_wherever_a_scenario_is_built():
    nan = float("nan")
    with pytest.raises(ValueError, match="finite"):
        ni.scenarios.Endotoxin(dose=nan)
    with pytest.raises(ValueError, match="finite"):
        ni.scenarios.Host(age=float("inf"))
    for data in ({"challenge": {"kind": "endotoxin", "dose": 2, "time": nan}},
                 {"interventions": [{"kind": "sleep", "stop": float("inf")}]},
                 {"host": {"microbiome_diversity": nan}}):
        with pytest.raises(ScenarioError, match="finite"):
            Scenario.coerce(data)
        with pytest.raises(ScenarioError, match="finite"):
            ni.simulate(data)


def test_yaml_reader_limits_are_those_documented():
    assert safe_yaml.load_yaml("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}  # a benign alias is fine
    assert safe_yaml.load_yaml("d: 2026-03-01\n") == {"d": "2026-03-01"}  # dates stay text for the scenario
    nested = "a: " + "[" * (safe_yaml.MAX_DEPTH - 2) + "]" * (safe_yaml.MAX_DEPTH - 2)
    safe_yaml.load_yaml(nested)
    with pytest.raises(ni.errors.InputError, match="nested at most"):
        safe_yaml.load_yaml("a: " + "[" * safe_yaml.MAX_DEPTH + "]" * safe_yaml.MAX_DEPTH)
    with pytest.raises(ni.errors.InputError, match="at most 1,048,576 bytes"):
        safe_yaml.load_yaml("#" * (safe_yaml.MAX_BYTES + 1))


# ---- one atomic writer, one cache rule ------------------------------------------------------------------
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "t.txt"
    atomic.write_text("old", target)
    with pytest.raises(RuntimeError), atomic.atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]


def test_files_written_together_appear_together_or_not_at_all(tmp_path):
    with pytest.raises(OSError), atomic.together():
        atomic.write_text("a", tmp_path / "a.txt")
        atomic.write_text("b", tmp_path / "new" / "b.txt")
        assert not (tmp_path / "a.txt").exists()  # staged, not yet in place
        raise OSError("the third file failed")
    assert list(tmp_path.iterdir()) == []  # neither file, nor the folder created for one
    with atomic.together():
        atomic.write_text("a", tmp_path / "a.txt")
        atomic.write_text("b", tmp_path / "new" / "b.txt")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "a"
    assert (tmp_path / "new" / "b.txt").read_text(encoding="utf-8") == "b"


def test_one_cache_folder_rule(tmp_path, monkeypatch):
    from neuroimmune.engine import compiled
    from neuroimmune.engine.batch import codegen

    assert codegen.cache_dir is cache.cache_dir and compiled.cache_dir is cache.cache_dir
    monkeypatch.setenv("NEUROIMMUNE_CACHE", str(tmp_path / "c"))
    assert cache.cache_dir() == tmp_path / "c"
    monkeypatch.delenv("NEUROIMMUNE_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "neuroimmune"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "neuroimmune"


# ---- output people (and machines) can read ---------------------------------------------------------------
def test_compare_help_example_works():
    from neuroimmune.analysis.compare import parse_measure

    help_text = " ".join(runner.invoke(app, ["compare", "--help"], env=WIDE).output.split())
    example = re.search(r"\('(heat:[^']+)'\)", help_text).group(1)
    assert parse_measure(example) == {"kind": "heat", "region": "neck", "hours_per_day": 4}
    res = runner.invoke(app, ["compare", "--with", example], env=WIDE)
    assert res.exit_code == 0, res.output
    assert example in res.output


def test_list_commands_read_in_80_columns_without_splitting_words():
    from neuroimmune.model.parameters import default_parameters

    for command, word in ((["interventions"], "paracetamol"), (["params"], "windoloski2024")):
        res = runner.invoke(app, command, env={"COLUMNS": "80"})
        assert res.exit_code == 0, res.output
        lines = res.output.splitlines()
        assert max(len(line) for line in lines) <= 80
        assert any(re.search(rf"\b{word}\b", line) for line in lines), word
    assert len(lines) < 5 * len(list(default_parameters()))  # was 27 lines per parameter in a 9-column table


@pytest.mark.parametrize("fmt", ["csv", "json", "markdown"])
def test_list_commands_have_machine_formats(fmt):
    from neuroimmune.model.parameters import default_parameters

    names = list(default_parameters())
    res = runner.invoke(app, ["params", "--format", fmt])
    assert res.exit_code == 0, res.output
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(res.output)))
        assert [r["name"] for r in rows] == names and rows[0]["rationale"]
    elif fmt == "json":
        rows = json.loads(res.output)
        assert [r["name"] for r in rows] == names and isinstance(rows[0]["value"], float)
    else:
        lines = res.output.splitlines()
        assert lines[0].startswith("| module | name | value |") and len(lines) == len(names) + 2
    res = runner.invoke(app, ["interventions", "--format", fmt])
    assert res.exit_code == 0 and all(kind in res.output for kind in INTERVENTIONS)


def test_validate_formats(monkeypatch):
    from neuroimmune import studies
    from neuroimmune.studies import Row

    rows = [Row("studyA", "tnf", "peak (pg/mL)", 300.0, 330.0, 200.0, 460.0, "+/- 130", "2 SEM", True),
            Row("studyB", "il6", "peak (pg/mL)", 100.0, 790.0, 600.0, 980.0, "+/- 190", "2 SEM", False)]
    monkeypatch.setattr(studies, "validate", lambda names=None, values=None: rows)
    monkeypatch.setattr(studies, "is_known_gap", lambda r: False)
    res = runner.invoke(app, ["validate", "--format", "json"])
    assert res.exit_code == 1  # a failed row still fails the command
    assert [(r["study"], r["result"]) for r in json.loads(res.output)] == [("studyA", "pass"), ("studyB", "FAIL")]
    res = runner.invoke(app, ["validate"], env={"COLUMNS": "80"})
    assert "1 passed, 1 failed, 0 known gaps" in " ".join(res.output.split())
    assert max(len(line) for line in res.output.splitlines()) <= 80


def test_round_off_prints_as_zero():
    res = runner.invoke(app, ["run", str(Path(__file__).parents[1] / "examples/covid_protected.yaml")], env=WIDE)
    assert res.exit_code == 0, res.output
    row = next(line for line in res.output.splitlines() if "back_pain peak" in line)
    assert [cell.strip() for cell in row.split("│")[1:-1]] == ["back_pain peak", "0", "0-10", ""]


def test_sensitivity_error_lists_each_output_once():
    res = runner.invoke(app, ["sensitivity", "--output", "nope", "--n", "8"], env=WIDE)
    text = refused(res, "output:", "(got 'nope')")
    assert text.count("ppt_change_peak[lower_back]") == 1 and text.count("lower_back_ppt_min") == 1
