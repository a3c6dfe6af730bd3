"""The one way neuroimmune writes a file: never half-written, with the permissions the user's umask asks for.

Each file is written to a temporary file in the target's own folder, flushed to disk (``fsync``), given the mode
``0o666 & ~umask`` (``tempfile.mkstemp`` would leave it private, 0600) and renamed over the target with
``os.replace``, which is atomic on POSIX and Windows within one file system. A reader therefore sees the old file or
the new one, never a part.

Several files that belong together (a result and its figure) are written with :func:`together`: each is staged in
its temporary file and all are renamed only when every one was written, so a failure in the last leaves none of
them (nor any folder created for them) behind.

:func:`check_target` checks a path before any work is done, so that a command fails at once (exit 2) with the
option, the rule and the value, instead of after a long simulation.

Why hand-written: the standard library has the pieces (``mkstemp``, ``fsync``, ``os.replace``) but no atomic
writer, and the packages that offer one (``atomicwrites``, unmaintained since 2022) keep mkstemp's private mode
and cannot stage several files.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ..errors import NeuroimmuneError, shorten

_UMASK_LOCK = threading.Lock()
#: Staged writes of the innermost :func:`together` block: (temporary, target) pairs and the folders created.
_BATCH: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar("neuroimmune_atomic_batch", default=None)


class _Batch:
    def __init__(self) -> None:
        self.staged: list[tuple[Path, Path]] = []
        self.created: list[Path] = []


def umask() -> int:
    """The process's current umask: read from ``/proc/self/status`` where Linux offers it, else by setting and
    restoring it (which, for a moment, other threads creating files would see)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _make_parents(folder: Path, batch: _Batch | None) -> list[Path]:
    """Create ``folder`` and its missing parents; return the folders created, outermost first."""
    missing = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    folder.mkdir(parents=True, exist_ok=True)
    created = list(reversed(missing))
    if batch is not None:
        batch.created += created
    return created


def _remove_folders(folders: Sequence[Path]) -> None:
    for folder in reversed(folders):  # innermost first; only if still empty
        with contextlib.suppress(OSError):
            folder.rmdir()


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _finish(tmp: Path) -> None:
    """Flush the temporary file to disk and give it the mode a newly created file would have."""
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, 0o666 & ~umask())


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` for the caller to write; on success it replaces ``path``.

    The temporary name ends in the target's suffix, so writers that choose a format by the suffix (matplotlib)
    choose the right one. On an exception the temporary file is removed and the target is left as it was. Inside
    :func:`together`, the rename waits for the end of the block.
    """
    path = Path(path)
    batch = _BATCH.get()
    created = _make_parents(path.parent, batch)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=f".tmp{path.suffix}")
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        _finish(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        if batch is None:
            _remove_folders(created)
        raise
    if batch is not None:
        batch.staged.append((tmp, path))
        return
    os.replace(tmp, path)
    _fsync_folder(path.parent)


@contextlib.contextmanager
def atomic_folder(path: str | Path) -> Iterator[Path]:
    """Yield a new temporary folder beside ``path`` for the caller to fill; on success it takes the place of
    ``path`` (a folder already there is first moved aside, then removed), on an exception it is removed and ``path``
    is left as it was. Readers see the old folder or the new one, except for the moment between the two renames,
    when there is none (a folder cannot be renamed over a non-empty one)."""
    path = Path(path)
    _make_parents(path.parent, None)
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    os.chmod(tmp, 0o777 & ~umask())
    old = None
    if path.exists():
        old = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".old"))
        os.replace(path, old / "previous")
    os.replace(tmp, path)
    _fsync_folder(path.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_bytes(data: bytes, path: str | Path) -> Path:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text(text: str, path: str | Path) -> Path:
    """Write ``text`` to ``path`` atomically, as UTF-8 with ``\\n`` line ends."""
    return write_bytes(text.encode("utf-8"), path)


def write_with(writer: Callable[[Path], object], path: str | Path) -> Path:
    """Let ``writer(temporary_path)`` write the file (``ds.to_netcdf``, ``fig.savefig``) and put it in place."""
    with atomic_path(path) as tmp:
        writer(tmp)
    return Path(path)


@contextlib.contextmanager
def together() -> Iterator[None]:
    """Stage every :func:`atomic_path` write in the block and rename them all at its end, or none on an error.

    The renames at the end are each atomic; between them nothing the caller computes can fail, so in practice
    either every file appears or none does.
    """
    batch = _Batch()
    token = _BATCH.set(batch)
    try:
        yield
    except BaseException:
        for tmp, _ in batch.staged:
            tmp.unlink(missing_ok=True)
        _remove_folders(batch.created)
        raise
    finally:
        _BATCH.reset(token)
    for tmp, target in batch.staged:
        os.replace(tmp, target)
    for folder in {target.parent for _, target in batch.staged}:
        _fsync_folder(folder)


def check_target(path: str | Path, field: str, suffixes: Sequence[str] = (), kind: str = "file") -> Path:
    """Check, before any work, that ``path`` can be written as a ``kind`` ('file' or 'folder').

    The rules: the name ends in one of ``suffixes`` (when given, case-insensitive); a file target is not an existing
    folder; the nearest existing ancestor is a folder (not a file) in which a file can be created (tried with a
    probe file, removed at once).

    Raises
    ------
    NeuroimmuneError
        Naming ``field`` (such as ``--out``), the rule broken and the path received.
    """
    raw = str(path)
    if not raw.strip():
        raise NeuroimmuneError(f"{field}: must be a {kind} path (got an empty name)")
    path = Path(path).expanduser()
    if "\0" in raw:
        raise NeuroimmuneError(f"{field}: must be a path without NUL characters (got {shorten(raw)})")
    if suffixes and path.suffix.lower() not in suffixes:
        choices = suffixes[0] if len(suffixes) == 1 else f"{', '.join(suffixes[:-1])} or {suffixes[-1]}"
        raise NeuroimmuneError(f"{field}: must end in {choices} (got {shorten(raw)})")
    if kind == "file" and path.is_dir():
        raise NeuroimmuneError(f"{field}: must be a file name, not an existing folder (got {shorten(raw)})")
    if kind == "folder" and path.exists() and not path.is_dir():
        raise NeuroimmuneError(f"{field}: must be a folder, not an existing file (got {shorten(raw)})")
    if len(path.name.encode()) > 240:  # leaves room for the temporary file's prefix and suffix within 255 bytes
        raise NeuroimmuneError(f"{field}: the file name must be at most 240 bytes long (got {len(path.name.encode())})")
    ancestor = path.parent if kind == "file" else path
    try:
        while not ancestor.exists():
            ancestor = ancestor.parent
    except OSError as exc:
        raise NeuroimmuneError(f"{field}: must be a path this system can use (got {shorten(raw)}: "
                               f"{exc.strerror or exc})") from None
    if not ancestor.is_dir():
        raise NeuroimmuneError(f"{field}: must be in a folder, but {shorten(str(ancestor))} is a file "
                               f"(got {shorten(raw)})")
    try:  # a real probe: permission bits do not tell (root, read-only mounts, /proc)
        fd, probe = tempfile.mkstemp(dir=ancestor, prefix=".neuroimmune-probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise NeuroimmuneError(f"{field}: must be in a folder you may write to; {shorten(str(ancestor))} refuses "
                               f"new files ({exc.strerror or exc}) (got {shorten(raw)})") from None
    return path

