"""The one place the Elasticsearch version is pinned.

The brief asks for the newest 9.x ``integ-test-zip`` that resolves, else the
newest 8.x.  Maven Central's ``maven-metadata.xml`` for
``org.elasticsearch.distribution.integ-test-zip:elasticsearch`` lists no 9.x
release (latest and release are 8.19.21, checked 2026-12-03), so 8.19.21 it is.
The Python client is pinned to the same major in ``pyproject.toml``.
"""

from __future__ import annotations

ES_VERSION = "8.19.21"
ES_GROUP_ID = "org.elasticsearch.distribution.integ-test-zip"
ES_ARTIFACT_ID = "elasticsearch"
# ES 8.x runs on Java 17+; ES 9 needs 21+.
MIN_JAVA_MAJOR = 17 if ES_VERSION.startswith("8.") else 21


def maven_coordinates(version: str = ES_VERSION) -> str:
    """Return ``group:artifact:version:zip`` for ``mvn dependency:copy``."""
    return f"{ES_GROUP_ID}:{ES_ARTIFACT_ID}:{version}:zip"
