"""Tables of records as text for machines: CSV, JSON and Markdown (the ``--format`` of list commands).

Each record is a mapping from column name to a plain value (str, int, float, bool or None); the column order is
given. CSV and JSON use the standard library's writers; Markdown is a GitHub-style pipe table.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

#: The machine formats, by the name ``--format`` takes.
FORMATS = ("csv", "json", "markdown")


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None  # JSON has no NaN; an empty cell in CSV and Markdown
    return value


def to_csv(records: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """RFC 4180 CSV with a header row (``\\n`` line ends)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for r in records:
        writer.writerow(["" if _plain(r.get(c)) is None else r.get(c) for c in columns])
    return buffer.getvalue()


def to_json(records: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """A JSON array of objects with the given keys, in order (NaN as null)."""
    rows = [{c: _plain(r.get(c)) for c in columns} for r in records]
    return json.dumps(rows, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def to_markdown(records: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """A pipe table; ``|`` in a cell is escaped and line breaks become spaces."""
    def cell(value: Any) -> str:
        value = _plain(value)
        text = "" if value is None else str(value)
        return " ".join(text.split()).replace("|", "\\|")

    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(cell(r.get(c)) for c in columns) + " |" for r in records]
    return "\n".join(lines) + "\n"


def render(records: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: str) -> str:
    """``records`` as ``fmt`` (one of :data:`FORMATS`)."""
    return {"csv": to_csv, "json": to_json, "markdown": to_markdown}[fmt](records, columns)
