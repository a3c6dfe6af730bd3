import numpy as np
import xarray as xr

from neuroimmune.analysis.citation import citation
from neuroimmune.io import write_netcdf
from neuroimmune.plotting import figures


def test_netcdf_round_trip(default_result, tmp_path):
    path = write_netcdf(default_result, tmp_path / "r.nc")
    back = xr.load_dataset(path)
    xr.testing.assert_allclose(back, default_result)
    assert back["tnf"].attrs["units"] == "pg/mL"
    assert "scenario" in back.attrs
    assert not list(tmp_path.glob(".*.tmp"))


def test_figures_are_written(default_result, tmp_path):
    import matplotlib.image as mpimg

    for fig, name in ((figures.timecourse(default_result), "t.png"),
                      (figures.bodymap(default_result, 2.0), "b.png")):
        path = figures.save(fig, tmp_path / name)
        image = mpimg.imread(path)
        assert image.shape[0] > 400 and image.shape[1] > 400
        assert np.std(image) > 0.05  # not a blank canvas


def test_citation_has_the_data_and_model_sources():
    text = citation()
    for key in ("janum2016", "degoeij2013", "dobreva2021", "windoloski2024", "engler2017"):
        assert f"{{{key}," in text
    assert text.count("@") >= 15
