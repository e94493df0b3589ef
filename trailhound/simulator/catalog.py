"""The API calls the simulator knows: source, read-only flag, parameters, resources.

Each entry turns a call's *target* (a bucket, an object key, an instance id, a
user name, ...) into the request parameters, response elements and
``resources`` list CloudTrail records for that API, shaped after real records
(``shared/samples``) and the CloudTrail reference.  Data events (S3 object
calls) carry ``managementEvent: false`` and ``eventCategory: Data``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Call:
    """What one API call looks like in a CloudTrail record (minus identity and time)."""

    event_source: str
    event_name: str
    read_only: bool
    request: JSON | None
    response: JSON | None = None
    resources: tuple[JSON, ...] = ()
    data_event: bool = False
    additional: JSON | None = None
    host: str | None = None
    global_service: bool = False  # IAM and the global STS endpoint log to us-east-1


def _bucket_res(acct: str, bucket: str) -> JSON:
    return {"accountId": acct, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}


def _s3_extra(bytes_out: int, bytes_in: int = 0) -> JSON:
    return {
        "SignatureVersion": "SigV4",
        "CipherSuite": "TLS_AES_128_GCM_SHA256",
        "bytesTransferredIn": bytes_in,
        "AuthenticationMethod": "AuthHeader",
        "x-amz-id-2": "eXJ3aGF0ZXZlcmlkMmlzYW5vcGFxdWV0b2tlbg==",
        "bytesTransferredOut": bytes_out,
    }


def _s3_bucket_call(name: str, sub: str) -> Callable[[str, str, str], Call]:
    def build(acct: str, region: str, target: str) -> Call:
        host = f"{target}.s3.{region}.amazonaws.com"
        return Call(
            "s3.amazonaws.com",
            name,
            name.startswith(("Get", "List", "Head")),
            {sub: "", "bucketName": target, "Host": host},
            None,
            (_bucket_res(acct, target),),
            additional=_s3_extra(420),
            host=host,
        )

    return build


def _s3_object_call(name: str) -> Callable[[str, str, str], Call]:
    def build(acct: str, region: str, target: str) -> Call:
        bucket, _, key = target.partition("/")
        host = f"{bucket}.s3.{region}.amazonaws.com"
        size = 1024 + (len(key) * 7919) % 5_000_000
        read = name != "PutObject"
        return Call(
            "s3.amazonaws.com",
            name,
            read,
            {"bucketName": bucket, "Host": host, "key": key},
            None if read else {"x-amz-server-side-encryption": "AES256"},
            (
                {"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"},
                _bucket_res(acct, bucket),
            ),
            data_event=True,
            additional=_s3_extra(size if read else 0, 0 if read else size),
            host=host,
        )

    return build


def _list_buckets(acct: str, region: str, target: str) -> Call:
    return Call(
        "s3.amazonaws.com",
        "ListBuckets",
        True,
        {"Host": f"s3.{region}.amazonaws.com"},
        None,
        additional=_s3_extra(2048),
        host=f"s3.{region}.amazonaws.com",
    )


def _list_objects(acct: str, region: str, target: str) -> Call:
    host = f"{target}.s3.{region}.amazonaws.com"
    return Call(
        "s3.amazonaws.com",
        "ListObjects",
        True,
        {
            "list-type": "2",
            "bucketName": target,
            "encoding-type": "url",
            "Host": host,
            "prefix": "",
        },
        None,
        (_bucket_res(acct, target),),
        data_event=True,
        additional=_s3_extra(5321),
        host=host,
    )


def _simple(
    source: str,
    name: str,
    read: bool,
    *,
    global_: bool = False,
    req: Callable[[str, str, str], JSON | None] | None = None,
    resp: Callable[[str, str, str], JSON | None] | None = None,
) -> Callable[[str, str, str], Call]:
    def build(acct: str, region: str, target: str) -> Call:
        return Call(
            source,
            name,
            read,
            req(acct, region, target) if req else None,
            resp(acct, region, target) if resp else None,
            global_service=global_,
        )

    return build


def _instance_res(acct: str, region: str, iid: str) -> JSON:
    return {"instancesSet": {"items": [{"instanceId": iid}]}}


def _sg_ingress(acct: str, region: str, target: str) -> JSON:
    group, _, cidr = target.partition("|")
    return {
        "groupId": group,
        "ipPermissions": {
            "items": [
                {
                    "ipProtocol": "tcp",
                    "fromPort": 22,
                    "toPort": 22,
                    "ipRanges": {"items": [{"cidrIp": cidr or "0.0.0.0/0"}]},
                }
            ]
        },
    }


def _iam_user_req(acct: str, region: str, target: str) -> JSON:
    return {"userName": target}


def _attach_policy(acct: str, region: str, target: str) -> JSON:
    return {"userName": target, "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}


def _create_key_resp(acct: str, region: str, target: str) -> JSON:
    user, _, key = target.partition("|")
    return {
        "accessKey": {
            "accessKeyId": key,
            "status": "Active",
            "userName": user,
            "createDate": "Jan 1, 2026, 12:00:00 AM",
        }
    }


def _login_profile_resp(acct: str, region: str, target: str) -> JSON:
    return {
        "loginProfile": {
            "userName": target,
            "createDate": "Jan 1, 2026, 12:00:00 AM",
            "passwordResetRequired": False,
        }
    }


def _param(acct: str, region: str, target: str) -> JSON:
    return {"name": target, "withDecryption": True}


def _secret(acct: str, region: str, target: str) -> JSON:
    return {"secretId": f"arn:aws:secretsmanager:{region}:{acct}:secret:{target}"}


def _kms(acct: str, region: str, target: str) -> JSON:
    return {
        "encryptionAlgorithm": "SYMMETRIC_DEFAULT",
        "keyId": f"arn:aws:kms:{region}:{acct}:key/{target}",
    }


def _ssm_info(acct: str, region: str, target: str) -> JSON:
    return {
        "instanceId": target,
        "agentVersion": "3.3.40.0",
        "agentName": "amazon-ssm-agent",
        "platformType": "Linux",
        "platformName": "Amazon Linux",
        "platformVersion": "2023",
        "iPAddress": "HIDDEN_DUE_TO_SECURITY_REASONS",
        "computerName": "ip-10-0-0-1.ec2.internal",
        "agentStatus": "Active",
    }


def _log_stream(acct: str, region: str, target: str) -> JSON:
    return {"logGroupName": f"/app/{target}", "logStreamName": "stream"}


def _stack(acct: str, region: str, target: str) -> JSON:
    return {"stackName": target}


def _lambda_fn(acct: str, region: str, target: str) -> JSON:
    return {"functionName": target}


def _ecr_repo(acct: str, region: str, target: str) -> JSON:
    return {"repositoryName": target, "registryId": acct}


def _run_instances(acct: str, region: str, target: str) -> JSON:
    return {
        "instancesSet": {"items": [{"imageId": target, "minCount": 1, "maxCount": 1}]},
        "instanceType": "m6i.large",
    }


def _run_resp(acct: str, region: str, target: str) -> JSON | None:
    return None


CATALOG: dict[str, Callable[[str, str, str], Call]] = {
    "s3:ListBuckets": _list_buckets,
    "s3:GetBucketAcl": _s3_bucket_call("GetBucketAcl", "acl"),
    "s3:GetBucketLocation": _s3_bucket_call("GetBucketLocation", "location"),
    "s3:GetBucketPolicy": _s3_bucket_call("GetBucketPolicy", "policy"),
    "s3:GetBucketVersioning": _s3_bucket_call("GetBucketVersioning", "versioning"),
    "s3:ListObjects": _list_objects,
    "s3:GetObject": _s3_object_call("GetObject"),
    "s3:PutObject": _s3_object_call("PutObject"),
    "s3:HeadObject": _s3_object_call("HeadObject"),
    "ec2:DescribeInstances": _simple(
        "ec2.amazonaws.com",
        "DescribeInstances",
        True,
        req=lambda a, r, t: {"instancesSet": {}, "filterSet": {}},
    ),
    "ec2:DescribeSecurityGroups": _simple(
        "ec2.amazonaws.com",
        "DescribeSecurityGroups",
        True,
        req=lambda a, r, t: {"securityGroupSet": {}, "filterSet": {}},
    ),
    "ec2:DescribeVpcs": _simple(
        "ec2.amazonaws.com",
        "DescribeVpcs",
        True,
        req=lambda a, r, t: {"vpcSet": {}, "filterSet": {}},
    ),
    "ec2:DescribeSubnets": _simple(
        "ec2.amazonaws.com",
        "DescribeSubnets",
        True,
        req=lambda a, r, t: {"subnetSet": {}, "filterSet": {}},
    ),
    "ec2:DescribeImages": _simple(
        "ec2.amazonaws.com",
        "DescribeImages",
        True,
        req=lambda a, r, t: {"imagesSet": {}, "ownersSet": {}},
    ),
    "ec2:RunInstances": _simple("ec2.amazonaws.com", "RunInstances", False, req=_run_instances),
    "ec2:CreateTags": _simple(
        "ec2.amazonaws.com",
        "CreateTags",
        False,
        req=lambda a, r, t: {
            "resourcesSet": {"items": [{"resourceId": t}]},
            "tagSet": {"items": [{"key": "Name", "value": "app"}]},
        },
    ),
    "ec2:AuthorizeSecurityGroupIngress": _simple(
        "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", False, req=_sg_ingress
    ),
    "ec2:StopInstances": _simple("ec2.amazonaws.com", "StopInstances", False, req=_instance_res),
    "iam:ListUsers": _simple("iam.amazonaws.com", "ListUsers", True, global_=True),
    "iam:ListRoles": _simple("iam.amazonaws.com", "ListRoles", True, global_=True),
    "iam:ListAttachedUserPolicies": _simple(
        "iam.amazonaws.com", "ListAttachedUserPolicies", True, global_=True, req=_iam_user_req
    ),
    "iam:GetUser": _simple("iam.amazonaws.com", "GetUser", True, global_=True, req=_iam_user_req),
    "iam:ListAccessKeys": _simple(
        "iam.amazonaws.com", "ListAccessKeys", True, global_=True, req=_iam_user_req
    ),
    "iam:CreateAccessKey": _simple(
        "iam.amazonaws.com",
        "CreateAccessKey",
        False,
        global_=True,
        req=lambda a, r, t: {"userName": t.partition("|")[0]},
        resp=_create_key_resp,
    ),
    "iam:AttachUserPolicy": _simple(
        "iam.amazonaws.com", "AttachUserPolicy", False, global_=True, req=_attach_policy
    ),
    "iam:CreateLoginProfile": _simple(
        "iam.amazonaws.com",
        "CreateLoginProfile",
        False,
        global_=True,
        req=lambda a, r, t: {"userName": t, "passwordResetRequired": False},
        resp=_login_profile_resp,
    ),
    "iam:CreateUser": _simple(
        "iam.amazonaws.com",
        "CreateUser",
        False,
        global_=True,
        req=_iam_user_req,
        resp=lambda a, r, t: {
            "user": {"userName": t, "path": "/", "arn": f"arn:aws:iam::{a}:user/{t}"}
        },
    ),
    "iam:AddUserToGroup": _simple(
        "iam.amazonaws.com",
        "AddUserToGroup",
        False,
        global_=True,
        req=lambda a, r, t: {"groupName": "developers", "userName": t},
    ),
    "iam:ListGroupsForUser": _simple(
        "iam.amazonaws.com", "ListGroupsForUser", True, global_=True, req=_iam_user_req
    ),
    "sts:GetCallerIdentity": _simple("sts.amazonaws.com", "GetCallerIdentity", True),
    "ssm:UpdateInstanceInformation": _simple(
        "ssm.amazonaws.com", "UpdateInstanceInformation", False, req=_ssm_info
    ),
    "ssm:GetParameter": _simple("ssm.amazonaws.com", "GetParameter", True, req=_param),
    "secretsmanager:GetSecretValue": _simple(
        "secretsmanager.amazonaws.com", "GetSecretValue", True, req=_secret
    ),
    "kms:Decrypt": _simple("kms.amazonaws.com", "Decrypt", True, req=_kms),
    "kms:GenerateDataKey": _simple(
        "kms.amazonaws.com",
        "GenerateDataKey",
        True,
        req=lambda a, r, t: {"keyId": f"alias/{t}", "keySpec": "AES_256"},
    ),
    "logs:CreateLogStream": _simple(
        "logs.amazonaws.com", "CreateLogStream", False, req=_log_stream
    ),
    "logs:DescribeLogGroups": _simple("logs.amazonaws.com", "DescribeLogGroups", True),
    "cloudformation:DescribeStacks": _simple(
        "cloudformation.amazonaws.com", "DescribeStacks", True, req=_stack
    ),
    "cloudformation:CreateChangeSet": _simple(
        "cloudformation.amazonaws.com", "CreateChangeSet", False, req=_stack
    ),
    "cloudformation:ExecuteChangeSet": _simple(
        "cloudformation.amazonaws.com", "ExecuteChangeSet", False, req=_stack
    ),
    "lambda:ListFunctions20150331": _simple("lambda.amazonaws.com", "ListFunctions20150331", True),
    "lambda:GetFunction20150331v2": _simple(
        "lambda.amazonaws.com", "GetFunction20150331v2", True, req=_lambda_fn
    ),
    "lambda:UpdateFunctionCode20150331v2": _simple(
        "lambda.amazonaws.com", "UpdateFunctionCode20150331v2", False, req=_lambda_fn
    ),
    "ecr:GetAuthorizationToken": _simple("ecr.amazonaws.com", "GetAuthorizationToken", True),
    "ecr:BatchGetImage": _simple("ecr.amazonaws.com", "BatchGetImage", True, req=_ecr_repo),
    "ecr:PutImage": _simple("ecr.amazonaws.com", "PutImage", False, req=_ecr_repo),
    "athena:StartQueryExecution": _simple(
        "athena.amazonaws.com",
        "StartQueryExecution",
        False,
        req=lambda a, r, t: {"queryString": "SELECT ...", "workGroup": t},
    ),
    "glue:GetTables": _simple(
        "glue.amazonaws.com", "GetTables", True, req=lambda a, r, t: {"databaseName": t}
    ),
}


def call(api: str, account: str, region: str, target: str = "") -> Call:
    """The :class:`Call` for ``service:EventName`` on ``target``."""
    return CATALOG[api](account, region, target)
