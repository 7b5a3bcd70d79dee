"""Rate limits answer politely, per pseudonym and globally, and never block STOP."""

from __future__ import annotations

import dataclasses
import re
import secrets

from channels.ratelimit import RateLimiter


def test_sliding_window_per_sender_and_global():
    limiter = RateLimiter(per_sender=3, global_limit=5, window_seconds=60)
    assert [limiter.allow("a", now=t) for t in (0, 1, 2, 3)] == [True, True, True, False]
    assert limiter.allow("b", now=4) and limiter.allow("b", now=5)
    assert not limiter.allow("c", now=6)  # the instance-wide limit
    assert limiter.allow("a", now=61)  # the window slid past the first messages


def test_over_the_limit_gets_a_polite_answer_in_its_language(assistant, settings):
    from fastapi.testclient import TestClient

    from channels.app import create_app

    app = create_app(assistant=assistant, settings=dataclasses.replace(settings, rate_per_sender=2, rate_global=1000))
    with TestClient(app) as client:
        session = secrets.token_hex(16)
        for _ in range(2):
            assert client.post("/api/v1/chat", json={"session": session, "text": "hello"}).json()["messages"][0]["topic"] == "greet"
        limited = client.post("/api/v1/chat", json={"session": session, "text": "ضاع جواز سفري في الحريق"})
        assert limited.status_code == 200
        message = limited.json()["messages"][0]
        assert message["topic"] == "rate_limited" and re.search("[\u0600-\u06ff]", message["text"])
        other = client.post("/api/v1/chat", json={"session": secrets.token_hex(16), "text": "hello"}).json()
        assert other["messages"][0]["topic"] == "greet"  # only that sender waits
        stop = client.post("/api/v1/chat", json={"session": session, "text": "STOP"}).json()
        assert stop["messages"][0]["topic"] == "stop"  # STOP is never rate-limited
