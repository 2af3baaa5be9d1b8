"""Global options mean the same before and after the command; errors never show tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from toolkit.cli import cli
from toolkit.cli.options import app, global_options


@cli.command("_probe", hidden=True)
@global_options
@click.pass_context
def _probe(ctx: click.Context) -> None:
    """Print the resolved global options (test-only command)."""
    a = app(ctx)
    click.echo(f"db={a.db} actor={a.actor_name()} as_of={a.as_of} json={a.json} policy={a.policy}")


@pytest.mark.parametrize(
    "args",
    [
        ["--db", "x.db", "--actor", "ann", "--as-of", "2026-09-30", "--json", "_probe"],
        ["_probe", "--db", "x.db", "--actor", "ann", "--as-of", "2026-09-30", "--json"],
        ["--db", "x.db", "--json", "_probe", "--actor", "ann", "--as-of", "2026-09-30T00:00Z"],
    ],
)
def test_global_options_before_or_after(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "db=x.db actor=ann as_of=2026-09-30 00:00:00+00:00 json=True policy=None"
    )


def test_option_after_command_wins(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--actor", "before", "_probe", "--actor", "after"])
    assert "actor=after" in result.stdout


def test_actor_from_environment(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["_probe"])
    assert "actor=tester" in result.stdout


def test_bad_as_of_is_exit_2_with_one_line(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["_probe", "--as-of", "yesterday"])
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: --as-of: not a timestamp (expected ISO 8601)"


def test_unreadable_database_is_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "a-directory.db"
    folder.mkdir()
    result = runner.invoke(cli, ["trail", "verify", "--db", str(folder)])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: cannot open database")
    assert "Traceback" not in result.output


def test_python_dash_m_and_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "toolkit", "--version"], capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("keyvigil, version ")


def test_entry_point_settles_the_imported_code() -> None:
    """``main`` freezes what the commands imported, so exit does not sweep it (0.2-0.5 s)."""
    probe = (
        "import atexit, gc, sys; from toolkit.cli import main; "
        "atexit.register(lambda: print('frozen', gc.get_freeze_count())); "
        "print('before', gc.get_freeze_count()); sys.argv = ['keyvigil', '--version']; main()"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    before, version, frozen = result.stdout.splitlines()
    assert before == "before 0" and version.startswith("keyvigil, version ")
    assert int(frozen.split()[1]) > 10_000  # the modules, classes and tables of every command


def test_a_command_loads_only_its_own_code() -> None:
    """Commands load when named: ``scan`` starts without the log engine or the audit code (0.4
    to 0.5 s of imports), ``audit`` brings them; each command's code is settled as it loads."""
    probe = (
        "import gc, sys, click; from toolkit.cli import cli; "
        "names = {'duckdb', 'toolkit.audit', 'toolkit.analytics'}; "
        "heavy = lambda: sorted(names & set(sys.modules)); "
        "ctx = click.Context(cli); before = heavy(); frozen = gc.get_freeze_count(); "
        "cli.get_command(ctx, 'scan'); print(before, heavy(), gc.get_freeze_count() > frozen); "
        "cli.get_command(ctx, 'audit'); print(heavy())"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "[] [] True",
        "['duckdb', 'toolkit.analytics', 'toolkit.audit']",
    ]


COMMAND_TREE = """
import json, sys, click
from toolkit.cli import COMMANDS, cli

def tree(command):
    if not isinstance(command, click.Group):
        return None
    ctx = click.Context(command)
    return {n: tree(command.get_command(ctx, n)) for n in command.list_commands(ctx)}

ctx = click.Context(cli)
order = sorted(COMMANDS, reverse=sys.argv[1] == "reverse")
print(json.dumps({name: tree(cli.get_command(ctx, name)) for name in order}, sort_keys=True))
"""


def test_each_command_is_whole_when_loaded_alone() -> None:
    """A command's subcommands are all there as soon as it loads, whichever commands were
    loaded before it (none may add to another's group: ``keyvigil audit report`` alone once
    lacked its ``report``, which only ``keyvigil report``'s module attached)."""
    trees = []
    for order in ("forward", "reverse"):
        done = subprocess.run(
            [sys.executable, "-c", COMMAND_TREE, order], capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        trees.append(json.loads(done.stdout))
    assert trees[0] == trees[1]
    assert "report" in trees[0]["audit"] and "verify" in trees[0]["report"]


def test_start_up_leaves_weasyprint_unloaded() -> None:
    """WeasyPrint (about 0.8 s to import) loads only when a PDF is rendered, not for every
    command: ``keyvigil --help``, ``keys list`` or ``alerts`` never need it."""
    probe = (
        "import sys; from toolkit.cli import cli; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'weasyprint', 'pydyf'}))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_every_command_has_help(runner: CliRunner) -> None:
    """Each command and group documents itself (the README lists them too)."""

    def walk(command: click.Command, path: list[str]) -> None:
        if command.hidden:
            return
        assert command.help, f"{' '.join(path)} has no help text"
        result = runner.invoke(cli, [*path[1:], "--help"])
        assert result.exit_code == 0, path
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                assert sub is not None, [*path, name]
                walk(sub, [*path, name])

    walk(cli, ["keyvigil"])
