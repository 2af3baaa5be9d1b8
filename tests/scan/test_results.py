"""The scan-results input: valid files load; bad ones name the file, record and field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.errors import IngestError
from toolkit.scan.results import load_scan_results


def test_valid_file_loads(tmp_path: Path) -> None:
    """Items keep their order by file and line within a kind."""
    path = tmp_path / "scan.json"
    items = [
        {"kind": "secret", "file": "b.py", "line": 2},
        {"kind": "secret", "file": "a.py", "line": 9, "location": "logs"},
        {"kind": "permissions", "file": "c", "mode": "0644"},
    ]
    path.write_text(json.dumps({"findings": items}))
    scan = load_scan_results(path)
    assert [i.where for i in scan.of_kind("secret")] == ["a.py:9", "b.py:2"]
    assert [i.where for i in scan.of_kind("secret", "code")] == ["b.py:2"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"findings": [{"kind": "secret", "file": "a", "value": "x"}]}',
            ": record 1: value: unknown",
        ),
        ('{"findings": [{"kind": "leak", "file": "a"}]}', ": record 1: kind: Input should be"),
        ('{"findings": [{"kind": "permissions", "file": "a", "mode": "rw"}]}', "record 1: mode:"),
        ('{"findings": []', ":1: not valid JSON"),
        ('{"extra": 1}', ": extra: unknown field"),
    ],
)
def test_bad_files_name_the_place(tmp_path: Path, content: str, message: str) -> None:
    """IngestError with file, record and field; the offending value is never quoted."""
    path = tmp_path / "scan.json"
    path.write_text(content)
    with pytest.raises(IngestError) as caught:
        load_scan_results(path)
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)
    assert "rw" not in str(caught.value).replace(str(tmp_path), "")
