"""AWS CloudTrail: delivered Records files, bare arrays, lookup-events output, one-per-line."""

from __future__ import annotations

import re
from collections.abc import Sequence

import duckdb

from toolkit.analytics.duck.readers.base import (
    LogFile,
    LogGroup,
    ReaderSql,
    first_json_line,
    locate_lines,
    sql_list,
)

# errorCode (without EC2's "Client." prefix) -> outcome; any other errorCode is 'error'.
AUTH_FAILED_CODES = (
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "AuthFailure",
    "UnrecognizedClientException",
    "ExpiredToken",
    "ExpiredTokenException",
    "InvalidAccessKeyId",
    "IncompleteSignature",
    "InvalidSignatureException",
    "MissingAuthenticationToken",
    "MissingAuthenticationTokenException",
)
DENIED_CODES = ("UnauthorizedOperation", "UnauthorizedAccess")
DOCUMENT_RE = re.compile(r'^\s*(\[\s*\{|\{\s*"(Records|Events)"\s*:)')
RECORD_KEYS = {"eventTime", "eventName"}
MAX_DOCUMENT = 1 << 30


def _in(values: Sequence[str]) -> str:
    """An SQL IN list."""
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class CloudTrailReader:
    """CloudTrail records in any of the envelopes AWS and its tools write."""

    name = "cloudtrail"
    description = "AWS CloudTrail: {Records: [...]} (gzip), bare arrays, lookup-events, JSON lines"

    def variant(self, log: LogFile) -> str | None:
        """'lines' for one JSON value per line, 'document' for one wrapper/array per file."""
        first = first_json_line(log.head)
        if first is not None:
            if "Records" in first or "Events" in first:
                return "document"
            if "CloudTrailEvent" in first or RECORD_KEYS <= set(first):
                return "lines"
            return None
        if DOCUMENT_RE.match(log.head) and ("eventTime" in log.head or "EventId" in log.head):
            return "document"
        return None

    def select_sql(self, con: duckdb.DuckDBPyConnection, group: LogGroup) -> ReaderSql:
        """Unnest the envelopes to one JSON record per row, then map the record's fields."""
        fmt = "newline_delimited" if group.variant == "lines" else "unstructured"
        ignore = "true" if group.variant == "lines" else "false"
        rec = "NULL" if group.variant == "lines" else "generate_subscripts(items, 1)"
        prefix = f"""
        WITH docs AS (
            SELECT file_index, json AS doc
            FROM read_json_objects({sql_list(group.paths)}, format = '{fmt}',
                                   ignore_errors = {ignore}, maximum_object_size = {MAX_DOCUMENT},
                                   compression = '{group.files[0].compression}')
        ), lists AS (
            SELECT file_index, CASE json_type(doc)
                WHEN 'ARRAY' THEN CAST(doc AS JSON[])
                WHEN 'OBJECT' THEN coalesce(CAST(doc -> 'Records' AS JSON[]),
                                            CAST(doc -> 'Events' AS JSON[]), [doc])
                ELSE [CAST(NULL AS JSON)] END AS items
            FROM docs
        ), flat AS (
            SELECT file_index, unnest(items) AS item, CAST({rec} AS BIGINT) AS rec FROM lists
        ), records AS (
            SELECT file_index, rec, item,
                   CASE WHEN item ->> 'CloudTrailEvent' IS NULL THEN item
                        WHEN json_valid(item ->> 'CloudTrailEvent')
                        THEN CAST(item ->> 'CloudTrailEvent' AS JSON) END AS r
            FROM flat
        )"""
        columns = _mapping()
        if group.variant == "lines":
            del columns["rec"]
        return ReaderSql(columns, "records", prefix)

    def locate(
        self, con: duckdb.DuckDBPyConnection, log: LogFile, ordinals: Sequence[int]
    ) -> dict[int, tuple[int, bool]]:
        """Line numbers for the JSON-lines variant (documents carry record numbers already)."""
        return locate_lines(con, log, ordinals)


def _mapping() -> dict[str, str]:
    """Stage columns from ``records`` (item = envelope entry, r = the CloudTrail record)."""
    code = "regexp_replace(r ->> 'errorCode', '^Client\\.', '')"
    console_failed = (
        "(r ->> 'eventName' = 'ConsoleLogin'"
        " AND r ->> '$.responseElements.ConsoleLogin' = 'Failure')"
    )
    return {
        "ts": "TRY_CAST(r ->> 'eventTime' AS TIMESTAMPTZ)",
        "key_id": "nullif(r ->> '$.userIdentity.accessKeyId', '')",
        "principal": """coalesce(nullif(r ->> '$.userIdentity.arn', ''),
                                 nullif(r ->> '$.userIdentity.invokedBy', ''))""",
        "source_ip": "r ->> 'sourceIPAddress'",
        "user_agent": "r ->> 'userAgent'",
        "action": "split_part(r ->> 'eventSource', '.', 1) || ':' || (r ->> 'eventName')",
        "outcome": f"""CASE WHEN item IS NULL OR r IS NULL THEN NULL
            WHEN {code} IN {_in(AUTH_FAILED_CODES)} OR {console_failed} THEN 'auth_failed'
            WHEN {code} LIKE 'AccessDenied%' OR {code} IN {_in(DENIED_CODES)} THEN 'denied'
            WHEN coalesce(r ->> 'errorCode', '') <> '' THEN 'error'
            ELSE 'success' END""",
        "error_code": f"""coalesce(nullif(r ->> 'errorCode', ''),
            CASE WHEN {console_failed}
                 THEN coalesce(r ->> 'errorMessage', 'ConsoleLogin Failure') END)""",
        "rec": "rec",
        "bad": """CASE WHEN item IS NULL THEN 'record: not valid JSON'
            WHEN r IS NULL THEN 'CloudTrailEvent: not valid JSON'
            WHEN json_type(r) <> 'OBJECT' THEN 'record: not a JSON object'
            WHEN r ->> 'eventTime' IS NULL THEN 'eventTime: missing'
            WHEN TRY_CAST(r ->> 'eventTime' AS TIMESTAMPTZ) IS NULL
            THEN 'eventTime: not a timestamp' END""",
        "event_id": "r ->> 'eventID'",
        "skip": """CASE WHEN r ->> 'eventType' = 'AwsCloudTrailInsight'
            THEN 'CloudTrail Insights summary, not an access' END""",
    }
