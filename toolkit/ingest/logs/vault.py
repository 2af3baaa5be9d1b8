"""HashiCorp Vault audit device: JSON lines of request/response entries, one event per request."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from toolkit.ingest.logs.base import LogFile, LogGroup, first_json_line, sql_list

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

    def select_sql(self, con: duckdb.DuckDBPyConnection, group: LogGroup) -> str:
        """Number every line, parse it, pair entries on request.id, map one row per request."""
        return f"""
        WITH lines AS (
            SELECT CAST(file_index + {group.first_id} AS INTEGER) AS file_id,
                   row_number() OVER () AS n, l
            FROM read_csv({sql_list(group.paths)}, columns = {{'l': 'VARCHAR'}}, header = false,
                          delim = chr(0), quote = '', escape = '', auto_detect = false,
                          max_line_size = 16777216,
                          compression = '{group.files[0].compression}')
        ), numbered AS (
            SELECT file_id, n - min(n) OVER (PARTITION BY file_id) + 1 AS rec, l FROM lines
        ), entries AS (
            SELECT file_id, rec, CASE WHEN json_valid(l) THEN CAST(l AS JSON) END AS j
            FROM numbered WHERE l IS NOT NULL AND trim(l) <> ''
        ), typed AS (
            SELECT *, j ->> 'type' AS type, nullif(j ->> '$.request.id', '') AS rid,
                   nullif(j ->> 'error', '') AS err
            FROM entries
        ), paired AS (
            SELECT *,
                   row_number() OVER (PARTITION BY rid ORDER BY ends_with(type, 'request') DESC,
                                      file_id, rec) AS k,
                   max(CASE WHEN ends_with(type, 'response') THEN err END)
                       OVER (PARTITION BY rid) AS response_err
            FROM typed
        ), requests AS (
            SELECT *, coalesce(response_err, err) AS e, j ->> '$.request.path' AS path
            FROM paired WHERE rid IS NULL OR k = 1
        )
        {_mapping()}"""

    def locate(
        self, con: duckdb.DuckDBPyConnection, log: LogFile, ordinals: Sequence[int]
    ) -> dict[int, int]:
        """Every row already carries its line number."""
        return {o: o for o in ordinals}


def _mapping() -> str:
    """The SELECT from ``requests`` onto STAGE_COLUMNS."""
    login = "(path LIKE 'auth/%' AND e ILIKE '%invalid%')"
    return f"""
        SELECT TRY_CAST(j ->> 'time' AS TIMESTAMPTZ) AS ts,
               nullif(coalesce(j ->> '$.auth.accessor', j ->> '$.request.client_token_accessor'),
                      '') AS key_id,
               nullif(j ->> '$.auth.display_name', '') AS principal,
               j ->> '$.request.remote_address' AS source_ip,
               CAST(NULL AS VARCHAR) AS country,
               j ->> '$.request.headers."user-agent"[0]' AS user_agent,
               concat_ws(' ', j ->> '$.request.operation', path) AS action,
               CASE WHEN e IS NULL THEN 'success'
                    WHEN e ILIKE '%invalid token%' OR e ILIKE '%bad token%'
                         OR e ILIKE '%missing client token%' OR {login} THEN 'auth_failed'
                    WHEN e ILIKE '%permission denied%' THEN 'denied'
                    ELSE 'error' END AS outcome,
               nullif(trim(regexp_replace(regexp_replace(e, '^[0-9]+ errors? occurred:', ''),
                                          '[\\s*]+', ' ', 'g')), '') AS error_code,
               file_id, rec,
               CASE WHEN j IS NULL THEN 'record: not valid JSON'
                    WHEN json_type(j) <> 'OBJECT' THEN 'record: not a JSON object'
                    WHEN j ->> 'time' IS NULL THEN 'time: missing'
                    WHEN TRY_CAST(j ->> 'time' AS TIMESTAMPTZ) IS NULL
                    THEN 'time: not a timestamp'
               END AS bad,
               CAST(NULL AS VARCHAR) AS event_id, CAST(NULL AS VARCHAR) AS skip
        FROM requests"""
