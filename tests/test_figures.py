"""Figures that do not mislead: a minimum axis span (solver noise is drawn flat), no offset notation, a day
axis for long runs, coinciding curves named together, and one body-map colour scale whose every colour is
chromatic and far from the grey of the parts that are not modelled, with normal vision and the common
colour-vision deficiencies (CAM02-UCS distances by colorspacious)."""

from pathlib import Path

import matplotlib
import numpy as np
import pytest
import xarray as xr
from colorspacious import cspace_convert
from matplotlib.colors import to_hex, to_rgb

import neuroimmune as ni
from neuroimmune.plotting import figures

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def vaccinated():
    """The SARS-CoV-2 challenge dose after an infection and two vaccine doses: the antibody stops the infection,
    so every curve is flat to round-off (the temperature varies by about 1e-14 degC)."""
    return ni.simulate(ni.Scenario.from_yaml(EXAMPLES / "covid_protected.yaml"))


def panels(fig):
    axes = fig.axes
    return {"cytokines": axes[0], "temperature": axes[1], "ppt": axes[2], "feel": axes[3]}


def test_round_off_around_a_constant_is_drawn_flat(vaccinated):
    # the case: a constant plus solver noise (made here, as a change of the model may leave the curve exactly flat)
    ds = vaccinated.copy(deep=True)
    wobble = 1e-11 * np.sin(np.arange(ds.sizes["time"]))
    ds["temperature"] = ds["temperature"] * 0 + 36.825 + wobble
    temp = ds["temperature"].to_numpy()
    assert 0 < np.ptp(temp) < 1e-6
    fig = figures.timecourse(ds)
    fig.canvas.draw()
    p = panels(fig)
    lo, hi = p["temperature"].get_ylim()
    assert hi - lo >= figures.MIN_SPAN["temperature"] and lo < temp.min() and temp.max() < hi
    lo, hi = p["ppt"].get_ylim()
    assert hi - lo >= figures.MIN_SPAN["ppt_change"] and lo <= 0 <= hi
    for ax in fig.axes:  # no '1e-11 + 3.6825e1' above any axis
        assert ax.yaxis.get_offset_text().get_text() == "", ax.get_ylabel()
    lo, hi = p["cytokines"].get_ylim()
    assert hi / lo >= figures.MIN_LOG_RATIO
    matplotlib.pyplot.close(fig)


def test_a_span_wider_than_the_minimum_is_kept(default_result):
    fig = figures.timecourse(default_result)
    lo, hi = panels(fig)["temperature"].get_ylim()
    temp = default_result["temperature"].to_numpy()
    assert lo <= temp.min() and temp.max() <= hi and hi - lo < 1.2 * np.ptp(temp)  # the data's own range + margin
    matplotlib.pyplot.close(fig)


def test_multi_day_runs_are_drawn_against_days(vaccinated, default_result):
    fig = figures.timecourse(vaccinated)
    ax = panels(fig)["ppt"]
    assert ax.get_xlabel() == "time (days)"
    assert ax.get_lines()[0].get_xdata()[-1] == pytest.approx(21.0)
    matplotlib.pyplot.close(fig)
    fig = figures.timecourse(default_result)
    assert panels(fig)["ppt"].get_xlabel() == "time (h)"
    matplotlib.pyplot.close(fig)


def test_coinciding_curves_are_one_line_with_every_name(default_result):
    ppt = {str(r): default_result["ppt_change"].sel(region=r).to_numpy() for r in default_result["region"].values}
    np.testing.assert_array_equal(ppt["thigh"], ppt["calf"])  # the case: the limbs share one sensitisation
    fig = figures.timecourse(default_result)
    labels = [ln.get_label() for ln in panels(fig)["ppt"].get_lines() if not ln.get_label().startswith("_")]
    assert "thigh = calf = forearm = abdomen (one line)" in labels
    assert sum("lower back" in label for label in labels) == 1 and len(labels) == 4
    matplotlib.pyplot.close(fig)


def test_coinciding_groups_by_tolerance():
    t = np.linspace(0, 1, 50)
    curves = {"a": np.sin(t), "b": np.sin(t) * (1 + 1e-9), "c": np.sin(t) + 1e-3, "d": np.sin(t)}
    assert figures.coinciding(curves) == [["a", "b", "d"], ["c"]]
    assert figures.coinciding({"x": np.zeros(3), "y": np.full(3, 1e-13)}) == [["x", "y"]]  # round-off of zero


def _chroma(rgb, cvd=None):
    if cvd:
        rgb = np.clip(cspace_convert(rgb, {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}, "sRGB1"), 0, 1)
    ucs = cspace_convert(rgb, "sRGB1", "CAM02-UCS")
    return np.hypot(ucs[..., 1], ucs[..., 2])


def _distance(rgb, other, cvd=None):
    if cvd:
        space = {"name": "sRGB1+CVD", "cvd_type": cvd, "severity": 100}
        rgb, other = (np.clip(cspace_convert(c, space, "sRGB1"), 0, 1) for c in (rgb, other))
    return np.linalg.norm(cspace_convert(rgb, "sRGB1", "CAM02-UCS") - cspace_convert(other, "sRGB1", "CAM02-UCS"),
                          axis=-1)


