"""The one reader of YAML and JSON input (scenarios, diaries): bounded, strict and with messages a user can act on.

PyYAML's ``safe_load`` builds no arbitrary objects, but it still accepts input that a simulator should refuse:

* **size**: at most :data:`MAX_BYTES` (1 MiB; the largest packaged scenario is under 2 kB);
* **depth**: at most :data:`MAX_DEPTH` nested levels (PyYAML's composer recurses, so 5,000 levels end in a
  ``RecursionError``);
* **alias expansion**: anchors and aliases are allowed, but the document they expand to may hold at most
  :data:`MAX_VALUES` values, and an alias may not contain itself. A 300-byte "billion laughs" document expands to
  10^9 values: it is refused at once, before anything walks the expanded tree;
* **duplicate keys** are an error (YAML says they are; PyYAML keeps the last one silently);
* an **empty** document is an error, not an empty mapping;
* **bytes** must be UTF-8 text without NUL characters (a binary file gets a message, not a ``UnicodeDecodeError``);
* **dates** stay text, so the scenario's own validation reports ``2026-02-30`` with the field it is in
  (PyYAML would raise ``ValueError`` from deep inside its constructor).

Why hand-written: PyYAML offers hooks (a ``SafeLoader`` subclass) but none of these limits, and the maintained
alternative with limits (``strictyaml``) reads a restricted YAML dialect that would reject existing scenario files.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import InputError

#: Largest input accepted, bytes.
MAX_BYTES = 1 << 20
#: Deepest nesting of mappings and lists accepted.
MAX_DEPTH = 50
#: Most values (scalars, mappings, lists) a document may expand to through aliases.
MAX_VALUES = 100_000

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"


class _Refused(Exception):
    """A limit broken while composing; carries the rule."""


class _Loader(yaml.SafeLoader):
    """``SafeLoader`` with the limits above (a fresh instance per document)."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise _Refused(f"must be nested at most {MAX_DEPTH} levels deep (deeper at line {mark.line + 1})")
            # the stub says int; PyYAML passes a value its key node, and None for keys and the root
            return super().compose_node(parent, index)  # type: ignore[arg-type]
        finally:
            self._depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:  # type: ignore[override]
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE or not isinstance(key_node, ScalarNode):
                continue  # merge keys may be overridden; unhashable keys are refused by the base constructor
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise _Refused(f"must not repeat a key; {key!r} appears at line {seen[key] + 1} and again at line "
                               f"{key_node.start_mark.line + 1}")
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


