"""Runs app actions through the SDK's local runner, as a subprocess, and reads its report.

``python src/app.py action <name> -p params.json -a asset.json`` prints the
action's status, data, summary and message as log lines; this module parses
them back so tests assert on exactly what SOAR would store.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

APP_DIR = Path(__file__).resolve().parents[1]
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class ActionRun:
    """What the local runner reported for one action run."""

    success: bool
    data: list[dict[str, Any]]
    summary: dict[str, Any]
    message: str
    output: str


def _between(text: str, start: str, end: str) -> str:
    head = text.index(start) + len(start)
    return text[head : text.index(end, head)]


def parse_report(output: str) -> ActionRun:
    """Parse the runner's closing report (the last one, if the output holds several)."""
    text = _ANSI.sub("", output)
    report = text[text.rindex("Action success: ") :]
    success = (
        report.split("\n", 1)[0].removeprefix("Action success: ").strip() == "True"
    )
    data = json.loads(_between(report, "Result data: ", "\nResult summary: "))
    summary_text = _between(report, "Result summary: ", "\nResult message: ").strip()
    summary = ast.literal_eval(summary_text) if summary_text else {}
    message = _between(
        report, "Result message: ", "\nObjects successful/total:"
    ).strip()
    return ActionRun(
        success=success, data=data, summary=summary, message=message, output=text
    )


def run_action(
    name: str,
    asset: dict[str, Any],
    params: dict[str, Any] | None = None,
    *,
    timeout: float = 120,
) -> ActionRun:
    """Run action ``name`` (its identifier, e.g. ``get_neighborhood``) via the local runner."""
    with tempfile.TemporaryDirectory(prefix="th-soar-") as tmp:
        asset_file = Path(tmp) / "asset.json"
        asset_file.write_text(json.dumps(asset))
        argv = [sys.executable, "src/app.py", "action", name, "-a", str(asset_file)]
        if params is not None:
            param_file = Path(tmp) / "params.json"
            param_file.write_text(json.dumps(params))
            argv += ["-p", str(param_file)]
        env = {**os.environ, "NO_COLOR": "1"}
        proc = subprocess.run(
            argv,
            cwd=APP_DIR,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    if "Action success: " not in proc.stdout:
        raise AssertionError(
            f"runner produced no report (rc={proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
        )
    return parse_report(proc.stdout)
