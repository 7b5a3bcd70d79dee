"""Schemathesis fuzzes the JSON API from the service's own OpenAPI description: never a 5xx.

The schema is read from the session app's /openapi.json and the generated requests go through the
session's TestClient (the model loaded once; schemathesis' own ASGI client would start a second
lifespan on the same app). Bounded: at most 50 examples per phase and operation.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

BASE_URL = "https://haven.example.org"
OPERATIONS = r"^/(api/v1/ask|api/v1/chat|healthz)$"


@pytest.fixture(scope="session")
def api_schema(channel_client):
    described = channel_client.get("/openapi.json")
    assert described.status_code == 200
    return schemathesis.openapi.from_dict(described.json())


# The filter goes on the lazy schema: the pytest integration re-applies only its own filters.
schema = schemathesis.pytest.from_fixture("api_schema").include(path_regex=OPERATIONS)


def send(client, case):
    """The generated request, sent through FastAPI's TestClient (httpx) instead of requests."""
    kwargs = case.as_transport_kwargs(base_url=BASE_URL)
    kwargs.pop("cookies", None)  # the API reads no cookies; httpx deprecates per-request cookies
    if isinstance(kwargs.get("data"), (bytes, str)):
        kwargs["content"] = kwargs.pop("data")
    return client.request(**kwargs)


@schema.parametrize()
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_api_never_answers_a_server_error(case, channel_client):
    response = send(channel_client, case)
    case.validate_response(response, checks=[not_a_server_error])


def test_the_fuzzed_operations_are_described(api_schema):
    """The filter selects the three JSON operations (a renamed path would silently fuzz nothing)."""
    selected = api_schema.include(path_regex=OPERATIONS)
    described = {(operation.method.upper(), operation.path) for operation in (result.ok() for result in selected.get_all_operations())}
    assert described == {("GET", "/healthz"), ("POST", "/api/v1/ask"), ("POST", "/api/v1/chat")}
