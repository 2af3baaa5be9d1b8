"""What every command shares: database, policy file, actor and as-of time, set once per call."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from toolkit.store import Store, open_store, resolve_db_url

ENV_ACTOR = "KEYVIGIL_ACTOR"
ENV_POLICY = "KEYVIGIL_POLICY"
ENV_TRAIL_KEY = "KEYVIGIL_TRAIL_KEY"
"""When set, new trail entries are authenticated with HMAC-SHA256 under this secret."""


@dataclass
class AppContext:
    """Global options, whether given before or after the command name."""

    db: str | None = None
    policy: Path | None = None
    actor: str | None = None
    as_of: datetime | None = None
    json: bool = False
    _store: Store | None = field(default=None, repr=False)

    def store(self) -> Store:
        """The database, opened (and upgraded) on first use."""
        if self._store is None:
            key = os.environ.get(ENV_TRAIL_KEY) or None
            self._store = open_store(resolve_db_url(self.db), key.encode("utf-8") if key else None)
        return self._store

    def actor_name(self) -> str:
        """Who is acting: ``--actor``, else ``KEYVIGIL_ACTOR``, else the OS user."""
        if self.actor:
            return self.actor
        if os.environ.get(ENV_ACTOR):
            return os.environ[ENV_ACTOR]
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return "unknown"

    def policy_path(self) -> Path | None:
        """The policy file: ``--policy``, else ``KEYVIGIL_POLICY``, else None (seed defaults)."""
        if self.policy:
            return self.policy
        env = os.environ.get(ENV_POLICY)
        return Path(env) if env else None

    def clock(self) -> datetime:
        """The time rules are evaluated at: ``--as-of``, else now."""
        return self.as_of or datetime.now(UTC)

    @staticmethod
    def wall_clock() -> datetime:
        """The real time, for trail entries and import records."""
        return datetime.now(UTC)
