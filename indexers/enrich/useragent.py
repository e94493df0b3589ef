"""User-agent strings to ECS ``user_agent.*`` (ua-parser, cached: agents repeat a lot)."""

from __future__ import annotations

import functools
from typing import Any

from ua_parser import parse as _ua_parse

__all__ = ["parse_user_agent"]


def _version(*parts: str | None) -> str | None:
    out = [p for p in parts if p]
    return ".".join(out) if out else None


_OS_TOKENS = {"linux": "Linux", "darwin": "Mac OS X", "macos": "Mac OS X", "windows": "Windows"}


def _sdk_agent(ua: str) -> dict[str, Any]:
    """AWS SDK/CLI/service agents ("aws-cli/2.13 Python/3.11 Linux/5.15 ...", "Boto3/1.26 ...").

    They carry a varying command/version suffix, so they are many and distinct; ua-parser
    costs ~1 ms per new string, while the product token and OS token say what matters.
    """
    fields: dict[str, Any] = {"original": ua}
    tokens = ua.strip("[] ").split()
    if not tokens:
        return fields
    name, sep, version = tokens[0].partition("/")
    if not sep:
        fields["name"] = ua.strip("[] ")[:128]  # "AWS Internal", "console.amazonaws.com"
    elif name:
        fields["name"] = name[:128]
        if version:
            fields["version"] = version[:64]
    for raw in tokens[1:]:
        key, _, val = raw.strip("();,").partition("/")
        lowered = key.lower().removesuffix("_nt")
        if lowered == "os" and "#" in val:  # "os/linux#5.15" (AWS SDK user-agent 2.0)
            os_name, _, os_version = val.partition("#")
            fields["os"] = {"name": _OS_TOKENS.get(os_name.lower(), os_name), "version": os_version}
            break
        if lowered in _OS_TOKENS:
            os_doc = {"name": _OS_TOKENS[lowered]}
            if val:
                os_doc["version"] = val
            fields["os"] = os_doc
            break
    return fields


@functools.lru_cache(maxsize=8192)
def _parse_cached(ua: str) -> tuple[tuple[str, Any], ...]:
    if not ua.startswith(("Mozilla/", "Opera/")):
        return tuple(_sdk_agent(ua).items())
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
