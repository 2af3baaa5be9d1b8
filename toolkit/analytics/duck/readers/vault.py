"""HashiCorp Vault audit device: JSON lines of request/response entries, one event per request."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from toolkit.analytics.duck.readers.base import (
    LogFile,
    LogGroup,
    ReaderSql,
    first_json_line,
    sql_list,
)

ENTRY_TYPES = ("request", "response")


class VaultReader:
    """Vault's file/socket audit device (format=json): request and response entries, paired."""

    name = "vault"
    description = "HashiCorp Vault audit device JSON lines (request/response pairs)"

    def variant(self, log: LogFile) -> str | None:
        """Recognise the first entry: a type of request/response with time and auth/request."""
        first = first_json_line(log.head)
        if first is None:
            return None
        kind = str(first.get("type", ""))
        if kind.endswith(ENTRY_TYPES) and "time" in first and ({"request", "auth"} & set(first)):
            return "jsonl"
        return None

    def select_sql(self, con: duckdb.DuckDBPyConnection, group: LogGroup) -> ReaderSql:
        """Number every line, parse it, pair entries on request.id, map one row per request."""
        prefix = f"""
        WITH lines AS (
            SELECT file_index, row_number() OVER () AS n, l
            FROM read_csv({sql_list(group.paths)}, columns = {{'l': 'VARCHAR'}}, header = false,
                          delim = chr(0), quote = '', escape = '', auto_detect = false,
                          max_line_size = 16777216,
                          compression = '{group.files[0].compression}')
        ), numbered AS (
            SELECT file_index, n - min(n) OVER (PARTITION BY file_index) + 1 AS rec, l FROM lines
        ), entries AS (
            SELECT file_index, rec, CASE WHEN json_valid(l) THEN CAST(l AS JSON) END AS j
            FROM numbered WHERE l IS NOT NULL AND trim(l) <> ''
        ), typed AS (
            SELECT *, j ->> 'type' AS type, nullif(j ->> '$.request.id', '') AS rid,
                   nullif(j ->> 'error', '') AS err
            FROM entries
        ), paired AS (
            SELECT *,
                   row_number() OVER (PARTITION BY rid ORDER BY ends_with(type, 'request') DESC,
                                      file_index, rec) AS k,
                   max(CASE WHEN ends_with(type, 'response') THEN err END)
                       OVER (PARTITION BY rid) AS response_err
            FROM typed
        ), requests AS (
            SELECT *, coalesce(response_err, err) AS e, j ->> '$.request.path' AS path
            FROM paired WHERE rid IS NULL OR k = 1
        )"""
        return ReaderSql(_mapping(), "requests", prefix)

    def locate(
        self, con: duckdb.DuckDBPyConnection, log: LogFile, ordinals: Sequence[int]
    ) -> dict[int, tuple[int, bool]]:
        """Every row already carries its line number."""
        return {o: (o, True) for o in ordinals}


def _mapping() -> dict[str, str]:
    """Stage columns from ``requests`` (j = the request entry, e = the pair's error)."""
    login = "(path LIKE 'auth/%' AND e ILIKE '%invalid%')"
    return {
        "ts": "TRY_CAST(j ->> 'time' AS TIMESTAMPTZ)",
        "key_id": """nullif(coalesce(j ->> '$.auth.accessor',
                                     j ->> '$.request.client_token_accessor'), '')""",
        "principal": "nullif(j ->> '$.auth.display_name', '')",
        "source_ip": "j ->> '$.request.remote_address'",
        "user_agent": """j ->> '$.request.headers."user-agent"[0]'""",
        "action": "concat_ws(' ', j ->> '$.request.operation', path)",
        "outcome": f"""CASE WHEN j IS NULL THEN NULL WHEN e IS NULL THEN 'success'
            WHEN e ILIKE '%invalid token%' OR e ILIKE '%bad token%'
                 OR e ILIKE '%missing client token%' OR {login} THEN 'auth_failed'
            WHEN e ILIKE '%permission denied%' THEN 'denied'
            ELSE 'error' END""",
        "error_code": """nullif(trim(regexp_replace(
            regexp_replace(e, '^[0-9]+ errors? occurred:', ''), '[\\s*]+', ' ', 'g')), '')""",
        "rec": "rec",
        "bad": """CASE WHEN j IS NULL THEN 'record: not valid JSON'
            WHEN json_type(j) <> 'OBJECT' THEN 'record: not a JSON object'
            WHEN j ->> 'time' IS NULL THEN 'time: missing'
            WHEN TRY_CAST(j ->> 'time' AS TIMESTAMPTZ) IS NULL THEN 'time: not a timestamp'
            END""",
    }
