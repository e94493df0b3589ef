"""Probe what the connected cluster can do: the minimal zip lacks much of a full node."""

from __future__ import annotations

from dataclasses import dataclass

from elasticsearch import ApiError, Elasticsearch, TransportError

from trailhound.errors import BackendUnavailableError


@dataclass(frozen=True, slots=True)
class Capabilities:
    """Features that vary between the integ-test-zip and a full distribution."""

    version: str
    modules: frozenset[str]

    @property
    def major(self) -> int:
        return int(self.version.split(".", 1)[0])

    @property
    def data_streams(self) -> bool:
        return "x-pack-data-streams" in self.modules

    @property
    def painless(self) -> bool:
        return "lang-painless" in self.modules

    @property
    def ingest_pipelines(self) -> bool:
        return "ingest-common" in self.modules


def probe(client: Elasticsearch) -> Capabilities:
    """Ask the cluster for its version and the modules every node has.

    Raises:
        BackendUnavailableError: the cluster cannot be reached.
    """
    try:
        body = client.nodes.info(
            metric="plugins", filter_path="nodes.*.version,nodes.*.modules.name"
        )
    except (TransportError, ApiError) as exc:
        raise BackendUnavailableError(f"cannot reach Elasticsearch: {exc}") from exc
    nodes = list(body.get("nodes", {}).values())
    if not nodes:
        raise BackendUnavailableError("Elasticsearch reported no nodes")
    common = frozenset.intersection(
        *(frozenset(m["name"] for m in n.get("modules", [])) for n in nodes)
    )
    versions = sorted(n["version"] for n in nodes)
    return Capabilities(version=versions[0], modules=common)
