"""Adding a rule touches only the files README.md lists: a throwaway rule, added to a copy.

The test reads the "**a rule**" item of README.md's "Developing keyvigil" section, adds a rule
to a copy of the code, tests and docs by writing only files those paths name, and runs the rule
tests there (registry, case folders, docs, engine, frameworks) plus an audit of one key.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RULE_MODULE = '''"""name-too-long: a key name longer than 40 characters (a throwaway example)."""

from __future__ import annotations

from collections.abc import Iterator

from toolkit.rules.interface import Finding, Needs, RuleInputs, Severity, Tier
from toolkit.rules.model import Rule, active_keys, key_finding

RULE = Rule(
    id="name-too-long",
    title="Key name longer than 40 characters",
    severity=Severity.LOW,
    tier=Tier.WEEKLY,
    remediation="Give the key a short name that says what it is for.",
    description="Active keys whose name has more than 40 characters; exactly 40 passes.",
    needs=(Needs.INVENTORY,),
)


def evaluate(inputs: RuleInputs) -> Iterator[Finding]:
    """Yield a finding for each active key with a name over 40 characters."""
    for key in active_keys(inputs.keys):
        if key.name is not None and len(key.name) > 40:
            yield key_finding(RULE, key, f"{len(key.name)} characters", length=len(key.name))
'''
KEYS = f"""- {{key_id: long, name: "{"x" * 41}", owner: a, environment: prod, created_at: as_of-1d}}
- {{key_id: edge, name: "{"y" * 40}", owner: a, environment: prod, created_at: as_of-1d}}
"""
EXPECTED = "fail: [long]\npass: [edge]\n"
DOCS = """
### `name-too-long` — Key name longer than 40 characters

*low* · tier *weekly* · input: inventory

Active keys whose name has more than 40 characters; exactly 40 passes.
"""
AUDIT = """
import sys
from datetime import UTC, datetime
import toolkit
import toolkit.store
from toolkit.models import KeyBase
from toolkit.rules.engine import evaluate_rules
from toolkit.rules.interface import RuleInputs
from toolkit.rules.policy import Policy
assert toolkit.__file__.startswith(sys.argv[1]), toolkit.__file__
key = KeyBase(key_id="k", name="z" * 50, owner="o", environment="prod")
found = evaluate_rules(RuleInputs([key], Policy(), datetime(2026, 10, 1, tzinfo=UTC))).findings
print(sorted({f.rule_id for f in found if f.subject == "k"}))
"""


def rule_paths() -> list[str]:
    """The paths README.md says a new rule touches, as regular expressions."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    item = re.search(r"^- \*\*a rule\*\*:(.*?)(?=^- \*\*|\Z)", text, re.S | re.M)
    assert item, "README.md lists what a new rule touches"
    paths = [p for p in re.findall(r"`([^`]+)`", item.group(1)) if "/" in p]
    return [re.sub(r"<[^>]+>", "[^/]+", re.escape(p).replace(r"\<", "<").replace(r"\>", ">"))
            for p in paths]  # fmt: skip


def _allowed(path: str, patterns: list[str]) -> bool:
    """True when ``path`` is one the README names (a folder covers what is inside it)."""
    return any(re.fullmatch(p + (".*" if p.endswith("/") else ""), path) for p in patterns)


def _add_rule(copy: Path) -> list[str]:
    """Write the throwaway rule into ``copy``; return the files written, relative."""
    registry = copy / "toolkit/rules/catalogue/__init__.py"
    text = registry.read_text(encoding="utf-8")
    assert text.count("    weak_key,\n)") == 1 and text.count("    config_permissions,\n)") == 1
    text = text.replace("    weak_key,\n)", "    weak_key,\n    name_too_long,\n)")  # the import
    text = text.replace(
        "    config_permissions,\n)", "    config_permissions,\n    name_too_long,\n)"
    )
    registry.write_text(text, encoding="utf-8")
    (copy / "toolkit/rules/catalogue/name_too_long.py").write_text(RULE_MODULE, encoding="utf-8")
    case = copy / "tests/data/rule_cases/name-too-long"
    case.mkdir()
    (case / "keys.yaml").write_text(KEYS, encoding="utf-8")
    (case / "expected.yaml").write_text(EXPECTED, encoding="utf-8")
    with (copy / "docs/policy-and-rules.md").open("a", encoding="utf-8") as handle:
        handle.write(DOCS)
    written = [registry, copy / "toolkit/rules/catalogue/name_too_long.py", case / "keys.yaml"]
    written += [case / "expected.yaml", copy / "docs/policy-and-rules.md"]
    return [str(p.relative_to(copy)) for p in written]


def test_a_new_rule_touches_only_the_files_the_readme_lists(tmp_path: Path) -> None:
    """The rule is registered, its cases and docs found, and an audit reports it."""
    copy = tmp_path / "repo"
    ignore = shutil.ignore_patterns("__pycache__", ".pytest_cache")
    for name in ("toolkit", "tests", "docs"):
        shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    for name in ("README.md", "pyproject.toml"):
        shutil.copy2(ROOT / name, copy / name)
    patterns = rule_paths()
    written = _add_rule(copy)
    assert [p for p in written if not _allowed(p, patterns)] == []
    tests = ["tests/rules/test_catalogue.py", "tests/rules/test_rule_cases.py"]
    tests += ["tests/rules/test_engine.py", "tests/rules/test_frameworks.py"]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *tests],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert (
        "name-too-long"
        in subprocess.run(
            [sys.executable, "-c", AUDIT, str(copy)], cwd=copy, capture_output=True, text=True
        ).stdout
    )
