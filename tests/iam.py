"""Least privilege, proven from the integration tests.

Recording: while a function of the template runs (`acting_as`, set by tests/harness.py around every
handler call: requests, queue batches, the relay's stream batches, jobs), every AWS call it makes
through botocore is recorded as the IAM requests it amounts to: (function, action, resource ARN).
A `TransactWriteItems` is one `PutItem`/`UpdateItem`/`DeleteItem`/`ConditionCheckItem` per item,
a `Query` on an index is a request on `table/T/index/I`, a queue URL is its queue's ARN, an email is
a request on its sender's SES identity, an SMS (`Publish` to a phone number) is on `*`.

Roles: `template.yaml` transformed by the SAM translator, as `sam deploy` transforms it
(tests/sam_transform.py), each function's generated role with its `Policies` expanded and
`Ref`/`GetAtt`/`Sub` resolved to the names the local stack gives (a table is named by its logical
id, a queue by its `QueueName` or logical id).

The check (`check`), when the integration tests end:
- every recorded call is allowed by the function's role (always checked);
- every grant was used, when the whole integration tier ran: each `Policies` entry's table, queue or
  identity by some call of that function, each action of an inline statement too, and a
  `DynamoDBCrudPolicy` whose calls a `DynamoDBReadPolicy` or `DynamoDBWritePolicy` would allow is
  reported as too wide. The grants SAM adds for a function's events (the pollers' managed policies,
  a stream's on-failure destination) are not the function's code's: they must be exactly those.
  What stays unused on purpose is in `EXCEPTIONS`, with the reason.

With pytest-xdist each worker writes what it recorded to `$IAM_CALLS_DIR/<worker>.json`; the
controller (or the only process) merges the files and fails the session with a report.
`python -m tests.iam check DIR` checks a kept directory again."""

from __future__ import annotations

import contextvars
import email.utils
import fnmatch
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocore.client import BaseClient

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"
ACCOUNT = "123456789012"  # moto's
REGION = "us-east-1"
PARTITION = "aws"
CALLS_DIR = "IAM_CALLS_DIR"

# ---- what stays unused on purpose ------------------------------------------------------------

EXCEPTIONS: dict[tuple[str, str], str] = {
    # (function, what is granted) -> why it stays although no test used it
    ("NotificationDispatcherFunction", "Statement(sns:Publish): *"): (
        "texts go straight to phone numbers (Publish with PhoneNumber): IAM has no ARN for a phone "
        "number, so direct SMS needs Resource '*', and no condition key narrows Publish to a number "
        "(sns:Protocol and sns:Endpoint apply to Subscribe only)"
    ),
}
PROFILE_LANGUAGE = "DynamoDBReadPolicy(ProfileTable): " + (
    f"arn:{PARTITION}:dynamodb:{REGION}:{ACCOUNT}:table/ProfileTable"
)
PROFILE_LANGUAGE_REASON = (
    "an authenticated route answers a problem in the caller's profile language when the request has "
    "no Accept-Language (customer_id/request.py, http.problem): one GetItem on ProfileTable, which no "
    "integration test of this function happens to need (their events carry Accept-Language)"
)


def _excused(function: str, what: str, authenticated: set[str]) -> str | None:
    """Why an unused grant stays, if it does."""
    if (function, what) in EXCEPTIONS:
        return EXCEPTIONS[(function, what)]
    if what == PROFILE_LANGUAGE and function in authenticated:
        return PROFILE_LANGUAGE_REASON
    return None


