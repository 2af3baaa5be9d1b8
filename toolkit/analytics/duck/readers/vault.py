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
        """Number every entry, parse it, pair requests with responses, one row per request.

        The fields an event needs are taken out of each entry before the pairing, which then
        holds only them: an entry's whole JSON through the pairing's windows kept about 3.5
        times the log's size in memory.
        """
        entries, rejects = _entries(group)
        kmip = kmip_columns("j")
        prefix = f"""
        WITH {entries}, typed AS (
            SELECT *, coalesce(ends_with(j ->> 'type', 'response'), false) AS is_resp,
                   nullif(j ->> '$.request.id', '') AS rid, nullif(j ->> 'error', '') AS err,
                   coalesce(starts_with(j ->> 'type', 'kmip-'), false) AS kmip
            FROM entries
        ), results AS (
            SELECT *, CASE WHEN kmip AND is_resp THEN {kmip["outcome"]} END AS kmip_outcome,
                   CASE WHEN kmip AND is_resp THEN {kmip["error_code"]} END AS kmip_error
            FROM typed
        ), hashed AS (
            SELECT * EXCLUDE (j),
                   CASE WHEN rid IS NULL THEN md5(CAST(j -> 'request' AS VARCHAR)) END AS hk,
                   {_FIELDS}
            FROM results
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
        return ReaderSql(
            _mapping(group.assume_tz), "requests", prefix, rejects=rejects, line_records=True
        )

    def locate(
        self, con: duckdb.DuckDBPyConnection, log: LogFile, ordinals: Sequence[int]
    ) -> dict[int, tuple[int, bool]]:
        """Every row already carries its line (or, for printed entries, record) number."""
        return {o: (o, True) for o in ordinals}


def _entries(group: LogGroup) -> tuple[str, str | None]:
    """The ``entries`` CTE (file_index, rec, j) and the rejects table prefix of a lenient read.

    Lines are read as text (chr(1), which valid JSON never holds raw, as the delimiter) so that
    a line with NUL bytes is a bad record with its line number, not a silently empty one.
    """
    paths, compression = sql_list(group.paths), group.files[0].compression
    if group.variant == "document":
        source = f"""SELECT file_index, json AS l FROM read_json_objects({paths},
                format = 'unstructured', maximum_object_size = {MAX_LINE},
                compression = '{compression}')"""
        rejects = None
    else:
        rejects = f"_vault_rejects_{group.first_id}"
        lenient = (
            f", ignore_errors = true, store_rejects = true, rejects_table = '{rejects}_errors', "
            f"rejects_scan = '{rejects}_scans'"
            if group.lenient
            else ""
        )
        source = f"""SELECT file_index, l FROM read_csv({paths}, columns = {{'l': 'VARCHAR'}},
                header = false, delim = chr(1), quote = '', escape = '', auto_detect = false,
                max_line_size = {MAX_LINE}, compression = '{compression}'{lenient})"""
    cte = f"""lines AS (
            SELECT file_index, row_number() OVER () AS n, l FROM ({source})
        ), numbered AS (
            SELECT file_index, n - min(n) OVER (PARTITION BY file_index) + 1 AS rec, l FROM lines
        ), entries AS (
            SELECT file_index, rec, CASE WHEN json_valid(l) THEN CAST(l AS JSON) END AS j
            FROM numbered WHERE l IS NOT NULL AND trim(l) <> ''
        )"""
    return cte, rejects if group.lenient else None


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
