"""The catalogue of study modules: one line per study (cluster, what it measures, how it was read, n, tolerance
rule, status) and a summary per cluster, generated from the modules and their validate rows so that
``docs/STUDIES.md`` cannot go stale (a test compares the file with :func:`markdown`).

Run ``python -m neuroimmune.studies._catalogue`` to print the catalogue, ``--write PATH`` to write it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from . import is_known_gap, modules
from . import validate as validate_rows
from ._base import Row

#: The questions the studies check, in the order of the summary (issue 13's failure clusters among them).
CLUSTERS = (
    "calibration point",
    "regional pain",
    "dose-response",
    "tolerance",
    "mood vs sickness",
    "host factors",
    "vaccine platforms",
    "immune memory",
    "bacterial infection",
    "sleep loss",
    "visceral pain",
    "community illness",
    "infection kinetics",
    "interventions",
    "inter-individual variability",
    "persistence",
)

BEGIN = "<!-- BEGIN GENERATED: python -m neuroimmune.studies._catalogue -->"
END = "<!-- END GENERATED -->"


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "/")


def _measures(module: ModuleType) -> str:
    if hasattr(module, "MEASURES"):
        return str(module.MEASURES)
    doc = " ".join((module.__doc__ or "").split()).replace("et al.", "et al")
    return doc.split(". ")[0][:160]


def _tolerance(module: ModuleType, rows: Sequence[Row]) -> str:
    if hasattr(module, "TOLERANCE"):
        return str(module.TOLERANCE)
    return "; ".join(dict.fromkeys(r.reason for r in rows))


def status(rows: Sequence[Row]) -> str:
    """``pass`` when every row passes, else how many rows are known gaps (and any unlisted failure)."""
    gaps = sum(1 for r in rows if not r.passed and is_known_gap(r))
    failed = sum(1 for r in rows if not r.passed and not is_known_gap(r))
    if not gaps and not failed:
        return f"pass ({len(rows)} rows)"
    text = f"known gap ({gaps} of {len(rows)} rows)" if gaps else ""
    return text + (f"{', ' if text else ''}FAIL ({failed} unlisted)" if failed else "")


def by_study(rows: Sequence[Row] | None = None) -> dict[str, list[Row]]:
    """Validate rows per study module (all rows with the committed fit when ``rows`` is None)."""
    rows = validate_rows() if rows is None else rows
    out: dict[str, list[Row]] = {name: [] for name in modules()}
    for r in rows:
        if r.study in out:
            out[r.study].append(r)
    return out


def markdown(rows: Sequence[Row] | None = None) -> str:
    """The generated part of ``docs/STUDIES.md``: the per-cluster summary and the table of study modules."""
    per = by_study(rows)
    mods = modules()
    order = sorted(mods, key=lambda s: (CLUSTERS.index(mods[s].STUDY.cluster)
                                        if mods[s].STUDY.cluster in CLUSTERS else len(CLUSTERS), s))
    lines = ["| cluster | studies | rows | passed | known gaps |", "|---|---|---|---|---|"]
    for cluster in CLUSTERS:
        names = [s for s in order if mods[s].STUDY.cluster == cluster]
        rs = [r for s in names for r in per[s]]
        gaps = sum(1 for r in rs if not r.passed and is_known_gap(r))
        lines.append(f"| {cluster} | {len(names)} | {len(rs)} | {sum(r.passed for r in rs)} | {gaps} |")
    lines += ["", "| study | cluster | what it measures | how read | n | tolerance rule | status |",
              "|---|---|---|---|---|---|---|"]
    for s in order:
        m = mods[s]
        n = getattr(m, "N", "")
        lines.append(f"| {s} | {_cell(m.STUDY.cluster)} | {_cell(_measures(m))} | {_cell(m.STUDY.how_read)} | "
                     f"{_cell(n)} | {_cell(_tolerance(m, per[s]))} | {status(per[s])} |")
    return "\n".join([BEGIN, *lines, END])


def generated_part(text: str) -> str:
    """The generated block of a document (between :data:`BEGIN` and :data:`END`, markers included)."""
    start, stop = text.find(BEGIN), text.find(END)
    if start < 0 or stop < start:
        raise ValueError(f"no generated block: the document must contain {BEGIN!r} ... {END!r}")
    return text[start:stop + len(END)]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m neuroimmune.studies._catalogue", description=__doc__)
    parser.add_argument("--write", metavar="PATH", help="replace the generated block of this Markdown file")
    args = parser.parse_args(argv)
    block = markdown()
    if args.write is None:
        print(block)
        return 0
    path = Path(args.write)
    if not path.is_file():
        print(f"--write: {path} must be an existing Markdown file with the generated block's markers",
              file=sys.stderr)
        return 2
    text = path.read_text(encoding="utf-8")
    try:
        old = generated_part(text)
    except ValueError as exc:
        print(f"--write: {path}: {exc}", file=sys.stderr)
        return 2
    path.write_text(text.replace(old, block), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
