"""The policy: seed defaults, YAML loading with path-naming errors, digest, guardrails."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from toolkit.errors import PolicyError
from toolkit.rules.guardrails import guardrails, months_to_days
from toolkit.rules.policy import Policy, commented_template, load_policy, parse_policy
from toolkit.rules.settings import DetectionSettings


def test_defaults_are_the_seeds_numbers() -> None:
    """prod 90, staging 30, dev 90; 7 days warning; 10 in 60 s; 48 h; 256 bits; 12 months."""
    policy = Policy()
    assert {n: e.rotation_days for n, e in policy.environments.items()} == {
        "prod": 90,
        "staging": 30,
        "dev": 90,
    }
    assert policy.environment("staging").unused_limit == 30
    assert policy.expiring_soon_days == 7
    assert (policy.failed_auth.threshold, policy.failed_auth.window_seconds) == (10, 60)
    assert policy.rotation_overlap_hours == 48
    assert policy.min_entropy_bits == 256
    assert policy.log_retention.required_days == 365
    assert policy.log_retention.immediately_available_days == 90
    assert "*" in policy.broad_scope_patterns and "admin" in policy.broad_scope_patterns


def test_no_file_means_defaults() -> None:
    """load_policy(None) is the default policy."""
    assert load_policy(None) == Policy()


def test_commented_template_loads_back_equal_to_defaults(tmp_path: Path) -> None:
    """`policy init` output is the defaults, with comments citing the seed and the frameworks."""
    path = tmp_path / "policy.yaml"
    path.write_text(commented_template())
    assert load_policy(path) == Policy()
    assert load_policy(path).digest() == Policy().digest()
    assert "seed:" in commented_template() and "PCI DSS 10.5.1" in commented_template()


def test_user_environments_add_to_and_override_the_defaults(tmp_path: Path) -> None:
    """A user's qa environment is added; prod overridden; others keep the seed's numbers."""
    path = tmp_path / "policy.yaml"
    path.write_text("environments:\n  QA: {rotation_days: 30}\n  prod: {rotation_days: 60}\n")
    policy = load_policy(path)
    assert policy.environment("qa").rotation_days == 30
    assert policy.environment("Prod").rotation_days == 60
    assert policy.environment("staging").rotation_days == 30
    assert policy.environment("sandbox") == policy.default_environment
    assert policy.environment(None) == policy.default_environment


def test_unused_days_default_to_the_rotation_period() -> None:
    """unused_days: explicit value wins, else the environment's rotation period."""
    policy = parse_policy({"environments": {"prod": {"rotation_days": 90, "unused_days": 45}}}, "p")
    assert policy.environment("prod").unused_limit == 45
    assert policy.effective()["environments"]["staging"]["unused_days"] == 30


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rotation_overlap_hours: soon\n", "policy.yaml: rotation_overlap_hours: Input should be"),
        ("environments:\n  qa: {rotation_days: x}\n", "environments.qa.rotation_days: Input"),
        ("environments:\n  qa: {rotate_days: 30}\n", "environments.qa.rotate_days: unknown key"),
        ("failed_auth:\n  limit: 5\n", "policy.yaml: failed_auth.limit: unknown key"),
        ("colour: red\n", "policy.yaml: colour: unknown key"),
        ("expiring_soon_days: -1\n", "expiring_soon_days: Input should be greater than"),
        ("- a list\n", "policy.yaml: the policy must be a mapping"),
        ("a: [unclosed\n", "policy.yaml:2: not valid YAML"),
    ],
)
def test_invalid_files_name_the_file_and_yaml_path(tmp_path: Path, text: str, message: str) -> None:
    """Wrong types and unknown keys are refused with file name and dotted path."""
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert message in str(caught.value).replace(str(tmp_path) + "/", "")


def test_missing_file_is_a_policy_error(tmp_path: Path) -> None:
    """A file that cannot be read is named."""
    with pytest.raises(PolicyError, match="missing.yaml: cannot read"):
        load_policy(tmp_path / "missing.yaml")


def test_digest_changes_with_any_value_and_ignores_spelling() -> None:
    """Same effective values -> same digest; a changed number -> another."""
    base = Policy().digest()
    assert len(base) == 64
    assert parse_policy({"environments": {"staging": {"rotation_days": 30}}}, "p").digest() == base
    explicit = {"environments": {"prod": {"rotation_days": 90, "unused_days": 90}}}
    assert parse_policy(explicit, "p").digest() == base
    assert parse_policy({"min_entropy_bits": 128}, "p").digest() != base


def test_detection_settings_mirror_every_analytics_field() -> None:
    """Defaults agree with the analytics defaults and every field is fed from the policy."""
    assert Policy().detection_settings() == DetectionSettings()
    custom = parse_policy(
        {"failed_auth": {"threshold": 5}, "detections": {"baseline_days": 14}}, "p"
    ).detection_settings()
    assert (custom.failed_auth_threshold, custom.baseline_days) == (5, 14)
    names = {f.name for f in dataclasses.fields(DetectionSettings)}
    built = dataclasses.asdict(Policy().detection_settings())
    assert set(built) == names


def test_no_guardrails_for_the_default_policy() -> None:
    """The seed's numbers are at least as strict as every shipped framework's."""
    assert guardrails(Policy(), None) == []


def test_looser_policy_produces_guardrails_next_to_the_controls() -> None:
    """PCI 8.3.4 (10 attempts) and 10.5.1 (12 months) are compared; 8.2.6 and 8.3.9 are user
    account rules no key rule evidences, so the policy's key periods are not held to them."""
    policy = parse_policy(
        {
            "environments": {"qa": {"rotation_days": 80, "unused_days": 120}},
            "failed_auth": {"threshold": 20},
            "log_retention": {"required_days": 180, "immediately_available_days": 30},
        },
        "p",
    )
    found = {(g.framework, g.control, g.policy_key): g for g in guardrails(policy, ["pci-dss"])}
    attempts = found[("pci-dss", "8.3.4", "failed_auth.threshold")]
    assert (attempts.policy_value, attempts.framework_value) == (20, 10)
    assert found[("pci-dss", "10.5.1", "log_retention.required_days")].framework_value == 365
    assert found[("pci-dss", "10.5.1", "log_retention.immediately_available_days")]
    assert "looser than pci-dss 8.3.4" in attempts.note
    assert set(attempts.for_control()) == {"policy_key", "policy_value", "framework_value", "note"}
    assert not [key for key in found if key[1] in ("8.2.6", "8.3.9", "8.3.10.1")]
    assert guardrails(policy, ["soc2"]) == []


def test_months_to_days() -> None:
    """Whole years are 365 days; other months 30."""
    assert (months_to_days(12), months_to_days(3), months_to_days(24)) == (365, 90, 730)


def test_template_keys_cover_every_policy_field() -> None:
    """Every top-level policy key appears (with its default) in the commented template."""
    assert set(yaml.safe_load(commented_template())) == set(Policy.model_fields)
