"""A hostile tester's inputs, on every inventory reader: exit 2, one line naming the place.

Each case is built per reader from the reader's real shape (see tests/data/inventory), with one
field made hostile: a 20,000-character text, a time past year 9000 or before 1900, an impossible
date, a NUL character, a non-finite entropy, deep nesting. The database must be left exactly as
it was, and no secret value may appear in any output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import data
from tests.ingest.snapshot import snapshot
from toolkit.cli import cli
from toolkit.ingest.inventory import INVENTORY_READERS

SECRET = "sk_live_HOSTILE_DO_NOT_PRINT_0a1b2c3d4e5f60718293a4b5c6d7e8f9"
LONG = "n" * 20_000
REPORT_COLUMNS = (
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
    "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
    "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
    "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
    "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
    "cert_1_last_rotated,cert_2_active,cert_2_last_rotated"
)


def _report(user: str, rotated: str) -> str:
    """A credential report with one user whose first access key was rotated at ``rotated``."""
    row = (
        f"{user},arn:aws:iam::123456789012:user/u1,2024-01-01T00:00:00+00:00,false,N/A,N/A,N/A,"
        f"false,true,{rotated},N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A"
    )
    return f"{REPORT_COLUMNS}\n{row}\n"


def _access_keys(user: str, created: str) -> str:
    """A list-access-keys response with one key."""
    item = {"UserName": user, "AccessKeyId": "AKIAHOSTILE000000001", "Status": "Active"}
    return json.dumps({"AccessKeyMetadata": [dict(item, CreateDate=created)]})


def _gcp(display: str, created: str) -> str:
    """A REST keys.list response with one key."""
    name = "projects/p/serviceAccounts/sa@p.iam.gserviceaccount.com/keys/" + "ab" * 20
    key = {"name": name, "validAfterTime": created, "keyType": "USER_MANAGED"}
    return json.dumps({"keys": [dict(key, displayName=display)]})


def _azure(name: str, created: object) -> str:
    """An `az keyvault secret show` item carrying a value."""
    url = "https://kv-hostile.vault.azure.net/secrets/db/0123456789abcdef0123456789abcdef"
    attributes = {"created": created, "enabled": True, "recoveryLevel": "Recoverable"}
    return json.dumps({"id": url, "name": name, "value": SECRET, "attributes": attributes})


def _house(name: str, created: str) -> str:
    """A house JSON inventory with one key and its value."""
    return json.dumps([{"id": "h-1", "key": SECRET, "name": name, "created_at": created}])


GOOD_TIME = "2026-01-01T00:00:00+00:00"
LATE, EARLY = "9500-01-01T00:00:00+00:00", "1850-01-01T00:00:00+00:00"
OVERFLOW = "9999-12-31T23:30:00-01:00"  # valid text, past year 9999 once made UTC
BUILDERS: dict[str, Callable[[str, str], str]] = {
    "aws-credential-report": _report,
    "aws-access-keys": _access_keys,
    "gcp-sa-keys": _gcp,
    "azure-keyvault": _azure,
    "house": _house,
}
TEXT_FIELD = {"aws-credential-report": "name", "aws-access-keys": "attributes.user"}
TIME_FIELD = {"aws-credential-report": "access_key_1_last_rotated"}
TIME_FIELD |= {"aws-access-keys": "CreateDate", "gcp-sa-keys": "validAfterTime"}
TIME_FIELD |= {"azure-keyvault": "attributes.created", "house": "created_at"}
STORED_TIME = {"aws-credential-report": "created_at", "aws-access-keys": "created_at"}
STORED_TIME |= {"gcp-sa-keys": "created_at", "azure-keyvault": "created_at"}
STORED_TIME |= {"house": "created_at"}
SUFFIX = {"aws-credential-report": ".csv"}


def _cases() -> list[tuple[str, str, str, str]]:
    """(reader, case, file text, expected message part) for every reader and hostile class."""
    cases = []
    for reader, build in BUILDERS.items():
        text_field = TEXT_FIELD.get(reader, "name")
        time_field, stored = TIME_FIELD[reader], STORED_TIME[reader]
        cases += [
            (reader, "long text", build(LONG, GOOD_TIME), f"{text_field}: longer than 2048"),
            (reader, "NUL in text", build("a\x00b", GOOD_TIME), "contains a NUL character"),
            (reader, "year after 8999", build("n", LATE), f"{stored}: time out of range"),
            (reader, "year before 1900", build("n", EARLY), f"{stored}: time out of range"),
            (reader, "UTC past 9999", build("n", OVERFLOW), f"{time_field}: not a timestamp"),
        ]
    return cases


CASES = {f"{reader}: {case}": (reader, text, msg) for reader, case, text, msg in _cases()}
assert set(BUILDERS) == set(INVENTORY_READERS), "every inventory reader needs its hostile cases"


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_input_fails_cleanly(case: str, db_url: str, tmp_path: Path) -> None:
    """Exit 2, one line naming the file and field, no traceback or secret, database unchanged."""
    reader, text, expected = CASES[case]
    path = tmp_path / ("hostile" + SUFFIX.get(reader, ".json"))
    path.write_text(text, encoding="utf-8")
    _assert_refused(db_url, path, expected, fmt=reader)


DOCUMENT_CASES: dict[str, tuple[str, str, str]] = {
    "YAML impossible date": (
        "bad.yaml",
        "- id: y-1\n  name: n\n  created_at: 2026-02-30\n",
        "bad.yaml: record 1: created_at: not a timestamp",
    ),
    "YAML deep nesting": ("deep.yaml", "- id: d\n  scopes: " + "[" * 5000 + "]" * 5000, "deep"),
    "JSON Lines deep nesting": (
        "deep.jsonl",
        '{"id": "a", "name": "n"}\n{"id": "b", "scopes": ' + "[" * 100_000 + "]" * 100_000 + "}\n",
        "deep.jsonl:2: not valid JSON (nested too deeply)",
    ),
    "entropy inf in CSV": ("inf.csv", "id,entropy_bits\na,inf\n", "a finite number"),
    "entropy nan in CSV": ("nan.csv", "id,entropy_bits\na,nan\n", "a finite number"),
    "entropy -5 in CSV": ("neg.csv", "id,entropy_bits\na,-5\n", "inf"),
    "entropy Infinity in JSON": ("inf.json", '[{"id": "a", "entropy_bits": Infinity}]', "finite"),
    "entropy NaN in YAML": ("nan.yaml", "- id: a\n  entropy_bits: .nan\n", "finite"),
    "long name in CSV": ("long.csv", f"id,name\na,{LONG}\n", "long.csv:2: name: longer than"),
    "long name in YAML": ("long.yaml", f"- id: a\n  name: {LONG}\n", "record 1: name: longer"),
    "long scope in JSON": ("scope.json", json.dumps([{"id": "a", "scopes": [LONG]}]), "scopes"),
    "NUL in JSON Lines owner": (
        "nul.jsonl",
        '{"id": "a"}\n{"id": "b", "owner": "x\\u0000y"}\n',
        "nul.jsonl:2: owner: contains a NUL character",
    ),
}
DOCUMENT_CASES["entropy -5 in CSV"] = ("neg.csv", "id,entropy_bits\na,-5\n", "entropy_bits")


@pytest.mark.parametrize("case", sorted(DOCUMENT_CASES))
def test_hostile_document_fails_cleanly(case: str, db_url: str, tmp_path: Path) -> None:
    """House-format containers (CSV, JSON, JSON Lines, YAML) bound the same fields the same way."""
    name, text, expected = DOCUMENT_CASES[case]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    _assert_refused(db_url, path, expected)


def test_symlink_loop_is_named(sqlite_url: str, tmp_path: Path) -> None:
    """A symbolic link loop is named as such, not as a missing file."""
    loop = tmp_path / "loop.csv"
    loop.symlink_to(loop)
    _assert_refused(sqlite_url, loop, "loop.csv: cannot read (symbolic link loop)")


def _assert_refused(url: str, path: Path, expected: str, fmt: str | None = None) -> None:
    """Import a good file and ``path`` together: the whole import must fail cleanly."""
    runner = CliRunner()
    seed = runner.invoke(
        cli, ["inventory", "import", str(data("inventory/house.csv")), "--db", url]
    )
    assert seed.exit_code == 0, seed.stderr
    before = snapshot(url)
    forced = ["--format", fmt] if fmt else []
    result = runner.invoke(cli, ["inventory", "import", *forced, str(path), "--db", url])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and len(lines[0]) < 400, result.stderr[:500]
    assert lines[0].startswith(f"Error: {path}") and expected in lines[0], lines[0]
    assert "Traceback" not in result.stderr and SECRET not in result.stderr + result.stdout
    assert snapshot(url) == before


@pytest.mark.parametrize("fmt", [None, *INVENTORY_READERS])
def test_fifo_is_refused_at_once(fmt: str | None, tmp_path: Path) -> None:
    """A FIFO given as an inventory fails within seconds (no writer ever comes), every reader."""
    fifo = tmp_path / "keys.csv"
    os.mkfifo(fifo)
    forced = ["--format", fmt] if fmt else []
    command = [sys.executable, "-m", "toolkit", "inventory", "import", *forced, str(fifo)]
    env = dict(os.environ, KEYVIGIL_DB=f"sqlite:///{tmp_path / 'kv.db'}")
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 2, done.stderr
    assert done.stderr == f"Error: {fifo}: is a FIFO (named pipe), not a regular file\n"


def test_out_of_memory_is_named_as_a_resource_limit(tmp_path: Path) -> None:
    """Under an address-space cap the import fails saying memory ran out, not that the file is bad.

    The file is a 300 MB JSON inventory; the child process may use little more memory than it
    has after start-up (400 MiB), which reading and parsing the file exceeds.
    """
    path = tmp_path / "big.json"
    with path.open("w") as handle:
        handle.write('[{"id": "big-1", "purpose": "')
        for _ in range(300):
            handle.write("p" * 1_000_000)
        handle.write('"}]')
    script = (
        "import resource, sys\n"
        "from toolkit.cli import main\n"
        "rss = int(open('/proc/self/statm').read().split()[0]) * resource.getpagesize()\n"
        "cap = rss + (400 << 20)\n"
        "resource.setrlimit(resource.RLIMIT_AS, (cap, cap))\n"
        f"sys.argv = ['keyvigil', 'inventory', 'import', {str(path)!r}]\n"
        "main()\n"
    )
    env = dict(os.environ, KEYVIGIL_DB=f"sqlite:///{tmp_path / 'kv.db'}")
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, env=env
    )
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith("Error: out of memory: the command needed more memory")
    assert "not a fault in the input" in done.stderr and "Traceback" not in done.stderr
