"""The local stack's server for the built web app: its files, index.html for the app's own routes,
and config.json from the stack's outputs."""

from __future__ import annotations

import json
from pathlib import Path

from werkzeug.test import Client

from local_stack.web import WebApp, app_config

OUTPUTS = {
    "ApiUrl": "http://127.0.0.1:3000",
    "AwsEndpointUrl": "http://127.0.0.1:5000",
    "DynamoDbEndpointUrl": "http://127.0.0.1:8000",
    "Region": "us-east-1",
    "UserPoolId": "us-east-1_pool",
    "UserPoolClientId": "client",
}


def _client(tmp_path: Path) -> Client:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>app</title>")
    (tmp_path / "assets" / "index-abc.js").write_text("console.log(1)")
    (tmp_path / "manifest.webmanifest").write_text("{}")
    return Client(WebApp(tmp_path, app_config(OUTPUTS)))


def test_config_json_is_made_from_the_outputs_and_never_cached(tmp_path: Path) -> None:
    response = _client(tmp_path).get("/config.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert json.loads(response.get_data()) == {
        "ApiUrl": "http://127.0.0.1:3000",
        "Region": "us-east-1",
        "UserPoolId": "us-east-1_pool",
        "UserPoolClientId": "client",
        "CognitoEndpoint": "http://127.0.0.1:5000",
    }


def test_files_are_served_hashed_assets_cached_for_good(tmp_path: Path) -> None:
    client = _client(tmp_path)
    asset = client.get("/assets/index-abc.js")
    assert asset.status_code == 200
    assert asset.get_data(as_text=True) == "console.log(1)"
    assert "immutable" in asset.headers["Cache-Control"]
    manifest = client.get("/manifest.webmanifest")
    assert manifest.headers["Content-Type"].startswith("application/manifest+json")
    assert manifest.headers["Cache-Control"] == "no-cache"


def test_the_apps_routes_get_its_page_and_a_missing_asset_is_404(tmp_path: Path) -> None:
    client = _client(tmp_path)
    for path in ("/", "/loyalty", "/offers/demo-everyone"):
        page = client.get(path)
        assert page.status_code == 200
        assert page.get_data(as_text=True).startswith("<!doctype html>")
    assert client.get("/assets/missing.js").status_code == 404
    assert client.get("/../../etc/passwd").get_data(as_text=True).startswith("<!doctype html>")
    assert client.post("/config.json").status_code == 405
