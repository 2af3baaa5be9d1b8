"""``keyvigil policy show`` and ``policy init`` through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from toolkit.cli import cli
from toolkit.rules.policy import Policy, load_policy


def test_show_prints_the_effective_policy_as_yaml(runner: CliRunner) -> None:
    """Defaults as YAML, with where they come from and the digest in comments."""
    result = runner.invoke(cli, ["policy", "show"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# effective policy from the built-in defaults\n")
    assert f"# digest sha256:{Policy().digest()}\n" in result.stdout
    assert yaml.safe_load(result.stdout) == Policy().effective()


def test_show_json_with_a_policy_file(runner: CliRunner, tmp_path: Path) -> None:
    """--policy after the command; --json gives source, digest and the merged policy."""
    path = tmp_path / "p.yaml"
    path.write_text("environments:\n  qa: {rotation_days: 30}\n")
    result = runner.invoke(cli, ["policy", "show", "--policy", str(path), "--json"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["source"] == str(path)
    qa = {"rotation_days": 30, "unused_days": 30, "cardholder_data": False}
    assert data["policy"]["environments"]["qa"] == qa
    assert data["policy"]["environments"]["prod"]["rotation_days"] == 90
    assert data["digest"] == load_policy(path).digest()


def test_show_refuses_an_invalid_policy_with_exit_2(runner: CliRunner, tmp_path: Path) -> None:
    """Unknown key: one line naming the file and the YAML path, no traceback."""
    path = tmp_path / "policy.yaml"
    path.write_text("rotation:\n  prod_days: 90\n")
    result = runner.invoke(cli, ["--policy", str(path), "policy", "show"])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {path}: rotation: unknown key\n"


def test_init_writes_a_file_that_loads_back_equal(runner: CliRunner, tmp_path: Path) -> None:
    """The commented copy equals the defaults; a second init refuses without --force."""
    path = tmp_path / "policy.yaml"
    first = runner.invoke(cli, ["policy", "init", str(path)])
    assert first.exit_code == 0, first.stderr
    assert load_policy(path) == Policy()
    assert "# seed:" in path.read_text() or "seed:" in path.read_text()
    again = runner.invoke(cli, ["policy", "init", str(path)])
    assert again.exit_code == 2
    assert "already exists (use --force to overwrite)" in again.stderr
    forced = runner.invoke(cli, ["policy", "init", str(path), "--force"])
    assert forced.exit_code == 0


def test_init_without_file_prints_the_template(runner: CliRunner) -> None:
    """Printed to stdout, loadable as the defaults."""
    result = runner.invoke(cli, ["policy", "init"])
    assert result.exit_code == 0
    assert Policy.model_validate(yaml.safe_load(result.stdout)) == Policy()
