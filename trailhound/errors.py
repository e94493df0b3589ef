"""Trailhound's error hierarchy.

Every error we raise on purpose derives from :class:`TrailhoundError`, carries a
stable ``code`` (used as GraphQL ``extensions.code`` and in CLI messages) and a
one-line message that names the cause.  They are caught at exactly three edges:
the ingest pipeline (collected into its report), GraphQL (``MaskErrors`` lets
these through and hides everything else) and the CLI (one line plus exit code).

    TrailhoundError
    ├── ConfigError                 bad settings file / env var
    ├── ElasticsearchSetupError     provisioning or starting the local node
    │   ├── MavenUnavailableError
    │   ├── JavaNotFoundError
    │   ├── PortInUseError
    │   └── NodeStartError
    ├── BackendUnavailableError     the cluster cannot be reached
    ├── ParseError                  one raw record cannot be normalized
    ├── UnknownLogSourceError       --source names no registered source / auto-detect fails
    ├── DuplicateLogSourceError     two modules register the same source name
    ├── IndexingError               a run ended with records not accounted as indexed
    ├── CompactionError             Elasticsearch refused to list or merge the day indices
    ├── QueryError                  Elasticsearch rejected a read
    ├── NotFoundError               entity / investigation / finding group absent
    ├── InvalidScopeError           scope window not hour aligned, too long, reversed
    ├── LimitExceededError          a first/limit argument above its cap
    ├── InvalidEntityError          an operation does not apply to this kind of entity
    ├── InvalidArgumentError        a malformed argument (cursor, identifier, CIDR)
    └── AuthError                   missing or bad API key
        └── ForbiddenError          a valid key without the needed role
"""

from __future__ import annotations


class TrailhoundError(Exception):
    """Base class of every error Trailhound raises on purpose."""

    code = "INTERNAL"
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(TrailhoundError):
    """The settings file or an environment variable is invalid."""

    code = "CONFIG"
    exit_code = 2


class ElasticsearchSetupError(TrailhoundError):
    """The local Elasticsearch node could not be provisioned or started."""

    code = "ES_SETUP"
    exit_code = 3


class MavenUnavailableError(ElasticsearchSetupError):
    """``mvn`` is missing or could not fetch the distribution."""


class JavaNotFoundError(ElasticsearchSetupError):
    """No Java runtime new enough for the pinned Elasticsearch version."""


class PortInUseError(ElasticsearchSetupError):
    """The configured HTTP port is taken by another process."""


class NodeStartError(ElasticsearchSetupError):
    """The Elasticsearch process exited or never became healthy."""


class BackendUnavailableError(TrailhoundError):
    """The Elasticsearch cluster cannot be reached or answered 5xx."""

    code = "BACKEND_UNAVAILABLE"
    exit_code = 4


class ParseError(TrailhoundError):
    """One raw record could not be normalized; the pipeline dead-letters it."""

    code = "PARSE"

    def __init__(self, reason: str, *, field: str | None = None) -> None:
        super().__init__(f"{reason} (field {field})" if field else reason)
        self.reason = reason
        self.field = field


class UnknownLogSourceError(TrailhoundError):
    """A source name is not registered, or no source recognizes a file."""

    code = "UNKNOWN_SOURCE"
    exit_code = 2


class DuplicateLogSourceError(TrailhoundError):
    """Two source modules register the same name."""


class IndexingError(TrailhoundError):
    """An ingest run could not account every record as indexed."""

    code = "INDEXING"
    exit_code = 5


class CompactionError(TrailhoundError):
    """Elasticsearch refused (4xx) to list the namespace's segments for compaction."""

    code = "COMPACTION"
    exit_code = 6


class QueryError(TrailhoundError):
    """Elasticsearch rejected a read request."""

    code = "QUERY"

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class NotFoundError(TrailhoundError):
    """The requested entity, investigation or finding group does not exist."""

    code = "NOT_FOUND"


class InvalidScopeError(TrailhoundError):
    """A scope window is malformed (not hour aligned, reversed, too long or short)."""

    code = "INVALID_SCOPE"


class LimitExceededError(TrailhoundError):
    """A ``first``/``limit`` argument is above the server's cap."""

    code = "LIMIT_EXCEEDED"


class InvalidArgumentError(TrailhoundError):
    """An argument is malformed: an unknown cursor, identifier or CIDR."""

    code = "INVALID_ARGUMENT"


class InvalidEntityError(TrailhoundError):
    """The operation does not apply to this kind of entity (e.g. investigating a bucket)."""

    code = "INVALID_ENTITY"


class AuthError(TrailhoundError):
    """A request carried no valid API key or lacks the needed role."""

    code = "UNAUTHENTICATED"


class ForbiddenError(AuthError):
    """A valid API key whose role does not allow the operation."""

    code = "FORBIDDEN"
