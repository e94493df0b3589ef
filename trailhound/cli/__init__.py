"""The ``trailhound`` command line: a thin shell over the library.

Each command module registers its commands on :data:`trailhound.cli.app.app`;
every command parses options, builds :class:`Settings`, calls one function,
and :func:`main` maps :class:`TrailhoundError` to one line plus an exit code.
"""

from __future__ import annotations

import sys

from trailhound.cli import (  # noqa: F401  (modules register commands)
    anomaly,
    apikey,
    compact,
    es,
    ingest,
    main_job,
    serve,
    simulate,
)
from trailhound.cli.app import app, err_console
from trailhound.errors import TrailhoundError


def main() -> None:
    """Entry point: run the app, turning our errors into one line and an exit code."""
    try:
        app()
    except TrailhoundError as exc:
        err_console.print(f"[red]error[/] [{exc.code}]: {exc.message}", highlight=False)
        sys.exit(exc.exit_code)
