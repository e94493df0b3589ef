"""Role checks for fields: ``permission_classes=[IsAdmin]`` on mutations that change state."""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from schema.context import Info
from trailhound.errors import ForbiddenError

__all__ = ["IsAdmin"]


class IsAdmin(BasePermission):
    """Only ``admin`` keys (or the local demo mode) may use the field."""

    message = "This operation needs an admin API key."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        # Raising our own error (not returning False) gives extensions.code FORBIDDEN.
        if info.context.role not in ("admin", "demo"):
            raise ForbiddenError(self.message)
        return True
