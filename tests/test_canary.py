"""Canary test: key values fed to keyvigil must never come out anywhere.

The helpers here are meant for reuse: make values with ``make_canaries``, run your commands,
collect their output, then call ``assert_no_canaries(canaries, texts=..., paths=..., db_url=...)``.
Add commands to ``canary_commands`` when a new command can see inventory data.
"""

from __future__ import annotations

import json
import random
import string
from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import MetaData, create_engine, select

from toolkit.api import open_database
from toolkit.cli import cli

AS_OF = ["--as-of", "2026-10-01T00:00:00Z"]


def make_canaries(count: int, seed: int = 1234) -> list[str]:
    """Distinct, recognisable, high-entropy fake key values."""
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits + "_"
    return ["CANARY-" + "".join(rng.choice(alphabet) for _ in range(40)) for _ in range(count)]


def database_text(db_url: str) -> str:
    """Every row of every table as text (works for SQLite and PostgreSQL)."""
    engine = create_engine(db_url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return "\n".join(
                repr(tuple(row))
                for table in metadata.sorted_tables
                for row in connection.execute(select(table))
            )
    finally:
        engine.dispose()


def canary_hits(
    canaries: Iterable[str],
    *,
    texts: Iterable[str] = (),
    paths: Iterable[Path] = (),
    db_url: str | None = None,
) -> list[str]:
    """Where any canary shows up: in a text, in any file under the paths, or in the database."""
    canaries = list(canaries)
    hits = []
    for number, text in enumerate(texts):
        hits += [f"text {number}" for c in canaries if c in text]
    for root in paths:
        files = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
        for path in files:
            content = path.read_bytes()
            hits += [str(path) for c in canaries if c.encode() in content]
    if db_url:
        dump = database_text(db_url)
        hits += [f"database {db_url}" for c in canaries if c in dump]
    return hits


def assert_no_canaries(canaries: Iterable[str], **where: object) -> None:
    """Fail naming every place a canary value reached."""
    hits = canary_hits(canaries, **where)  # type: ignore[arg-type]
    assert not hits, f"secret values leaked into: {sorted(set(hits))}"


def write_inputs(folder: Path, canaries: list[str]) -> dict[str, Path]:
    """House files holding the canaries as key values, good ones and broken ones."""
    folder.mkdir()
    c = canaries
    files = {
        "csv": "id,key,name,owner,environment,scopes,createdAt\n"
        f"c-1,{c[0]},one,ops,prod,admin,2026-01-01T00:00:00Z\n"
        f"c-2,{c[1]},two,ops,dev,read,2026-02-01T00:00:00Z\n",
        "json": json.dumps([{"key_id": "c-3", "key": c[2], "createdAt": "2026-03-01T00:00:00Z"}]),
        "jsonl": json.dumps({"id": "c-4", "key": c[3]}) + "\n" + json.dumps({"id": "c-5"}) + "\n",
        "yaml": f"- id: c-6\n  key: {c[4]}\n  environment: staging\n",
        "bad-ts.csv": f"id,key,createdAt\nx,{c[5]},{c[5]}\n",
        "bad-naive.csv": f"id,key,createdAt\nx,{c[5]},2026-01-01 00:00:00\n",
        "bad-header.csv": f"id,key,{c[5]}\nx,{c[5]},1\n",
        "bad-dup.csv": f"id,key\nx,{c[5]}\nx,{c[5]}\n",
        "bad-cut.json": f'[{{"id": "x", "key": "{c[5]}", "createdAt": ',
        "bad-bool.csv": f"id,key,revoked\nx,{c[5]},{c[5]}\n",
        "bad-scopes.json": json.dumps([{"id": "x", "key": c[5], "scopes": {"a": c[5]}}]),
        "bad-value.json": json.dumps([{"id": "x", "key": [c[5]]}]),
        "bad-wide.csv": f"id,key\nx,{c[5]},{c[5]}\n",
    }
    paths = {}
    for name, content in files.items():
        path = folder / (name if "." in name else f"keys.{name}")
        path.write_text(content, encoding="utf-8")
        paths[name] = path
    latin = folder / "bad-utf8.csv"
    latin.write_bytes(f"id,key\nx,{c[5]}\xe9\n".encode("latin-1"))
    paths["bad-utf8.csv"] = latin
    return paths


def canary_commands(inputs: dict[str, Path]) -> list[tuple[list[str], int]]:
    """(arguments, expected exit code) of every command that can see inventory data."""
    good = [str(inputs[k]) for k in ("csv", "json", "jsonl", "yaml")]
    bad = [str(p) for name, p in sorted(inputs.items()) if name.startswith("bad-")]
    commands: list[tuple[list[str], int]] = [
        (["inventory", "import", *good, "--environment", "dev"], 0),
        (["inventory", "import", *good, "--json"], 0),
        (["inventory", "list"], 0),
        (["inventory", "list", "--json"], 0),
        (["inventory", "list", "--csv"], 0),
        (["trail", "show", "--json"], 0),
        (["trail", "show"], 0),
        (["trail", "verify"], 0),
        (["keys", "schedule"], 0),
        (["keys", "schedule", "--json"], 0),
        (["checklist", "list", "--json"], 0),
        (["checklist", "report", "all", "--out", "checklists.pdf"], 0),
        (["inventory", "import", "--format", "aws-credential-report", good[0]], 2),
        (["inventory", "import", "--format", "gcp-sa-keys", good[1]], 2),
        (["inventory", "import", "--format", "azure-keyvault", good[1]], 2),
    ]
    commands += [(["inventory", "import", good[0], path], 2) for path in bad]
    scan = ["scan", *good, "--inventory", good[0]]  # files holding inventoried values
    commands += [(scan, 0), ([*scan, "--json"], 0), ([*scan, "--format", "sarif"], 0)]
    commands += [([*scan, "--format", "json"], 0), (["scan", *good, "--json"], 0)]
    for key_id in ("c-1", "c-2", "c-3", "c-4", "c-5", "c-6"):
        commands += [
            (["inventory", "show", key_id], 0),
            (["inventory", "show", key_id, "--json"], 0),
        ]
    return commands


def test_no_key_value_leaves_ingest(
    db_url: str,
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Import, list, show, trail and failing imports: no canary in DB, output or written files.

    The inputs live in their own folder; everything under the test's temp dir (the SQLite
    file with its WAL, the working directory, HOME) is scanned.
    """
    canaries = make_canaries(6)
    inputs = write_inputs(tmp_path_factory.mktemp("canary") / "inputs", canaries)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("KEYVIGIL_DB", db_url)
    monkeypatch.setenv("KEYVIGIL_ACTOR", "canary")
    monkeypatch.setenv("HOME", str(work))
    monkeypatch.setenv("XDG_DATA_HOME", str(work / "data"))
    runner = CliRunner()
    texts = []
    for args, expected in canary_commands(inputs):
        result = runner.invoke(cli, [*args, *AS_OF])
        assert result.exit_code == expected, (args, result.stdout, result.stderr)
        if expected == 2:
            assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
        texts += [result.stdout, result.stderr, repr(result.exception or "")]
    listed = json.loads(runner.invoke(cli, ["inventory", "list", "--json", *AS_OF]).stdout)
    assert {k["key_id"] for k in listed} == {"c-1", "c-2", "c-3", "c-4", "c-5", "c-6"}
    assert all(len(k["fingerprint_prefix"]) == 12 for k in listed if k["key_id"] != "c-5")
    if db_url.startswith("sqlite"):
        assert Path(db_url.removeprefix("sqlite:///")).parent == tmp_path
    assert_no_canaries(canaries, texts=texts, paths=[tmp_path], db_url=db_url)


def test_helper_finds_a_planted_canary(tmp_path: Path) -> None:
    """The scanner itself works: a canary in a file, a text or a row is reported."""
    (canary,) = make_canaries(1, seed=9)
    (tmp_path / "deep").mkdir()
    (tmp_path / "deep" / "out.log").write_bytes(b"prefix " + canary.encode() + b" suffix")
    assert canary_hits([canary], paths=[tmp_path]) == [str(tmp_path / "deep" / "out.log")]
    assert canary_hits([canary], texts=["clean", f"x{canary}"]) == ["text 1"]
    url = f"sqlite:///{tmp_path / 'x.db'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (v TEXT)")
        connection.exec_driver_sql("INSERT INTO t VALUES (?)", (canary,))
    engine.dispose()
    assert canary_hits([canary], db_url=url) == [f"database {url}"]


def pdf_texts(root: Path) -> list[str]:
    """The text of every page and every attachment of every PDF under ``root``.

    PDF streams are compressed, so a byte scan alone could miss a value on a page.
    """
    from pypdf import PdfReader

    texts = []
    for path in root.rglob("*.pdf"):
        reader = PdfReader(path)
        texts += [page.extract_text() for page in reader.pages]
        for name, contents in reader.attachments.items():
            texts += [name, *(c.decode("utf-8", "replace") for c in contents)]
        texts.append(repr(reader.metadata))
    return texts


def write_log(folder: Path) -> Path:
    """A small house-format access log that uses the canary keys by id."""
    lines = [
        {
            "ts": f"2026-09-{day:02d}T10:00:00Z",
            "key_id": key,
            "principal": "svc",
            "ip": "198.51.100.7",
            "path": "/v1/x",
            "status": 401 if key == "c-2" else 200,
        }
        for day in range(1, 29)
        for key in ("c-1", "c-2", "c-3")
    ]
    path = folder / "access.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_no_key_value_leaves_audits_alerts_or_reports(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Alerts, audit runs in every format, reports, verify and a failing audit leak nothing."""
    canaries = make_canaries(6, seed=77)
    inputs = write_inputs(tmp_path_factory.mktemp("canary-audit") / "inputs", canaries)
    log = write_log(inputs["csv"].parent)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    db_url = f"sqlite:///{tmp_path / 'kv.db'}"
    monkeypatch.setenv("KEYVIGIL_DB", db_url)
    monkeypatch.setenv("HOME", str(work))
    good = [str(inputs[k]) for k in ("csv", "json", "jsonl", "yaml")]
    audit = ["audit", "run", "--logs", str(log), "--out", str(work / "out")]
    commands: list[tuple[list[str], tuple[int, ...]]] = [
        (
            [
                *audit,
                *(a for g in good for a in ("--inventory", g)),
                "--format",
                "json,csv,sarif,oscal,pdf,html",
            ],
            (0,),
        ),
        (["alerts", "--logs", str(log)], (0, 1)),
        (["alerts", "--logs", str(log), "--inventory", good[0], "--json"], (0, 1)),
        (
            [
                "waiver",
                "add",
                "weak-key",
                "--key",
                "c-*",
                "--reason",
                "test",
                "--owner",
                "qa",
                "--expires",
                "2026-12-31",
            ],
            (0,),
        ),
        ([*audit, "--format", "json"], (0,)),
        (["audit", "list", "--json"], (0,)),
        (["audit", "show", "latest", "--json"], (0,)),
        (["finding", "list", "--json"], (0,)),
        (["finding", "list"], (0,)),
        (["finding", "respond", canaries[0], "--status", "fixed"], (2,)),
        (["finding", "respond", "0123abcd", "--due", canaries[1]], (2,)),
        (
            [
                "audit",
                "report",
                "latest",
                "--out",
                str(work / "report.pdf"),
                "--format",
                "pdf,html",
            ],
            (0,),
        ),
        (["report", "verify", str(work / "report.pdf")], (0,)),
        ([*audit, "--inventory", str(inputs["bad-ts.csv"])], (2,)),
        ([*audit, "--inventory", str(inputs["bad-header.csv"])], (2,)),
    ]
    runner = CliRunner()
    texts = []
    for args, expected in commands:
        result = runner.invoke(cli, [*args, *AS_OF])
        assert result.exit_code in expected, (args, result.stdout[-2000:], result.stderr)
        texts += [result.stdout, result.stderr, repr(result.exception or "")]
    pdfs = pdf_texts(work)
    assert len(pdfs) > 10 and any("c-1" in text for text in pdfs)
    texts += api_texts(db_url)
    assert_no_canaries(canaries, texts=texts + pdfs, paths=[tmp_path], db_url=db_url)


def api_texts(db_url: str) -> list[str]:
    """What the notebook API (toolkit.api) shows of every stored run: values and tables."""
    db = open_database(db_url)
    texts = [db.runs_frame().to_csv()]
    for summary in db.runs():
        run = db.run(summary.id)
        texts += [repr(run), run.findings_frame().to_csv(), run.keys_frame().to_csv()]
        texts += [run.usage_frame().to_csv(), run.controls_frame().to_csv()]
    assert any("c-1" in text for text in texts)
    return texts