# The managed policies SAM attaches to every function role it generates, and those it adds for an
# event source. Lambda's own pollers use the event sources' (receiving and deleting a queue's
# messages, reading a stream): the function's code never calls them, the tests cannot see them, and
# SAM offers no way to leave them out of a role it generates. Their documents, as AWS publishes them:
MANAGED_POLICIES: dict[str, tuple[str, list[dict[str, Any]]]] = {
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole": (
        "every function: writing its own logs",
        [
            {
                "Effect": "Allow",
                "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": "*",
            }
        ],
    ),
    "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess": (
        "every function (Tracing: Active): sending its traces",
        [
            {
                "Effect": "Allow",
                "Action": [
                    "xray:PutTraceSegments",
                    "xray:PutTelemetryRecords",
                    "xray:GetSamplingRules",
                    "xray:GetSamplingTargets",
                    "xray:GetSamplingStatisticSummaries",
                ],
                "Resource": "*",
            }
        ],
    ),
    "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole": (
        "an SQS event: Lambda's poller receives and deletes the queue's messages with the function's "
        "role. On `*`: SAM attaches this managed policy to every SQS event and cannot scope it; "
        "scoping needs the mapping declared as AWS::Lambda::EventSourceMapping with an "
        "SQSPollerPolicy on the one queue",
        [
            {
                "Effect": "Allow",
                "Action": [
                    "sqs:ReceiveMessage",
                    "sqs:DeleteMessage",
                    "sqs:GetQueueAttributes",
                    "logs:CreateLogGroup",
                    "logs:CreateLogStream",
                    "logs:PutLogEvents",
                ],
                "Resource": "*",
            }
        ],
    ),
    "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole": (
        "a DynamoDB stream event: Lambda's poller reads the stream with the function's role (on `*`, "
        "as SAM attaches it)",
        [
            {
                "Effect": "Allow",
                "Action": [
                    "dynamodb:DescribeStream",
                    "dynamodb:GetRecords",
                    "dynamodb:GetShardIterator",
                    "dynamodb:ListStreams",
                    "logs:CreateLogGroup",
                    "logs:CreateLogStream",
                    "logs:PutLogEvents",
                ],
                "Resource": "*",
            }
        ],
    ),
}
_ALWAYS_MANAGED = (
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
)
_EVENT_MANAGED = {
    "SQS": "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole",
    "DynamoDB": "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole",
}

# SAM's DynamoDB policy templates (samtranslator/policy_templates_data/policy_templates.json)
DYNAMODB_READ = frozenset(
    {"dynamodb:GetItem", "dynamodb:Scan", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:DescribeTable"}
)
DYNAMODB_WRITE = frozenset({"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"})

# ---- recording ---------------------------------------------------------------------------------

_acting: contextvars.ContextVar[str | None] = contextvars.ContextVar("iam_acting_as", default=None)


@dataclass(frozen=True, order=True)
class Call:
    function: str
    action: str  # IAM action, e.g. dynamodb:PutItem
    resource: str  # ARN, or * for an action that takes none


@dataclass
class Recording:
    calls: dict[Call, str] = field(default_factory=dict)  # call -> the first test that made it

    def add(self, call: Call) -> None:
        if call not in self.calls:
            self.calls[call] = os.environ.get("PYTEST_CURRENT_TEST", "? ").rsplit(" ", 1)[0]


RECORDING = Recording()


@contextmanager
def acting_as(logical_id: str) -> Iterator[None]:
    """AWS calls made meanwhile (in this thread) are the function's, made with its role."""
    token = _acting.set(logical_id)
    try:
        yield
    finally:
        _acting.reset(token)


def _arn(service: str, region: str, resource: str) -> str:
    return f"arn:{PARTITION}:{service}:{region}:{ACCOUNT}:{resource}"


def _table(region: str, name: str, index: str | None = None) -> str:
    if name.startswith("arn:"):
        return name if index is None else f"{name}/index/{index}"
    return _arn("dynamodb", region, f"table/{name}" + (f"/index/{index}" if index else ""))


def _queue(region: str, url: str) -> str:
    return _arn("sqs", region, url.rstrip("/").rsplit("/", 1)[-1])


_TRANSACT = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}
_SQS_BATCH = {
    "SendMessageBatch": "SendMessage",
    "DeleteMessageBatch": "DeleteMessage",
    "ChangeMessageVisibilityBatch": "ChangeMessageVisibility",
}
_IAM_PREFIX = {"email": "ses"}  # SES v2's endpoint prefix


