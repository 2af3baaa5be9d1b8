"""Country from IP address, offline, inside DuckDB: private ranges in SQL, then RIR data."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import cast

import duckdb
import iptocc
from duckdb.func import FunctionNullHandling

IP_TABLE = "_ip_country"  # one row per distinct source IP of the events that lack a country
LOOKUP_FUNCTION = "keyvigil_ip_country"
MAX_EXAMPLES = 5


@dataclass(frozen=True)
class IpSummary:
    """What could not be turned into a country."""

    unparsed: int  # events whose source_ip looks like an address but is not a valid one
    examples: tuple[str, ...]  # a few such values (addresses are not secrets)
    non_ip: int  # events whose source is a name, e.g. 'ec2.amazonaws.com' or 'AWS Internal'
    looked_up: int = 0  # distinct addresses that needed a country


# IPv4 ranges that are not a place: private, loopback, link-local, CGNAT, "this network".
PRIVATE_V4 = (
    ("10.0.0.0", 8),
    ("172.16.0.0", 12),
    ("192.168.0.0", 16),
    ("127.0.0.0", 8),
    ("169.254.0.0", 16),
    ("100.64.0.0", 10),
    ("0.0.0.0", 8),
)
V4_RE = r"^(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$"


def _v4_int(address: str) -> int:
    """An IPv4 dotted quad as an integer."""
    a, b, c, d = (int(x) for x in address.split("."))
    return (a << 24) | (b << 16) | (c << 8) | d


def _private_v4_sql(column: str) -> str:
    """SQL true when the integer IPv4 column lies in a non-public range."""
    parts = []
    for start, bits in PRIVATE_V4:
        lo = _v4_int(start)
        parts.append(f"{column} BETWEEN {lo} AND {lo + 2 ** (32 - bits) - 1}")
    return "(" + " OR ".join(parts) + ")"


def bare_address_sql(column: str) -> str:
    """SQL: an address as logged without brackets, port or IPv4-mapped prefix.

    ``[2001:db8::1]:443`` -> ``2001:db8::1``; ``203.0.113.7:5123`` -> ``203.0.113.7``;
    ``::ffff:10.0.0.1`` -> ``10.0.0.1``. Anything else is returned trimmed (lower case).
    """
    v6 = f"regexp_replace(lower(trim({column})), '^\\[([0-9a-f:.]+)\\](:[0-9]+)?$', '\\1')"
    unmapped = f"regexp_replace({v6}, '^::ffff:([0-9.]+)$', '\\1')"
    return f"regexp_replace({unmapped}, '^([0-9.]+):[0-9]+$', '\\1')"


def ip_table_sql(relation: str) -> str:
    """SQL creating IP_TABLE for the distinct source IPs of rows that carry no country."""
    octets = "list_transform(string_split(n, '.'), lambda x: TRY_CAST(x AS UTINYINT))"
    return f"""
    CREATE OR REPLACE TEMP TABLE {IP_TABLE} AS
    WITH ips AS (
        SELECT DISTINCT source_ip AS ip FROM {relation}
        WHERE country IS NULL AND source_ip IS NOT NULL AND source_ip <> ''
    ), norm AS (
        SELECT ip, {bare_address_sql("ip")} AS n FROM ips
    ), kinds AS (
        SELECT ip, n, regexp_full_match(n, '{V4_RE}') AS v4_shaped,
               contains(n, ':') AND regexp_full_match(n, '[0-9a-f:]+') AS v6
        FROM norm
    ), parsed AS (
        SELECT ip, n, v6, CASE WHEN v4_shaped THEN {octets} END AS o FROM kinds
    ), v4 AS (
        SELECT ip, n, v6,
               CASE WHEN list_count(o) = 4
                    THEN o[1]::BIGINT * 16777216 + o[2]::BIGINT * 65536 + o[3]::BIGINT * 256
                         + o[4] END AS v4
        FROM parsed
    )
    SELECT ip, n AS addr,
           CASE WHEN v4 IS NOT NULL AND {_private_v4_sql("v4")} THEN 'private'
                WHEN v6 AND (n = '::1' OR n = '::' OR n LIKE 'fc%' OR n LIKE 'fd%'
                             OR regexp_matches(n, '^fe[89ab]')) THEN 'private'
           END AS country,
           v4 IS NOT NULL OR v6 AS parsed
    FROM v4
    """


def register_lookup(con: duckdb.DuckDBPyConnection) -> None:
    """Make the offline RIR lookup (iptocc) callable from SQL as keyvigil_ip_country(addr)."""
    try:
        con.create_function(
            LOOKUP_FUNCTION,
            cast(Callable[[str], str | None], iptocc.country_code),  # overloaded in its stubs
            ["VARCHAR"],
            "VARCHAR",
            null_handling=FunctionNullHandling.SPECIAL,
            side_effects=False,
        )
    except duckdb.CatalogException:
        pass  # already registered on this connection


def fill_countries(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    materialize: bool,
    stored: Collection[str] = ("source_ip", "country"),
) -> IpSummary:
    """Derive missing countries once per distinct IP; say how many IPs could not be parsed."""
    if "source_ip" not in stored:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {IP_TABLE} (ip VARCHAR, country VARCHAR)")
        return IpSummary(0, (), 0, 0)
    con.execute(ip_table_sql(relation))
    distinct, to_look_up, unparsed_ips = con.execute(
        f"""SELECT count(*), count(*) FILTER (WHERE country IS NULL AND parsed),
                   count(*) FILTER (WHERE NOT parsed) FROM {IP_TABLE}"""
    ).fetchall()[0]  # fetchall: the result must be finished before create_function
    if to_look_up:  # the UDF costs a numpy import: only when some address needs it
        register_lookup(con)
        con.execute(
            f"""UPDATE {IP_TABLE} SET country = {LOOKUP_FUNCTION}(addr)
                WHERE country IS NULL AND parsed"""
        )
    if materialize and distinct > unparsed_ips:
        con.execute(
            f"""UPDATE {relation} SET country = g.country FROM {IP_TABLE} g
                WHERE {relation}.country IS NULL AND {relation}.source_ip = g.ip
                  AND g.country IS NOT NULL"""
        )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _ip_unparsed AS
            SELECT ip, regexp_full_match(addr, '[0-9a-f.:]+') AS ip_like
            FROM {IP_TABLE} WHERE NOT parsed"""
    )
    if not unparsed_ips:  # nothing to count: no pass over the events
        return IpSummary(0, (), 0, int(distinct))
    unparsed, non_ip = con.execute(
        f"""SELECT count(*) FILTER (WHERE g.ip_like), count(*) FILTER (WHERE NOT g.ip_like)
            FROM {relation} e JOIN _ip_unparsed g ON e.source_ip = g.ip"""
    ).fetchone() or (0, 0)
    examples = con.execute(
        f"SELECT ip FROM _ip_unparsed WHERE ip_like ORDER BY ip LIMIT {MAX_EXAMPLES}"
    ).fetchall()
    return IpSummary(int(unparsed), tuple(r[0] for r in examples), int(non_ip), int(distinct))


def enriched(relation: str, materialize: bool, looked_up: int = 1) -> str:
    """The relation to read events from: the table itself, or the view joined with countries."""
    if materialize or not looked_up:
        return relation
    return f"""(SELECT e.* REPLACE (coalesce(e.country, g.country) AS country)
               FROM {relation} e LEFT JOIN {IP_TABLE} g ON e.source_ip = g.ip)"""
