"""AWS CloudTrail: delivered Records files, bare arrays, lookup-events output, one-per-line."""

from __future__ import annotations

import re
from collections.abc import Sequence

import duckdb

from toolkit.analytics.duck.readers.base import (
    MAX_LINE,
    NO_ZONE,
    LogFile,
    LogGroup,
    ReaderSql,
    first_json_object,
    sql_list,
    unparsed_lines,
    zone_missing_sql,
)
from toolkit.analytics.duck.readers.blank import JSON_LINES
from toolkit.analytics.duck.readers.files import Unreadable, text_size

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
# A document's start when its first record does not fit the sniffed head: an array, a wrapper,
# or one record printed over lines (consoles and ``jq`` print eventVersion first).
DOCUMENT_RE = re.compile(r'^\s*(\[\s*\{|\{\s*"(Records|Events|eventVersion)"\s*:)')
RECORD_KEYS = {"eventTime", "eventName"}
WHOLE_RE = re.compile(r'^\s*(\[|\{\s*"(Records|Events)"\s*:)')
"""A document that is one JSON value wrapping its records (read whole), by its first bytes."""
MAX_DOCUMENT = 1 << 30
DOCUMENT_MEMORY = 13
"""Peak memory per byte of a CloudTrail document, which is read whole, as one JSON value
(measured: 157 MB took 2.2 GB, 700 MB 9 GB). Records one per line are read as a stream."""
UNITS = {"bytes": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}


def _in(values: Sequence[str]) -> str:
    """An SQL IN list."""
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


class CloudTrailReader:
    """CloudTrail records in any of the envelopes AWS and its tools write."""

    name = "cloudtrail"
    description = "AWS CloudTrail: {Records: [...]} (gzip), bare arrays, lookup-events, JSON lines"

    def variant(self, log: LogFile) -> str | None:
        """'lines' for one JSON value per line; 'document' for wrappers, arrays, printed records."""
        first, spread = first_json_object(log.head)
        if first is not None:
            if "Records" in first or "Events" in first:
                return "document"
            if "CloudTrailEvent" in first or RECORD_KEYS <= set(first):
                return "document" if spread else "lines"
            return None
        if DOCUMENT_RE.match(log.head) and ("eventTime" in log.head or "EventId" in log.head):
            return "document"
        return None

    def select_sql(self, con: duckdb.DuckDBPyConnection, group: LogGroup) -> ReaderSql:
        """Unnest the envelopes to one JSON record per row, then map the record's fields."""
        if group.variant == "document":
            _check_memory(con, group.files)
        fmt = "newline_delimited" if group.variant == "lines" else "unstructured"
        ignore = "true" if group.variant == "lines" else "false"
        # the reader's buffers are sized by the largest object it accepts: a line is a record
        largest = MAX_LINE if group.variant == "lines" else MAX_DOCUMENT
        # a record's position in its file, across the documents it holds (records printed
        # one after another are one document each)
        rec = "NULL" if group.variant == "lines" else "before + generate_subscripts(items, 1)"
        prefix = f"""
        WITH docs AS (
            SELECT file_index, row_number() OVER () AS n, json AS doc
            FROM read_json_objects({sql_list(group.paths)}, format = '{fmt}',
                                   ignore_errors = {ignore}, maximum_object_size = {largest},
                                   compression = '{group.files[0].compression}')
        ), lists AS (
            SELECT file_index, n, CASE json_type(doc)
                WHEN 'ARRAY' THEN CAST(doc AS JSON[])
                WHEN 'OBJECT' THEN coalesce(CAST(doc -> 'Records' AS JSON[]),
                                            CAST(doc -> 'Events' AS JSON[]), [doc])
                ELSE [CAST(NULL AS JSON)] END AS items
            FROM docs
        ), counted AS (
            SELECT *, coalesce(sum(len(items)) OVER (PARTITION BY file_index ORDER BY n
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
            FROM lists
        ), flat AS (
            SELECT file_index, unnest(items) AS item, CAST({rec} AS BIGINT) AS rec FROM counted
        ), records AS (
            SELECT file_index, rec, item,
                   CASE WHEN item ->> 'CloudTrailEvent' IS NULL THEN item
                        WHEN json_valid(item ->> 'CloudTrailEvent')
                        THEN CAST(item ->> 'CloudTrailEvent' AS JSON) END AS r
            FROM flat
        )"""
        columns = _mapping(group.assume_tz)
        if group.variant == "lines":
            del columns["rec"]
            return ReaderSql(columns, "records", prefix, lines=JSON_LINES)
        return ReaderSql(columns, "records", prefix)

    def unparsed(self, log: LogFile, lines: Sequence[int]) -> set[int]:
        """The JSON-lines variant's lines that are not JSON (documents carry record numbers)."""
        return unparsed_lines(log, lines)


