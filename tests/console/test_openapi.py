"""The console API against its own OpenAPI document, with Schemathesis: whatever a client
sends, no 5xx; and without a session every endpoint refuses (401)."""
from __future__ import annotations

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings

from .conftest import Client

MAX_EXAMPLES = 6  # per operation: enough to hit the edges, cheap on a shared machine


@pytest.fixture
def api_schema(server):  # type: ignore[no-untyped-def]
    doc = requests.get(f"{server.url}/staff/api/openapi.json", timeout=30).json()
    return schemathesis.openapi.from_dict(doc)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_no_server_error_with_a_valid_admin_session(case, server) -> None:  # type: ignore[no-untyped-def]
    client = getattr(server, "admin", None)
    if client is None:  # one login for all the examples
        client = server.admin = Client(server.url)
        assert client.login("adam").status_code == 200
    response = case.call(base_url=server.url, session=client.http, headers={"X-CSRF-Token": client.csrf})
    assert response.status_code < 500, f"{case.method} {case.path}: {response.status_code} {response.text[:300]}"


@schema.exclude(path="/staff/api/login").parametrize()
@settings(max_examples=3, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_every_endpoint_refuses_a_request_without_a_session(case, server) -> None:  # type: ignore[no-untyped-def]
    response = case.call(base_url=server.url, session=requests.Session())
    if case.method.upper() != case.operation.method.upper():  # Schemathesis also tries other methods
        assert response.status_code == 405
        return
    assert response.status_code == 401, f"{case.method} {case.path}: {response.status_code}"
    assert "log in" in response.json()["error"]


def test_the_document_lists_every_route() -> None:
    from bot.console.openapi import document
    from bot.console.web import ROUTES

    doc = document(ROUTES)
    operations = sum(len(methods) for methods in doc["paths"].values())
    assert operations == len(ROUTES) + 1  # + login
    assert all(op.get("security") for path, ops in doc["paths"].items() for op in ops.values()
               if not path.endswith("/login"))
