"""The ``Entity`` interface and one GraphQL type per entity kind.

Scalar details (first/last seen, account, kind-specific attributes) are loaded
lazily through the request's DataLoader, so a neighborhood of 200 nodes costs
one Elasticsearch query for all of their details.

Extension point: fields added to :class:`EntityExtension` (another module's
mixin, e.g. anomaly scores) appear on the ``Entity`` interface and on every
entity type.
"""

from __future__ import annotations

from datetime import datetime

import strawberry

from resolvers.domain import ApiRef, EntityDetails, NodeRef
from resolvers.identifiers import display_name
from schema.context import Info
from schema.described import described
from schema.enums import EntityType
from schema.extension_points import EntityExtension
from trailhound.ecs.entities import EntityKind, EntityRef

__all__ = ["ENTITY_TYPES", "Entity", "entity_from_ref", "node_from_ref"]


async def _details(root: Entity, info: Info) -> EntityDetails | None:
    if root.ref is None:
        return None
    return await info.context.entity_details.load(root.ref)


@strawberry.interface(description="A node of the behavior graph.")
class Entity(EntityExtension):
    ref: strawberry.Private[EntityRef | None]
    id: str = strawberry.field(description="Identifier as Detective's (ARN, id, address, ...).")
    key: str = strawberry.field(description="The `<kind>:<id>` key stored in related.entity.")
    type: EntityType
    display_name: str

    @described("Earliest event mentioning the entity (all time).")
    async def first_seen(self, info: Info) -> datetime | None:
        d = await _details(self, info)
        return d.first_seen if d else None

    @described("Latest event mentioning the entity (all time).")
    async def last_seen(self, info: Info) -> datetime | None:
        d = await _details(self, info)
        return d.last_seen if d else None

    @described("The AWS account the entity's events belong to.")
    async def account_id(self, info: Info) -> str | None:
        d = await _details(self, info)
        return d.account_id if d else None

    @described("Indexed events mentioning the entity (all time).")
    async def event_count(self, info: Info) -> int:
        d = await _details(self, info)
        return d.event_count if d else 0


async def _attr(root: Entity, info: Info, name: str) -> str | None:
    d = await _details(root, info)
    return d.attributes.get(name) if d else None


@strawberry.type
class AwsAccount(Entity):
    pass


@strawberry.type
class AwsUser(Entity):
    @described("The IAM user name (or root).")
    def user_name(self) -> str:
        return self.display_name


@strawberry.type
class AwsRole(Entity):
    @strawberry.field
    def role_name(self) -> str:
        return self.display_name


@strawberry.type
class AwsRoleSession(Entity):
    @described("The session name (an instance id for instance profiles).")
    def session_name(self) -> str:
        return self.display_name

    @described("The role's principal id (AROA...).")
    def role_principal_id(self) -> str:
        return self.id.split(":", 1)[0]


@strawberry.type
class FederatedUser(Entity):
    pass


@strawberry.type
class Ec2Instance(Entity):
    @strawberry.field
    def instance_id(self) -> str:
        return self.id


@strawberry.type
class NetworkInterface(Entity):
    pass


@strawberry.type
class IpAddress(Entity):
    @strawberry.field
    def address(self) -> str:
        return self.id

    @described("ISO country code of the latest geolocated event.")
    async def country(self, info: Info) -> str | None:
        return await _attr(self, info, "country")

    @strawberry.field
    async def city(self, info: Info) -> str | None:
        return await _attr(self, info, "city")

    @described("Autonomous system number.")
    async def as_number(self, info: Info) -> int | None:
        value = await _attr(self, info, "asNumber")
        return int(value) if value is not None else None

    @described("Autonomous system organization (ASO).")
    async def as_organization(self, info: Info) -> str | None:
        return await _attr(self, info, "asOrganization")


@strawberry.type
class UserAgent(Entity):
    @strawberry.field
    def user_agent(self) -> str:
        return self.id


@strawberry.type
class S3Bucket(Entity):
    @strawberry.field
    def bucket_name(self) -> str:
        return self.id


@strawberry.type
class AccessKey(Entity):
    @strawberry.field
    def access_key_id(self) -> str:
        return self.id


@strawberry.type
class Finding(Entity):
    @described("Finding type, e.g. Backdoor:EC2/C&CActivity.B.")
    async def finding_type(self, info: Info) -> str | None:
        return await _attr(self, info, "findingType")

    @strawberry.field
    async def title(self, info: Info) -> str | None:
        return await _attr(self, info, "title")

    @described("Bucketed ECS severity (21 low, 47 medium, 73 high, 99 critical).")
    async def severity(self, info: Info) -> int | None:
        value = await _attr(self, info, "severity")
        return int(float(value)) if value is not None else None

    @strawberry.field
    async def description(self, info: Info) -> str | None:
        return await _attr(self, info, "description")


@strawberry.type(description="An API operation (service + name); a graph node, not indexed.")
class ApiOperation(Entity):
    service: str
    name: str


_BY_KIND: dict[EntityKind, type[Entity]] = {
    EntityKind.AWS_ACCOUNT: AwsAccount,
    EntityKind.AWS_USER: AwsUser,
    EntityKind.AWS_ROLE: AwsRole,
    EntityKind.AWS_ROLE_SESSION: AwsRoleSession,
    EntityKind.FEDERATED_USER: FederatedUser,
    EntityKind.EC2_INSTANCE: Ec2Instance,
    EntityKind.NETWORK_INTERFACE: NetworkInterface,
    EntityKind.IP_ADDRESS: IpAddress,
    EntityKind.USER_AGENT: UserAgent,
    EntityKind.S3_BUCKET: S3Bucket,
    EntityKind.ACCESS_KEY: AccessKey,
    EntityKind.FINDING: Finding,
}
ENTITY_TYPES: tuple[type[Entity], ...] = (*_BY_KIND.values(), ApiOperation)


def entity_from_ref(ref: EntityRef) -> Entity:
    """The GraphQL object for an entity key (details load lazily)."""
    cls = _BY_KIND[ref.kind]
    return cls(
        ref=ref,
        id=ref.id,
        key=ref.key,
        type=EntityType(ref.kind.value),
        display_name=display_name(ref),
    )


def node_from_ref(node: NodeRef) -> Entity:
    """Entities and API operation nodes alike."""
    if isinstance(node, ApiRef):
        return ApiOperation(
            ref=None,
            id=f"{node.provider}:{node.action}",
            key=node.key,
            type=EntityType.API_OPERATION,
            display_name=node.action,
            service=node.provider,
            name=node.action,
        )
    return entity_from_ref(node)
