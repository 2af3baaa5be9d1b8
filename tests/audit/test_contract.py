"""docs/RESULT_CONTRACT.md is what the typed result model says, and every field is described."""

from __future__ import annotations

from pathlib import Path

from toolkit.audit.contract import contract_markdown
from toolkit.audit.result import ResultDocument

CONTRACT = Path(__file__).resolve().parents[2] / "docs" / "RESULT_CONTRACT.md"


def test_committed_contract_is_current() -> None:
    """Regenerate with `python -m toolkit.audit.contract docs/RESULT_CONTRACT.md` when it fails."""
    assert CONTRACT.read_text(encoding="utf-8") == contract_markdown()


def test_contract_names_every_field_of_every_object() -> None:
    """Each object of the schema has its section, and each of its fields a row."""
    text = contract_markdown()
    schema = ResultDocument.model_json_schema(by_alias=True, mode="serialization")
    objects = {"ResultDocument": schema, **schema["$defs"]}
    for name, spec in objects.items():
        if name == "JsonValue":
            continue
        body = text.split(f"\n## {name}\n", 1)[1].split("\n## ", 1)[0]
        for field in spec["properties"]:
            assert f"| `{field}` |" in body, (name, field)


def test_audit_docs_link_the_contract() -> None:
    """docs/audit.md cites the contract by a working relative link."""
    audit = (CONTRACT.parent / "audit.md").read_text(encoding="utf-8")
    assert "(RESULT_CONTRACT.md)" in audit
