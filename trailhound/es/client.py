"""Build Elasticsearch clients from settings: an external cluster, or the local node."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import orjson
from elasticsearch import AsyncElasticsearch, Elasticsearch
from elasticsearch.serializer import NdjsonSerializer, OrjsonSerializer

from trailhound.config import Settings
from trailhound.es.node import paths_for


def resolve_url(settings: Settings) -> str:
    """``ELASTICSEARCH_URL`` if set, else the local instance's recorded port."""
    if settings.elasticsearch.url:
        return settings.elasticsearch.url
    port = settings.local_node.port
    with contextlib.suppress(OSError, ValueError, KeyError):
        port = int(json.loads(paths_for(settings.local_node).state.read_text())["port"])
    return f"http://127.0.0.1:{port}"


class _OrjsonNdjsonSerializer(NdjsonSerializer):
    """msearch/bulk bodies line by line with orjson (the stock one uses ``json``)."""

    def json_dumps(self, data: Any) -> bytes:
        return orjson.dumps(data, default=self.default)

    def json_loads(self, data: bytes) -> Any:
        return orjson.loads(data)


def serializers() -> dict[str, Any]:
    """orjson for every JSON body: aggregation answers of 30-300 KB decode 3-5x faster
    than with ``json``, and each request decodes one (the client maps the
    compatibility-mode mimetypes to these as well)."""
    return {
        "application/json": OrjsonSerializer(),
        "application/x-ndjson": _OrjsonNdjsonSerializer(),
    }


def _client_kwargs(settings: Settings) -> dict[str, Any]:
    es = settings.elasticsearch
    kwargs: dict[str, Any] = {
        "hosts": [resolve_url(settings)],
        "request_timeout": es.request_timeout,
        "retry_on_timeout": True,
        "max_retries": 2,
        "serializers": serializers(),
    }
    if es.api_key is not None:
        kwargs["api_key"] = es.api_key.value
    elif es.username and es.password is not None:
        kwargs["basic_auth"] = (es.username, es.password.value)
    if es.ca_certs is not None:
        kwargs["ca_certs"] = str(es.ca_certs)
    if not es.verify_certs:
        kwargs["verify_certs"] = False
    return kwargs


def sync_client(settings: Settings) -> Elasticsearch:
    """A blocking client (CLI, bulk indexing)."""
    return Elasticsearch(**_client_kwargs(settings))


def async_client(settings: Settings) -> AsyncElasticsearch:
    """An asyncio client (the GraphQL server)."""
    return AsyncElasticsearch(**_client_kwargs(settings))
