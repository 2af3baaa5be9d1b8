"""Canary: the replacement key's value reaches only its 0600 file, nothing else."""

from __future__ import annotations

import json
import secrets

import pytest
import yaml
from pypdf import PdfReader

from tests.runbooks.conftest import Workspace
from tests.runbooks.test_answers_compromise import compromise_answers
from tests.test_canary import canary_hits, make_canaries
from toolkit.fingerprint import fingerprint


def test_replacement_value_never_leaves_its_file(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    (canary,) = make_canaries(1, seed=11)
    monkeypatch.setattr(secrets, "token_urlsafe", lambda _n: canary)
    answers = compromise_answers(workspace.folder)
    key_file = workspace.folder / "keys" / "replacement.key"
    key_file.parent.mkdir()
    answers["steps"]["replace"]["out"] = str(key_file)  # type: ignore[index]
    path = workspace.folder / "answers.yaml"
    path.write_text(yaml.safe_dump(answers))
    logs = [a for p in workspace.logs for a in ("--logs", str(p))]
    outputs = []
    for args in (
        ("incident", "open", "key-compromise", "--key", "prod-orders-api", "--as-of",
         "2026-10-01T08:00:00Z"),
        ("incident", "run", "INC-2026-0001", "--answers", str(path), *logs, "--as-of",
         "2026-10-01T08:30:00Z"),
        ("incident", "status", "INC-2026-0001", "--json"),
        ("incident", "close", "INC-2026-0001"),
        ("incident", "report", "INC-2026-0001", "--out", str(workspace.folder / "r.pdf")),
        ("trail", "show", "--json"),
        ("inventory", "list", "--json"),
    ):  # fmt: skip
        result = workspace.invoke(*args)
        assert result.exit_code == 0, (args, result.output)
        outputs += [result.stdout, result.stderr]
    assert key_file.read_text() == canary + "\n"
    key_file.unlink()  # the one place it may be; now look everywhere else
    hits = canary_hits([canary], texts=outputs, paths=[workspace.folder],
                       db_url=f"sqlite:///{workspace.db}")  # fmt: skip
    assert not hits, hits
    listed = json.loads(workspace.invoke("inventory", "list", "--json").stdout)
    (new,) = [k for k in listed if k["replaces"] == "prod-orders-api"]
    assert new["fingerprint_prefix"] == fingerprint(canary)[:12]  # recorded: the digest only
    report = "".join(page.extract_text() for page in PdfReader(workspace.folder / "r.pdf").pages)
    assert "replacement.key" in report  # the record names the file ...
    assert str(key_file.parent) not in report.replace("\n", "")  # ... not the machine's folders
