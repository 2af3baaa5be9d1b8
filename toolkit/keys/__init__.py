"""Generation, replacement and revocation of inventoried keys; values are never kept."""

from toolkit.keys.lifecycle import (
    GENERATED_PROVIDER,
    KeyRef,
    KeySpec,
    Revocation,
    create_key,
    create_replacement,
    find_key,
    key_ref,
    new_key_id,
    revoke_key,
)
from toolkit.keys.secret import (
    KEY_BYTES,
    NewSecret,
    TokenSource,
    generate_secret,
    show_secret_once,
    write_secret_file,
)

__all__ = [
    "GENERATED_PROVIDER",
    "KEY_BYTES",
    "KeyRef",
    "KeySpec",
    "NewSecret",
    "Revocation",
    "TokenSource",
    "create_key",
    "create_replacement",
    "find_key",
    "generate_secret",
    "key_ref",
    "new_key_id",
    "revoke_key",
    "show_secret_once",
    "write_secret_file",
]
