"""The Starlette application: ``/graphql`` (API-key protected), GraphiQL, ``/healthz``.

``create_app`` wires settings to services; the async Elasticsearch client is
created in the lifespan and closed at shutdown.  Authentication happens here,
at the HTTP edge: a request without a valid ``Authorization: ApiKey ...``
header gets a bare 401, unless the server runs with ``demo_no_auth``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from elasticsearch import AsyncElasticsearch
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL

from resolvers.scoring.service import close_scoring
from resolvers.services import Services, build_services
from schema.context import Context, new_context
from schema.root import build_schema
from trailhound.apikeys import ApiKeyVerifier
from trailhound.config import Settings
from trailhound.console import console_routes
from trailhound.ecs.indices import API_KEYS_INDEX
from trailhound.errors import BackendUnavailableError

__all__ = ["WEB_DIR", "create_app"]

WEB_DIR = Path(__file__).resolve().parent.parent / "web"


@dataclass(slots=True)
class _State:
    services: Services | None = None
    verifier: ApiKeyVerifier | None = None
    client: AsyncElasticsearch | None = None


class _GraphQL(GraphQL[Context, None]):
    """Strawberry's ASGI app with our per-request context."""

    def __init__(self, state: _State, max_depth: int) -> None:
        super().__init__(build_schema(max_depth=max_depth), graphql_ide=None)
        self._state = state

    # orjson both ways: a 2-hop neighborhood answer is ~36 KB, and the stdlib
    # encoder cost about as much as executing a tenth of its fields.
    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)  # its JSONDecodeError is json's: strawberry answers 400

    async def get_context(self, request: Any, response: Any) -> Context:
        assert self._state.services is not None
        role = request.scope.get("state", {}).get("role", "reader")
        return new_context(self._state.services, role)


def _unauthorized() -> Response:
    # No detail on purpose: a caller cannot tell a missing key from a revoked one.
    return JSONResponse(
        {"errors": [{"message": "Unauthorized", "extensions": {"code": "UNAUTHENTICATED"}}]},
        status_code=401,
        headers={"WWW-Authenticate": "ApiKey"},
    )


def _unavailable() -> Response:
    return JSONResponse(
        {
            "errors": [
                {
                    "message": "Elasticsearch cannot be reached",
                    "extensions": {"code": "BACKEND_UNAVAILABLE"},
                }
            ]
        },
        status_code=503,
    )


class _AuthGate:
    """Checks the API key before handing the request to GraphQL."""

    def __init__(self, app: _GraphQL, state: _State, demo_no_auth: bool) -> None:
        self._app = app
        self._state = state
        self._demo = demo_no_auth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await Response(status_code=404)(scope, receive, send)
            return
        if self._demo:
            role: str | None = "admin"
        else:
            assert self._state.verifier is not None
            header = Request(scope).headers.get("authorization")
            try:
                role = await self._state.verifier.role_for(header)
            except BackendUnavailableError:
                await _unavailable()(scope, receive, send)
                return
        if role is None:
            await _unauthorized()(scope, receive, send)
            return
        scope.setdefault("state", {})["role"] = role
        await self._app(scope, receive, send)


def create_app(
    settings: Settings,
    *,
    namespace: str | None = None,
    demo_no_auth: bool | None = None,
    client: AsyncElasticsearch | None = None,
    api_keys_index: str | None = None,
) -> Starlette:
    """The ASGI app.  ``client`` is for tests; the key store defaults to the settings'."""
    from trailhound.es.client import async_client

    state = _State()
    demo = settings.server.demo_no_auth if demo_no_auth is None else demo_no_auth

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        own = client is None
        es = async_client(settings) if client is None else client
        state.client = es
        state.services = build_services(es, settings, namespace)
        state.verifier = ApiKeyVerifier(
            es, index=api_keys_index or settings.server.api_keys_index or API_KEYS_INDEX
        )
        app.state.services = state.services  # benchmarks read repository.took_ms
        try:
            yield
        finally:
            # Workers first: a running investigation still needs the client.
            await close_scoring(state.services)
            if own:
                await es.close()

    async def healthz(_: Request) -> Response:
        assert state.client is not None
        try:
            health = await state.client.options(request_timeout=3).cluster.health()
            es_status = str(health["status"])
        except Exception:  # any failure means "down" for a probe
            return JSONResponse({"status": "degraded", "elasticsearch": "down"}, status_code=503)
        return JSONResponse({"status": "ok", "elasticsearch": es_status})

    async def graphiql(_: Request) -> Response:
        return FileResponse(WEB_DIR / "graphiql" / "index.html", media_type="text/html")

    graphql = _AuthGate(_GraphQL(state, settings.server.max_depth), state, demo)
    routes: list[BaseRoute] = [
        Route("/healthz", healthz),
        Route("/graphql", graphql, methods=["GET", "POST"]),
        Route("/graphiql", graphiql),
    ]
    if (WEB_DIR / "graphiql").is_dir():
        routes.append(
            Mount("/static/graphiql", StaticFiles(directory=WEB_DIR / "graphiql"), name="graphiql")
        )
    # The investigation console (its own module) adds "/", /console/ and /vendor/.
    routes.extend(console_routes(WEB_DIR))
    return Starlette(routes=routes, lifespan=lifespan)
