"""HashiCorp Vault audit device: request/response (and KMIP) entries, one event per request."""

from __future__ import annotations

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
    zone_missing_sql,
)
from toolkit.analytics.duck.readers.kmip import kmip_columns

ENTRY_TYPES = ("request", "response")


class VaultReader:
    """Vault's file/socket audit device (format=json): request and response entries, paired."""

    name = "vault"
    description = "HashiCorp Vault audit device JSON lines (request/response pairs, KMIP)"

    def variant(self, log: LogFile) -> str | None:
        """'jsonl' for one entry per line; 'document' for entries printed over several lines."""
        first, spread = first_json_object(log.head)
        if first is None:
            return None
        kind = str(first.get("type", ""))
        if kind.endswith(ENTRY_TYPES) and "time" in first and ({"request", "auth"} & set(first)):
            return "document" if spread else "jsonl"
        return None

    def select_sql(self, con: duckdb.DuckDBPyConnection, group: LogGroup) -> ReaderSql:
        """Parse every entry into its fields, number it, pair requests with responses, one row
        per request.

        The parse is a setup statement of its own: one parallel pass turns each line into the
        fields its event needs (never its whole JSON) in a table whose row order is the
        files' line order, so an entry's number is its row id. Numbering the lines with a
        window over their text had kept every line's text in memory until the parse: 810 MB
        of log peaked at 2.1 GB and loaded in 9.0 s; now 1.0 GB and 6.5 s, same events.
        """
        table = f"_vault_entries_{group.first_id}"
        source, rejects = _source(group)
        return ReaderSql(
            _mapping(group.assume_tz),
            "requests",
            _pairing(table),
            rejects=rejects,
            line_records=True,
            setup=(_parse(table, source),),
            scratch=(table,),
        )

    def unparsed(self, log: LogFile, lines: Sequence[int]) -> set[int]:
        """None: every row carries its line (or record) number, and its own bad reason."""
        return set()


def _source(group: LogGroup) -> tuple[str, str | None]:
    """The group's lines (file_index, l) in file and line order, and the rejects table prefix
    of a lenient read.

    Lines are read as text (chr(1), which valid JSON never holds raw, as the delimiter) so that
    a line with NUL bytes is a bad record with its line number, not a silently empty one. The
    reader's buffers hold two longest lines, not DuckDB's default of sixteen (256 MiB each:
    under a 700 MB memory limit, 810 MB of log could not be read with them).
    """
    paths, compression = sql_list(group.paths), group.files[0].compression
    if group.variant == "document":
        source = f"""SELECT file_index, json AS l FROM read_json_objects({paths},
                format = 'unstructured', maximum_object_size = {MAX_LINE},
                compression = '{compression}')"""
        return source, None
    rejects = f"_vault_rejects_{group.first_id}"
    lenient = (
        f", ignore_errors = true, store_rejects = true, rejects_table = '{rejects}_errors', "
        f"rejects_scan = '{rejects}_scans'"
        if group.lenient
        else ""
    )
    source = f"""SELECT file_index, l FROM read_csv({paths}, columns = {{'l': 'VARCHAR'}},
            header = false, delim = chr(1), quote = '', escape = '', auto_detect = false,
            max_line_size = {MAX_LINE}, buffer_size = {2 * MAX_LINE},
            compression = '{compression}'{lenient})"""
    return source, rejects if group.lenient else None


def _parse(table: str, source: str) -> str:
    """SQL: ``table`` made from ``source``'s lines, each as the fields of its entry (blank
    lines kept, flagged, so that row ids count every line)."""
    kmip = kmip_columns("j")
    return f"""CREATE OR REPLACE TEMP TABLE {table} AS
        WITH lines AS ({source}), entries AS (
            SELECT file_index, l IS NULL OR trim(l) = '' AS blank,
                   CASE WHEN json_valid(l) THEN CAST(l AS JSON) END AS j
            FROM lines
        ), typed AS (
            SELECT *, coalesce(ends_with(j ->> 'type', 'response'), false) AS is_resp,
                   nullif(j ->> '$.request.id', '') AS rid, nullif(j ->> 'error', '') AS err,
                   coalesce(starts_with(j ->> 'type', 'kmip-'), false) AS kmip
            FROM entries
        ), results AS (
            SELECT *, CASE WHEN kmip AND is_resp THEN {kmip["outcome"]} END AS kmip_outcome,
                   CASE WHEN kmip AND is_resp THEN {kmip["error_code"]} END AS kmip_error
            FROM typed
        )
        SELECT * EXCLUDE (j),
               CASE WHEN rid IS NULL THEN md5(CAST(j -> 'request' AS VARCHAR)) END AS hk,
               {_FIELDS}
        FROM results"""


