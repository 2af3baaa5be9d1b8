"""The ``keyvigil`` command: root group, subcommands, and the one place errors become exits."""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from toolkit import __version__
from toolkit.cli.options import global_options
from toolkit.cli.output import visible, visible_stdout
from toolkit.errors import ToolkitError
from toolkit.process import settle_imports

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_BROKEN_PIPE = 141  # what a shell reports for a process ended by SIGPIPE
OUT_OF_MEMORY = (
    "out of memory: the command needed more memory than this process may use (a resource "
    "limit such as ulimit -v or a container cap, not a fault in the input); the database is "
    "unchanged. Raise the limit or give fewer or smaller files at a time"
)


class InputFailure(click.ClickException):
    """A ToolkitError shown as ``Error: ...`` with exit code 2."""

    exit_code = EXIT_BAD_INPUT


class InternalFailure(click.ClickException):
    """An unexpected failure, shown without a traceback (which could quote secret values)."""

    exit_code = EXIT_INTERNAL


COMMANDS = (
    *("inventory", "alerts", "policy", "waiver", "audit", "report", "trail", "demo", "scan"),
    *("finding", "keys", "checklist", "incident", "playbook"),
)
"""The commands; each is ``command`` in its own module, ``toolkit.cli.<name>``."""


class KeyvigilGroup(click.Group):
    """The root group: its commands are loaded when named (a command then imports only what it
    uses, not the log engine, the report renderer and every other command's code: 0.4 to 0.5 s
    of start-up), and library errors become one-line messages with the right exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, in order (``--help`` loads them all to show their help)."""
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command named, its module loaded on first use (and its code settled)."""
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            self.add_command(importlib.import_module(f"toolkit.cli.{cmd_name}").command)
            settle_imports()
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; map ToolkitError to exit 2 and anything unexpected to exit 3."""
        try:
            with visible_stdout():
                return super().invoke(ctx)
        except ToolkitError as exc:
            raise InputFailure(visible(str(exc))) from None
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            raise click.Abort() from None
        except MemoryError:  # a limit of the machine or of ulimit, not a fault of the input
            raise InternalFailure(OUT_OF_MEMORY) from None
        except BrokenPipeError:  # `keyvigil ... | head`: the reader left; stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise click.exceptions.Exit(EXIT_BROKEN_PIPE) from None
        except Exception as exc:  # the CLI's last line of defence; never print a traceback
            if os.environ.get("KEYVIGIL_DEBUG") == "1":
                raise
            raise InternalFailure(
                f"internal error ({type(exc).__name__}); set KEYVIGIL_DEBUG=1 to see details"
            ) from None


@click.group(cls=KeyvigilGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="keyvigil")
@global_options
def cli() -> None:
    """Keep API keys and machine credentials honest: inventories, access logs, audits.

    Global options (--db, --policy, --actor, --as-of, --json) may come before or after
    the command name.
    """


def main() -> None:
    """Console-script entry point (the code imported so far is settled; a command's own
    module is settled when it is loaded)."""
    settle_imports()
    cli.main(prog_name="keyvigil", args=sys.argv[1:])
