"""Outbound HTTP to provider APIs: one shared async client, bounded retries, a hard deadline.

A provider that is slow or down must never hold a webhook past the provider's own limit, so
every send has a total deadline and at most a few attempts.
"""

from __future__ import annotations

import asyncio
import logging
import time

import httpx

log = logging.getLogger(__name__)
ATTEMPTS = 3
ATTEMPT_TIMEOUT = 4.0  # seconds per attempt
DEADLINE = 10.0  # seconds for all attempts together (Telegram and Messenger wait about 20-60 s)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


def new_client(transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(ATTEMPT_TIMEOUT),
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=10),
        headers={"user-agent": "haven/0.1"},
    )


async def post_json(client: httpx.AsyncClient, url: str, payload: dict, params: dict | None = None) -> bool:
    """POST `payload`; True on a 2xx. Retries timeouts and 429/5xx, within the deadline."""
    started = time.monotonic()
    for attempt in range(1, ATTEMPTS + 1):
        remaining = DEADLINE - (time.monotonic() - started)
        if remaining <= 0:
            break
        try:
            response = await client.post(url, json=payload, params=params, timeout=min(ATTEMPT_TIMEOUT, remaining))
        except httpx.HTTPError as error:
            log.warning("provider API attempt %d failed: %s", attempt, type(error).__name__)
        else:
            if response.is_success:
                return True
            log.warning("provider API attempt %d answered %d", attempt, response.status_code)
            if response.status_code not in RETRY_STATUSES:
                return False
        await asyncio.sleep(min(0.2 * 2**attempt, max(0.0, DEADLINE - (time.monotonic() - started))))
    return False