def _pairing(table: str) -> str:
    """SQL: the WITH clause numbering ``table``'s entries by the rows read (lines the reader
    rejected are added back to ``rec`` by the stage, ``LineBook.read_before``) and pairing each
    request with its response, to one row per request (``requests``)."""
    return f"""
        WITH firsts AS (
            SELECT file_index, min(rowid) AS first FROM {table} GROUP BY file_index
        ), hashed AS (
            SELECT e.* EXCLUDE (blank), e.rowid - f.first + 1 AS rec
            FROM {table} e JOIN firsts f USING (file_index) WHERE NOT e.blank
        ), keyed AS (
            SELECT *, coalesce(rid, 'h:' || hk, 'r:' || file_index || ':' || rec) AS pk,
                   CASE WHEN rid IS NULL THEN row_number() OVER (
                       PARTITION BY hk, is_resp ORDER BY file_index, rec) ELSE 1 END AS nth
            FROM hashed
        ), paired AS (
            SELECT *, row_number() OVER (w ORDER BY is_resp, file_index, rec) AS k,
                   max(CASE WHEN is_resp THEN err END) OVER w AS response_err,
                   max(kmip_outcome) OVER w AS response_outcome,
                   max(kmip_error) OVER w AS response_error
            FROM keyed WINDOW w AS (PARTITION BY pk, nth)
        ), requests AS (
            SELECT *, coalesce(response_err, err) AS e FROM paired WHERE k = 1
        )"""


def _fields() -> str:
    """SQL: the fields of an entry (``j``) its event is made from, as plain columns."""
    fields = {
        "x_type": "json_type(j)",
        "x_time": "j ->> 'time'",
        "x_key": """nullif(coalesce(j ->> '$.auth.accessor',
                                    j ->> '$.request.client_token_accessor',
                                    j ->> '$.request.client_certificate_serial_number'), '')""",
        "x_principal": "nullif(j ->> '$.auth.display_name', '')",
        "x_address": "j ->> '$.request.remote_address'",
        "x_agent": """j ->> '$.request.headers."user-agent"[0]'""",
        "x_operation": "j ->> '$.request.operation'",
        "path": "j ->> '$.request.path'",
        "x_kmip_action": f"CASE WHEN kmip THEN {kmip_columns('j')['action']} END",
    }
    return ",\n                   ".join(f"{sql} AS {name}" for name, sql in fields.items())


_FIELDS = _fields()


def _mapping(assume_tz: str | None) -> dict[str, str]:
    """Stage columns from ``requests`` (the request entry's fields, e = the pair's error)."""
    login = "(path LIKE 'auth/%' AND e ILIKE '%invalid%')"
    no_zone = "" if assume_tz else f"WHEN {zone_missing_sql(TIME)} THEN 'time: {NO_ZONE}'"
    return {
        "ts": f"TRY_CAST({TIME} AS TIMESTAMPTZ)",
        "key_id": "x_key",
        "principal": "x_principal",
        "source_ip": "x_address",
        "user_agent": "x_agent",
        "action": """CASE WHEN kmip THEN x_kmip_action
            ELSE concat_ws(' ', x_operation, path) END""",
        "outcome": f"""CASE WHEN x_type IS NULL THEN NULL
            WHEN kmip THEN coalesce(response_outcome, 'success')
            WHEN e IS NULL THEN 'success'
            WHEN e ILIKE '%invalid token%' OR e ILIKE '%bad token%'
                 OR e ILIKE '%missing client token%' OR {login} THEN 'auth_failed'
            WHEN e ILIKE '%permission denied%' THEN 'denied'
            ELSE 'error' END""",
        "error_code": """CASE WHEN kmip THEN response_error
            ELSE nullif(trim(regexp_replace(regexp_replace(e, '^[0-9]+ errors? occurred:', ''),
                                            '[\\s*]+', ' ', 'g')), '') END""",
        "request_id": "rid",
        "rec": "rec",
        "bad": f"""CASE WHEN x_type IS NULL THEN 'record: not valid JSON'
            WHEN x_type <> 'OBJECT' THEN 'record: not a JSON object'
            WHEN {TIME} IS NULL THEN 'time: missing'
            WHEN TRY_CAST({TIME} AS TIMESTAMPTZ) IS NULL THEN 'time: not a timestamp'
            {no_zone}
            END""",
    }


TIME = "x_time"
