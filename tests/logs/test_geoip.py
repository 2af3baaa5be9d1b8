"""Country from IP, offline: private ranges in SQL, public ones from the bundled RIR data."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.analytics.duck.events import connect, load_events

CASES = [
    ("10.1.2.3", "private"),
    ("172.15.255.255", "US"),  # just below 172.16/12
    ("172.16.0.0", "private"),
    ("172.31.255.255", "private"),
    ("192.168.0.1", "private"),
    ("127.0.0.1", "private"),
    ("169.254.10.10", "private"),
    ("100.63.255.255", "US"),  # just below CGNAT 100.64/10
    ("100.64.0.1", "private"),
    ("100.127.255.255", "private"),
    ("10.0.0.1:8200", "private"),  # ip:port as Vault may write it
    ("::ffff:192.168.1.1", "private"),
    ("::1", "private"),
    ("fd12:3456::1", "private"),
    ("fc00::1", "private"),
    ("fe80::1", "private"),
    ("8.8.8.8", "US"),
    ("2001:4860:4860::8888", "US"),
    ("1.0.16.1", "JP"),
    ("075.050.255.67", None),  # leading zeros: ambiguous, not parsed
    ("256.1.1.1", None),
    ("ec2.amazonaws.com", None),
    ("AWS Internal", None),
]


@pytest.fixture(scope="module")
def countries(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, object]:
    """Load one event per case; return ({ip: country}, report)."""
    path: Path = tmp_path_factory.mktemp("geo") / "ips.jsonl"
    path.write_text(
        "".join(
            f'{{"ts":"2026-07-01T00:00:00Z","key_id":"k","ip":"{ip}","status":200}}\n'
            for ip, _cc in CASES
        )
    )
    con = connect()
    report = load_events(con, [path])
    return dict(con.execute("SELECT source_ip, country FROM events").fetchall()), report


@pytest.mark.parametrize(("ip", "country"), CASES)
def test_country(countries: tuple[dict, object], ip: str, country: str | None) -> None:
    """Each address gets the expected country (or 'private', or none)."""
    assert countries[0][ip] == country


def test_unparseable_counted(countries: tuple[dict, object]) -> None:
    """Address-shaped values that are not addresses are counted; names separately."""
    report = countries[1]
    assert report.unparsed_ips == 2 and report.non_ip_sources == 2
    assert report.unparsed_ip_examples == ("075.050.255.67", "256.1.1.1")