def requests_of(service: str, operation: str, params: dict[str, Any], region: str) -> list[tuple[str, str]]:
    """The IAM requests (action, resource) that one API call amounts to."""
    if service == "dynamodb":
        if operation == "TransactWriteItems":
            return [
                (f"dynamodb:{_TRANSACT[kind]}", _table(region, body["TableName"]))
                for item in params["TransactItems"]
                for kind, body in item.items()
            ]
        if operation == "TransactGetItems":
            return [
                ("dynamodb:GetItem", _table(region, item["Get"]["TableName"]))
                for item in params["TransactItems"]
            ]
        if operation in ("BatchGetItem", "BatchWriteItem"):
            return [(f"dynamodb:{operation}", _table(region, name)) for name in params["RequestItems"]]
        if "TableName" in params:
            return [(f"dynamodb:{operation}", _table(region, params["TableName"], params.get("IndexName")))]
        return [(f"dynamodb:{operation}", "*")]
    if service == "sqs":
        action = f"sqs:{_SQS_BATCH.get(operation, operation)}"
        return [(action, _queue(region, params["QueueUrl"]) if "QueueUrl" in params else "*")]
    if service in ("ses", "email") and operation in ("SendEmail", "SendRawEmail"):
        sender = params.get("Source") or params.get("FromEmailAddress") or ""
        address = email.utils.parseaddr(sender)[1]
        return [(f"ses:{operation}", _arn("ses", region, f"identity/{address}"))]
    if service == "sns" and operation == "Publish":
        target = params.get("TopicArn") or params.get("TargetArn")
        return [("sns:Publish", target or "*")]  # a text to a phone number has no resource
    if service == "secretsmanager" and "SecretId" in params:
        secret = params["SecretId"]
        return [
            (
                f"secretsmanager:{operation}",
                secret
                if secret.startswith("arn:")
                else _arn("secretsmanager", region, f"secret:{secret}-AbCdEf"),
            )
        ]
    if service == "ssm" and operation in ("GetParameter", "GetParameters"):
        names = [params["Name"]] if "Name" in params else params["Names"]
        return [(f"ssm:{operation}", _arn("ssm", region, f"parameter/{name.lstrip('/')}")) for name in names]
    if service == "cognito-idp" and "UserPoolId" in params:
        return [(f"cognito-idp:{operation}", _arn("cognito-idp", region, f"userpool/{params['UserPoolId']}"))]
    return [(f"{_IAM_PREFIX.get(service, service)}:{operation}", "*")]


_original_call = BaseClient._make_api_call


