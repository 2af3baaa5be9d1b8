"""The engine wrapper: provider coverage, masking, block cutting, inventory matching, the pool."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import string
from pathlib import Path

import pytest

from toolkit.scan import ScanOptions, run_scan
from toolkit.scan.engine import CHUNK_LINES, INVENTORY_DETECTOR, mask, scan_text
from toolkit.scan.interface import KeyRef

RND = random.Random(5)
ALNUM = string.ascii_letters + string.digits


def pick(alphabet: str, n: int) -> str:
    """Deterministic random text."""
    return "".join(RND.choice(alphabet) for _ in range(n))


def b64(n: int) -> str:
    """Base64 of n deterministic random bytes."""
    return base64.b64encode(bytes(RND.getrandbits(8) for _ in range(n))).decode()


PEM = "\n".join(b64(48) for _ in range(10))
JWT = ".".join(
    base64.urlsafe_b64encode(x).decode().rstrip("=")
    for x in [b'{"alg":"HS256","typ":"JWT"}', b'{"sub":"1234567890","iat":1516239022}', b"s" * 32]
)
SAMPLES = {
    "aws-access-token": f"aws_access_key_id = AKIA{pick(string.ascii_uppercase + '234567', 16)}\n"
    f"aws_secret_access_key = {pick(ALNUM + '/+', 40)}\n",
    "gcp-api-key": f'GOOGLE_API_KEY = "AIza{pick(ALNUM + "-_", 35)}"\n',
    "gcp-service-account": json.dumps(
        {
            "type": "service_account",
            "private_key": f"-----BEGIN PRIVATE KEY-----\n{PEM}\n-----END PRIVATE KEY-----\n",
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        }
    ),
    "azure-servicebus-connection-string": "Endpoint=sb://ns.servicebus.windows.net/;"
    f"SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={b64(32)}\n",
    "generic-api-key": f"AZURE_STORAGE=DefaultEndpointsProtocol=https;AccountKey={b64(64)}\n",
    "github-pat": f'token = "ghp_{pick(ALNUM, 36)}"\n',
    "gitlab-pat": f'GITLAB_TOKEN = "glpat-{pick(ALNUM, 20)}"\n',
    "slack-bot-token": f'SLACK = "xoxb-{pick(string.digits, 12)}-{pick(string.digits, 13)}-'
    f'{pick(ALNUM, 24)}"\n',
    "stripe-access-token": f'STRIPE = "sk_live_{pick(ALNUM, 24)}"\n',
    "private-key": f"-----BEGIN RSA PRIVATE KEY-----\n{PEM}\n-----END RSA PRIVATE KEY-----\n",
    "jwt": f"session: {JWT}\n",
    "generic-credential-uri": f"DATABASE_URL=postgres://admin:{pick(ALNUM, 18)}@db:5432/app\n",
    "authorization-bearer": f"GET /v1 Authorization: Bearer {pick(ALNUM, 32)} 200\n",
}
"""Detector id -> a text it must find (AWS, GCP, Azure, GitHub, GitLab, Slack, Stripe, private
keys, JWT, credentials in URLs, high-entropy strings beside a keyword, bearer tokens)."""


@pytest.mark.parametrize("detector", sorted(SAMPLES))
def test_each_provider_is_detected_and_masked(detector: str) -> None:
    """The detector fires; the hit shows at most four characters and hides the rest."""
    text = SAMPLES[detector]
    hits = scan_text(text, "sample.txt", "code", frozenset())
    assert detector in {h.detector for h in hits}
    for hit in hits:
        assert len(hit.secret.preview.rstrip("…")) <= 4
        assert hit.secret.preview.rstrip("…") not in ("", text) or hit.secret.length < 4
        assert len(hit.secret.fingerprint) == 64 and hit.line >= 1 and hit.column >= 1


def test_mask_never_shows_more_than_a_quarter_or_four_characters() -> None:
    """Short values show fewer characters; the fingerprint is SHA-256 of the value."""
    assert mask("abcdefgh").preview == "ab…"
    assert mask("x" * 64).preview == "xxxx…"
    assert mask("abc").preview == "…"
    assert mask("secret-value").fingerprint == hashlib.sha256(b"secret-value").hexdigest()


def test_blocks_never_cut_a_private_key() -> None:
    """A PEM block across a block boundary is found once, on its own first line."""
    lines = ["x = 1\n"] * (CHUNK_LINES - 3)
    text = "".join(lines) + SAMPLES["private-key"] + "y = 2\n" * 10
    hits = [h for h in scan_text(text, "f", "code", frozenset()) if h.detector == "private-key"]
    assert [(h.line, h.column) for h in hits] == [(CHUNK_LINES - 2, 1)]


def test_inventory_values_of_unknown_formats_are_found() -> None:
    """A value no detector knows is found by its fingerprint, with line and column."""
    value = "zq7" + pick(ALNUM, 21)
    text = f"x = 1\ncall(url='https://h/v1/{value}')\nitems = [\"{value}\"]\n"
    assert scan_text(text, "f", "code", frozenset()) == []
    prints = frozenset({hashlib.sha256(value.encode()).hexdigest()})
    hits = scan_text(text, "f", "code", prints)
    assert [(h.line, h.column, h.detector) for h in hits] == [
        (2, 24, INVENTORY_DETECTOR),
        (3, 11, INVENTORY_DETECTOR),
    ]


def test_history_line_numbers_map_through() -> None:
    """Texts of added lines report the lines they came from."""
    text = "a = 1\n" + SAMPLES["github-pat"]
    hits = scan_text(text, "f", "code", frozenset(), lines=(10, 42))
    assert [h.line for h in hits] == [42]


def test_pool_and_inline_agree(tmp_path: Path) -> None:
    """Two worker processes find exactly what one process finds."""
    for i in range(80):
        body = SAMPLES["github-pat"] if i % 10 == 0 else f"value_{i} = {i}\n"
        (tmp_path / f"f{i:02}.py").write_text(body)
    value = "zq7" + pick(ALNUM, 21)
    (tmp_path / "inv.txt").write_text(f"KEY={value}\n")
    ref = KeyRef("k1", "house", "team", "prod")
    inventory = {hashlib.sha256(value.encode()).hexdigest(): ref}
    inline = run_scan([tmp_path], ScanOptions(workers=1, inventory=inventory))
    pooled = run_scan([tmp_path], ScanOptions(workers=2, inventory=inventory))
    assert pooled.findings == inline.findings
    assert len(inline.findings) == 9
    assert {f.rule for f in inline.findings} == {"secret-in-code", "inventoried-key-exposed"}
