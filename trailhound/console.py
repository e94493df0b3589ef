"""Routes of the investigation console: static ES modules under ``web/console``.

The console talks only to the public ``/graphql`` endpoint.  Its one runtime
library, cytoscape, is installed from the npm registry into ``web/node_modules``
by ``scripts/bootstrap`` (``npm ci``) and served from there, never from a CDN.
"""

from __future__ import annotations

import logging
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

__all__ = ["console_routes"]

logger = logging.getLogger(__name__)

# Only these files of the npm packages are reachable over HTTP.
_VENDOR_FILES = {
    "cytoscape.esm.min.mjs": Path("node_modules/cytoscape/dist/cytoscape.esm.min.mjs"),
}


def console_routes(web_dir: Path) -> list[BaseRoute]:
    """``/`` redirects to ``/console/``; ``/vendor/<file>`` serves the allow-listed libraries."""
    console_dir = web_dir / "console"

    async def root(_: Request) -> Response:
        return RedirectResponse("/console/")

    async def vendor(request: Request) -> Response:
        name = request.path_params["name"]
        rel = _VENDOR_FILES.get(name)
        if rel is None:
            return PlainTextResponse("not found", status_code=404)
        path = web_dir / rel
        if not path.is_file():
            logger.warning(
                "console library %s missing: run scripts/bootstrap (npm ci in web/)", path
            )
            return PlainTextResponse(
                f"{name} is not installed: run scripts/bootstrap (npm ci in web/)", status_code=503
            )
        return FileResponse(path, media_type="text/javascript")

    routes: list[BaseRoute] = [Route("/", root), Route("/vendor/{name}", vendor)]
    if console_dir.is_dir():
        routes.append(
            Mount("/console", StaticFiles(directory=console_dir, html=True), name="console")
        )
    return routes