def _recording_call(self: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
    function = _acting.get()
    if function is not None:
        model = self.meta.service_model
        for action, resource in requests_of(
            model.endpoint_prefix, operation_name, api_params, self.meta.region_name
        ):
            RECORDING.add(Call(function, action, resource))
    return _original_call(self, operation_name, api_params)


def start_recording() -> None:
    """Every botocore call goes through the recorder from now on (faults and contention wrappers
    installed later call it in turn)."""
    BaseClient._make_api_call = _recording_call


# ---- roles -------------------------------------------------------------------------------------


def _sam_cli() -> str:
    match = re.search(r"^SAM_CLI := (\S+)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    if match is None:
        raise RuntimeError("Makefile names no SAM_CLI")
    return match.group(1)


def transformed(template: Path = TEMPLATE, parameters: dict[str, str] | None = None) -> dict[str, Any]:
    """The template as CloudFormation after SAM's transform (kept in .local/iam/, by content)."""
    given = json.dumps({"CursorSigningKey": "k" * 32, **(parameters or {})}, sort_keys=True)
    sam_cli = _sam_cli()
    digest = hashlib.sha256(template.read_bytes() + given.encode() + sam_cli.encode()).hexdigest()[:16]
    kept = ROOT / ".local" / "iam" / f"transformed-{digest}.json"
    if kept.exists():
        document: dict[str, Any] = json.loads(kept.read_text())
        return document
    uv = shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv")
    result = subprocess.run(  # noqa: S603
        [
            uv,
            "tool",
            "run",
            "--from",
            sam_cli,
            "python",
            str(ROOT / "tests" / "sam_transform.py"),
            str(template),
            given,
        ],
        capture_output=True,
        text=True,
        check=False,
        env={
            **os.environ,
            "AWS_DEFAULT_REGION": REGION,
            "UV_PYTHON_DOWNLOADS": "never",
            "SAM_CLI_TELEMETRY": "0",
        },
    )
    if result.returncode != 0:
        raise RuntimeError(f"the SAM transform of {template} failed:\n{result.stderr[-4000:]}")
    document = json.loads(result.stdout)
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_text(json.dumps(document))
    return document


@dataclass(frozen=True)
class Grant:
    """One entry of a function's `Policies` (or a policy SAM added for an event), resolved."""

    function: str
    name: str  # e.g. "DynamoDBCrudPolicy(IdempotencyTable)", "Statement(sns:Publish)", "event: ...SQSPolicy"
    template: str | None  # the SAM policy template, "Statement" for an inline one, None for SAM's own
    statements: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]  # ((actions), (resources))

    @property
    def from_event(self) -> bool:
        return self.template is None


@dataclass
class Role:
    function: str
    grants: list[Grant]
    managed: list[str]
    events: list[str]  # the function's event types (Api, SQS, DynamoDB, ScheduleV2, ...)
    authenticated: bool = False  # an API route with the authorizer: it has a caller

    def allows(self, action: str, resource: str) -> bool:
        statements = [s for grant in self.grants for s in grant.statements] + [
            (_as_tuple(statement["Action"]), _as_tuple(statement["Resource"]))
            for arn in self.managed
            if arn in MANAGED_POLICIES
            for statement in MANAGED_POLICIES[arn][1]
        ]
        return any(_matches(actions, resources, action, resource) for actions, resources in statements)


def _as_tuple(value: Any) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else (value,)


def _wildcard(pattern: str, value: str, *, case: bool) -> bool:
    pattern = pattern.replace("[", "[[]")
    return (
        fnmatch.fnmatchcase(value, pattern) if case else fnmatch.fnmatchcase(value.lower(), pattern.lower())
    )


def _matches(actions: Iterable[str], resources: Iterable[str], action: str, resource: str) -> bool:
    return any(_wildcard(a, action, case=False) for a in actions) and any(
        _wildcard(r, resource, case=True) for r in resources
    )


class _Resolver:
    """`Ref`, `GetAtt`, `Sub` and `Join` resolved to the local stack's names and moto's ARNs."""

    def __init__(self, document: dict[str, Any], parameters: dict[str, str]) -> None:
        self.resources: dict[str, Any] = document["Resources"]
        self.parameters = {
            name: str(spec.get("Default", "")) for name, spec in document.get("Parameters", {}).items()
        } | parameters

    def type_of(self, logical_id: str) -> str:
        return str(self.resources.get(logical_id, {}).get("Type", ""))

    def _name(self, logical_id: str, key: str) -> str:
        given = self.resources[logical_id].get("Properties", {}).get(key)
        return logical_id if given is None else str(self.resolve(given))

    def ref(self, name: str) -> str:
        pseudo = {
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT,
            "AWS::Partition": PARTITION,
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::StackName": "customer-id-local",
        }
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        kind = self.type_of(name)
        if kind == "AWS::DynamoDB::Table":
            return name  # the local stack names a table by its logical id
        if kind == "AWS::SQS::Queue":
            return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{self._name(name, 'QueueName')}"
        if kind == "AWS::SecretsManager::Secret":
            return _arn("secretsmanager", REGION, f"secret:{self._name(name, 'Name')}-??????")
        if kind == "AWS::SNS::Topic":
            return _arn("sns", REGION, self._name(name, "TopicName"))
        if kind == "AWS::SSM::Parameter":
            return self._name(name, "Name")
        return f"<{name}>"

    def get_att(self, logical_id: str, attribute: str) -> str:
        kind = self.type_of(logical_id)
        if kind == "AWS::SQS::Queue":
            name = self._name(logical_id, "QueueName")
            return {"Arn": _arn("sqs", REGION, name), "QueueName": name}.get(
                attribute, f"<{logical_id}.{attribute}>"
            )
        if kind == "AWS::DynamoDB::Table":
            table = _table(REGION, logical_id)
            return {"Arn": table, "StreamArn": f"{table}/stream/*"}.get(
                attribute, f"<{logical_id}.{attribute}>"
            )
        if kind == "AWS::Cognito::UserPool" and attribute == "Arn":
            return _arn("cognito-idp", REGION, "userpool/*")
        return f"<{logical_id}.{attribute}>"

    def resolve(self, node: Any) -> Any:
        if isinstance(node, list):
            return [self.resolve(item) for item in node]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            ((key, value),) = node.items()
            if key == "Ref":
                return self.ref(value)
            if key == "Fn::GetAtt":
                logical_id, attribute = value.split(".", 1) if isinstance(value, str) else value
                return self.get_att(logical_id, attribute)
            if key == "Fn::Sub":
                text, variables = (value, {}) if isinstance(value, str) else value
                known = {name: str(self.resolve(v)) for name, v in variables.items()}

                def replace(match: re.Match[str]) -> str:
                    expression = match.group(1)
                    if expression in known:
                        return known[expression]
                    if "." in expression and not expression.startswith("AWS::"):
                        return self.get_att(*expression.split(".", 1))
                    return self.ref(expression)

                return re.sub(r"\$\{([^}!]+)\}", replace, text)
            if key == "Fn::Join":
                separator, parts = value
                return separator.join(str(self.resolve(part)) for part in parts)
        return {key: self.resolve(value) for key, value in node.items()}


def _describe(entry: Any, resolver: _Resolver) -> tuple[str, str]:
    """(template, readable name) of one `Policies` entry."""
    if isinstance(entry, str):
        return "Managed", entry
    ((template, arguments),) = entry.items()
    if template == "Statement":
        statements = arguments if isinstance(arguments, list) else [arguments]
        actions = sorted({a for statement in statements for a in _as_tuple(statement["Action"])})
        return "Statement", f"Statement({', '.join(actions)})"
    shown = ", ".join(str(_short(resolver.resolve(value))) for value in (arguments or {}).values())
    return template, f"{template}({shown})"


def _short(value: str) -> str:
    return value.rsplit("/", 1)[-1] if value.startswith("https://") else value


def roles(template: Path = TEMPLATE, parameters: dict[str, str] | None = None) -> dict[str, Role]:
    """Each function's role, as SAM generates it from the template."""
    document = transformed(template, parameters)
    from local_stack.template import Template  # the source template, for each entry's SAM template name

    source = Template(path=template).resources
    resolver = _Resolver(document, {"CursorSigningKey": "k" * 32, **(parameters or {})})
    found = {}
    for logical_id, resource in source.items():
        if resource["Type"] != "AWS::Serverless::Function":
            continue
        role_id = f"{logical_id}Role"
        properties = document["Resources"][role_id]["Properties"]
        entries = resource["Properties"].get("Policies", [])
        entries = entries if isinstance(entries, list) else [entries]
        grants = []
        for policy in properties.get("Policies", []):
            statements = tuple(
                (_as_tuple(statement["Action"]), _as_tuple(resolver.resolve(statement["Resource"])))
                for statement in resolver.resolve(policy["PolicyDocument"])["Statement"]
            )
            for statement in policy["PolicyDocument"]["Statement"]:
                unsupported = set(statement) - {"Effect", "Action", "Resource", "Sid"}
                if statement.get("Effect") != "Allow" or unsupported:
                    raise ValueError(
                        f"{role_id}: only Allow statements of Action and Resource are checked: {statement}"
                    )
            index = policy["PolicyName"].removeprefix(f"{role_id}Policy")
            if index.isdigit():
                template_name, name = _describe(entries[int(index)], resolver)
                grants.append(Grant(logical_id, name, template_name, statements))
            else:
                grants.append(Grant(logical_id, f"event: {policy['PolicyName']}", None, statements))
        found[logical_id] = Role(
            function=logical_id,
            grants=grants,
            managed=[str(arn) for arn in properties.get("ManagedPolicyArns", [])],
            events=[str(event["Type"]) for event in resource["Properties"].get("Events", {}).values()],
            authenticated=any(
                event["Type"] == "Api" and event["Properties"].get("Auth", {}).get("Authorizer") != "NONE"
                for event in resource["Properties"].get("Events", {}).values()
            ),
        )
    return found


# ---- the check ---------------------------------------------------------------------------------


@dataclass
class Findings:
    denied: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    wide: list[str] = field(default_factory=list)
    stale_exceptions: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.denied or self.unused or self.wide or self.stale_exceptions)

    def report(self) -> list[str]:
        lines = []
        for title, items in (
            ("calls the role does not allow", self.denied),
            (
                "grants no test of the function used (remove them, or list them in tests/iam.py EXCEPTIONS "
                "with the reason)",
                self.unused,
            ),
            ("grants wider than the calls need", self.wide),
            ("EXCEPTIONS that no longer match a grant", self.stale_exceptions),
        ):
            if items:
                lines.append(f"{title}:")
                lines.extend(f"  {item}" for item in sorted(items))
        return lines


