"""JSON output: a stored document set into a larger object reads as ``dumps`` would write it."""

from __future__ import annotations

import json

from toolkit.cli.output import dumps, dumps_with


def test_a_document_set_in_unparsed_reads_as_dumps_writes_it() -> None:
    """Nested lists and objects, non-ASCII and escaped text, the key sorted among the others."""
    document = {
        "findings": [{"message": 'caf\u00e9 "quoted"\n', "n": 2.5}, {}],
        "keys": [],
        "summary": {"by_severity": {"high": 1}, "empty": {}},
    }
    row = {"id": "run-1", "summary": {"findings": 2}, "actor": "auditor"}
    text = dumps_with(row, "result", dumps(document) + "\n")
    assert json.loads(text) == {**row, "result": document}
    assert text == dumps({**row, "result": document})
    assert dumps_with({"z": 1}, "a", "[]") == dumps({"z": 1, "a": []})
