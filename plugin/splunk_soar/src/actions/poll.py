"""The ``on poll`` action: investigations and finding groups as SOAR containers.

The mapping to containers and artifacts, and the idempotency rules, live in
``src/polling.py``; this function only asks the server and hands records over.
Registered in ``src/app.py``.
"""

from collections.abc import Iterator
from datetime import UTC, datetime

from soar_sdk.logging import getLogger
from soar_sdk.models.artifact import Artifact
from soar_sdk.models.container import Container
from soar_sdk.params import OnPollParams

from ..asset import Asset, client_for
from ..polling import (
    finding_group_records,
    investigation_records,
    mark_seen,
    poll_scope,
    severities_at_least,
    unseen,
)
from ..scoring_outputs import finding_group_output, investigation_output

__all__ = ["on_poll"]

logger = getLogger()


def on_poll(params: OnPollParams, asset: Asset) -> Iterator[Container | Artifact]:
    """Turn new HIGH/CRITICAL investigations and finding groups into containers with artifacts."""
    severities = severities_at_least(asset.poll_min_severity)
    state = asset.ingest_state
    window = poll_scope(
        params.start_time,
        params.end_time,
        now=datetime.now(UTC),
        lookback_hours=asset.poll_lookback_hours,
    )
    limit = (
        params.container_count
        if params.is_manual_poll() and params.container_count
        else 100
    )
    with client_for(asset) as client:
        listed = client.execute(
            "ListInvestigations",
            {
                "filter": {
                    "severities": severities,
                    "statuses": ["SUCCESSFUL"],
                    "states": ["ACTIVE"],
                },
                # Newest first: an investigation that finishes late is still among the
                # first page, and the ingest state skips the ones already turned into
                # containers (a created-time checkpoint would miss late finishers).
                "sortField": "CREATED_TIME",
                "sortOrder": "DESC",
                "first": min(limit, 100),
            },
        )["investigations"]["nodes"]
        fresh = unseen((f"investigation:{n['id']}" for n in listed), state)
        for key in fresh:
            inv = client.execute("GetInvestigation", {"id": key.partition(":")[2]})
            yield from investigation_records(investigation_output(inv["investigation"]))
        mark_seen(fresh, state)
        groups = client.execute(
            "ListFindingGroups",
            {
                "scope": window,
                "filter": {"severities": severities},
                "first": min(limit, 100),
            },
        )["findingGroups"]["edges"]
        by_key = {f"finding-group:{e['node']['id']}": e["node"] for e in groups}
        fresh_groups = unseen(by_key, state)
        for key in fresh_groups:
            yield from finding_group_records(finding_group_output(by_key[key]))
        mark_seen(fresh_groups, state)
    logger.info(
        f"on poll: {len(fresh)} investigations, {len(fresh_groups)} finding groups"
    )
