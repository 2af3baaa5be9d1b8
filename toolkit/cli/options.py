"""Options declared once: the global ones accepted before or after any command, and output flags."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from toolkit.cli.context import AppContext
from toolkit.timeutil import parse_cli_time

F = TypeVar("F", bound=Callable[..., Any])


def app(ctx: click.Context) -> AppContext:
    """The shared context object of this invocation."""
    return ctx.ensure_object(AppContext)


def _setter(attribute: str, convert: Callable[[Any], Any] | None = None) -> Any:
    """A callback that records an option on the shared context when it was given."""

    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if value is None or value is False:
            return
        setattr(app(ctx), attribute, convert(value) if convert else value)

    return callback


GLOBAL_OPTIONS = (
    click.option(
        "--db",
        "db",
        metavar="URL",
        expose_value=False,
        callback=_setter("db"),
        help="Database URL or SQLite file (default: KEYVIGIL_DB, else the user data dir).",
    ),
    click.option(
        "--policy",
        metavar="FILE",
        expose_value=False,
        type=click.Path(dir_okay=False, path_type=Path),
        callback=_setter("policy"),
        help="Policy YAML (default: KEYVIGIL_POLICY, else the built-in defaults).",
    ),
    click.option(
        "--actor",
        metavar="NAME",
        expose_value=False,
        callback=_setter("actor"),
        help="Who is acting, for the trail (default: KEYVIGIL_ACTOR, else the OS user).",
    ),
    click.option(
        "--as-of",
        "as_of",
        metavar="TIME",
        expose_value=False,
        callback=_setter("as_of", parse_cli_time),
        help="Evaluate as at this UTC time (ISO 8601) instead of now.",
    ),
    click.option(
        "--json",
        "json",
        is_flag=True,
        default=False,
        expose_value=False,
        callback=_setter("json"),
        help="Print JSON for scripts.",
    ),
)


def global_options(func: F) -> F:
    """Attach the global options, so they work after the command name too."""
    for option in reversed(GLOBAL_OPTIONS):
        func = option(func)
    return func


LOG_READING_OPTIONS = (
    click.option("--log-format", metavar="NAME", help="Force a log reader instead of sniffing."),
    click.option(
        "--skip-bad-records", is_flag=True, help="Skip unreadable log records; say how many, where."
    ),
    click.option("--assume-tz", metavar="ZONE", help="Zone of timestamps written without one."),
)


def log_reading_options(func: F) -> F:
    """``--log-format``, ``--skip-bad-records`` and ``--assume-tz`` for commands reading logs."""
    for option in reversed(LOG_READING_OPTIONS):
        func = option(func)
    return func
