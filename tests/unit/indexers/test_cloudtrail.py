"""Golden tests on hand-checked real CloudTrail records (tests/data/cloudtrail)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from indexers.registry import ParseContext

from .conftest import DATA, docs, outcomes, pick

MISC = DATA / "cloudtrail/misc"
DAY = DATA / "cloudtrail/AWSLogs/123837392027/CloudTrail/us-east-1/2023/07/10"


def _by_id(path: object, ctx: ParseContext, event_id: str) -> dict[str, object]:
    found = [d for d in docs(str(path), ctx) if d["event"]["id"] == event_id]
    assert len(found) == 1
    return found[0]


def test_assume_role_by_iam_user_targets_role_session_and_key(ctx: ParseContext) -> None:
    doc = _by_id(
        DAY / "218007301253_CloudTrail_us-east-1_20230710T1205Z_dOIWyEekdNWhkpqY.json.gz",
        ctx,
        "7c53cae3-f037-4394-8ad9-086f099efa7d",
    )
    assert pick(
        doc,
        "@timestamp",
        "event.action",
        "event.provider",
        "event.outcome",
        "event.category",
        "cloud.account.id",
        "cloud.region",
        "source.ip",
        "user.name",
        "trailhound.actor",
        "trailhound.actor_chain",
        "trailhound.access_key",
        "trailhound.targets",
        "trailhound.kind",
        "trailhound.remote_ip",
    ) == {
        "@timestamp": datetime(2023, 7, 10, 12, 2, 4, tzinfo=UTC),
        "event.action": "AssumeRole",
        "event.provider": "sts.amazonaws.com",
        "event.outcome": "success",
        "event.category": ["authentication"],
        "cloud.account.id": "123837392027",
        "cloud.region": "us-east-1",
        "source.ip": "192.168.10.20",
        "user.name": "bert-jan",
        "trailhound.actor": "aws_user:arn:aws:iam::123837392027:user/bert-jan",
        "trailhound.actor_chain": [
            "aws_user:arn:aws:iam::123837392027:user/bert-jan",
            "aws_account:123837392027",
        ],
        "trailhound.access_key": "access_key:AKIATFQR7NSC8Q4X20BJ",
        "trailhound.targets": [
            "aws_role:arn:aws:iam::123837392027:role/stratus-red-team-leave-org-role",
            "aws_role_session:AROATFQR7NSCRI4ZA26CX:aws-go-sdk-1688990515440126480",
            "access_key:ASIATFQR7NSC2AF7XJOS",
        ],
        "trailhound.kind": ["API_CALL", "ROLE_ASSUMPTION"],
        "trailhound.remote_ip": "192.168.10.20",
    }
    creds = doc["aws"]["cloudtrail"]["response_elements"]["credentials"]  # type: ignore[index]
    assert creds["sessionToken"] == "<redacted>"
    assert doc["user_agent"]["original"].startswith("stratus-red-team_")  # type: ignore[index]


def test_instance_profile_session_names_the_instance(ctx: ParseContext) -> None:
    got = docs(MISC / "aws.credential-access.ec2-steal-instance-credentials.json", ctx)
    sessions = [d for d in got if d["aws"]["cloudtrail"]["user_identity"]["type"] == "AssumedRole"]
    assert sessions
    doc = sessions[0]
    session = doc["aws"]["cloudtrail"]["user_identity"]["principal_id"]
    _, _, name = session.partition(":")
    assert name.startswith("i-")
    th = doc["trailhound"]
    assert th["actor"] == f"aws_role_session:{session}"
    assert th["instance"] == f"ec2_instance:{name}"
    assert th["actor_chain"][0] == th["actor"]
    assert th["actor_chain"][1].startswith("aws_role:arn:aws:iam::")
    assert th["actor_chain"][2].startswith("aws_account:")
    assert f"ec2_instance:{name}" in doc["related"]["entity"]


def test_console_login_is_a_login(ctx: ParseContext) -> None:
    (doc,) = docs(MISC / "aws.initial-access.console-login-without-mfa.json", ctx)
    assert doc["trailhound"]["kind"] == ["API_CALL", "LOGIN"]
    assert doc["event"]["outcome"] == "success"
    # "225.01.00.16" is not a canonical IP: kept as source.address only.
    assert doc["source"] == {"address": "225.01.00.16", "domain": "225.01.00.16"}
    assert doc["aws"]["cloudtrail"]["additional_eventdata"]["MFAUsed"] == "No"


def test_eventbridge_envelope_gives_the_same_event(ctx: ParseContext) -> None:
    (wrapped,) = docs(MISC / "eventbridge-console-login.json", ctx)
    (plain,) = docs(MISC / "aws.initial-access.console-login-without-mfa.json", ctx)
    assert wrapped == plain


def test_federated_user_chain_and_json_lines(ctx: ParseContext) -> None:
    got = docs(MISC / "sts-federation-token.jsonl", ctx)
    assert got == docs(MISC / "aws.persistence.sts-federation-token.json", ctx)
    fed = [d for d in got if d["aws"]["cloudtrail"]["user_identity"]["type"] == "FederatedUser"]
    assert fed[0]["trailhound"]["actor_chain"] == [
        "federated_user:742491224508:stratus_red_team",
        "aws_user:arn:aws:iam::742491224508:user/stratus-red-team-user-federation-user",
        "aws_account:742491224508",
    ]


def test_create_user_and_access_key_targets(ctx: ParseContext) -> None:
    got = {
        d["event"]["action"]: d
        for d in docs(MISC / "aws.persistence.iam-create-admin-user.json", ctx)
    }
    assert got["CreateUser"]["trailhound"]["targets"] == [
        "aws_user:arn:aws:iam::229654561268:user/malicious-iam-user"
    ]
    assert got["CreateUser"]["event"]["type"] == ["creation"]
    assert got["CreateUser"]["user"]["target"] == {"name": "malicious-iam-user"}
    assert got["CreateAccessKey"]["trailhound"]["targets"] == ["access_key:AKIAXAFZN8JEPF6L682H"]
    assert got["AttachUserPolicy"]["event"]["type"] == ["change"]


def test_failed_call_and_bucket_targets(ctx: ParseContext) -> None:
    got = docs(DAY, ctx)
    failed = [d for d in got if "FAILED_API_CALL" in d["trailhound"]["kind"]]
    assert failed
    assert all(d["event"]["outcome"] == "failure" for d in failed)
    assert all(d["aws"]["cloudtrail"]["error_code"] for d in failed)
    buckets = [
        d
        for d in got
        if any(t.startswith("s3_bucket:") for t in d["trailhound"].get("targets", []))
    ]
    assert buckets
    for d in buckets:
        name = d["aws"]["cloudtrail"].get("request_parameters", {}).get("bucketName")
        if name:
            assert f"s3_bucket:{name}" in d["trailhound"]["targets"]


def test_invictus_dataset_counts(ctx: ParseContext) -> None:
    out = outcomes(DATA / "cloudtrail/AWSLogs", ctx)
    docs_ = [o for o in out if o.doc is not None]
    assert len(docs_) == 2900
    assert [o.origin.file for o in out if o.skipped] == [
        str(next((DATA / "cloudtrail/AWSLogs").rglob("*CloudTrail-Digest*.json.gz")))
    ]
    assert len({o.doc.id for o in docs_ if o.doc}) == 2900


def test_logstash_shaped_export_uses_at_timestamp(ctx: ParseContext) -> None:
    got = docs(MISC / "ec2_proxy_s3_exfiltration_2020-09-14011940.json", ctx)
    assert len(got) == 103
    keys = {d["trailhound"].get("access_key") for d in got}
    assert "access_key:ASIA5FLZVX4OPVKKVBMX" in keys  # ground truth in SDAWS-200914011940.yaml


def test_insights_event_is_not_an_api_call(ctx: ParseContext) -> None:
    got = docs(MISC / "awsdocs-examples.json", ctx)
    insights = [
        d for d in got if d["aws"]["cloudtrail"].get("event_type") == "AwsCloudTrailInsight"
    ]
    assert len(insights) == 2
    assert all(d["trailhound"]["kind"] == [] for d in insights)
    assert all(d["event"]["action"] for d in insights)


def test_cloudtrail_lake_event_json_rows(ctx: ParseContext, tmp_path: Path) -> None:
    records = json.loads((MISC / "aws.persistence.sts-federation-token.json").read_text())
    rows = [{"eventJson": json.dumps(r), "eventTime": r["eventTime"]} for r in records]
    path = tmp_path / "lake-results.json"
    path.write_text(json.dumps(rows))
    assert docs(path, ctx) == docs(MISC / "aws.persistence.sts-federation-token.json", ctx)


def test_json_lines_that_are_all_broken_are_dead_lettered_line_by_line(
    ctx: ParseContext, tmp_path: Path
) -> None:
    # json.dumps writes float("inf") as Infinity, which is not JSON: no line parses.
    lines = [json.dumps({"eventVersion": "1.08", "eventName": n, "x": float("inf")}) for n in "ab"]
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(lines) + "\n")
    out = outcomes(path, ctx, "cloudtrail")
    assert [(o.origin.line, o.error_type) for o in out] == [(1, "framing"), (2, "framing")]


def test_records_recovered_from_a_truncated_document_keep_their_lines(
    ctx: ParseContext, tmp_path: Path
) -> None:
    records = [{"eventVersion": "1.08", "eventName": f"E{i}", "eventID": str(i)} for i in range(5)]
    text = json.dumps({"Records": records}, indent=2)[:-10]  # truncated: not JSON as a whole
    path = tmp_path / "truncated.json"
    path.write_text(text)
    out = outcomes(path, ctx, "cloudtrail")
    assert len(out) == 5
    for o in out:
        assert o.origin.offset is not None
        assert o.origin.line == text.count("\n", 0, o.origin.offset) + 1
    assert [o.origin.line for o in out][:2] == [3, 8]
