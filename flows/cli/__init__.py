"""The `kg` command line: one module per group of commands (ingest, graph, evaluate), the
shared options and formatting in common. Each error becomes one line on stderr and an exit
code: 0 everything ingested, 2 some documents rejected (the rest ingested), 1 fatal."""

from __future__ import annotations

import importlib
import os
import sys

import typer

from flows.cli.common import EXIT_FATAL, EXIT_OK, app, err
from flows.errors import KgError

# Each module registers its commands; `kg --help` lists them in this order.
for _module in ("ingest", "graph", "evaluate"):
    importlib.import_module(f"flows.cli.{_module}")

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> int:
    # Prefect reads these when first imported (by a command): no telemetry, since there is
    # no network, and quieter logs.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    try:
        # Not standalone: click would exit 2 on usage errors, and 2 means "some rejected".
        result = app(args=argv, standalone_mode=False)
    except KgError as exc:
        err.print(f"kg: error: {exc}", markup=False, highlight=False)
        return EXIT_FATAL
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err.print("kg: aborted", highlight=False)
        return EXIT_FATAL
    except typer.TyperException as exc:  # usage errors: bad command, option or value
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        err.print(f"kg: error: {message}", markup=False, highlight=False)
        return EXIT_FATAL
    return result if isinstance(result, int) else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
