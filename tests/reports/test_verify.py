"""``report verify``: genuine reports pass; altered attachments or bodies fail, naming the check."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader, PdfWriter

from tests.reports.conftest import CREATED, RUN_ID, load_sample, store_run
from toolkit.cli import cli
from toolkit.reports.context import ReportOptions
from toolkit.reports.runs import write_report
from toolkit.reports.verify import verify_report
from toolkit.store import Store


def failed(store: Store, path: Path) -> set[str]:
    """Names of the checks that failed."""
    return {check.name for check in verify_report(path, store).failures()}


def test_fresh_report_is_genuine(pdf_in_store: tuple[Store, Path]) -> None:
    store, path = pdf_in_store
    result = verify_report(path, store)
    assert result.ok, result.failures()
    assert result.run_id == RUN_ID
    assert {c.name for c in result.checks} == {
        "pdfa",
        "metadata",
        "csv",
        "run",
        "trail-run",
        "trail-chain",
        "trail",
    }


def test_altered_attachment_fails(pdf_in_store: tuple[Store, Path], tmp_path: Path) -> None:
    store, path = pdf_in_store
    writer = PdfWriter(clone_from=PdfReader(path))
    doc = json.loads(PdfReader(path).attachments["result.json"][0])
    doc["findings"] = doc["findings"][1:]  # still a valid document, one finding short
    names = writer._root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    for index in range(0, len(names), 2):
        if names[index] == "result.json":
            spec = names[index + 1].get_object()
            stream = spec["/EF"]["/F"].get_object()
            stream.set_data(json.dumps(doc).encode())
    tampered = tmp_path / "tampered.pdf"
    with tampered.open("wb") as handle:
        writer.write(handle)
    assert {"metadata", "run", "trail", "csv"} <= failed(store, tampered)


def test_byte_edited_body_fails_the_trail(pdf_in_store: tuple[Store, Path], tmp_path: Path) -> None:
    store, path = pdf_in_store
    data = bytearray(path.read_bytes())
    at = data.index(b"stream\n") + 100  # inside the first (compressed) stream's bytes
    data[at] ^= 0xFF
    edited = tmp_path / "edited.pdf"
    edited.write_bytes(bytes(data))
    assert failed(store, edited) == {"trail"}


def test_report_of_another_database_fails(pdf_in_store: tuple[Store, Path], tmp_path: Path) -> None:
    _, path = pdf_in_store
    other = store_run(f"sqlite:///{tmp_path / 'other.db'}", load_sample(), run_id="run-x")
    assert failed(other, path) == {"run"}


def test_write_and_verify_on_each_database(db_url: str, tmp_path: Path) -> None:
    store = store_run(db_url, load_sample())
    written = write_report(
        store,
        RUN_ID,
        tmp_path / "q3.pdf",
        formats=["pdf", "html"],
        options=ReportOptions(audience="executive"),
        actor="auditor",
        at=CREATED,
    )
    assert [p.name for p in written.files] == ["q3.pdf", "q3.html"]
    assert verify_report(written.files[0], store).ok


def invoke(args: list[str]) -> Any:
    """Run the CLI."""
    return CliRunner().invoke(cli, args)


def test_cli_writes_and_verifies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    store_run(url, load_sample())
    monkeypatch.setenv("KEYVIGIL_DB", url)
    out = tmp_path / "out" / "audit.pdf"
    made = invoke(
        ["audit", "report", "latest", "--out", str(out), "--audience", "executive", "--json"]
    )
    assert made.exit_code == 0, made.stderr
    assert json.loads(made.stdout)["files"] == [str(out)]
    good = invoke(["report", "verify", str(out)])
    assert good.exit_code == 0 and "genuine" in good.stdout
    bad_copy = tmp_path / "copy.pdf"
    shutil.copy(out, bad_copy)
    with bad_copy.open("ab") as handle:
        handle.write(b"\n% appended\n")
    bad = invoke(["report", "verify", str(bad_copy)])
    assert bad.exit_code == 1
    assert "FAIL  trail" in bad.stdout and "NOT the report its run produced" in bad.stdout


def test_cli_rejects_unknown_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    store_run(url, load_sample())
    monkeypatch.setenv("KEYVIGIL_DB", url)
    result = invoke(
        ["audit", "report", RUN_ID, "--out", str(tmp_path / "a.pdf"), "--format", "docx"]
    )
    assert result.exit_code == 2 and "--format" in result.stderr


def test_verify_of_a_non_pdf_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(b"not a pdf")
    result = invoke(["--db", f"sqlite:///{tmp_path / 'k.db'}", "report", "verify", str(path)])
    assert result.exit_code == 2 and "not a readable PDF" in result.stderr
