"""An app whose operator console has two accounts and a private copy of `content/` (bulletins
published by the tests go there, never into the repository's content)."""

from __future__ import annotations

import os
import shutil

import pytest

OPERATOR = ("olga", "operator-password-1")
EDITOR = ("eddie", "editor-password-1")


@pytest.fixture(scope="module")
def console_env(tmp_path_factory):
    """HAVEN_OPERATORS_FILE with an operator and an editor; HAVEN_CONTENT_DIR a copy of content/."""
    from bot.paths import content_dir
    from channels.operator import auth

    base = tmp_path_factory.mktemp("operator")
    accounts = base / "operators.json"
    auth.add_account(accounts, OPERATOR[0], "operator", OPERATOR[1])
    auth.add_account(accounts, EDITOR[0], "editor", EDITOR[1])
    content = base / "content"
    shutil.copytree(content_dir(), content)
    saved = {name: os.environ.get(name) for name in ("HAVEN_OPERATORS_FILE", "HAVEN_CONTENT_DIR")}
    os.environ["HAVEN_OPERATORS_FILE"] = str(accounts)
    os.environ["HAVEN_CONTENT_DIR"] = str(content)
    yield {"accounts": accounts, "content": content}
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="module")
def console_app(assistant, settings, console_env):
    from channels.app import create_app

    return create_app(assistant=assistant, settings=settings)


@pytest.fixture(scope="module")
def console(console_app):
    """A test client (HTTPS, so that the Secure cookie is sent) for anonymous requests and logins."""
    from fastapi.testclient import TestClient

    with TestClient(console_app, base_url="https://haven.example.org", follow_redirects=False) as client:
        yield client


def log_in(client, account) -> str:
    """Log `client` in; returns the session's CSRF token (read from the console page)."""
    import json
    import re

    response = client.post("/operator/login", data={"user": account[0], "password": account[1], "next": "/operator"})
    assert response.status_code == 303, response.text
    page = client.get("/operator")
    assert page.status_code == 200
    boot = re.search(r'<script type="application/json" id="boot">(.*?)</script>', page.text, re.S).group(1)
    return json.loads(boot)["csrf"]