def _base(resource: str) -> str:
    """The table, queue or identity a resource pattern is about (an index or stream is its table's)."""
    return re.sub(r"/(index|stream)/.*$", "", resource)


def check(calls: dict[Call, str], all_ran: bool, found_roles: dict[str, Role] | None = None) -> Findings:
    """`calls` (call -> a test that made it) against the roles; unused grants only if `all_ran`."""
    found_roles = roles() if found_roles is None else found_roles
    findings = Findings()
    for call, test in sorted(calls.items()):
        role = found_roles.get(call.function)
        if role is None or not role.allows(call.action, call.resource):
            findings.denied.append(
                f"{call.function}: {call.action} on {call.resource} (first made by {test})"
            )
    for role in found_roles.values():
        expected = {*_ALWAYS_MANAGED, *(_EVENT_MANAGED[e] for e in role.events if e in _EVENT_MANAGED)}
        if set(role.managed) != expected:
            findings.wide.append(
                f"{role.function}: managed policies {sorted(role.managed)}, "
                f"SAM's for its events are {sorted(expected)}"
            )
    used_exceptions = set()
    for role in found_roles.values():
        for grant in role.grants:
            if any(r == "*" for _, rs in grant.statements for r in rs):
                key = (role.function, f"{grant.name}: *")
                if key in EXCEPTIONS:
                    used_exceptions.add(key)
                else:
                    findings.wide.append(f"{role.function}: {grant.name} grants on any resource (`*`)")
    if not all_ran:
        return findings
    authenticated = {role.function for role in found_roles.values() if role.authenticated}
    for role in found_roles.values():
        made = [call for call in calls if call.function == role.function]
        for grant in role.grants:
            if grant.from_event:
                continue
            unused = []
            resources = sorted({_base(r) for _, rs in grant.statements for r in rs})
            for base in resources:
                if not any(
                    _matches(actions, [r for r in rs if _base(r) == base], call.action, call.resource)
                    for actions, rs in grant.statements
                    for call in made
                ):
                    unused.append(base)
            if grant.template == "Statement":
                for actions, rs in grant.statements:
                    unused += [
                        action
                        for action in actions
                        if "*" not in action
                        and not any(_matches([action], rs, c.action, c.resource) for c in made)
                    ]
            for what in unused:
                key = (role.function, f"{grant.name}: {what}")
                if _excused(*key, authenticated) is not None:
                    used_exceptions.add(key)
                else:
                    findings.unused.append(f"{role.function}: {grant.name} grants {what}")
            if grant.template == "DynamoDBCrudPolicy" and not unused:
                needed = {
                    c.action
                    for c in made
                    if any(_matches(a, rs, c.action, c.resource) for a, rs in grant.statements)
                }
                narrowers: tuple[tuple[str, frozenset[str]], ...] = (
                    ("DynamoDBReadPolicy", DYNAMODB_READ),
                    ("DynamoDBWritePolicy", DYNAMODB_WRITE),
                )
                for narrower, allowed in narrowers:
                    if needed <= allowed:
                        findings.wide.append(
                            f"{role.function}: {grant.name}: its calls ({', '.join(sorted(needed))}) "
                            f"need only {narrower}"
                        )
                        break
    findings.stale_exceptions = [f"{f}: {what}" for f, what in EXCEPTIONS if (f, what) not in used_exceptions]
    return findings


