"""Where the log engine spills what does not fit in memory: a private folder, never the cwd."""

from __future__ import annotations

import gc
import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.analytics.duck.backend import DuckBackend
from toolkit.analytics.duck.spill import ENV_SPILL_DIR
from toolkit.cli import cli
from toolkit.errors import UsageError

SPILLING = "CREATE TABLE big AS SELECT range AS i, md5(range::VARCHAR) AS h FROM range(2000000)"
"""About 100 MB of rows: under a 40 MB memory limit DuckDB must write them to its spill files."""


def _spilled(backend: DuckBackend) -> list[Path]:
    """The spill files the engine has open now."""
    rows = backend.con.execute("SELECT path FROM duckdb_temporary_files()").fetchall()
    return [Path(path) for (path,) in rows]


def test_spill_files_go_to_a_private_folder_not_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB's own default is ``.tmp`` in the cwd (fails where that is read-only); the
    backend's folder is made under KEYVIGIL_SPILL_DIR, is the user's alone and goes on close."""
    work, parent = tmp_path / "work", tmp_path / "disk" / "spill"  # made if missing
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv(ENV_SPILL_DIR, str(parent))
    backend = DuckBackend(memory_limit="40MB", threads=1)
    folder = backend.spill
    assert folder is not None and folder.parent == parent
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    backend.con.execute(SPILLING)
    files = _spilled(backend)
    assert files and all(f.parent == folder for f in files)
    assert list(work.iterdir()) == []
    backend.close()
    assert list(parent.iterdir()) == [] and list(work.iterdir()) == []


def test_a_given_temp_dir_is_used_and_left_in_place(tmp_path: Path) -> None:
    """A caller's own spill folder (the benchmark's cache) is used as given, not removed."""
    backend = DuckBackend(memory_limit="40MB", temp_dir=tmp_path, threads=1)
    assert backend.spill is None
    backend.con.execute(SPILLING)
    assert {f.parent for f in _spilled(backend)} == {tmp_path}
    backend.close()
    assert tmp_path.is_dir()


def test_the_user_cache_folder_by_default_else_the_system_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without KEYVIGIL_SPILL_DIR: the user's cache folder (on disk where /tmp may be memory);
    where that cannot be made, the system's temporary folder."""
    monkeypatch.delenv(ENV_SPILL_DIR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    backend = DuckBackend()
    assert backend.spill is not None and backend.spill.parent == tmp_path / "cache" / "keyvigil"
    backend.close()
    (tmp_path / "cache" / "keyvigil").rmdir()
    (tmp_path / "cache" / "keyvigil").write_text("a file where the folder should be")
    backend = DuckBackend()
    assert backend.spill is not None and backend.spill.parent == tmp_path / "tmp"
    backend.close()
    assert list((tmp_path / "tmp").iterdir()) == []


def test_an_unclosed_backend_removes_its_folder_when_collected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A backend dropped without ``close`` (an error path) leaves no folder behind."""
    monkeypatch.setenv(ENV_SPILL_DIR, str(tmp_path))
    backend = DuckBackend()
    folder = backend.spill
    assert folder is not None and folder.is_dir()
    backend.con.close()
    del backend
    gc.collect()
    assert not folder.exists()


def test_an_unusable_spill_dir_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runner: CliRunner
) -> None:
    """KEYVIGIL_SPILL_DIR naming a file: the backend refuses to open, and a command that
    loads logs exits 2 with one line naming the variable (no traceback, nothing stored)."""
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    monkeypatch.setenv(ENV_SPILL_DIR, str(not_a_folder))
    with pytest.raises(UsageError, match=f"^{ENV_SPILL_DIR}={not_a_folder}: cannot make"):
        DuckBackend()
    log = tmp_path / "api.jsonl"
    log.write_text('{"ts": "2026-09-01T00:00:00Z", "key_id": "k1", "status": 200}\n')
    keys = tmp_path / "keys.csv"
    keys.write_text("key_id,name,owner,created_at\nk1,orders,team-a,2026-01-01T00:00:00Z\n")
    args = ["audit", "run", "--inventory", str(keys), "--logs", str(log)]
    result = runner.invoke(cli, [*args, "--as-of", "2026-10-01T00:00:00Z", "--format", "json"])
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    assert ENV_SPILL_DIR in line and "Traceback" not in result.output
    listed = runner.invoke(cli, ["audit", "list", "--json"])
    assert listed.exit_code == 0 and json.loads(listed.stdout) == []
