"""The Zarr store of a cohort run: per-member variables chunked along ``member``, written chunk by chunk.

The root group's attributes hold the run's spec and its fingerprint; a path that holds a different run is
refused, never overwritten. After a chunk's arrays are written, a small JSON record with the SHA-256 of each
array's bytes for that chunk is written atomically to ``chunks_done/<i>.json`` inside the store. On resume, a
chunk counts as done only if its record exists and the bytes read back match it; a missing, partly written or
corrupted chunk is computed again. Interrupting a run therefore loses at most the chunks in flight.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import xarray as xr
import zarr

from ..errors import NeuroimmuneError
from ..io.atomic import write_text
from .chunks import Variable
from .members import RunSpec


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Silence zarr's note that the checksum folder (ours) is not a Zarr node."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*chunks_done.*")
        yield


class StoreError(NeuroimmuneError):
    """A Zarr path that cannot hold this run."""


class CohortStore:
    """A run's Zarr store at ``path`` (created if absent)."""

    def __init__(self, path: str | Path, spec: RunSpec, variables: list[Variable], coords: dict[str, list[str]],
                 t_traj: np.ndarray):
        self.path, self.spec, self.vars = Path(path), spec, {v.name: v for v in variables}
        with _quiet():
            fingerprint = spec.fingerprint()
            if self.path.exists():
                try:
                    group = zarr.open_group(str(self.path), mode="r")
                    found = group.attrs.get("fingerprint")
                except Exception:  # not a Zarr group at all
                    found = None
                if found != fingerprint:
                    raise StoreError(f"--out {self.path}: must be a new path or hold this same run to resume it "
                                     f"(it holds {'a different run' if found else 'something that is not a cohort'}, "
                                     f"fingerprint {str(found)[:12] if found else 'none'}; this run is "
                                     f"{fingerprint[:12]}); choose another path or remove it")
                self.group = zarr.open_group(str(self.path), mode="a")
            else:
                # the fingerprint goes first, so that a run killed while the store is being laid out resumes
                self.group = zarr.open_group(str(self.path), mode="w")
                self.group.attrs.update(fingerprint=fingerprint, spec=spec.to_json(), coords=json.dumps(coords),
                                        title="neuroimmune virtual cohort")
            n_traj = min(spec.trajectories, spec.n)
            present = set(self.group.array_keys())
            for v in variables:
                if v.name in present:
                    continue
                fill = np.nan if v.dtype.startswith("f") else -1
                self.group.create_array(
                    v.name, shape=(n_traj if v.trajectory else spec.n, *v.shape), chunks=(spec.chunk_size, *v.shape),
                    dtype=v.dtype, fill_value=fill, attributes={**v.attrs},  # a dict of zarr's JSON values
                    dimension_names=("traj_member" if v.trajectory else "member", *v.dims))
            if "time" not in present:
                self.group.create_array("time", shape=(len(t_traj),), chunks=(max(1, len(t_traj)),), dtype="f8",
                                        dimension_names=("time",),
                                        attributes={"units": "h", "long_name": "time of the trajectories"})
                self._array("time")[:] = t_traj
            self.done_dir = self.path / "chunks_done"
            self.done_dir.mkdir(exist_ok=True)
            for stale in self.done_dir.glob(".*"):  # the temporary file of a record whose write was killed
                stale.unlink(missing_ok=True)

    def _array(self, name: str) -> zarr.Array:
        """The store's array ``name`` (a member that is a group instead means the store was altered)."""
        member = self.group[name]
        if not isinstance(member, zarr.Array):
            raise StoreError(f"--out {self.path}: {name} must be an array of this run (found a group)")
        return member

    def _rows(self, v: Variable, i: int) -> tuple[int, int]:
        start, stop = self.spec.chunk(i)
        if v.trajectory:
            return min(start, self.spec.trajectories), min(stop, self.spec.trajectories)
        return start, stop

    def write(self, i: int, arrays: dict[str, np.ndarray]) -> None:
        """Write chunk ``i`` and then its checksum record."""
        sums = {}
        for name, v in self.vars.items():
            a, b = self._rows(v, i)
            data = np.ascontiguousarray(arrays[name], dtype=v.dtype)
            if b > a:
                self._array(name)[a:b] = data
            sums[name] = hashlib.sha256(data.tobytes()).hexdigest()
        write_text(json.dumps(sums), self.done_dir / f"{i}.json")

    def is_done(self, i: int) -> bool:
        """True if chunk ``i`` was written completely and reads back with its recorded checksums."""
        record = self.done_dir / f"{i}.json"
        if not record.exists():
            return False
        try:
            sums = json.loads(record.read_text(encoding="utf-8"))
            for name, v in self.vars.items():
                a, b = self._rows(v, i)
                data = np.ascontiguousarray(self._array(name)[a:b], dtype=v.dtype)
                if hashlib.sha256(data.tobytes()).hexdigest() != sums[name]:
                    return False
        except Exception:  # unreadable or undecodable chunk data, a damaged record: recompute the chunk
            return False
        return True

    def pending(self) -> list[int]:
        """Chunks still to compute (missing, partial or corrupted)."""
        return [i for i in range(self.spec.n_chunks) if not self.is_done(i)]


def open_cohort(path: str | Path) -> xr.Dataset:
    """Open a cohort store as an ``xarray.Dataset`` (lazily; ``member`` and region coordinates attached)."""
    with _quiet():
        ds = xr.open_zarr(str(path), consolidated=False)
    coords = json.loads(ds.attrs.get("coords", "{}"))
    ds = ds.assign_coords({"member": np.arange(ds.sizes["member"])} | {k: v for k, v in coords.items() if k in ds.dims})
    if "traj_member" in ds.dims:
        ds = ds.assign_coords(traj_member=np.arange(ds.sizes["traj_member"]))
    return ds
