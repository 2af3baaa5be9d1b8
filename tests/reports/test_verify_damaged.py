"""``report verify`` on damaged files: exit 2 with one line (or 1: not genuine), never a traceback
or a library's warning on the terminal."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import cli
from toolkit.store import Store


def _damaged(original: bytes, seed: int) -> bytes:
    """A reproducible damage: truncation, overwritten bytes, or a clobbered cross-reference."""
    rng = random.Random(seed)
    kind = seed % 4
    if kind == 0:
        return original[: rng.randrange(10, len(original))]
    if kind == 1:
        damaged = bytearray(original)
        for _ in range(rng.randrange(1, 400)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        return bytes(damaged)
    if kind == 2:
        at = original.rfind(b"xref")
        return original[:at] + bytes(rng.randrange(256) for _ in range(64)) + original[at + 64 :]
    return b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(rng.randrange(0, 4000)))


@pytest.mark.parametrize("seed", range(24))
def test_damaged_pdf_is_refused_cleanly(
    seed: int, pdf_in_store: tuple[Store, Path], tmp_path: Path
) -> None:
    """Exit 2 with one "Error: <file>: ..." line, or exit 1 (not genuine); nothing else."""
    store, genuine = pdf_in_store
    path = tmp_path / f"damaged-{seed}.pdf"
    path.write_bytes(_damaged(genuine.read_bytes(), seed))
    result = CliRunner().invoke(cli, ["report", "verify", str(path), "--db", store.url])
    assert result.exit_code in (1, 2), (result.exit_code, result.output)
    if result.exit_code == 2:
        assert result.stderr == f"Error: {path}: not a readable PDF ({result.stderr.split('(')[-1]}"
        assert result.stderr.count("\n") == 1
    else:
        assert result.stderr == "" and "NOT the report its run produced" in result.stdout


def test_fifo_given_as_report_is_refused(pdf_in_store: tuple[Store, Path], tmp_path: Path) -> None:
    """A FIFO is refused at once rather than read forever."""
    store, _ = pdf_in_store
    fifo = tmp_path / "report.pdf"
    os.mkfifo(fifo)
    result = CliRunner().invoke(cli, ["report", "verify", str(fifo), "--db", store.url])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {fifo}: not a regular file (a FIFO, device or folder)\n"


def test_no_library_warning_reaches_the_terminal(
    pdf_in_store: tuple[Store, Path], tmp_path: Path
) -> None:
    """Through a real process (where pypdf's log lines would reach stderr): one line only."""
    store, genuine = pdf_in_store
    path = tmp_path / "truncated.pdf"
    path.write_bytes(genuine.read_bytes()[:5000])
    command = [sys.executable, "-m", "toolkit", "report", "verify", str(path), "--db", store.url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr == f"Error: {path}: not a readable PDF (PdfStreamError)\n"
