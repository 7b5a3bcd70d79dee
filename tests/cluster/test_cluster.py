"""Two gateway instances behind no load balancer but sharing one real Redis: one conversation's
messages alternate between them and keep their context; Redis expiry removes it; with Redis down
the instances still answer and report themselves degraded, and recover when it returns."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import redis

from bot.paths import PROJECT_ROOT
from tests.live import free_port

REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS is None and not os.environ.get("CI"), reason="redis-server is not installed (.ci/run installs it)")
TTL_HOURS = 0.003  # 10.8 s (11 s in Redis), so that the expiry test can wait for it


def start_redis(port: int, workdir: Path) -> subprocess.Popen:
    assert REDIS, "redis-server is required in CI"
    process = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            if client.ping():
                return process
        except redis.ConnectionError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


@pytest.fixture(scope="module")
def cluster(trained_model, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("cluster")
    redis_port = free_port()
    redis_process = start_redis(redis_port, workdir)
    env = {
        **os.environ,
        "HAVEN_ENV": "production",
        "HAVEN_SECRET_KEY": secrets.token_hex(24),
        "HAVEN_DATA_DIR": str(workdir / "data"),
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "HAVEN_CONVERSATION_TTL_HOURS": str(TTL_HOURS),
    }
    ports = [free_port(), free_port()]
    instances = [
        subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=(workdir / f"instance-{port}.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        for port in ports
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    deadline = time.monotonic() + 180
    for url in urls:
        while True:
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, (workdir / f"instance-{url.rsplit(':', 1)[1]}.log").read_text()
            time.sleep(0.5)
    state = {"redis": redis_process, "redis_port": redis_port, "workdir": workdir}
    yield urls, state
    for process in instances:
        process.terminate()
    for process in instances:
        process.wait(timeout=30)
    state["redis"].terminate()
    state["redis"].wait(timeout=10)


def chat(url: str, session: str, text: str) -> dict:
    response = httpx.post(url + "/api/v1/chat", json={"session": session, "text": text}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def test_context_carries_across_instances_and_expires(cluster):
    (a, b), state = cluster
    session = secrets.token_hex(16)
    assert chat(a, session, "hello")["messages"][0]["topic"] == "greet"
    reply = chat(b, session, "I am in Lebanon")
    assert reply["messages"][0]["topic"] == "set_country"
    reply = chat(a, session, "français")
    assert reply["language"] == "fr"
    reply = chat(b, session, "menu")  # short: no language detected, so the chosen one is kept
    assert reply["language"] == "fr"
    shown = reply["messages"][0]["options"]
    reply = chat(a, session, "1")  # the number picks from the menu the other instance showed
    assert reply["messages"][0]["topic"] == "menu"
    assert [o["title"] for o in reply["messages"][0]["options"]] != [o["title"] for o in shown]
    reply = chat(b, session, "1")
    assert reply["messages"][0]["topic"] == "emergency_danger"
    lebanon_police = "112"
    assert lebanon_police in reply["messages"][0]["text"]  # the country chosen on the other instance

    keys = redis.Redis(port=state["redis_port"]).keys("haven:*")
    assert keys and all(b"+" not in k for k in keys)
    ttl = redis.Redis(port=state["redis_port"]).ttl(keys[0])
    assert 0 < ttl <= TTL_HOURS * 3600 + 1

    time.sleep(TTL_HOURS * 3600 + 1.5)
    assert not [k for k in redis.Redis(port=state["redis_port"]).keys("haven:*") if b"lock" not in k]
    reply = chat(a, session, "menu")
    assert reply["language"] == "en"  # the conversation, and its language, are gone


def test_redis_down_still_answers_and_reports_degraded(cluster):
    (a, b), state = cluster
    state["redis"].terminate()
    state["redis"].wait(timeout=10)
    try:
        started = time.monotonic()
        reply = chat(a, secrets.token_hex(16), "my passport burned in the fire what do I do")
        assert reply["messages"][0]["topic"] == "lost_documents"
        assert time.monotonic() - started < 10
        health = httpx.get(a + "/healthz", timeout=10)
        assert health.status_code == 200 and health.json()["status"] == "degraded"
        arabic = chat(b, secrets.token_hex(16), "ضاع جواز سفري في الحريق")
        assert arabic["language"] == "ar"
    finally:
        state["redis"] = start_redis(state["redis_port"], state["workdir"])
    health = httpx.get(a + "/healthz", timeout=10).json()
    assert health["status"] == "ok"
    session = secrets.token_hex(16)
    chat(a, session, "I am in Lebanon")
    assert chat(b, session, "1")["messages"]  # state works again
