"""Hygiene checks: .env files and their template, and credential file permissions."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from toolkit.scan import ScanOptions, run_scan
from toolkit.scan.envfiles import count_values


def _git_repo(folder: Path, ignore: str = "") -> Path:
    """An initialised repository with a .gitignore."""
    folder.mkdir()
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    (folder / ".gitignore").write_text(ignore)
    return folder


def _rules(folder: Path, **options: object) -> list[tuple[str, str]]:
    """(rule, file) of every finding of a scan."""
    options.setdefault("base", folder.parent)
    report = run_scan([folder], ScanOptions(**options))  # type: ignore[arg-type]
    return [(f.rule, f.file) for f in report.findings]


@pytest.mark.parametrize(
    ("text", "template", "values"),
    [
        ("QORE_API_KEY=your-dev-api-key-here\nQORE_API_HOST=localhost\n", True, 0),
        ("QORE_API_KEY=\nexport QORE_TOKEN=<token>\nPASSWORD=${DB_PASSWORD}\n", True, 0),
        ("QORE_API_KEY=k3Jd9sLqPz0vXw7Y\n", True, 1),
        ("QORE_API_HOST=localhost\nQORE_API_PORT=17777\n# QORE_API_KEY=x\n", False, 2),
        ('QORE_API_KEY=""\nEMPTY=\n', False, 0),
    ],
)
def test_counting_values(text: str, template: bool, values: int) -> None:
    """Templates count only real-looking secret values; real .env files count every value."""
    assert count_values(text, template) == values


def test_env_file_ignored_tracked_or_outside_git(tmp_path: Path) -> None:
    """Ignored: fine; not ignored: finding; tracked despite .gitignore: finding; no git: unknown."""
    repo = _git_repo(tmp_path / "repo", ".env\n")
    (repo / ".env").write_text("QORE_API_HOST=localhost\n")
    (repo / ".env.example").write_text("QORE_API_KEY=your-dev-api-key-here\n")
    assert _rules(repo) == []
    subprocess.run(["git", "-C", str(repo), "add", "-f", ".env"], check=True)
    assert _rules(repo) == [("env-file-not-ignored", "repo/.env")]
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / ".env").write_text("QORE_API_HOST=localhost\n")
    report = run_scan([plain])
    assert report.findings == () and report.env_files[0].ignored is None


def test_template_with_a_real_value_and_missing_template(tmp_path: Path) -> None:
    """A template holding a real-looking key fails; a folder of .env without one is noted."""
    repo = _git_repo(tmp_path / "repo", ".env\n")
    (repo / ".env.example").write_text("QORE_API_KEY=k3Jd9sLqPz0vXw7Y\n")
    assert ("env-file-not-ignored", "repo/.env.example") in _rules(repo)
    (repo / ".env.example").unlink()
    (repo / ".env").write_text("QORE_API_HOST=localhost\n")
    assert any(".env.example: missing" in n for n in run_scan([repo]).notices)


@pytest.mark.parametrize(
    ("mode", "allowed", "fails"),
    [(0o600, "0600", False), (0o400, "0600", False), (0o640, "0600", True),
     (0o604, "0600", True), (0o640, "0640", False)],
)  # fmt: skip
def test_credential_file_modes(tmp_path: Path, mode: int, allowed: str, fails: bool) -> None:
    """Any bit beyond the policy's mode fails (0600 by default; the policy can widen it)."""
    home = tmp_path / "home"
    config = home / ".config" / "failsafe-qore"
    config.mkdir(parents=True)
    (config / "runtime.env").write_text("x\n")
    (config / "runtime.env").chmod(mode)
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "id_ed25519").write_text("not a key\n")
    (tmp_path / "src" / "id_ed25519").chmod(mode)
    found = _rules(tmp_path / "src", home=home, config_mode=allowed)
    expected = [("config-permissions", "home/.config/failsafe-qore/runtime.env"),
                ("config-permissions", "src/id_ed25519")]  # fmt: skip
    assert sorted(found) == (sorted(expected) if fails else [])


def test_links_are_not_followed(tmp_path: Path) -> None:
    """A symbolic link named like credentials is neither read nor judged."""
    (tmp_path / "src").mkdir()
    target = tmp_path / "elsewhere"
    target.write_text("x\n")
    target.chmod(0o644)
    os.symlink(target, tmp_path / "src" / "credentials")
    report = run_scan([tmp_path / "src"])
    assert report.findings == () and report.file_modes == ()
    assert [s.reason for s in report.skipped] == ["symbolic link (not followed)"]
