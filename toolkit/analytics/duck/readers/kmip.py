"""KMIP messages in Vault Enterprise audit entries: operation, result status and reason as SQL."""

from __future__ import annotations

from toolkit.analytics.duck.readers.base import sql_str

# KMIP 1.x enumerations (OASIS KMIP Specification, 9.1.3.2.27 Operation, 9.1.3.2.28 Result
# Status, 9.1.3.2.29 Result Reason); Vault logs them as hex ('0x0000000a') or as names.
OPERATIONS = (
    "Create", "Create Key Pair", "Register", "Re-key", "Derive Key", "Certify", "Re-certify",
    "Locate", "Check", "Get", "Get Attributes", "Get Attribute List", "Add Attribute",
    "Modify Attribute", "Delete Attribute", "Obtain Lease", "Get Usage Allocation", "Activate",
    "Revoke", "Destroy", "Archive", "Recover", "Validate", "Query", "Cancel", "Poll", "Notify",
    "Put", "Re-key Key Pair", "Discover Versions", "Encrypt", "Decrypt", "Sign",
    "Signature Verify", "MAC", "MAC Verify", "RNG Retrieve", "RNG Seed", "Hash",
    "Create Split Key", "Join Split Key",
)  # fmt: skip
REASONS = {
    1: "Item Not Found", 2: "Response Too Large", 3: "Authentication Not Successful",
    4: "Invalid Message", 5: "Operation Not Supported", 6: "Missing Data", 7: "Invalid Field",
    8: "Feature Not Supported", 9: "Operation Canceled By Requester", 10: "Cryptographic Failure",
    11: "Illegal Operation", 12: "Permission Denied", 13: "Object Archived",
    14: "Index Out of Bounds", 15: "Application Namespace Not Supported",
    16: "Key Format Type Not Supported", 17: "Key Compression Type Not Supported",
    256: "General Failure",
}  # fmt: skip
FAILED, UNDONE = 1, 3  # Result Status: 0 Success, 1 Operation Failed, 2 Pending, 3 Undone
AUTH_FAILED, DENIED = 3, 12


def _code(value: str, names: dict[int, str]) -> str:
    """SQL: an enumeration value (hex text, or its name in any spacing and case) as an integer."""
    by_name = " ".join(
        f"WHEN {sql_str(_squash(name))} THEN {number}" for number, name in names.items()
    )
    return f"""coalesce(TRY_CAST({value} AS INTEGER),
        CASE lower(regexp_replace({value}, '[^A-Za-z0-9]', '', 'g')) {by_name} END)"""


def _squash(name: str) -> str:
    """A name as compared: lower case, letters and digits only."""
    return "".join(c for c in name.lower() if c.isalnum())


def _items(entry: str, message: str, tag: str) -> str:
    """SQL: the values of every ``tag`` field in a KMIP message's batch items, as a list."""
    children = f"json_extract({entry}, '$.{message}.value[*].value[*]')"
    return (
        f"list_transform(list_filter({children}, lambda x: x ->> 'tag' = '{tag}'), "
        "lambda x: x ->> 'value')"
    )


def kmip_columns(entry: str) -> dict[str, str]:
    """SQL for the action, outcome and error_code of one KMIP audit entry (a JSON column)."""
    operations = dict(enumerate(OPERATIONS, start=1))
    statuses = {
        0: "Success",
        FAILED: "Operation Failed",
        2: "Operation Pending",
        UNDONE: "Operation Undone",
    }
    message = "response.data.kmip_response"
    status = _coded(_items(entry, message, "ResultStatus"), statuses)
    reason = _coded(_items(entry, message, "ResultReason"), REASONS)
    op = f"{_items(entry, 'request.data.kmip_request', 'Operation')}[1]"
    # a status that is neither a known number nor a known name counts as a failure
    failed = (
        f"(list_has_any({status}, [{FAILED}, {UNDONE}]) OR list_count({status}) < len({status}))"
    )
    return {
        "action": f"'kmip ' || coalesce({_named(_code(op, operations), operations)}, {op}, '?')",
        "outcome": f"""CASE WHEN NOT {failed} THEN 'success'
            WHEN list_contains({reason}, {AUTH_FAILED}) THEN 'auth_failed'
            WHEN list_contains({reason}, {DENIED}) THEN 'denied' ELSE 'error' END""",
        "error_code": f"""CASE WHEN {failed}
            THEN coalesce({_named(f"{reason}[1]", REASONS)}, 'Operation Failed') END""",
    }


def _coded(values: str, names: dict[int, str]) -> str:
    """SQL: a list of enumeration values as integers."""
    return f"list_transform({values}, lambda v: {_code('v', names)})"


def _named(number: str, names: dict[int, str]) -> str:
    """SQL: an enumeration number as its name (NULL when unknown)."""
    return (
        f"CASE {number} "
        + " ".join(f"WHEN {n} THEN {sql_str(v)}" for n, v in names.items())
        + " END"
    )
