"""The app's one GraphQL client: POSTs named operations to Trailhound over HTTP.

Every failure a playbook can act on becomes a :class:`TrailhoundActionError`
subclass, which derives from the SDK's ``ActionFailure``: the SDK then marks
the action failed with our one-line message instead of a traceback.  Each
message starts with a stable code (``UNREACHABLE:``, ``AUTH_FAILED:``,
``NOT_FOUND:``, ``LIMIT_EXCEEDED:``, ...) so a playbook decision block can
branch on ``action_result.message``.

    TrailhoundActionError(ActionFailure)
    ├── ServerUnreachableError    connection refused, DNS, TLS, timeout
    ├── AuthenticationError       HTTP 401/403 or extensions.code UNAUTHENTICATED
    ├── NotFoundError             extensions.code NOT_FOUND, or a null top-level field
    ├── LimitExceededError        extensions.code LIMIT_EXCEEDED, or HTTP 429
    ├── InvalidRequestError       bad scope, bad argument, document rejected by validation
    ├── BackendUnavailableError   Trailhound is up but its Elasticsearch is not
    └── QueryFailedError          anything else the server answered with
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from typing import Any


import httpx
from soar_sdk.exceptions import ActionFailure, AssetMisconfiguration

from .operations import load_operation

__all__ = [
    "AuthenticationError",
    "BackendUnavailableError",
    "GraphQLClient",
    "InvalidRequestError",
    "LimitExceededError",
    "NotFoundError",
    "QueryFailedError",
    "ServerUnreachableError",
    "TrailhoundActionError",
]


class TrailhoundActionError(ActionFailure):
    """A failed call to Trailhound, with a stable code in front of the message."""

    code = "TRAILHOUND_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(f"{self.code}: {message}")
        self.detail = message


class ServerUnreachableError(TrailhoundActionError):
    """The server could not be reached or did not answer in time."""

    code = "UNREACHABLE"


class AuthenticationError(TrailhoundActionError):
    """The API key is missing, wrong, or lacks the needed role."""

    code = "AUTH_FAILED"


class NotFoundError(TrailhoundActionError):
    """The entity, investigation or finding group does not exist."""

    code = "NOT_FOUND"


class LimitExceededError(TrailhoundActionError):
    """A limit argument is above the server's cap, or the server is rate limiting."""

    code = "LIMIT_EXCEEDED"


class InvalidRequestError(TrailhoundActionError):
    """The server rejected the request's arguments (scope, identifier, ...)."""

    code = "INVALID_REQUEST"


class BackendUnavailableError(TrailhoundActionError):
    """Trailhound answered, but its Elasticsearch cluster is unavailable."""

    code = "BACKEND_UNAVAILABLE"


class QueryFailedError(TrailhoundActionError):
    """Any other error the server returned."""

    code = "QUERY_FAILED"


# Server ``extensions.code`` values (trailhound/errors.py) -> the error we raise.
_BY_SERVER_CODE: dict[str, type[TrailhoundActionError]] = {
    "NOT_FOUND": NotFoundError,
    "LIMIT_EXCEEDED": LimitExceededError,
    "UNAUTHENTICATED": AuthenticationError,
    "FORBIDDEN": AuthenticationError,
    "INVALID_SCOPE": InvalidRequestError,
    "INVALID_ARGUMENT": InvalidRequestError,
    "BAD_USER_INPUT": InvalidRequestError,
    "GRAPHQL_VALIDATION_FAILED": InvalidRequestError,
    "BACKEND_UNAVAILABLE": BackendUnavailableError,
}


@dataclass(frozen=True, slots=True)
class ClientSettings:
    """Connection settings, taken from the SOAR asset."""

    url: str
    api_key: str | None = None
    verify_tls: bool = True
    ca_bundle: str | None = None
    timeout_seconds: float = 30.0


class GraphQLClient:
    """Runs the app's named operations against one Trailhound ``/graphql`` endpoint."""

    def __init__(
        self, settings: ClientSettings, transport: httpx.BaseTransport | None = None
    ) -> None:
        self._settings = settings
        headers = {"Accept": "application/json", "User-Agent": "trailhound-splunk-soar"}
        if settings.api_key:
            headers["Authorization"] = f"ApiKey {settings.api_key}"
        self._http = httpx.Client(
            headers=headers,
            timeout=settings.timeout_seconds,
            verify=_tls_verification(settings),
            transport=transport,
        )

    def __enter__(self) -> GraphQLClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the connection pool."""
        self._http.close()

    def execute(
        self, operation: str, variables: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Run the named operation and return its ``data``, or raise a typed error."""
        document = load_operation(operation)
        payload = {
            "query": document,
            "operationName": operation,
            "variables": variables or {},
        }
        url = self._settings.url
        try:
            response = self._http.post(url, json=payload)
        except httpx.TimeoutException as exc:
            raise ServerUnreachableError(
                f"Trailhound at {url} did not answer within {self._settings.timeout_seconds:g} s"
            ) from exc
        except httpx.HTTPError as exc:
            raise ServerUnreachableError(
                f"cannot reach Trailhound at {url}: {_reason(exc)}"
            ) from exc
        return _data_or_raise(response, url)


def _tls_verification(settings: ClientSettings) -> ssl.SSLContext | bool:
    """An SSL context trusting the CA bundle, or the plain verify flag."""
    if not settings.ca_bundle:
        return settings.verify_tls
    try:
        return ssl.create_default_context(cafile=settings.ca_bundle)
    except (OSError, ssl.SSLError) as exc:
        raise AssetMisconfiguration(
            f"ca_bundle {settings.ca_bundle!r} cannot be loaded: {exc}"
        ) from exc


def _reason(exc: httpx.HTTPError) -> str:
    """A short cause for a transport error, without the stack."""
    text = str(exc).strip()
    return text or type(exc).__name__


def _data_or_raise(response: httpx.Response, url: str) -> dict[str, Any]:
    """Map an HTTP response to ``data`` or to the matching typed error."""
    status = response.status_code
    if status in (401, 403):
        raise AuthenticationError(
            f"Trailhound rejected the API key (HTTP {status}); check the asset's api_key"
        )
    if status == 429:
        raise LimitExceededError("Trailhound is rate limiting this client (HTTP 429)")
    try:
        body = response.json()
    except ValueError:
        raise QueryFailedError(
            f"Trailhound at {url} answered HTTP {status} without JSON"
        ) from None
    if not isinstance(body, dict):
        raise QueryFailedError(
            f"Trailhound at {url} answered HTTP {status} with unexpected JSON"
        )
    errors = body.get("errors") or []
    if errors:
        raise _error_from(errors[0], len(errors))
    data = body.get("data")
    if status >= 400 or not isinstance(data, dict):
        raise QueryFailedError(
            f"Trailhound at {url} answered HTTP {status} without data"
        )
    return data


def _error_from(error: dict[str, Any], count: int) -> TrailhoundActionError:
    """Pick the error class from the first GraphQL error's ``extensions.code``."""
    message = str(error.get("message") or "unknown error")
    extensions = error.get("extensions") or {}
    code = str(extensions.get("code") or "")
    if not code and ("Unknown" in message or "Cannot query field" in message):
        # Validation failures come without a code from some servers; they mean the
        # server's schema no longer matches this app's operation documents.
        code = "GRAPHQL_VALIDATION_FAILED"
    more = f" (and {count - 1} more errors)" if count > 1 else ""
    cls = _BY_SERVER_CODE.get(code, QueryFailedError)
    return cls(f"{message}{more}")
