"""Malformed input never answers a server error: every operation of the OpenAPI schema, fuzzed by
schemathesis, and the query parameters of every page, fuzzed by Hypothesis, answer below 500.

Bounded for the suite: a few examples per operation, no shrinking database, derandomized so a failure
is reproducible; a failure names the request that made it."""

from urllib.parse import urlencode

import pytest
import requests
import schemathesis
from django.urls import URLPattern, URLResolver, get_resolver
from django_tenants.utils import tenant_context
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.services import token_create
from esipro.api import api

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
FUZZ = settings(max_examples=6, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))


@pytest.fixture
def api_caller(in_alpha, make_user, client_for):
    user = make_user(in_alpha, "admin")
    with tenant_context(in_alpha):
        _token, key = token_create(user=user)
    return client_for(in_alpha, HTTP_AUTHORIZATION=f"Bearer {key}")


def _send(client, case):
    """The case as the Django test client sends it (inside the test's transaction)."""
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    prepared = requests.Request(
        method=kwargs["method"], url=kwargs["url"], params=kwargs.get("params"), json=kwargs.get("json"),
        data=kwargs.get("data"), files=kwargs.get("files"),
        headers={k: v for k, v in kwargs.get("headers", {}).items() if k.lower() == "content-type"},
    ).prepare()
    body = prepared.body or b""
    return client.generic(prepared.method, prepared.path_url, data=body.encode() if isinstance(body, str) else body,
                          content_type=prepared.headers.get("Content-Type", "application/octet-stream"))


@schema.parametrize()
@FUZZ
def test_it_answers_every_api_operation_without_a_server_error(case, api_caller):
    response = _send(api_caller, case)
    assert response.status_code < 500, f"{case.method} {case.formatted_path} {case.query} {case.body!r}"


# Query parameters the pages read, and values that broke pages before (NUL, far dates, huge numbers).
PAGE_PARAMS = ["q", "search", "page", "at", "kind", "org_unit", "job", "vue", "rome", "active", "status",
               "standard", "rapprocher", "level", "limit", "offset", "sort"]
NASTY = ["\x00", "9999-12-31", "0001-01-01", "2024-02-30", "-1", "0", "99999999999999999999", "1e309", "NaN",
         "<script>", "' OR 1=1 --", "%", "é" * 300, "", " "]


def _page_urls() -> list[str]:
    """Every page of an organisation's site without a path parameter (the API has its own fuzzing)."""
    urls = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and "<" not in route and not route.startswith(("api/", "i18n/")):
                urls.append("/" + route.replace("^", "").replace("$", ""))

    walk(get_resolver().url_patterns, "")
    return sorted(set(urls))


@pytest.fixture
def page_client(in_alpha, make_user, client_for, employee_factory):
    employee_factory(staff_number="F-1")
    return client_for(in_alpha, make_user(in_alpha, "admin"))


@given(url=st.sampled_from(_page_urls()),
       params=st.dictionaries(st.sampled_from(PAGE_PARAMS), st.sampled_from(NASTY) | st.text(max_size=20),
                              max_size=4))
@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_it_answers_every_page_without_a_server_error_whatever_its_query(page_client, url, params):
    response = page_client.get(f"{url}?{urlencode(params)}")
    assert response.status_code < 500, f"{url}?{urlencode(params)}"
