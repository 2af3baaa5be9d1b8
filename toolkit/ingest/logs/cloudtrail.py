"""AWS CloudTrail: delivered Records files, bare arrays, lookup-events output, one-per-line."""

from __future__ import annotations

import re
from collections.abc import Sequence

import duckdb

from toolkit.ingest.logs.base import LogFile, LogGroup, first_json_line, locate_lines, sql_list

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

    def select_sql(self, con: duckdb.DuckDBPyConnection, group: LogGroup) -> str:
        """Unnest the envelopes to one JSON record per row, then map the record's fields."""
        fmt = "newline_delimited" if group.variant == "lines" else "unstructured"
        ignore = "true" if group.variant == "lines" else "false"
        rec = "NULL" if group.variant == "lines" else "generate_subscripts(items, 1)"
        return f"""
        WITH docs AS (
            SELECT CAST(file_index + {group.first_id} AS INTEGER) AS file_id, json AS doc
            FROM read_json_objects({sql_list(group.paths)}, format = '{fmt}',
                                   ignore_errors = {ignore}, maximum_object_size = {MAX_DOCUMENT},
                                   compression = '{group.files[0].compression}')
        ), lists AS (
            SELECT file_id, CASE json_type(doc)
                WHEN 'ARRAY' THEN CAST(doc AS JSON[])
                WHEN 'OBJECT' THEN coalesce(CAST(doc -> 'Records' AS JSON[]),
                                            CAST(doc -> 'Events' AS JSON[]), [doc])
                ELSE [CAST(NULL AS JSON)] END AS items
            FROM docs
        ), flat AS (
            SELECT file_id, unnest(items) AS item, CAST({rec} AS BIGINT) AS rec FROM lists
        ), records AS (
            SELECT file_id, rec, item,
                   CASE WHEN item ->> 'CloudTrailEvent' IS NULL THEN item
                        WHEN json_valid(item ->> 'CloudTrailEvent')
                        THEN CAST(item ->> 'CloudTrailEvent' AS JSON) END AS r
            FROM flat
        )
        {_mapping()}"""

    def locate(
        self, con: duckdb.DuckDBPyConnection, log: LogFile, ordinals: Sequence[int]
    ) -> dict[int, int]:
        """Line numbers for the JSON-lines variant (documents carry record numbers already)."""
        return locate_lines(con, log, ordinals)


def _mapping() -> str:
    """The SELECT from ``records`` (item = envelope, r = CloudTrail record) onto STAGE_COLUMNS."""
    code = "regexp_replace(r ->> 'errorCode', '^Client\\.', '')"
    console_failed = (
        "(r ->> 'eventName' = 'ConsoleLogin'"
        " AND r ->> '$.responseElements.ConsoleLogin' = 'Failure')"
    )
    return f"""
        SELECT TRY_CAST(r ->> 'eventTime' AS TIMESTAMPTZ) AS ts,
               nullif(r ->> '$.userIdentity.accessKeyId', '') AS key_id,
               coalesce(nullif(r ->> '$.userIdentity.arn', ''),
                        nullif(r ->> '$.userIdentity.invokedBy', '')) AS principal,
               r ->> 'sourceIPAddress' AS source_ip,
               CAST(NULL AS VARCHAR) AS country,
               r ->> 'userAgent' AS user_agent,
               split_part(r ->> 'eventSource', '.', 1) || ':' || (r ->> 'eventName') AS action,
               CASE WHEN {code} IN {_in(AUTH_FAILED_CODES)} OR {console_failed}
                    THEN 'auth_failed'
                    WHEN {code} LIKE 'AccessDenied%' OR {code} IN {_in(DENIED_CODES)}
                    THEN 'denied'
                    WHEN coalesce(r ->> 'errorCode', '') <> '' THEN 'error'
                    ELSE 'success' END AS outcome,
               coalesce(nullif(r ->> 'errorCode', ''),
                        CASE WHEN {console_failed}
                             THEN coalesce(r ->> 'errorMessage', 'ConsoleLogin Failure') END)
                   AS error_code,
               file_id, rec,
               CASE WHEN item IS NULL THEN 'record: not valid JSON'
                    WHEN r IS NULL THEN 'CloudTrailEvent: not valid JSON'
                    WHEN json_type(r) <> 'OBJECT' THEN 'record: not a JSON object'
                    WHEN r ->> 'eventTime' IS NULL THEN 'eventTime: missing'
                    WHEN TRY_CAST(r ->> 'eventTime' AS TIMESTAMPTZ) IS NULL
                    THEN 'eventTime: not a timestamp'
               END AS bad,
               r ->> 'eventID' AS event_id,
               CASE WHEN r ->> 'eventType' = 'AwsCloudTrailInsight'
                    THEN 'CloudTrail Insights summary, not an access' END AS skip
        FROM records"""
