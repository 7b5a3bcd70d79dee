"""The load test at a small size, against a real uvicorn on loopback: no errors, figures printed.

(Speed targets are shown by `make bench` and the README's larger run, not asserted here.)
"""

from __future__ import annotations

import asyncio

import pytest

from scripts import loadtest
from tests.conftest import TEST_TWILIO_TOKEN
from tests.live import free_port, serve_in_thread


@pytest.fixture(scope="module")
def live_url(assistant, settings):
    import dataclasses

    from channels.app import create_app

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app(assistant=assistant, settings=dataclasses.replace(settings, public_url=url))
    with serve_in_thread(app, port) as live:
        yield live


def test_small_load_has_no_errors(live_url, capsys):
    result = asyncio.run(loadtest.run(live_url, TEST_TWILIO_TOKEN, senders=40, messages=200, concurrency=10, max_seconds=60))
    summary = result.summary()
    print(summary)
    assert summary["requests"] == 200
    assert summary["errors"] == 0 and summary["statuses"] == {200: 200}


def test_refuses_non_loopback_targets():
    with pytest.raises(SystemExit):
        loadtest.require_loopback("http://10.0.0.5:8000")
