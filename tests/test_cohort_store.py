"""The Zarr store, schedulers and resuming: chunks written as they finish, a killed run resumed bit for bit,
a different run refused, a corrupted chunk recomputed, a real local Dask cluster, an unreachable scheduler."""

import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

import neuroimmune as ni
from neuroimmune.cohort.distributed import SchedulerError
from neuroimmune.cohort.store import StoreError, open_cohort

SHORT = {"challenge": {"kind": "endotoxin", "dose": 2.0}, "duration": 8}


def same(a, b):
    for name in b.data_vars:
        if name != "message":
            assert np.array_equal(np.asarray(a[name].values), np.asarray(b[name].values), equal_nan=True), name


def markers(path):
    """Every file in the chunk records' folder (a killed write's temporary file included)."""
    folder = path / "chunks_done"
    return {f.name: f.stat().st_mtime_ns for f in folder.iterdir()} if folder.exists() else {}


def test_store_round_trip_and_refusal_of_a_different_run(tmp_path):
    path = tmp_path / "c.zarr"
    ds = ni.simulate_cohort(SHORT, 300, seed=1, execution={"chunk_size": 100}, keep={"out": path, "trajectories": 3})
    mem = ni.simulate_cohort(SHORT, 300, seed=1, execution={"chunk_size": 100}, keep={"trajectories": 3})
    same(ds, mem)
    assert len(markers(path)) == 3
    assert open_cohort(path)["tnf"].dims == ("traj_member", "time")
    before = markers(path)
    with pytest.raises(StoreError, match="different run"):
        ni.simulate_cohort(SHORT, 300, seed=2, execution={"chunk_size": 100}, keep={"out": path})
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a cohort"):
        ni.simulate_cohort(SHORT, 300, keep={"out": tmp_path / "notes"})
    assert (tmp_path / "notes" / "a.txt").read_text(encoding="utf-8") == "mine"
    assert markers(path) == before
    # the same arguments again: nothing is recomputed
    again = ni.simulate_cohort(SHORT, 300, seed=1, execution={"chunk_size": 100}, keep={"out": path, "trajectories": 3})
    assert markers(path) == before
    same(again, mem)


def test_a_store_killed_while_being_laid_out_resumes(tmp_path):
    path = tmp_path / "c.zarr"
    ni.simulate_cohort(SHORT, 200, seed=1, execution={"chunk_size": 100}, keep={"out": path})
    import shutil

    shutil.rmtree(path / "il6_peak")  # as if the run died after the fingerprint, before every array existed
    shutil.rmtree(path / "chunks_done")
    ds = ni.simulate_cohort(SHORT, 200, seed=1, execution={"chunk_size": 100}, keep={"out": path})
    same(ds, ni.simulate_cohort(SHORT, 200, seed=1, execution={"chunk_size": 100}))


def test_a_corrupted_chunk_is_detected_and_recomputed(tmp_path):
    path = tmp_path / "c.zarr"
    ni.simulate_cohort(SHORT, 400, seed=5, execution={"chunk_size": 100}, keep={"out": path})
    expected = ni.simulate_cohort(SHORT, 400, seed=5, execution={"chunk_size": 100})
    chunk = path / "tnf_peak" / "c" / "2"
    chunk.write_bytes(b"\x00garbage" + chunk.read_bytes()[8:])
    other = path / "il6_peak" / "c" / "1"
    other.unlink()  # a chunk file lost altogether
    before = markers(path)
    time.sleep(0.01)
    seen = []
    ds = ni.simulate_cohort(SHORT, 400, seed=5, keep={"out": path},
                            execution={"chunk_size": 100, "progress": lambda d, n: seen.append(d)})
    after = markers(path)
    assert after["2.json"] != before["2.json"] and after["1.json"] != before["1.json"]
    assert after["0.json"] == before["0.json"] and after["3.json"] == before["3.json"]
    assert seen[0] == 200  # two chunks were good and kept
    same(ds, expected)


@pytest.fixture(scope="module")
def cluster():
    """A real local Dask cluster: a scheduler and 2 single-threaded worker processes."""
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c:
        yield c


def test_a_real_dask_cluster_gives_the_same_numbers(cluster):
    ds = ni.simulate_cohort(SHORT, 500, seed=2,
                            execution={"chunk_size": 100, "scheduler": cluster.scheduler_address},
                            keep={"trajectories": 5})
    same(ds, ni.simulate_cohort(SHORT, 500, seed=2, execution={"chunk_size": 250}, keep={"trajectories": 5}))


def test_sensitivity_analysis_runs_on_the_dask_cluster(cluster):
    from neuroimmune.cohort.sensitivity import sobol

    args = (ni.Scenario.from_dict(SHORT), "tnf_peak", 32)
    remote = sobol(*args, parameters=["k_TNFM", "x_ache"],
                   execution={"scheduler": cluster.scheduler_address, "chunk_size": 40})
    local = sobol(*args, parameters=["k_TNFM", "x_ache"])
    np.testing.assert_array_equal(remote.ST, local.ST)
    np.testing.assert_array_equal(remote.S1_conf, local.S1_conf)


def test_an_unreachable_scheduler_fails_with_a_clear_error():
    with pytest.raises(SchedulerError, match="no Dask scheduler reachable at tcp://127.0.0.1:1"):
        ni.simulate_cohort(SHORT, 10, execution={"scheduler": "tcp://127.0.0.1:1"})
    with pytest.raises(SchedulerError, match="must be 'local' or an address"):
        ni.simulate_cohort(SHORT, 10, execution={"scheduler": "http://example"})


def finished(path):
    """The finished chunk records of a cohort store (name -> modification time), not the ones being written."""
    return {name: t for name, t in markers(path).items() if not name.startswith(".")}


def test_a_killed_run_on_a_local_cluster_resumes_bit_for_bit(tmp_path):
    scenario = tmp_path / "long.yaml"
    scenario.write_text("challenge: {kind: endotoxin, dose: 2 ng/kg}\nduration: 30 days\noutput_step: 1 h\n")
    path = tmp_path / "run.zarr"
    # compile (or load) the kernel of this 30-day run here first: on a fresh cache and a loaded machine the compile
    # in the cluster's workers would otherwise eat the time the run is given before it is killed
    ni.simulate_cohort(ni.Scenario.from_yaml(scenario), 8, execution={"chunk_size": 8})
    cmd = [sys.executable, "-m", "neuroimmune", "cohort", str(scenario), "--n", "3000", "--chunk-size", "100",
           "--out", str(path), "--scheduler", "local", "--trajectories", "150"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.time() + 600
        # count finished records only: a record being written has a temporary name starting with "."
        while len(finished(path)) < 4 and proc.poll() is None and time.time() < deadline:
            time.sleep(0.02)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    done = finished(path)
    assert 4 <= len(done) < 30, f"the run was not interrupted midway ({len(done)} of 30 chunks done)"
    res = subprocess.run(cmd, capture_output=True, encoding="utf-8", timeout=300)
    assert res.returncode == 0, res.stderr
    after = markers(path)
    assert sorted(after) == sorted(f"{i}.json" for i in range(30))  # no temporary file of the killed run is left
    assert all(after[k] == v for k, v in done.items()), "finished chunks were recomputed"
    expected = ni.simulate_cohort(ni.Scenario.from_yaml(scenario), 3000, execution={"chunk_size": 1000},
                                  keep={"trajectories": 150})
    same(open_cohort(path), expected)
    assert json.loads(open_cohort(path).attrs["spec"])["n"] == 3000
