"""Scoring actions: anomaly score, investigations, finding groups.

Thin as the graph actions; ``get investigation`` can also wait (bounded) while
an investigation is RUNNING, so a playbook needs no polling loop of its own.
Registered in ``src/app.py``.
"""

import time

from soar_sdk.abstract import SOARClient
from soar_sdk.action_results import ActionOutput

from ..asset import Asset, client_for
from ..client import InvalidRequestError, NotFoundError
from ..params import (
    INDICATOR_TYPES,
    MAX_WAIT_SECONDS,
    SEVERITIES,
    STATES,
    STATUSES,
    AnomalyParams,
    FindingGroupIdParams,
    InvestigationIdParams,
    ListFindingGroupsParams,
    ListInvestigationsParams,
    ScopedEntityParams,
    entity_type,
    enum_list,
    enum_value,
    optional_entity,
    scope,
)
from ..scoring_outputs import (
    AnomalyOutput,
    FindingGroupOutput,
    InvestigationOutput,
    StartedInvestigationOutput,
    anomaly_output,
    finding_group_output,
    investigation_output,
)

__all__ = [
    "get_anomaly_score",
    "get_finding_group",
    "get_investigation",
    "list_finding_groups",
    "list_investigations",
    "start_investigation",
]


def get_anomaly_score(
    params: AnomalyParams, soar: SOARClient[ActionOutput], asset: Asset
) -> AnomalyOutput:
    """Get an entity's anomaly score 0-100 and severity over the scope, with its indicators."""
    types = enum_list(params.indicator_types, INDICATOR_TYPES, "indicator_types")
    variables = {
        "type": entity_type(params.entity_type),
        "id": params.entity_id,
        "scope": scope(params.scope_start, params.scope_end),
        "types": types,
    }
    with client_for(asset) as client:
        entity = client.execute("GetAnomalyScore", variables)["entity"]
    if entity.get("anomaly") is None:
        raise NotFoundError(
            f"no anomaly score for {variables['type']} {params.entity_id}"
        )
    result = anomaly_output(entity)
    soar.set_message(
        f"score {result.score:.1f} ({result.severity}), {len(result.indicators)} indicators"
    )
    return result


def start_investigation(
    params: ScopedEntityParams, soar: SOARClient[ActionOutput], asset: Asset
) -> StartedInvestigationOutput:
    """Start an investigation of a principal or EC2 instance over the scope (needs an admin key)."""
    kind = entity_type(params.entity_type)
    variables = {
        "entity": {"type": kind, "id": params.entity_id},
        "scope": scope(params.scope_start, params.scope_end),
    }
    with client_for(asset) as client:
        investigation_id = client.execute("StartInvestigation", variables)[
            "startInvestigation"
        ]
    soar.set_message(
        f"investigation {investigation_id} started; poll it with get investigation"
    )
    return StartedInvestigationOutput(
        investigation_id=investigation_id, entity_type=kind, entity_id=params.entity_id
    )


def get_investigation(
    params: InvestigationIdParams, soar: SOARClient[ActionOutput], asset: Asset
) -> InvestigationOutput:
    """Get an investigation's status, severity and indicators (optionally wait while RUNNING)."""
    if not 0 <= params.wait_seconds <= MAX_WAIT_SECONDS:
        raise InvalidRequestError(
            f"wait_seconds must be between 0 and {MAX_WAIT_SECONDS}"
        )
    deadline = time.monotonic() + params.wait_seconds
    with client_for(asset) as client:
        while True:
            inv = client.execute("GetInvestigation", {"id": params.investigation_id})
            node = inv["investigation"]
            if node["status"] != "RUNNING" or time.monotonic() >= deadline:
                break
            time.sleep(min(2.0, max(0.1, deadline - time.monotonic())))
    result = investigation_output(node)
    soar.set_message(
        f"{result.status}, severity {result.severity or 'not yet known'}, "
        f"{result.indicator_count} indicators"
    )
    return result


def list_investigations(
    params: ListInvestigationsParams, soar: SOARClient[ActionOutput], asset: Asset
) -> list[InvestigationOutput]:
    """List investigations by severity, status, state, entity and creation time."""
    created = {
        k: v.strip()
        for k, v in (
            ("createdFrom", params.created_from),
            ("createdTo", params.created_to),
        )
        if v
    }
    filters = {
        "severities": enum_list(params.severities, SEVERITIES, "severities"),
        "statuses": enum_list(params.statuses, STATUSES, "statuses"),
        "states": enum_list(params.states, STATES, "states"),
        "entity": optional_entity(params.entity_type, params.entity_id),
        **created,
    }
    variables = {
        "filter": {k: v for k, v in filters.items() if v is not None} or None,
        "sortField": enum_value(
            params.sort_field, ["CREATED_TIME", "SEVERITY", "STATUS"], "sort_field"
        ),
        "sortOrder": enum_value(params.sort_order, ["ASC", "DESC"], "sort_order"),
        "first": params.limit,
        "after": params.cursor or None,
    }
    with client_for(asset) as client:
        connection = client.execute("ListInvestigations", variables)["investigations"]
    results = [investigation_output(n) for n in connection["nodes"]]
    more = connection["pageInfo"]["hasNextPage"]
    soar.set_message(
        f"{len(results)} investigations" + ("; more with cursor" if more else "")
    )
    return results


def list_finding_groups(
    params: ListFindingGroupsParams, soar: SOARClient[ActionOutput], asset: Asset
) -> list[FindingGroupOutput]:
    """List finding groups active in the scope, most severe first."""
    filters = {
        "severities": enum_list(params.severities, SEVERITIES, "severities"),
        "entity": optional_entity(params.entity_type, params.entity_id),
    }
    variables = {
        "scope": scope(params.scope_start, params.scope_end),
        "filter": {k: v for k, v in filters.items() if v is not None} or None,
        "first": params.limit,
        "after": params.cursor or None,
    }
    with client_for(asset) as client:
        connection = client.execute("ListFindingGroups", variables)["findingGroups"]
    results = [finding_group_output(e["node"]) for e in connection["edges"]]
    soar.set_message(f"{len(results)} of {connection['totalCount']} finding groups")
    return results


def get_finding_group(
    params: FindingGroupIdParams, soar: SOARClient[ActionOutput], asset: Asset
) -> FindingGroupOutput:
    """Get one finding group: its findings, tactic chain and involved entities."""
    with client_for(asset) as client:
        group = finding_group_output(
            client.execute("GetFindingGroup", {"id": params.group_id})["findingGroup"]
        )
    soar.set_message(f"{group.severity}: {group.title}")
    return group
