"""Load test: signed Twilio requests from many simulated senders against a running Haven.

Bounded in count and time, loopback only. Prints throughput, p50/p95/p99 latency and errors.

    .venv/bin/python scripts/loadtest.py --url http://127.0.0.1:8000 --token "$TWILIO_AUTH_TOKEN" \\
        --senders 500 --messages 3000 --concurrency 50 --max-seconds 120

The service must run with the same TWILIO_AUTH_TOKEN and HAVEN_PUBLIC_URL=<url>.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import random
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlparse

import httpx
from twilio.request_validator import RequestValidator

MESSAGES = [
    "my passport burned in the fire what do I do",
    "where can we sleep tonight, our building collapsed",
    "how do I contact my embassy",
    "ana fi beirut w ma 3andi jawaz, sho a3mel",
    "ضاع جواز سفري في الحريق",
    "где посольство узбекистана",
    "де можна переночувати у харкові",
    "nawala ang passport ko sa sunog",
    "amar passport hariye geche ki korbo",
    "je n'ai plus de papiers, que faire",
    "no tengo dinero para salir del pais",
    "menu",
    "1",
    "I am in Lebanon",
    "thank you",
]


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    elapsed: float = 0.0

    def summary(self) -> dict:
        ordered = sorted(self.latencies)

        def pct(p: float) -> float:
            return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000 if ordered else float("nan")

        return {
            "requests": len(self.latencies) + self.errors,
            "ok": self.statuses.get(200, 0),
            "errors": self.errors + sum(n for s, n in self.statuses.items() if s >= 500),
            "throughput_rps": round(len(self.latencies) / self.elapsed, 1) if self.elapsed else 0.0,
            "p50_ms": round(pct(0.50), 1),
            "p95_ms": round(pct(0.95), 1),
            "p99_ms": round(pct(0.99), 1),
            "mean_ms": round(statistics.fmean(ordered) * 1000, 1) if ordered else float("nan"),
            "statuses": dict(sorted(self.statuses.items())),
        }


def require_loopback(url: str) -> None:
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise SystemExit(f"refusing to load-test {host}: loopback addresses only")


async def run(url: str, token: str, senders: int, messages: int, concurrency: int, max_seconds: float, seed: int = 7) -> Result:
    require_loopback(url)
    endpoint = url.rstrip("/") + "/webhooks/twilio"
    validator = RequestValidator(token)
    rng = random.Random(seed)
    # Fake numbers in the +1 555 01xx-style fiction range, one per simulated sender.
    numbers = [f"+1555{n:07d}" for n in rng.sample(range(10**7), senders)]
    queue: asyncio.Queue = asyncio.Queue()
    for index in range(messages):
        queue.put_nowait((numbers[index % senders], rng.choice(MESSAGES)))
    result = Result()
    deadline = time.monotonic() + max_seconds

    async def worker(client: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline:
            try:
                sender, body = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            form = {"From": sender, "To": "+15550000000", "Body": body, "MessageSid": "SM" + uuid.uuid4().hex}
            headers = {"X-Twilio-Signature": validator.compute_signature(endpoint, form)}
            started = time.perf_counter()
            try:
                response = await client.post(endpoint, data=form, headers=headers, timeout=30)
            except httpx.HTTPError:
                result.errors += 1
                continue
            result.latencies.append(time.perf_counter() - started)
            result.statuses[response.status_code] = result.statuses.get(response.status_code, 0) + 1

    started = time.monotonic()
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=concurrency)) as client:
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
    result.elapsed = time.monotonic() - started
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--token", required=True, help="the service's TWILIO_AUTH_TOKEN")
    parser.add_argument("--senders", type=int, default=200)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--max-seconds", type=float, default=120.0)
    args = parser.parse_args(argv)
    result = asyncio.run(run(args.url, args.token, args.senders, args.messages, args.concurrency, args.max_seconds))
    for key, value in result.summary().items():
        print(f"{key:>15}: {value}")
    return 1 if result.summary()["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