def _readable_scale(colours):
    """Every colour of the scale is chromatic (not a grey), at least 10 CAM02-UCS units from the not-modelled grey
    with normal vision and with full deuteranopia or protanopia, and lightness falls monotonically."""
    rgb = np.array([to_rgb(c) for c in colours])
    grey = np.array(to_rgb(figures.NOT_MODELLED))
    lightness = cspace_convert(rgb, "sRGB1", "CAM02-UCS")[:, 0]
    return (_chroma(rgb).min() >= 10 and all(_distance(rgb, grey, cvd).min() >= 10
                                             for cvd in (None, "deuteranomaly", "protanomaly"))
            and bool(np.all(np.diff(lightness) < 0)))


def test_no_modelled_value_looks_like_the_not_modelled_grey():
    sampled = [figures.bodymap_colour(-x) for x in np.linspace(0, figures.BODYMAP_FULL_SCALE, 121)]
    assert _readable_scale(sampled)
    # the check can fail: cividis, the earlier scale, is grey in its middle (where limbs at -18 % fell)
    assert not _readable_scale([to_hex(c) for c in matplotlib.colormaps["cividis_r"](np.linspace(0, 1, 121))])


def test_the_stops_are_colorbrewers_ylorrd():
    expected = [to_hex(c) for c in matplotlib.colormaps["YlOrRd"](np.linspace(0, 1, len(figures.BODYMAP_COLOURS)))]
    assert list(figures.BODYMAP_COLOURS) == expected


def test_the_scale_runs_one_way_light_as_usual_dark_most_sensitive():
    assert figures.bodymap_colour(0.0) == figures.BODYMAP_COLOURS[0]
    assert figures.bodymap_colour(5.0) == figures.BODYMAP_COLOURS[0]  # a rise counts as usual
    assert figures.bodymap_colour(-figures.BODYMAP_FULL_SCALE) == figures.BODYMAP_COLOURS[-1]
    assert figures.bodymap_colour(-2 * figures.BODYMAP_FULL_SCALE) == figures.BODYMAP_COLOURS[-1]
    half = figures.bodymap_colour(-figures.BODYMAP_FULL_SCALE / 2)
    assert half == figures.BODYMAP_COLOURS[5]  # 11 stops: the middle one
    scale = figures.bodymap_scale()
    assert scale["colours"] == list(figures.BODYMAP_COLOURS) and scale["full_scale"] == figures.BODYMAP_FULL_SCALE


def test_the_body_map_figure_uses_the_shared_scale(default_result):
    fig = figures.bodymap(default_result, 2.0)
    change = default_result["ppt_change"].interp(time=2.0)
    expected = {figures.bodymap_colour(float(change.sel(region=r))) for r in default_result["region"].values}
    modelled = {to_hex(p.get_facecolor()) for ax in fig.axes[:2] for p in ax.patches if not p.get_hatch()}
    hatched = {to_hex(p.get_facecolor()) for ax in fig.axes[:2] for p in ax.patches if p.get_hatch()}
    assert modelled == expected
    assert hatched == {figures.NOT_MODELLED}
    matplotlib.pyplot.close(fig)


def test_minimum_span_keeps_the_reference_line_inside():
    fig, ax = matplotlib.pyplot.subplots()
    lo, hi = figures.minimum_span(ax, np.array([-30.0, -29.9]), 5.0, include=0.0)
    assert lo <= -30 and hi >= 0
    lo, hi = figures.minimum_span(ax, np.array([10.0, 10.0 + 1e-12]), 5.0, include=0.0)
    assert hi - lo >= 5 and lo <= 0 <= hi and hi >= 10
    lo, hi = figures.minimum_span(ax, np.array([36.825, 36.825 + 1e-11]), 1.0)
    assert hi - lo == pytest.approx(1.0) and lo < 36.825 < hi
    matplotlib.pyplot.close(fig)


def test_figures_of_empty_and_nan_data_do_not_fail():
    t = np.array([0.0])
    ds = xr.Dataset({"x": ("time", [np.nan])}, coords={"time": t})
    fig, ax = matplotlib.pyplot.subplots()
    assert figures.minimum_span(ax, ds["x"].to_numpy(), 1.0) == (-0.5, 0.5)
    matplotlib.pyplot.close(fig)


def test_comparison_names_arms_that_coincide():
    """A measure the model gives no effect (chicken soup) draws on top of the baseline: one line, both names."""
    base = {"challenge": {"kind": "endotoxin", "dose": 2}, "duration": 48, "output_step": 0.5}
    runs = {"baseline": ni.simulate(base),
            "chicken_soup": ni.simulate({**base, "interventions": [{"kind": "chicken_soup"}]}),
            "ibuprofen": ni.simulate({**base, "interventions": [{"kind": "ibuprofen"}]})}
    np.testing.assert_allclose(runs["chicken_soup"]["back_pain"], runs["baseline"]["back_pain"], atol=1e-9)
    fig = figures.comparison(runs)
    labels = [ln.get_label() for ln in fig.axes[0].get_lines()]
    assert labels == ["baseline = chicken_soup (one line)", "ibuprofen"]
    matplotlib.pyplot.close(fig)


def test_round_off_around_zero_reads_plus_minus_zero_on_the_body_map(vaccinated):
    ds = vaccinated.copy()
    ds["ppt_change"] = ds["ppt_change"] - 1e-12  # the case: round-off below zero, not a change
    change = ds["ppt_change"].interp(time=2.0)
    assert 0 < abs(float(change.sel(region="lower_back"))) < 1e-9
    fig = figures.bodymap(ds, 2.0)
    texts = [t.get_text() for ax in fig.axes[:2] for t in ax.texts]
    assert "lower back\n±0%" in texts and not any("-0%" in t for t in texts)
    matplotlib.pyplot.close(fig)
    assert figures.percent(-26.09) == "-26%" and figures.percent(0.7) == "+1%"
