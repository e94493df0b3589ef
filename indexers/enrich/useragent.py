"""User-agent strings to ECS ``user_agent.*`` (ua-parser, cached: agents repeat a lot)."""

from __future__ import annotations

import functools
from typing import Any

from ua_parser import parse as _ua_parse

__all__ = ["parse_user_agent"]


def _version(*parts: str | None) -> str | None:
    out = [p for p in parts if p]
    return ".".join(out) if out else None


@functools.lru_cache(maxsize=8192)
def _parse_cached(ua: str) -> tuple[tuple[str, Any], ...]:
    fields: dict[str, Any] = {"original": ua}
    try:
        result = _ua_parse(ua[:512])
    except Exception:
        return tuple(fields.items())
    agent = result.user_agent
    if agent is not None and agent.family != "Other":
        fields["name"] = agent.family
        version = _version(agent.major, agent.minor, agent.patch)
        if version:
            fields["version"] = version
    elif "/" in ua:
        # AWS SDKs and CLIs ("Boto3/1.26.0 ...", "aws-sdk-go/1.44"): the product token.
        name, _, rest = ua.partition("/")
        fields["name"] = name.strip()[:128]
        fields["version"] = rest.split(" ", 1)[0][:64]
    os_ = result.os
    if os_ is not None and os_.family != "Other":
        os_doc: dict[str, str] = {"name": os_.family}
        os_version = _version(os_.major, os_.minor, os_.patch)
        if os_version:
            os_doc["version"] = os_version
            os_doc["full"] = f"{os_.family} {os_version}"
        fields["os"] = os_doc
    if result.device is not None and result.device.family != "Other":
        fields["device"] = {"name": result.device.family}
    return tuple(fields.items())


def parse_user_agent(ua: str) -> dict[str, Any]:
    """``user_agent`` object for an agent string (a fresh dict: callers may mutate it)."""
    return dict(_parse_cached(ua))
