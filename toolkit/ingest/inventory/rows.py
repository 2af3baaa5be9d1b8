"""Row loaders for tabular and document files: CSV, JSON, JSON Lines and YAML."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from toolkit.errors import IngestError
from toolkit.ingest.inventory.parsing import Where, load_json, object_list

Row = tuple[Where, dict[str, Any]]

try:
    _BaseLoader: Any = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


class _YamlLoader(_BaseLoader):
    """The safe loader, with timestamps kept as text: the readers parse them and name the field
    of an impossible date such as ``2026-02-30`` (which PyYAML itself fails on with no place)."""


_YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def document_kind(text: str, path: Path) -> str:
    """Which of csv, json, jsonl or yaml the text is, judged by its first characters."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        return "json"
    if stripped.startswith("{"):
        first = stripped.split("\n", 1)[0].strip()
        if "\n" in stripped.strip() and _is_object(first):
            return "jsonl"
        return "json"
    if path.suffix.lower() in (".yaml", ".yml"):
        return "yaml"
    first = _first_line(stripped)
    if first.startswith("- ") or first.rstrip().endswith(":") or ": " in first:
        return "yaml"
    return "csv"


def _first_line(text: str) -> str:
    """The first line not starting with ``#``, looked for in the first 64 KiB when it is there."""
    head = text[:65536]
    lines = head.splitlines()
    if len(head) < len(text):
        lines = lines[:-1]  # the last line of the head may be cut
    found = next((ln for ln in lines if not ln.startswith("#")), None)
    if found is None:
        found = next((ln for ln in text.splitlines() if not ln.startswith("#")), "")
    return found


def _is_object(line: str) -> bool:
    """True when one line holds a complete JSON object."""
    try:
        return isinstance(json.loads(line), dict)
    except (json.JSONDecodeError, RecursionError):
        return False


def csv_rows(path: Path, text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and an iterator of (line number, cells) for every non-blank row."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise _csv_error(path, reader.line_num or 1, exc) from None
    if not header:
        raise IngestError(path, "no header row", line=1)

    def body() -> Iterator[tuple[int, list[str]]]:
        """Rows after the header, skipping blank lines."""
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise _csv_error(path, reader.line_num, exc) from None
            if cells and any(cells):
                yield reader.line_num, cells

    return [h.strip() for h in header], body()


def _csv_error(path: Path, line: int, exc: csv.Error) -> IngestError:
    """A CSV syntax error; an over-long field is named as such."""
    if "field larger than field limit" in str(exc):
        return IngestError(path, "line too long (over 128 KiB in one field)", line=line)
    return IngestError(path, "not valid CSV", line=line)


def json_rows(path: Path, text: str, wrapper: str = "keys") -> list[Row]:
    """Records of a JSON array, or of ``{wrapper: [...]}``."""
    document = load_json(path, text)
    if isinstance(document, dict) and wrapper in document:
        document = document[wrapper]
    items = object_list(path, document, "keys")
    return [(("record", n), item) for n, item in enumerate(items, 1)]


def jsonl_rows(path: Path, text: str) -> list[Row]:
    """One JSON object per non-blank line."""
    rows: list[Row] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise IngestError(path, f"not valid JSON ({exc.msg})", line=number) from None
        except RecursionError:
            raise IngestError(path, "not valid JSON (nested too deeply)", line=number) from None
        if not isinstance(item, dict):
            raise IngestError(path, "expected a JSON object on each line", line=number)
        rows.append((("line", number), item))
    return rows


def yaml_rows(path: Path, text: str, wrapper: str = "keys") -> list[Row]:
    """Records of a YAML list, or of a mapping with a ``keys:`` list."""
    try:
        document = yaml.load(text, Loader=_YamlLoader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise IngestError(path, "not valid YAML", line=line) from None
    except yaml.YAMLError:
        raise IngestError(path, "not valid YAML") from None
    except RecursionError:
        raise IngestError(path, "not valid YAML (nested too deeply)") from None
    if isinstance(document, dict) and wrapper in document:
        document = document[wrapper]
    items = object_list(path, document, "keys")
    return [(("record", n), item) for n, item in enumerate(items, 1)]
