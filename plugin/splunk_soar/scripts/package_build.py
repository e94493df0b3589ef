"""Run the SDK's ``soarapps package build`` with a wheel cache and patient downloads.

Why this wrapper exists: the SDK (7.0.3) fetches every locked wheel at once
(``asyncio.gather``) with a 10 s timeout and no retry, which times out on
slow links; and it copies only ``*.py`` from ``src/``, which would drop our
``.graphql`` operation documents.  This script changes exactly those two
things and nothing else of the SDK's build:

* ``UvWheel.fetch`` is replaced by a version that reads the wheel from a local
  wheelhouse when present (checked against uv.lock's sha256, as the SDK does),
  and otherwise downloads it with bounded concurrency, a longer timeout and
  retries with backoff, then stores it in the wheelhouse for the next build.
* After the SDK has written the archive, the ``src/operations/*.graphql`` and
  ``src/fragments/*.graphql`` files are added to it.

Usage (from plugin/splunk_soar, inside its .venv):
    python scripts/package_build.py [-o OUTPUT.tgz] [--wheelhouse DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import os
import sys
import tarfile
from pathlib import Path

import httpx
from soar_sdk.cli.cli import app as soarapps
from soar_sdk.meta.dependencies.sources import UvWheel

APP_DIR = Path(__file__).resolve().parents[1]
DEFAULT_WHEELHOUSE = Path(
    os.environ.get(
        "TRAILHOUND_SOAR_WHEELHOUSE",
        Path.home() / ".cache" / "trailhound" / "soar-wheelhouse",
    )
)
ATTEMPTS = 6
CONCURRENCY = 4
TIMEOUT = httpx.Timeout(60.0, connect=30.0)


def _matches(wheel: UvWheel, data: bytes) -> bool:
    algorithm, expected = wheel.hash.split(":", 1)
    return hashlib.new(algorithm, data).hexdigest() == expected


def install_patient_fetch(wheelhouse: Path) -> None:
    """Swap the SDK's wheel download for a cached, bounded, retrying one."""
    wheelhouse.mkdir(parents=True, exist_ok=True)
    gate: asyncio.Semaphore | None = None

    async def fetch(self: UvWheel) -> bytes:
        nonlocal gate
        if gate is None:  # created inside the SDK's event loop
            gate = asyncio.Semaphore(CONCURRENCY)
        cached = wheelhouse / f"{self.basename}.whl"
        if cached.is_file():
            data = cached.read_bytes()
            if _matches(self, data):
                return data
            cached.unlink()
        if self.url is None:
            raise ValueError(
                f"wheel {self.basename} is neither cached nor downloadable"
            )
        last_error: Exception | None = None
        async with gate:
            for attempt in range(ATTEMPTS):
                try:
                    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
                        response = await client.get(self.url)
                        response.raise_for_status()
                    data = response.content
                    self.validate_hash(data)
                    tmp = cached.with_suffix(".part")
                    tmp.write_bytes(data)
                    tmp.replace(cached)
                    return data
                except (httpx.HTTPError, ValueError) as exc:
                    last_error = exc
                    await asyncio.sleep(min(2**attempt, 20))
        raise RuntimeError(
            f"could not download {self.url} after {ATTEMPTS} attempts: {last_error!r}"
        )

    UvWheel.fetch = fetch  # type: ignore[method-assign]


GRAPHQL_DIRS = (
    "operations",
    "fragments",
)  # under src/: operation documents, shared fragments


def add_operation_documents(archive: Path, app_name: str) -> int:
    """Rewrite the archive with the ``.graphql`` documents added; returns how many."""
    documents = [
        doc
        for folder in GRAPHQL_DIRS
        for doc in sorted((APP_DIR / "src" / folder).glob("*.graphql"))
    ]
    buffer = io.BytesIO()
    with (
        tarfile.open(archive, "r:gz") as source,
        tarfile.open(fileobj=buffer, mode="w:gz") as target,
    ):
        for member in source.getmembers():
            target.addfile(
                member, source.extractfile(member) if member.isfile() else None
            )
        for doc in documents:
            target.add(doc, f"{app_name}/src/{doc.parent.name}/{doc.name}")
    archive.write_bytes(buffer.getvalue())
    return len(documents)


def main() -> int:
    """Build the app archive with the SDK, then add the operation documents."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "-o", "--output-file", type=Path, default=APP_DIR / "dist" / "trailhound.tgz"
    )
    parser.add_argument("--wheelhouse", type=Path, default=DEFAULT_WHEELHOUSE)
    args = parser.parse_args()
    output: Path = args.output_file.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    install_patient_fetch(args.wheelhouse)
    try:
        soarapps(
            ["package", "build", str(APP_DIR), "--output-file", str(output)],
            standalone_mode=False,
        )
    except SystemExit as exit_:  # typer may still exit on its own
        if exit_.code:
            return int(exit_.code)
    with tarfile.open(output, "r:gz") as archive:
        app_name = archive.getnames()[0].split("/", 1)[0]
    count = add_operation_documents(output, app_name)
    print(f"added {count} GraphQL documents to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