def _check_memory(con: duckdb.DuckDBPyConnection, files: Sequence[LogFile]) -> None:
    """Refuse, naming the file and what to do, a document read whole (one JSON value wrapping
    the records) that is too large for one value or would not fit in the memory the log engine
    may use, rather than leave the machine to swap or the process to be killed. Records printed
    one after another are separate values: they are read as a stream."""
    row = con.execute("SELECT current_setting('memory_limit')").fetchone()
    number, _space, unit = str(row[0] if row else "").partition(" ")
    try:
        budget = float(number) * UNITS[unit]
    except (ValueError, KeyError):
        budget = float("inf")  # no limit DuckDB states in a form known here
    for log in files:
        records = _wrapped(log)
        if records is None:
            continue  # records printed one after another: read one by one
        try:
            size = text_size(log.path, log.gzipped)
        except OSError:
            continue  # gone or unreadable since it was sniffed: the read says so
        if size > MAX_DOCUMENT:
            why = f"larger than the {MAX_DOCUMENT >> 30} GiB one JSON value may be"
        elif size * DOCUMENT_MEMORY > budget:
            why = (
                f"which takes about {_amount(size * DOCUMENT_MEMORY)} of memory, more than the "
                f"log engine may use ({_amount(budget)})"
            )
        else:
            continue
        raise Unreadable(
            log.path,
            log.path,
            f"a CloudTrail document of {_amount(size)} is read whole, {why}; give its records "
            f"one per line instead, which is read as a stream ({_split_command(log, records)})",
        )


def _wrapped(log: LogFile) -> str | None:
    """Where the records are when the file is one JSON value wrapping them, as a ``jq`` path
    (``.Records[]``, ``.Events[]``, ``.[]``); None for records printed one after another."""
    first, _spread = first_json_object(log.head)
    if first is None:
        whole = WHOLE_RE.match(log.head)
        return (f".{whole.group(2)}[]" if whole.group(2) else ".[]") if whole else None
    return next((f".{name}[]" for name in ("Records", "Events") if name in first), None)


def _split_command(log: LogFile, records: str) -> str:
    """The shell command that writes a document's records one per line."""
    jq = f"jq -c '{records}'"
    return f"gunzip -c FILE | {jq} > FILE.jsonl" if log.gzipped else f"{jq} FILE > FILE.jsonl"


def _amount(size: float) -> str:
    """Bytes in words: '40 MB', '9.13 GB'."""
    return f"{size / 1e6:,.0f} MB" if size < 1e9 else f"{size / 1e9:,.2f} GB"


def _mapping(assume_tz: str | None) -> dict[str, str]:
    """Stage columns from ``records`` (item = envelope entry, r = the CloudTrail record)."""
    code = "regexp_replace(r ->> 'errorCode', '^Client\\.', '')"
    console_failed = (
        "(r ->> 'eventName' = 'ConsoleLogin'"
        " AND r ->> '$.responseElements.ConsoleLogin' = 'Failure')"
    )
    # IAM Identity Center sign-in steps report their result as {"<step>": "Failure"}
    service_failed = "list_contains(json_extract_string(r, '$.serviceEventDetails.*'), 'Failure')"
    time = "(r ->> 'eventTime')"
    no_zone = "" if assume_tz else f"WHEN {zone_missing_sql(time)} THEN 'eventTime: {NO_ZONE}'"
    return {
        "ts": f"TRY_CAST({time} AS TIMESTAMPTZ)",
        "key_id": "nullif(r ->> '$.userIdentity.accessKeyId', '')",
        "principal": """coalesce(nullif(r ->> '$.userIdentity.arn', ''),
                                 nullif(r ->> '$.userIdentity.onBehalfOf.userId', ''),
                                 nullif(r ->> '$.userIdentity.invokedBy', ''))""",
        "source_ip": "r ->> 'sourceIPAddress'",
        "user_agent": "r ->> 'userAgent'",
        "action": "split_part(r ->> 'eventSource', '.', 1) || ':' || (r ->> 'eventName')",
        "outcome": f"""CASE WHEN item IS NULL OR r IS NULL THEN NULL
            WHEN {code} IN {_in(AUTH_FAILED_CODES)} OR {console_failed} OR {service_failed}
            THEN 'auth_failed'
            WHEN {code} LIKE 'AccessDenied%' OR {code} IN {_in(DENIED_CODES)} THEN 'denied'
            WHEN coalesce(r ->> 'errorCode', '') <> '' THEN 'error'
            ELSE 'success' END""",
        "error_code": f"""coalesce(nullif(r ->> 'errorCode', ''),
            CASE WHEN {console_failed}
                 THEN coalesce(r ->> 'errorMessage', 'ConsoleLogin Failure')
                 WHEN {service_failed} THEN (r ->> 'eventName') || ' Failure' END)""",
        "session_issuer": "nullif(r ->> '$.userIdentity.sessionContext.sessionIssuer.arn', '')",
        "mfa_used": """CASE coalesce(r ->> '$.additionalEventData.MFAUsed',
                                  r ->> '$.userIdentity.sessionContext.attributes.mfaAuthenticated')
            WHEN 'Yes' THEN true WHEN 'true' THEN true WHEN 'No' THEN false WHEN 'false' THEN false
            END""",
        "error_message": "nullif(r ->> 'errorMessage', '')",
        "request_id": "nullif(r ->> 'requestID', '')",
        "rec": "rec",
        "bad": f"""CASE WHEN item IS NULL THEN 'record: not valid JSON'
            WHEN r IS NULL THEN 'CloudTrailEvent: not valid JSON'
            WHEN json_type(r) <> 'OBJECT' THEN 'record: not a JSON object'
            WHEN {time} IS NULL THEN 'eventTime: missing'
            WHEN TRY_CAST({time} AS TIMESTAMPTZ) IS NULL THEN 'eventTime: not a timestamp'
            {no_zone}
            END""",
        # the whole record, so that repeated deliveries are dropped but distinct events that
        # share (or had redacted) an eventID are kept
        "event_id": "md5(json(r))",
        "skip": """CASE WHEN r ->> 'eventType' = 'AwsCloudTrailInsight'
            THEN 'CloudTrail Insights summary, not an access' END""",
    }
