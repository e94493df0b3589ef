"""Caps on every ``first``/``limit`` argument: above a cap is an error, never a clamp."""

from __future__ import annotations

from dataclasses import dataclass

from trailhound.errors import LimitExceededError

__all__ = ["Limits", "check_limit"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """Server-wide caps (``max_page`` comes from ``[server] max_page_size``)."""

    max_page: int = 500
    max_per_edge_type: int = 100
    max_expand: int = 12  # hop-1 nodes expanded for hop 2 (heaviest first)
    max_search_window: int = 10_000  # like Detective's search
    max_panel_rows: int = 200


def check_limit(name: str, value: int, cap: int, *, minimum: int = 1) -> int:
    """Return ``value`` if ``minimum <= value <= cap``, else raise ``LIMIT_EXCEEDED``.

    >>> check_limit("first", 10, 50)
    10
    """
    if value < minimum or value > cap:
        raise LimitExceededError(f"{name}={value} is outside {minimum}..{cap}")
    return value
