"""Every registered log reader: named, sniffed from its own files only, forcible by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import data
from toolkit.analytics.duck.events import connect, load_events
from toolkit.analytics.duck.readers import LOG_READERS, sniff
from toolkit.analytics.duck.readers.base import read_head
from toolkit.errors import IngestError

HOUSE = '{"ts":"2026-07-01T00:00:00Z","key_id":"k","status":200}\n'


def fixtures(tmp_path: Path) -> dict[str, Path]:
    """One real file per reader."""
    house = tmp_path / "house.jsonl"
    house.write_text(HOUSE)
    return {
        "house": house,
        "cloudtrail": data("logs/cloudtrail/stratus-aws.persistence.sts-federation-token.json"),
        "vault": data(
            "logs/vault-audit/elastic-integrations-hashicorp_vault-test-audit.excerpt.log"
        ),
    }


@pytest.mark.parametrize("name", sorted(LOG_READERS))
def test_reader(tmp_path: Path, name: str) -> None:
    """The reader claims its own sample, no other reader does, and forcing it reads it."""
    reader = LOG_READERS[name]
    assert reader.name == name and reader.description
    files = fixtures(tmp_path)
    assert set(files) == set(LOG_READERS), "add a fixture for the new reader"
    for other, path in files.items():
        claimed = reader.variant(read_head(path)) is not None
        assert claimed == (other == name), (name, other)
    assert sniff(read_head(files[name]))[0] == name
    report = load_events(connect(), [files[name]], log_format=name)
    assert report.events > 0


def test_forcing_the_wrong_format(tmp_path: Path) -> None:
    """--log-format names a format the file is not: the error says so."""
    with pytest.raises(IngestError, match="does not look like the vault log format"):
        load_events(connect(), [fixtures(tmp_path)["house"]], log_format="vault")
    with pytest.raises(IngestError, match="unknown log format 'syslog'"):
        load_events(connect(), [fixtures(tmp_path)["house"]], log_format="syslog")


def test_unrecognised_file(tmp_path: Path) -> None:
    """A file no reader recognises is named."""
    path = tmp_path / "notes.log"
    path.write_text("just some text\n")
    with pytest.raises(IngestError, match="notes.log: unrecognised access-log format") as err:
        load_events(connect(), [path])
    assert "inventory" not in str(err.value)


@pytest.mark.parametrize(
    ("name", "reader"),
    [
        ("house.csv", "house"),
        ("aws-list-access-keys.json", "aws-access-keys"),
        ("gcp-keys-gcloud.json", "gcp-sa-keys"),
        ("aws-credential-report-edge.csv", "aws-credential-report"),
    ],
)
def test_an_inventory_given_as_a_log_is_called_one(name: str, reader: str) -> None:
    """An inventory among the log paths (a second file after one ``--inventory``, as a shell
    glob gives) is named as the inventory it looks like, not only as an unknown log."""
    with pytest.raises(IngestError, match=rf"looks like a key inventory \({reader}\), not an"):
        load_events(connect(), [data(f"inventory/{name}")])