# ---- pytest: per-process files, one check at the end ---------------------------------------------

INTEGRATION = "tests/integration/"


@dataclass
class _Session:
    collected: set[str] = field(default_factory=set)
    ran: set[str] = field(default_factory=set)
    deselected: bool = False


_SESSION = _Session()


def _is_worker(config: Any) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config: Any) -> None:
    if not _is_worker(config):
        directory = ROOT / ".local" / "iam-calls" / uuid.uuid4().hex
        directory.mkdir(parents=True)
        os.environ[CALLS_DIR] = str(directory)  # the xdist workers, started after this, inherit it
    start_recording()


def pytest_deselected(items: list[Any]) -> None:
    if any(item.nodeid.startswith(INTEGRATION) for item in items):
        _SESSION.deselected = True


def pytest_collection_finish(session: Any) -> None:
    _SESSION.collected = {item.nodeid for item in session.items if item.nodeid.startswith(INTEGRATION)}


def pytest_runtest_logreport(report: Any) -> None:
    if report.nodeid.startswith(INTEGRATION) and (report.when == "call" or report.skipped):
        _SESSION.ran.add(report.nodeid)


def _write(directory: Path, name: str) -> None:
    (directory / f"{name}.json").write_text(
        json.dumps(
            {
                "calls": [[c.function, c.action, c.resource, test] for c, test in RECORDING.calls.items()],
                "collected": sorted(_SESSION.collected),
                "ran": sorted(_SESSION.ran),
                "deselected": _SESSION.deselected,
            }
        )
    )


