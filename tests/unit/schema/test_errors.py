"""Masking and codes, on a tiny schema using our extensions."""

from __future__ import annotations

import logging

import pytest
import strawberry

from schema.errors import ErrorCodes, mask_errors
from schema.root import build_schema
from trailhound.errors import NotFoundError


@strawberry.type
class _Q:
    @strawberry.field
    def boom(self) -> int:
        raise ValueError("secret path /etc/shadow")

    @strawberry.field
    def missing(self) -> int:
        raise NotFoundError("no such thing")


_SCHEMA = strawberry.Schema(_Q, extensions=[ErrorCodes, mask_errors])


def test_unexpected_errors_are_masked_with_internal_code(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.CRITICAL, logger="strawberry.execution")
    result = _SCHEMA.execute_sync("{ boom }")
    assert result.errors is not None
    (err,) = result.errors
    assert err.message == "Unexpected error."
    assert err.extensions == {"code": "INTERNAL"}
    assert "shadow" not in str(err.formatted)


def test_known_errors_keep_message_and_code(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.CRITICAL, logger="strawberry.execution")
    result = _SCHEMA.execute_sync("{ missing }")
    assert result.errors is not None
    assert result.errors[0].formatted["message"] == "no such thing"
    assert result.errors[0].formatted["extensions"] == {"code": "NOT_FOUND"}


def test_depth_limit_is_limit_exceeded(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.CRITICAL, logger="strawberry.execution")
    shallow = build_schema(max_depth=2)
    result = shallow.execute_sync("{ search(type: S3_BUCKET) { edges { node { key } } } }")
    assert result.errors is not None
    assert result.errors[0].extensions == {"code": "LIMIT_EXCEEDED"}
    assert "depth" in result.errors[0].message


def test_validation_errors_keep_their_code() -> None:
    result = build_schema().execute_sync("{ nope }")
    assert result.errors is not None
    assert result.errors[0].extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}
