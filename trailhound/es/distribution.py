"""Download (through Maven) and unpack the minimal Elasticsearch distribution."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from trailhound.errors import ElasticsearchSetupError, MavenUnavailableError
from trailhound.es.version import ES_VERSION, maven_coordinates

_DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy"
_MVN_TIMEOUT_S = 600


@dataclass(frozen=True, slots=True)
class Distribution:
    """An unpacked Elasticsearch home."""

    version: str
    home: Path
    archive_bytes: int

    @property
    def modules(self) -> tuple[str, ...]:
        """Names of the modules that ship with this distribution."""
        return tuple(sorted(p.name for p in (self.home / "modules").iterdir() if p.is_dir()))

    def has_module(self, name: str) -> bool:
        """Whether ``modules/<name>`` exists."""
        return (self.home / "modules" / name).is_dir()


def distribution_home(cache_dir: Path, version: str = ES_VERSION) -> Path:
    """Where a version is (or will be) unpacked."""
    return cache_dir / "elasticsearch" / f"elasticsearch-{version}"


def _verified(home: Path, version: str) -> bool:
    return (
        (home / "bin" / "elasticsearch").is_file()
        and (home / "lib" / f"elasticsearch-{version}.jar").is_file()
        and (home / "modules").is_dir()
        and (home / "config" / "jvm.options").is_file()
    )


def installed(cache_dir: Path, version: str = ES_VERSION) -> Distribution | None:
    """The cached distribution, if it is there and complete."""
    home = distribution_home(cache_dir, version)
    if not _verified(home, version):
        return None
    archive = cache_dir / "elasticsearch" / f"elasticsearch-{version}.zip"
    return Distribution(version, home, archive.stat().st_size if archive.exists() else 0)


def install(cache_dir: Path, version: str = ES_VERSION) -> Distribution:
    """Fetch the integ-test-zip with ``mvn`` into the cache and unpack it; reuse the cache.

    Raises:
        MavenUnavailableError: no ``mvn``, or it could not resolve the artifact.
        ElasticsearchSetupError: the archive is corrupt or unpacked incompletely.
    """
    existing = installed(cache_dir, version)
    if existing is not None:
        return existing
    root = cache_dir / "elasticsearch"
    root.mkdir(parents=True, exist_ok=True)
    archive = root / f"elasticsearch-{version}.zip"
    if not archive.is_file():
        _download(archive, version)
    home = distribution_home(cache_dir, version)
    staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=root))
    try:
        with zipfile.ZipFile(archive) as zf:
            bad = zf.testzip()
            if bad is not None:
                raise ElasticsearchSetupError(
                    f"{archive}: corrupt member {bad}; delete it and retry"
                )
            zf.extractall(staging)
        unpacked = staging / f"elasticsearch-{version}"
        if not _verified(unpacked, version):
            raise ElasticsearchSetupError(
                f"{archive} did not unpack to a complete Elasticsearch home"
            )
        for script in (unpacked / "bin").iterdir():
            script.chmod(0o755)
        if home.exists():
            shutil.rmtree(home)
        unpacked.rename(home)
    except zipfile.BadZipFile as exc:
        archive.unlink(missing_ok=True)
        raise ElasticsearchSetupError(f"{archive} is not a zip ({exc}); removed, retry") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Distribution(version, home, archive.stat().st_size)


def _download(archive: Path, version: str) -> None:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise MavenUnavailableError("`mvn` is not on PATH; install Maven (apt-get install maven)")
    out_dir = Path(tempfile.mkdtemp(prefix=".mvn-", dir=archive.parent))
    cmd = [
        mvn,
        "-B",
        "-q",
        _DEPENDENCY_PLUGIN,
        f"-Dartifact={maven_coordinates(version)}",
        f"-DoutputDirectory={out_dir}",
    ]
    try:
        proc = subprocess.run(
            cmd, capture_output=True, text=True, timeout=_MVN_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as exc:
        shutil.rmtree(out_dir, ignore_errors=True)
        raise MavenUnavailableError(
            f"mvn did not finish within {_MVN_TIMEOUT_S}s fetching {maven_coordinates(version)}"
        ) from exc
    produced = out_dir / f"elasticsearch-{version}.zip"
    if proc.returncode != 0 or not produced.is_file():
        shutil.rmtree(out_dir, ignore_errors=True)
        tail = " | ".join((proc.stdout + proc.stderr).strip().splitlines()[-3:])
        raise MavenUnavailableError(
            f"mvn could not fetch {maven_coordinates(version)} (exit {proc.returncode}): {tail}"
        )
    produced.rename(archive)
    shutil.rmtree(out_dir, ignore_errors=True)
