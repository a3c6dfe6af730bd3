import json
import os

# pytest-xdist starts its workers with COLUMNS=80 in the environment; the command line's Rich consoles, made when
# neuroimmune.cli is imported, would keep that width for good, where each test gives the width it needs to the
# invocation (CliRunner's env).
os.environ.pop("COLUMNS", None)

import numpy as np
import pytest
import xarray as xr

import neuroimmune as ni
from neuroimmune.model.fits import load_posterior
from neuroimmune.model.parameters import default_parameters


@pytest.fixture(scope="session")
def default_result():
    """The packaged default scenario, simulated once per session."""
    return ni.simulate()


def _posterior(path, names, draws):
    """A posterior sample in the packaged file's layout (``draws`` over draw x parameter, provenance as JSON),
    read back as the model reads the packaged one."""
    ds = xr.Dataset({"draws": (("draw", "parameter"), np.asarray(draws, dtype=float))},
                    coords={"parameter": list(names)},
                    attrs={"provenance": json.dumps({"sampler": "synthetic, for tests", "fingerprint": "test"})})
    ds.to_netcdf(path, engine="netcdf4")
    return load_posterior("endotoxemia", path)


@pytest.fixture(scope="session")
def one_draw_posterior(tmp_path_factory):
    """A synthetic posterior of one draw: the fitted values of the free parameters."""
    free = default_parameters().free()
    return _posterior(tmp_path_factory.mktemp("posterior") / "one.nc", [p.name for p in free],
                      [[p.value for p in free]])


@pytest.fixture(scope="session")
def spread_posterior(tmp_path_factory):
    """A synthetic posterior of 40 draws scattered log-normally (sd 0.15) around the fit, within bounds, over the
    free parameters and k_TNFM (a parameter that also differs between people)."""
    records = default_parameters()
    names = (*[p.name for p in records.free()], "k_TNFM")
    rng = np.random.default_rng(7)
    rows = [[float(np.clip(records[k].value * np.exp(0.15 * rng.standard_normal()), records[k].lower,
                           records[k].upper)) for k in names] for _ in range(40)]
    return _posterior(tmp_path_factory.mktemp("posterior") / "spread.nc", names, rows)


def _post_when_prepared(client, path, body, limit_s=300):
    """POST, asking again while the server prepares its engine for a new kind of scenario (503 with Retry-After),
    as the page does: on a machine that has never compiled it, the first bands or diary check of an illness wait
    for it."""
    import time

    deadline = time.monotonic() + limit_s
    while True:
        res = client.post(path, json=body)
        if res.status_code != 503 or time.monotonic() > deadline:
            return res
        time.sleep(min(1.0, float(res.headers.get("Retry-After", 1))))


@pytest.fixture()
def post_when_prepared():
    """:func:`_post_when_prepared`, for the API tests that may meet a server still compiling."""
    return _post_when_prepared