def load(directory: Path) -> tuple[dict[Call, str], bool, int]:
    """The merged calls, whether the whole integration tier ran, and how many of its tests ran."""
    calls: dict[Call, str] = {}
    collected: set[str] = set()
    ran: set[str] = set()
    deselected = False
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text())
        for function, action, resource, test in data["calls"]:
            calls.setdefault(Call(function, action, resource), test)
        collected |= set(data["collected"])
        ran |= set(data["ran"])
        deselected |= data["deselected"]
    files_on_disk = {f"{INTEGRATION}{p.name}" for p in (ROOT / INTEGRATION).glob("test_*.py")}
    files_ran = {nodeid.split("::")[0] for nodeid in ran}
    all_ran = bool(ran) and not deselected and collected <= ran and files_on_disk <= files_ran
    return calls, all_ran, len(ran)


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    directory = os.environ.get(CALLS_DIR)
    if directory is None:
        return
    if _is_worker(session.config):
        _write(Path(directory), session.config.workerinput["workerid"])
        return
    _write(Path(directory), "main")
    calls, all_ran, count = load(Path(directory))
    if count == 0:
        shutil.rmtree(directory, ignore_errors=True)
        return
    last = Path(directory).parent / "last"  # kept for `python -m tests.iam check .local/iam-calls/last`
    try:
        shutil.rmtree(last, ignore_errors=True)
        Path(directory).rename(last)
    except OSError:  # another session's (`make mutants` runs several): keep neither
        shutil.rmtree(directory, ignore_errors=True)
    findings = check(calls, all_ran)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    scope = (
        "calls allowed, every grant used"
        if all_ran
        else "calls allowed (not the whole integration tier: unused grants not checked)"
    )
    lines = findings.report() or [
        f"{len(calls)} distinct calls of {len({c.function for c in calls})} functions"
    ]
    if reporter is not None:
        reporter.write_sep(
            "=",
            f"least privilege ({scope}): {'FAILED' if findings.failed else 'passed'}",
            red=findings.failed,
            green=not findings.failed,
        )
        for line in lines:
            reporter.write_line(line)
    if findings.failed:
        session.exitstatus = 1


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] != "check":
        print("usage: python -m tests.iam check DIR", file=sys.stderr)
        return 2
    calls, all_ran, _ = load(Path(argv[2]))
    findings = check(calls, all_ran)
    print("\n".join(findings.report() or ["least privilege: passed"]))
    return 1 if findings.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
