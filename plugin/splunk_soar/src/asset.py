"""The asset: how one SOAR asset reaches one Trailhound server."""

from __future__ import annotations

from soar_sdk.asset import AssetField, BaseAsset, FieldCategory
from soar_sdk.exceptions import AssetMisconfiguration

from .client import ClientSettings, GraphQLClient

__all__ = ["Asset", "client_for"]


class Asset(BaseAsset):
    """Connection settings for a Trailhound GraphQL endpoint."""

    graphql_url: str = AssetField(
        description="Trailhound GraphQL endpoint, e.g. https://trailhound.example:8080/graphql",
        required=True,
    )
    api_key: str | None = AssetField(
        description="Trailhound API key (trailhound apikey create --role reader|admin)",
        sensitive=True,
        required=False,
    )
    verify_tls: bool = AssetField(
        description="Verify the server's TLS certificate", required=False, default=True
    )
    ca_bundle: str | None = AssetField(
        description="Path to a CA bundle (PEM) to verify the server with, on the SOAR host",
        required=False,
    )
    timeout_seconds: float = AssetField(
        description="Per-request timeout in seconds", required=False, default=30.0
    )
    poll_min_severity: str = AssetField(
        description="Lowest severity that on poll turns into a container",
        required=False,
        default="HIGH",
        value_list=["LOW", "MEDIUM", "HIGH", "CRITICAL"],
        category=FieldCategory.INGEST,
    )
    poll_lookback_hours: int = AssetField(
        description="Hours of finding groups on poll reads when SOAR gives no time range",
        required=False,
        default=24,
        category=FieldCategory.INGEST,
    )


def client_for(asset: Asset) -> GraphQLClient:
    """A client configured from the asset; rejects settings that cannot work."""
    url = asset.graphql_url.strip()
    if not url.startswith(("http://", "https://")):
        raise AssetMisconfiguration(f"graphql_url must be an http(s) URL, got {url!r}")
    if asset.timeout_seconds <= 0:
        raise AssetMisconfiguration("timeout_seconds must be positive")
    return GraphQLClient(
        ClientSettings(
            url=url,
            api_key=asset.api_key or None,
            verify_tls=asset.verify_tls,
            ca_bundle=asset.ca_bundle or None,
            timeout_seconds=float(asset.timeout_seconds),
        )
    )
