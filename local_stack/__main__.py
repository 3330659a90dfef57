"""`python -m local_stack serve|token`: the local stack (see README), without Docker or an AWS account."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import shutil
import signal
import socket
import sys
import urllib.error
import urllib.request
from pathlib import Path
from types import FrameType

import boto3

from local_stack.template import ROOT, TEMPLATE, Template

REGION = "us-east-1"


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # as the servers bind: a port whose last connections linger in TIME_WAIT after a stop is free,
        # one with a listener is not
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def serve(
    host: str,
    port: int,
    aws_port: int,
    state_dir: Path,
    template_path: Path,
    cron: bool,
    dynamodb_port: int = 8000,
    engine: str = "local",
    fresh: bool = False,
    web_port: int | None = None,
) -> int:
    wanted_ports = [("API", port), ("AWS (moto)", aws_port)]
    if web_port is not None:
        from local_stack.web import DIST

        if not (DIST / "index.html").is_file():
            print(f"error: the web app is not built ({DIST}): run `make web`", file=sys.stderr)
            return 2
        wanted_ports.append(("web app", web_port))
    if engine == "local":
        wanted_ports.append(("DynamoDB Local", dynamodb_port))
    for name, wanted in wanted_ports:
        if not _port_free(host, wanted):
            print(
                f"error: port {wanted} for the {name} on {host} is already in use; choose another",
                file=sys.stderr,
            )
            return 2
    data_dir = state_dir / "data"
    if fresh:
        shutil.rmtree(data_dir, ignore_errors=True)
    endpoint = f"http://{host}:{aws_port}"
    dynamodb_endpoint = f"http://{host}:{dynamodb_port}" if engine == "local" else endpoint
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ENDPOINT_URL_DYNAMODB": dynamodb_endpoint,
            "AWS_ENDPOINT_URL_DYNAMODB_STREAMS": dynamodb_endpoint,
            "POWERTOOLS_TRACE_DISABLED": "true",
            # the user pool's and app client's ids derive from the template, so they are the same
            # after a restart (and so are the issuer and audience of the tokens issued before it)
            "MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY": "HASH",
            "MOTO_COGNITO_IDP_USER_POOL_CLIENT_ID_STRATEGY": "HASH",
        }
    )
    os.environ.pop("AWS_PROFILE", None)
    os.environ.pop("AWS_SESSION_TOKEN", None)

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # our own one-line request log replaces its own
    from moto.server import ThreadedMotoServer
    from werkzeug.serving import make_server

    from local_stack.api import LocalApi
    from local_stack.auth import CognitoAuthorizer
    from local_stack.dynamodb_local import DynamoDbLocal, DynamoDbLocalMissing
    from local_stack.queues import QueuePoller
    from local_stack.resources import provision
    from local_stack.runtime import load_handler, mount_layers, shared_environment
    from local_stack.schedules import Schedule, Scheduler
    from local_stack.streams import StreamPoller
    from local_stack.users import UserStore

    dynamodb: DynamoDbLocal | None = None
    if engine == "local":
        # started first, before any thread of ours exists: its JVM boots while moto starts
        dynamodb = DynamoDbLocal(host, dynamodb_port, data_dir / "dynamodb", log=state_dir / "dynamodb.log")
        try:
            dynamodb.start()
        except DynamoDbLocalMissing as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    else:
        from local_stack.isolation import serialize_dynamodb

        serialize_dynamodb()  # moto's DynamoDB does not isolate concurrent transactions
    moto = ThreadedMotoServer(ip_address=host, port=aws_port, verbose=False)
    moto.start()
    server = None
    web_server = None
    users: UserStore | None = None
    workers: list[QueuePoller | StreamPoller | Scheduler] = []
    try:
        template = Template(
            parameters={"Stage": "dev"},
            region=REGION,
            path=template_path,
        )
        if web_port is not None:  # the app's origin may read the API's answers (CORS), on any port
            web_origin = f"http://{host}:{web_port}"
            origins = template.parameters.get("AllowedOrigins", "")
            if web_origin not in origins.split(","):
                template.parameters["AllowedOrigins"] = ",".join(filter(None, [origins, web_origin]))
        if dynamodb is not None:
            dynamodb.wait_ready()
        # the generated secrets (the cursors' signing key) are kept with the data: cursors from
        # before a restart still open (on moto's DynamoDB nothing is kept, and neither are they)
        made = provision(
            template, REGION, kept_secrets=data_dir / "secrets.json" if dynamodb is not None else None
        )
        pools = list(template.of_type("AWS::Cognito::UserPool"))
        restored = 0
        if dynamodb is not None:  # kept data needs its users; on moto's DynamoDB nothing is kept
            users = UserStore(data_dir / "user-pools.json", {pool: template.names[pool] for pool in pools})
            restored = users.restore()
            users.track()
        functions = template.functions()
        os.environ.update(shared_environment(functions))
        mount_layers(template)
        if template_path == TEMPLATE and not made.kept_tables:
            from local_stack import demo  # the service's demo content, through its own domain code

            demo.load()
        handlers = {function.logical_id: load_handler(function) for function in functions}
        client_ids = [
            template.names[logical_id] for logical_id in template.of_type("AWS::Cognito::UserPoolClient")
        ]
        authorizer = (
            CognitoAuthorizer(endpoint, REGION, template.names[pools[0]], client_ids) if pools else None
        )
        schedules = [
            Schedule(function, handlers[function.logical_id], source)
            for function in functions
            for source in function.schedules
        ]
        workers += [
            QueuePoller(
                function,
                handlers[function.logical_id],
                source,
                queue_url=template.names[source.queue],
                queue_arn=template.attributes[(source.queue, "Arn")],
                region=REGION,
            )
            for function in functions
            for source in function.queues
        ]
        workers += [
            StreamPoller(
                function,
                handlers[function.logical_id],
                source,
                stream_arn=template.attributes[(source.table, "StreamArn")],
                region=REGION,
                on_failure_url=template.names[source.on_failure] if source.on_failure else None,
                # where the relay stopped, kept with the data it follows (moto's DynamoDB keeps none)
                checkpoint=data_dir / f"stream-{function.logical_id}.json" if dynamodb is not None else None,
            )
            for function in functions
            for source in function.streams
        ]
        if cron and schedules:
            workers.append(Scheduler(schedules, REGION))
        api = LocalApi(template, handlers, authorizer, schedules)
        server = make_server(host, port, api, threaded=True)
        for worker in workers:
            worker.start()
        outputs = {
            "ApiUrl": f"http://{host}:{server.server_port}",
            "AwsEndpointUrl": endpoint,
            "DynamoDbEndpointUrl": dynamodb_endpoint,
            "Region": REGION,
            "UserPoolId": template.names[pools[0]] if pools else None,
            "UserPoolClientId": client_ids[0] if client_ids else None,
        }
        if web_port is not None:
            from local_stack import web

            web_server = web.start(host, web_port, outputs)
            outputs["WebUrl"] = f"http://{host}:{web_server.server_port}"
        state_dir.mkdir(parents=True, exist_ok=True)
        written = state_dir / "outputs.json.tmp"  # whole or absent: a waiting reader never sees half
        written.write_text(json.dumps(outputs, indent=2) + "\n")
        os.replace(written, state_dir / "outputs.json")
        if dynamodb is not None:
            kept = (
                f"kept in {data_dir} ({len(made.kept_tables)} tables and {restored} users "
                f"from an earlier run; `make reset` wipes it)"
                if made.kept_tables
                else f"kept in {data_dir} (new; `make reset` wipes it)"
            )
            engine_line = f"  DynamoDB     {dynamodb_endpoint}  (DynamoDB Local)\n  data         {kept}\n"
        else:
            engine_line = "  DynamoDB     moto, in memory (nothing is kept)\n"
        print(
            f"Customer ID local stack\n"
            f"  API          {outputs['ApiUrl']}  ({len(api.routes)} routes)\n"
            f"{engine_line}"
            f"  AWS (moto)   {endpoint}  region {REGION}: SQS, Cognito, SES, SNS, Secrets Manager\n"
            f"  user pool    {outputs['UserPoolId']}  client {outputs['UserPoolClientId']}\n"
            f"  queues       {len([w for w in workers if isinstance(w, QueuePoller)])} polled, "
            f"streams {len([w for w in workers if isinstance(w, StreamPoller)])} relayed, "
            f"schedules {len(schedules)} ({'on their cron' if cron else 'on demand'})\n"
            + (f"  web app      {outputs['WebUrl']}\n" if web_server is not None else "")
            + f"  API docs     {outputs['ApiUrl']}/docs  (OpenAPI: {outputs['ApiUrl']}/openapi.json)\n"
            f"  outputs      {state_dir / 'outputs.json'}\n"
            f"Get a token:  .venv/bin/python -m local_stack token --email you@example.com [--group admins]\n"
            f"Run a schedule now:  .venv/bin/python -m local_stack schedule --list\n"
            f"Stop with Ctrl-C.",
            flush=True,
        )
        # Ctrl-C and a TERM both stop the stack, even where the shell started us with SIGINT ignored
        signal.signal(signal.SIGINT, _interrupt)
        signal.signal(signal.SIGTERM, _interrupt)
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
    finally:
        # a second Ctrl-C must not cut the shutdown short: the users are saved and DynamoDB Local stopped
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for worker in workers:
            worker.stop()
        for worker in workers:
            worker.join(timeout=5)
        if server is not None:
            server.server_close()
        if web_server is not None:
            web_server.shutdown()
            web_server.server_close()
        if users is not None:
            users.untrack()
            users.save()
        moto.stop()
        if dynamodb is not None:
            dynamodb.stop()
        (state_dir / "outputs.json").unlink(missing_ok=True)
    return 0


def reset(state_dir: Path) -> int:
    """Wipe the kept tables and users; refused while a stack runs on them."""
    outputs_file = state_dir / "outputs.json"
    if outputs_file.exists():
        api_url = json.loads(outputs_file.read_text())["ApiUrl"]
        host, port = api_url.removeprefix("http://").rsplit(":", 1)
        if not _port_free(host, int(port)):
            print(f"error: a local stack is running on {api_url}: stop it (Ctrl-C) first", file=sys.stderr)
            return 2
    data_dir = state_dir / "data"
    shutil.rmtree(data_dir, ignore_errors=True)
    print(f"wiped {data_dir}: the next `make serve` starts with empty tables, demo content and no users")
    return 0


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def token(email: str, password: str, group: str | None, state_dir: Path) -> int:
    """Create (or reuse) a user in the local user pool and print an ID token for it."""
    outputs_file = state_dir / "outputs.json"
    if not outputs_file.exists():
        print(f"error: {outputs_file} not found: start the stack with `make serve` first", file=sys.stderr)
        return 2
    outputs = json.loads(outputs_file.read_text())
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=outputs["AwsEndpointUrl"],
        region_name=outputs["Region"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    pool = outputs["UserPoolId"]
    with contextlib.suppress(cognito.exceptions.UsernameExistsException):  # an existing user signs in again
        cognito.admin_create_user(UserPoolId=pool, Username=email, MessageAction="SUPPRESS")
    cognito.admin_set_user_password(UserPoolId=pool, Username=email, Password=password, Permanent=True)
    if group:
        cognito.admin_add_user_to_group(UserPoolId=pool, Username=email, GroupName=group)
    result = cognito.initiate_auth(
        ClientId=outputs["UserPoolClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": email, "PASSWORD": password},
    )["AuthenticationResult"]
    sub = next(
        attribute["Value"]
        for attribute in cognito.admin_get_user(UserPoolId=pool, Username=email)["UserAttributes"]
        if attribute["Name"] == "sub"
    )
    print(f"customerId (sub): {sub}", file=sys.stderr)
    print(result["IdToken"])
    return 0


def schedule(name: str | None, state_dir: Path) -> int:
    """List the running stack's schedules, or run one now."""
    outputs_file = state_dir / "outputs.json"
    if not outputs_file.exists():
        print(f"error: {outputs_file} not found: start the stack with `make serve` first", file=sys.stderr)
        return 2
    api_url = json.loads(outputs_file.read_text())["ApiUrl"]
    url = f"{api_url}/_local/schedules" + (f"/{name}" if name else "")
    request = urllib.request.Request(url, method="POST" if name else "GET")  # noqa: S310 - our own loopback URL
    try:
        with urllib.request.urlopen(request, timeout=300) as response:  # noqa: S310
            print(response.read().decode())
    except urllib.error.HTTPError as error:
        print(f"error: {error.read().decode()}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local_stack", description=__doc__)
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=ROOT / ".local",
        help="where outputs.json, logs and the kept data (data/) go",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve_command = commands.add_parser("serve", help="run the stack until Ctrl-C")
    serve_command.add_argument("--host", default="127.0.0.1")
    serve_command.add_argument("--port", type=int, default=int(os.environ.get("LOCAL_API_PORT", "3000")))
    serve_command.add_argument("--aws-port", type=int, default=int(os.environ.get("LOCAL_AWS_PORT", "5000")))
    serve_command.add_argument(
        "--dynamodb-port", type=int, default=int(os.environ.get("LOCAL_DYNAMODB_PORT", "8000"))
    )
    serve_command.add_argument(
        "--dynamodb",
        choices=["local", "moto"],
        default=os.environ.get("LOCAL_DYNAMODB", "local"),
        help="DynamoDB Local, data kept in STATE_DIR/data (default); or moto's, in memory (for comparison)",
    )
    serve_command.add_argument("--fresh", action="store_true", help="wipe the kept data first (make reset)")
    serve_command.add_argument("--template", type=Path, default=TEMPLATE, help="the SAM template to run")
    serve_command.add_argument("--cron", action="store_true", help="also run schedules on their expressions")
    serve_command.add_argument(
        "--web-port",
        type=int,
        default=int(os.environ["LOCAL_WEB_PORT"]) if os.environ.get("LOCAL_WEB_PORT") else None,
        help="also serve the built web app (web/dist, `make web`) on this port, its origin allowed by CORS",
    )
    commands.add_parser("openapi", help="write openapi.json, generated from the code")
    commands.add_parser("reset", help="wipe the kept tables and users (STATE_DIR/data)")
    schedule_command = commands.add_parser("schedule", help="list the schedules, or run one now")
    schedule_command.add_argument("name", nargs="?", help="Function.Event, as --list shows")
    schedule_command.add_argument("--list", action="store_true")
    token_command = commands.add_parser("token", help="create a user in the local pool and print an ID token")
    token_command.add_argument("--email", required=True)
    token_command.add_argument("--password", default="Local-Passw0rd-123")
    token_command.add_argument("--group", choices=["agents", "admins"])
    arguments = parser.parse_args(argv)
    if arguments.command == "serve":
        return serve(
            arguments.host,
            arguments.port,
            arguments.aws_port,
            arguments.state_dir,
            arguments.template,
            arguments.cron,
            dynamodb_port=arguments.dynamodb_port,
            engine=arguments.dynamodb,
            fresh=arguments.fresh,
            web_port=arguments.web_port,
        )
    if arguments.command == "reset":
        return reset(arguments.state_dir)
    if arguments.command == "openapi":
        from local_stack.openapi import write

        print(write())
        return 0
    if arguments.command == "schedule":
        return schedule(None if arguments.list else arguments.name, arguments.state_dir)
    return token(arguments.email, arguments.password, arguments.group, arguments.state_dir)


if __name__ == "__main__":
    sys.exit(main())
