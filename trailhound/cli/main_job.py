"""``trailhound up``: the README's main job, one command from nothing to a running stack."""

from __future__ import annotations

from trailhound.cli.app import ConfigOption, app, console, load_settings
from trailhound.cli.es import es_install, es_start


@app.command("up")
def up(config: ConfigOption = None) -> None:
    """Install and start the local Elasticsearch (unless ELASTICSEARCH_URL is set)."""
    settings = load_settings(config)
    if settings.elasticsearch.url:
        console.print(f"using the configured cluster {settings.elasticsearch.url}")
    else:
        es_install(config)
        es_start(config)
