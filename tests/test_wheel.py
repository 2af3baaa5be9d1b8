"""A built wheel carries the playbooks and report templates, and finds them once installed."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel once (no network: the build backend is already installed)."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("keyvigil-*.whl")
    return path


def test_wheel_ships_content_folders(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for folder in ("playbooks", "report_templates"):
        shipped = {n for n in names if n.startswith(f"toolkit/_content/{folder}/")}
        in_repo = {
            f"toolkit/_content/{folder}/{p.relative_to(ROOT / folder).as_posix()}"
            for p in (ROOT / folder).rglob("*")
            if p.is_file()
        }
        assert in_repo and in_repo <= shipped, folder
    assert "toolkit/store/migrations/versions/0001_initial_schema.py" in names
    checklists = ROOT / "toolkit" / "checklists" / "definitions"
    shipped_lists = {f"toolkit/checklists/definitions/{p.name}" for p in checklists.glob("*.yaml")}
    assert len(shipped_lists) == 3 and shipped_lists <= set(names)
    assert "toolkit/scan/betterleaks.toml" in names  # the scanner's rule additions
    assert any(n.endswith("entry_points.txt") for n in names)


def test_installed_wheel_finds_its_content(wheel: Path, tmp_path: Path) -> None:
    """Unpack the wheel alone on sys.path (not the repo) and resolve the content folders."""
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        "import toolkit.content as c;"
        "p = c.content_dir('playbooks'); t = c.content_dir('report_templates');"
        "print(p); print(t)"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(target)!r}); {code}"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert str(target / "toolkit" / "_content" / "playbooks") in result.stdout
    assert str(target / "toolkit" / "_content" / "report_templates") in result.stdout
