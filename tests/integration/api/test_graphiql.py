"""GraphiQL is served from bundled files: no external URL anywhere in the page."""

from __future__ import annotations

import re

import httpx
import pytest

pytestmark = pytest.mark.es


async def test_graphiql_page_and_assets_are_local(http: httpx.AsyncClient) -> None:
    page = await http.get("/graphiql")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets == [
        "/static/graphiql/graphiql.min.css",
        "/static/graphiql/react.production.min.js",
        "/static/graphiql/react-dom.production.min.js",
        "/static/graphiql/graphiql.min.js",
        "/static/graphiql/init.js",
    ]
    for asset in assets:
        resp = await http.get(asset)
        assert resp.status_code == 200, asset
        assert len(resp.content) > 100
    init = (await http.get("/static/graphiql/init.js")).text
    assert 'url: "/graphql"' in init
    assert "http://" not in page.text
    assert "https://" not in page.text
