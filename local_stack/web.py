"""Serves the built web app (`web/dist`, `make web`) next to the local stack, as CloudFront serves it
when deployed: its files, `index.html` for every other path (the app routes in the browser), and
`config.json` made from the stack's outputs, so the app is never built for one stack."""

from __future__ import annotations

import json
import mimetypes
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server
from werkzeug.utils import safe_join
from werkzeug.wrappers import Request, Response

from local_stack.template import ROOT

DIST = ROOT / "web" / "dist"


def app_config(outputs: Mapping[str, Any]) -> dict[str, Any]:
    """What the app reads from config.json: the API, the user pool and, locally, Cognito's endpoint."""
    return {
        "ApiUrl": outputs["ApiUrl"],
        "Region": outputs["Region"],
        "UserPoolId": outputs["UserPoolId"],
        "UserPoolClientId": outputs["UserPoolClientId"],
        "CognitoEndpoint": outputs["AwsEndpointUrl"],
    }


class WebApp:
    def __init__(self, dist: Path, config: Mapping[str, Any]) -> None:
        self.dist = dist
        self.config = json.dumps(dict(config)).encode()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        response = self.respond(request)
        return response(environ, start_response)

    def respond(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return Response("method not allowed", status=405)
        if request.path == "/config.json":
            return Response(self.config, mimetype="application/json", headers={"Cache-Control": "no-store"})
        relative = request.path.lstrip("/")
        found = safe_join(str(self.dist), relative) if relative else None
        if found and Path(found).is_file():
            path = Path(found)
            cache = "public, max-age=31536000, immutable" if relative.startswith("assets/") else "no-cache"
            return Response(path.read_bytes(), mimetype=_mimetype(path), headers={"Cache-Control": cache})
        if relative.startswith("assets/"):
            return Response("not found", status=404)
        index = self.dist / "index.html"  # a route of the app: the browser's router takes it from here
        return Response(index.read_bytes(), mimetype="text/html", headers={"Cache-Control": "no-cache"})


def _mimetype(path: Path) -> str:
    if path.suffix == ".webmanifest":
        return "application/manifest+json"
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def start(host: str, port: int, outputs: Mapping[str, Any], dist: Path = DIST) -> BaseWSGIServer:
    """The app on host:port in a daemon thread; `shutdown()` stops it."""
    server = make_server(host, port, WebApp(dist, app_config(outputs)), threaded=True)
    threading.Thread(target=server.serve_forever, name="web-app", daemon=True).start()
    return server


def deployed_config(stack_name: str, region: str | None = None) -> dict[str, Any]:
    """config.json for a deployed stack, from its CloudFormation outputs (Cognito at its public
    endpoint: no `CognitoEndpoint`)."""
    import boto3

    cloudformation = boto3.client("cloudformation", region_name=region)
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
    region_name = stack["StackId"].split(":")[3]
    return {
        "ApiUrl": outputs["ApiUrl"],
        "Region": region_name,
        "UserPoolId": outputs["UserPoolId"],
        "UserPoolClientId": outputs["UserPoolClientId"],
    }


if __name__ == "__main__":  # python -m local_stack.web STACK [REGION] > web/dist/config.json
    import sys

    print(json.dumps(deployed_config(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None), indent=2))
