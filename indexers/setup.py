"""Index templates: installed idempotently before any write (``trailhound setup``)."""

from __future__ import annotations

from typing import Any

from elasticsearch import Elasticsearch

from trailhound.ecs.indices import (
    DEAD_LETTER_MAPPINGS,
    TEMPLATE_PRIORITY,
    dead_letter_index,
    event_template,
)

__all__ = ["dead_letter_template", "install_templates", "template_names"]


def template_names(namespace: str) -> tuple[str, str]:
    """Names of the event and dead-letter templates of a namespace."""
    return f"trailhound-events-{namespace}", f"trailhound-deadletter-{namespace}"


def dead_letter_template(namespace: str) -> dict[str, Any]:
    """The template of the namespace's dead-letter index."""
    return {
        "index_patterns": [dead_letter_index(namespace)],
        "priority": TEMPLATE_PRIORITY,
        "template": {
            "settings": {"number_of_shards": 1, "number_of_replicas": 0},
            "mappings": DEAD_LETTER_MAPPINGS,
        },
        "_meta": {"managed_by": "trailhound", "namespace": namespace},
    }


def install_templates(client: Elasticsearch, namespace: str) -> list[str]:
    """Put (create or overwrite with the same body) both templates; returns their names.

    Putting a composable template is idempotent; indices created before keep their
    mapping, new daily indices get the current one.
    """
    events, dead = template_names(namespace)
    client.indices.put_index_template(name=events, **event_template(namespace))
    client.indices.put_index_template(name=dead, **dead_letter_template(namespace))
    return [events, dead]
