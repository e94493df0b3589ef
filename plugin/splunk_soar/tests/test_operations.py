"""Every operation document validates against the server's committed SDL.

A schema change that renames or removes something the app asks for fails
here, in CI, before a playbook meets it.
"""

from pathlib import Path

import pytest
from graphql import (
    FragmentDefinitionNode,
    GraphQLSchema,
    OperationDefinitionNode,
    build_schema,
    parse,
    validate,
)

from src.operations import (
    FRAGMENTS_DIR,
    OPERATIONS_DIR,
    fragment_names,
    load_operation,
    operation_names,
)
from tests.backend import REPO_ROOT

SCHEMA_FILE = REPO_ROOT / "schema" / "schema.graphql"


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    assert SCHEMA_FILE.is_file(), (
        f"{SCHEMA_FILE} is missing: the server's SDL must be committed"
    )
    return build_schema(SCHEMA_FILE.read_text(encoding="utf-8"))


def test_the_app_ships_operations() -> None:
    assert "TestConnectivity" in operation_names()
    assert len(operation_names()) >= 2


@pytest.mark.parametrize("name", operation_names())
def test_operation_is_valid_against_schema(schema: GraphQLSchema, name: str) -> None:
    document = parse(load_operation(name))
    errors = validate(schema, document)
    assert not errors, f"{name}.graphql: " + "; ".join(e.message for e in errors)


@pytest.mark.parametrize("name", operation_names())
def test_file_holds_exactly_the_operation_it_is_named_after(name: str) -> None:
    document = parse(load_operation(name))
    operations = [
        d for d in document.definitions if isinstance(d, OperationDefinitionNode)
    ]
    assert [op.name.value if op.name else None for op in operations] == [name]


def test_only_graphql_files_and_the_loader_live_in_the_operations_folder() -> None:
    names = {p.name for p in Path(OPERATIONS_DIR).iterdir() if p.name != "__pycache__"}
    assert names == {"__init__.py"} | {f"{n}.graphql" for n in operation_names()}


@pytest.mark.parametrize("name", fragment_names())
def test_fragment_file_holds_exactly_the_fragment_it_is_named_after(name: str) -> None:
    document = parse((FRAGMENTS_DIR / f"{name}.graphql").read_text(encoding="utf-8"))
    assert [
        d.name.value
        for d in document.definitions
        if isinstance(d, FragmentDefinitionNode)
    ] == [name]
    assert len(document.definitions) == 1


def test_every_fragment_is_used_by_some_operation() -> None:
    used = {
        d.name.value
        for op in operation_names()
        for d in parse(load_operation(op)).definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    assert used == set(fragment_names())