def _expanded_size(root: Node) -> int:
    """Number of values ``root`` expands to with every alias replaced by its anchor's content.

    Iterative and memoised on the node objects (an alias is the same node object as its anchor), so the cost is
    the number of distinct nodes, not the expanded size. A node reached again while it is being counted is an
    alias that contains itself.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            children = _children(node)
            sizes[key] = min(1 + sum(sizes[id(c)] for c in children), MAX_VALUES + 1)
            on_path.discard(key)
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise _Refused("must not contain an alias inside its own anchor (a recursive document)")
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in sizes)
    return sizes[id(root)]


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _decode(data: bytes, field: str, where: object) -> str:
    if b"\0" in data[:8192]:
        raise InputError([(field, "must be UTF-8 text (YAML or JSON); this file contains NUL bytes, as binary files "
                           "and UTF-16 text do", where)])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([(field, f"must be UTF-8 text (YAML or JSON); byte 0x{data[exc.start]:02x} at position "
                           f"{exc.start} is not (a binary file, or another text encoding?)", where)]) from None


def load_yaml(text: str | bytes, *, field: str = "scenario", what: str = "scenario",
              where: object | None = None) -> Any:
    """Parse one YAML (or JSON) document within the limits in the module docstring.

    Parameters
    ----------
    text
        The document; bytes are decoded as UTF-8.
    field
        The name errors put first (``file``, ``diary``, ``--with``).
    what
        What the document is, for the empty-input message ("the scenario file is empty").
    where
        The value errors echo (default: the start of the text).

    Raises
    ------
    InputError
        For every limit broken and every YAML syntax error, with the line and column.
    """
    where = where if where is not None else (text[:80] if isinstance(text, str) else f"{len(text)} bytes")
    size = len(text.encode("utf-8")) if isinstance(text, str) else len(text)
    if size > MAX_BYTES:
        raise InputError([(field, f"must be at most {MAX_BYTES:,} bytes ({MAX_BYTES >> 20} MiB); this is {size:,}",
                           where)])
    if isinstance(text, bytes):
        text = _decode(text, field, where)
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        raise InputError([(field, f"the {what} is empty; give at least one field (see the README)", where)])
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError([(field, f"the {what} is empty; give at least one field (see the README)", where)])
        if _expanded_size(node) > MAX_VALUES:
            raise _Refused(f"must expand to at most {MAX_VALUES:,} values; its aliases (*name) repeat anchors "
                           "(&name) into more (an alias bomb?)")
        return loader.construct_document(node)
    except _Refused as exc:
        raise InputError([(field, str(exc), where)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError([(field, f"must be valid YAML or JSON; {problem}{at}", where)]) from None
    except (ValueError, OverflowError, RecursionError) as exc:
        if "digits" in str(exc):  # Python refuses to read integers of more than 4,300 digits
            rule = "must hold numbers of at most 4,300 digits"
        else:
            rule = f"must hold values that can be read ({type(exc).__name__}: {str(exc).splitlines()[0][:80]})"
        raise InputError([(field, rule, where)]) from None
    finally:
        loader.dispose()


def read_yaml(path: str | os.PathLike[str], *, field: str = "file", what: str = "scenario file") -> Any:
    """Read and parse a YAML/JSON file, refusing folders, unreadable paths and files over :data:`MAX_BYTES`
    without reading more than that (so ``/dev/zero`` or a huge file costs nothing)."""
    path = Path(path)
    shown = str(path)
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        reason = "it is a folder" if path.is_dir() else exc.strerror or type(exc).__name__
        raise InputError([(field, f"must be a readable {what} ({reason})", shown)]) from None
    if len(data) > MAX_BYTES:
        raise InputError([(field, f"must be at most {MAX_BYTES:,} bytes ({MAX_BYTES >> 20} MiB)", shown)])
    return load_yaml(data, field=field, what=what, where=shown)


def load_json(text: str | bytes, *, field: str = "json", what: str = "JSON text") -> Any:
    """Parse JSON with the same limits: size, depth, duplicate keys, non-empty."""
    where = text[:80] if isinstance(text, str) else f"{len(text)} bytes"
    size = len(text.encode("utf-8")) if isinstance(text, str) else len(text)
    if size > MAX_BYTES:
        raise InputError([(field, f"must be at most {MAX_BYTES:,} bytes; this is {size:,}", where)])
    if isinstance(text, bytes):
        text = _decode(text, field, where)
    if not text.strip():
        raise InputError([(field, f"the {what} is empty", where)])

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise _Refused(f"must not repeat a key ({key!r} appears twice)")
            out[key] = value
        return out

    try:
        data = json.loads(text, object_pairs_hook=unique)
    except _Refused as exc:
        raise InputError([(field, str(exc), where)]) from None
    except json.JSONDecodeError as exc:
        raise InputError([(field, f"must be valid JSON; {exc.msg} at line {exc.lineno}, column {exc.colno}",
                           where)]) from None
    except (RecursionError, ValueError) as exc:
        raise InputError([(field, f"must be valid JSON nested at most {MAX_DEPTH} levels ({type(exc).__name__})",
                           where)]) from None
    if _depth(data) > MAX_DEPTH:
        raise InputError([(field, f"must be nested at most {MAX_DEPTH} levels deep", where)])
    return data


def _depth(data: Any) -> int:
    """Nesting depth of plain lists and dicts (iterative: the input may be deep)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                stack.extend((v, level + 1) for v in (item.values() if isinstance(item, dict) else item))
    return deepest
