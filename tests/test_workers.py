"""The forked workers of the calibration (calibration.workers): a closure runs in them as it does in this process,
results come back in the order of the items, and a pool forked for one function refuses another."""

import os

import pytest

from neuroimmune.calibration.workers import forked_pool, ordered_map


def test_a_closure_runs_in_forked_workers_and_results_keep_their_order():
    offset = 7.5  # a closure: never pickled, the workers inherit it by the fork

    def job(k):
        return k * k + offset, os.getpid()

    with forked_pool(2, job) as pool:
        forked = list(ordered_map(job, range(12), pool))
    with forked_pool(1, job) as none:
        assert none is None
        serial = list(ordered_map(job, range(12), none))
    assert [v for v, _ in forked] == [v for v, _ in serial] == [k * k + 7.5 for k in range(12)]
    assert {pid for _, pid in forked} - {os.getpid()}  # computed in other processes
    assert {pid for _, pid in serial} == {os.getpid()}


def test_a_pool_forked_for_one_function_refuses_another():
    with forked_pool(2, abs) as pool, pytest.raises(ValueError, match="another function"):
        list(ordered_map(round, [1.2], pool))
