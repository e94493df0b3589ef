"""Settings: a TOML file, overridden by environment variables, built once at the edge.

Lookup order for the file: ``--config`` / ``TRAILHOUND_CONFIG``, then
``./trailhound.toml``, then ``~/.config/trailhound/config.toml``.  Every key
``[section] name`` can be overridden by ``TRAILHOUND_<SECTION>_<NAME>``; the
common Elasticsearch connection variables (``ELASTICSEARCH_URL``,
``ELASTICSEARCH_API_KEY``, ``ELASTICSEARCH_USERNAME``, ``ELASTICSEARCH_PASSWORD``,
``ELASTICSEARCH_CA_CERTS``) are honoured as well.  Nothing here is read at
import time.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trailhound.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Secret:
    """A string that never shows itself in reprs or logs."""

    value: str

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


# As root, Elasticsearch runs as an unprivileged user who cannot traverse /root,
# so the distribution and node data live under /var instead of the home directory.
def _cache_home() -> Path:
    if _is_root():
        return Path("/var/cache/trailhound")
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "trailhound"


def _data_home() -> Path:
    if _is_root():
        return Path("/var/lib/trailhound")
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "trailhound"


@dataclass(frozen=True, slots=True, kw_only=True)
class ElasticsearchSettings:
    """How to reach the cluster; ``url=None`` means the project's local node."""

    url: str | None = None
    api_key: Secret | None = None
    username: str | None = None
    password: Secret | None = None
    ca_certs: Path | None = None
    verify_certs: bool = True
    request_timeout: float = 30.0


@dataclass(frozen=True, slots=True, kw_only=True)
class LocalNodeSettings:
    """The single-node Elasticsearch that ``trailhound es`` provisions."""

    instance: str = "default"
    version: str | None = None
    port: int = 9200
    heap: str = "1g"
    cache_dir: Path = field(default_factory=_cache_home)
    data_dir: Path = field(default_factory=_data_home)
    run_user: str = "trailhound-es"
    java_home: Path | None = None
    start_timeout: float = 120.0


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestSettings:
    """Bulk indexing knobs."""

    namespace: str = "default"
    chunk_size: int = 2000
    workers: int = 2
    max_retries: int = 8
    retry_backoff_s: float = 0.5
    vpcflow_format: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerSettings:
    """The GraphQL/console HTTP server."""

    host: str = "127.0.0.1"
    port: int = 8080
    demo_no_auth: bool = False
    max_page_size: int = 500
    max_depth: int = 12
    api_keys_index: str = "trailhound-apikeys"  # = trailhound.ecs.indices.API_KEYS_INDEX


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalyticsSettings:
    """Baselines, enrichment databases and thresholds for the read side."""

    baseline_days: int = 45
    geoip_city_db: Path | None = None
    geoip_asn_db: Path | None = None
    threat_intel_feeds: tuple[Path, ...] = ()
    impossible_travel_kmh: float = 900.0
    known_vpn_asns: tuple[int, ...] = ()  # extra ASNs impossible travel ignores (VPN egress)
    investigation_workers: int = 2  # bounded pool: concurrent investigations at most


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """All of Trailhound's configuration."""

    elasticsearch: ElasticsearchSettings = field(default_factory=ElasticsearchSettings)
    local_node: LocalNodeSettings = field(default_factory=LocalNodeSettings)
    ingest: IngestSettings = field(default_factory=IngestSettings)
    server: ServerSettings = field(default_factory=ServerSettings)
    analytics: AnalyticsSettings = field(default_factory=AnalyticsSettings)

    @classmethod
    def load(cls, path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
        """Build settings from the TOML file (if any) and the environment."""
        env = os.environ if env is None else env
        raw = _read_toml(_find_config(path, env))
        sections: dict[str, Any] = {}
        for section in dataclasses.fields(cls):
            section_type = _resolve(cls, section.name)
            values = dict(raw.get(section.name, {}))
            unknown = set(values) - {f.name for f in dataclasses.fields(section_type)}
            if unknown:
                raise ConfigError(
                    f"unknown key(s) in [{section.name}]: {', '.join(sorted(unknown))}"
                )
            for f in dataclasses.fields(section_type):
                env_name = f"TRAILHOUND_{section.name}_{f.name}".upper()
                if env_name in env:
                    values[f.name] = env[env_name]
            if section.name == "elasticsearch":
                for key, env_name in _ES_ENV.items():
                    if env.get(env_name):
                        values[key] = env[env_name]
            sections[section.name] = _build(section_type, section.name, values)
        return cls(**sections)


_ES_ENV = {
    "url": "ELASTICSEARCH_URL",
    "api_key": "ELASTICSEARCH_API_KEY",
    "username": "ELASTICSEARCH_USERNAME",
    "password": "ELASTICSEARCH_PASSWORD",
    "ca_certs": "ELASTICSEARCH_CA_CERTS",
}


def _find_config(path: Path | None, env: Mapping[str, str]) -> Path | None:
    if path is not None:
        if not path.is_file():
            raise ConfigError(f"config file {path} does not exist")
        return path
    if env.get("TRAILHOUND_CONFIG"):
        explicit = Path(env["TRAILHOUND_CONFIG"])
        if not explicit.is_file():
            raise ConfigError(f"TRAILHOUND_CONFIG={explicit} does not exist")
        return explicit
    for candidate in (Path("trailhound.toml"), Path.home() / ".config/trailhound/config.toml"):
        if candidate.is_file():
            return candidate
    return None


def _read_toml(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc


def _resolve(owner: type, name: str) -> Any:
    return typing.get_type_hints(owner)[name]


def _build(section_type: Any, section: str, values: dict[str, Any]) -> Any:
    hints = typing.get_type_hints(section_type)
    converted = {}
    for name, value in values.items():
        try:
            converted[name] = _convert(hints[name], value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"[{section}] {name}={value!r}: {exc}") from exc
    return section_type(**converted)


def _convert(hint: Any, value: Any) -> Any:
    args = typing.get_args(hint)
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        if value in ("", None):
            return None
        inner = next(a for a in args if a is not type(None))
        return _convert(inner, value)
    if hint is bool:
        if isinstance(value, bool):
            return value
        lowered = str(value).strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        raise ValueError("expected a boolean")
    if hint in (int, float, str):
        return hint(value)
    if hint is Path:
        return Path(str(value)).expanduser()
    if hint is Secret:
        return value if isinstance(value, Secret) else Secret(str(value))
    if typing.get_origin(hint) is tuple:
        items = value.split(",") if isinstance(value, str) else list(value)
        return tuple(
            _convert(args[0], item.strip() if isinstance(item, str) else item)
            for item in items
            if item != ""
        )
    raise TypeError(f"unsupported setting type {hint}")
