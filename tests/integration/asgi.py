"""An HTTP client on an in-process Trailhound app, for the API and scoring tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from trailhound.app import create_app
from trailhound.config import Settings
from trailhound.es.client import async_client


@asynccontextmanager
async def app_client(
    settings: Settings, *, api_keys_index: str | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """The app over ``settings`` with its lifespan entered.

    Demo mode (no key needed) unless ``api_keys_index`` names the key store to check.
    """
    assert settings.elasticsearch.url is not None
    # The server's own client factory (orjson serializers, retries), as `serve` builds it.
    client = async_client(settings)
    app = create_app(
        settings,
        demo_no_auth=api_keys_index is None,
        client=client,
        api_keys_index=api_keys_index,
    )
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
                yield c
    finally:
        await client.close()
