"""A planted repository built with ``git init``: each problem the scanner must find, and canaries.

Values are generated from a fixed seed (no real credential, no wall clock): the tests check that
none of them appears in any output, record or trail entry.
"""

from __future__ import annotations

import os
import random
import string
import subprocess
from dataclasses import dataclass
from pathlib import Path

SEED = 1212
DATES = [f"2026-09-0{day}T10:00:00+00:00" for day in range(1, 7)]


@dataclass(frozen=True)
class Planted:
    """The fixture's folders, its commits and the secret values planted in it."""

    root: Path
    commits: dict[str, str]
    inventoried: str
    aws_key_id: str
    aws_secret: str
    bearer: str
    ignored_token: str

    @property
    def canaries(self) -> list[str]:
        """Every planted value (none may appear anywhere keyvigil writes)."""
        return [self.inventoried, self.aws_key_id, self.aws_secret, self.bearer, self.ignored_token]


def _git(repo: Path, *args: str, date: str | None = None) -> str:
    """Run git in the fixture repository with a fixed identity and date."""
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo.parent)}
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    done = subprocess.run(["git", "-C", str(repo), *args], env=env, check=True, capture_output=True)
    return done.stdout.decode().strip()


def _commit(repo: Path, files: dict[str, str | None], message: str, date: str) -> str:
    """Write (or delete, with None) files and commit them; the new commit's id."""
    for name, text in files.items():
        path = repo / name
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message, date=date)
    return _git(repo, "rev-parse", "HEAD")


def _values() -> tuple[str, str, str, str, str]:
    """Deterministic, realistic-looking secret values."""
    rnd = random.Random(SEED)
    alnum = string.ascii_letters + string.digits

    def pick(alphabet: str, n: int) -> str:
        return "".join(rnd.choice(alphabet) for _ in range(n))

    inventoried = "qk_live_" + pick("0123456789abcdef", 40)
    aws_id = "AKIA" + pick(string.ascii_uppercase + "234567", 16)
    aws_secret = pick(alnum + "/+", 40)
    bearer = pick(alnum, 36)
    ignored = "ghp_" + pick(alnum, 36)
    return inventoried, aws_id, aws_secret, bearer, ignored


def build(tmp: Path) -> Planted:
    """The fixture: repository with history, a log folder, a home folder and an inventory."""
    inventoried, aws_id, aws_secret, bearer, ignored = _values()
    repo = tmp / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.name", "Dev One")
    _git(repo, "config", "user.email", "dev@example.org")
    commits = {
        "base": _commit(
            repo,
            {
                "README.md": "# service\n",
                ".gitignore": "*.log\n",
                ".env.example": "QORE_API_KEY=your-dev-api-key-here\nQORE_API_PORT=17777\n",
                "src/app.py": "import os\n\nAPI_KEY = os.environ['QORE_API_KEY']\n",
            },
            "start",
            DATES[0],
        ),
        "key-added": _commit(
            repo,
            {"src/settings.py": f'TIMEOUT = 30\nQORE_API_KEY = "{inventoried}"\n'},
            "settings",
            DATES[1],
        ),
        "key-removed": _commit(
            repo,
            {"src/settings.py": "TIMEOUT = 30\n"},
            "read the key from the environment",
            DATES[2],
        ),
        "aws-added": _commit(
            repo,
            {
                "config/aws.ini": "[default]\nregion = eu-west-1\n"
                f"aws_access_key_id = {aws_id}\naws_secret_access_key = {aws_secret}\n"
            },
            "aws config",
            DATES[3],
        ),
        "env-added": _commit(
            repo,
            {".env": "QORE_API_HOST=localhost\nQORE_API_PORT=17777\nQORE_LOG_LEVEL=debug\n"},
            "local settings",
            DATES[4],
        ),
    }
    (repo / "debug.log").write_text(f"token={ignored}\n", encoding="utf-8")  # git-ignored
    logs = tmp / "service-logs"
    logs.mkdir()
    (logs / "app.log").write_text(
        "2026-09-05T10:00:00Z GET /v1/health 200\n"
        f"2026-09-05T10:00:01Z GET /v1/keys Authorization: Bearer {bearer} 200\n",
        encoding="utf-8",
    )
    config = tmp / "home" / ".config" / "failsafe-qore"
    config.mkdir(parents=True)
    (config / "credentials").write_text("api_key = see vault\n", encoding="utf-8")
    (config / "credentials").chmod(0o644)
    (config / "settings.toml").write_text("port = 17777\n", encoding="utf-8")
    (config / "settings.toml").chmod(0o600)
    (tmp / "inventory.csv").write_text(
        "id,key,name,owner,purpose,environment,scopes,createdAt\n"
        f"prod-qore-api,{inventoried},Qore API,payments,billing calls,prod,qore:call,"
        "2026-08-01T00:00:00Z\n",
        encoding="utf-8",
    )
    return Planted(tmp, commits, inventoried, aws_id, aws_secret, bearer, ignored)
