"""Per-request cost of routing a request to its organisation.

Compares, on the same trivial view, (1) plain Django without tenant middleware, (2) django-tenants'
stock TenantMainMiddleware and (3) Esi Pro's OrganizationMiddleware (cached host lookup). Reports
mean µs per request and SQL queries per request.

    .venv/bin/python bench/tenant_routing.py [--requests 3000]
"""

import argparse
import statistics
import sys
import time

import _setup  # noqa: F401
from django.db import connection
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import path

from tenants.models import Organization
from tenants.services import organization_create


def ok(request):
    return HttpResponse("ok")


urlpatterns = [path("ping/", ok)]
THIS = sys.modules[__name__]

VARIANTS = {
    "plain Django (no tenant middleware)": [],
    "django-tenants TenantMainMiddleware": ["django_tenants.middleware.main.TenantMainMiddleware"],
    "Esi Pro OrganizationMiddleware (cached)": ["tenants.middleware.OrganizationMiddleware"],
}


def measure(middleware, host, n):
    with override_settings(MIDDLEWARE=middleware, ROOT_URLCONF=__name__, PUBLIC_SCHEMA_URLCONF=__name__,
                           ALLOWED_HOSTS=["*"]):
        client = Client(HTTP_HOST=host)
        for _ in range(200):
            client.get("/ping/")
        queries = []
        with connection.execute_wrapper(lambda execute, sql, *a: queries.append(sql) or execute(sql, *a)):
            for _ in range(10):
                client.get("/ping/")
        rounds = []
        for _ in range(5):
            started = time.perf_counter()
            for _ in range(n // 5):
                client.get("/ping/")
            rounds.append((time.perf_counter() - started) / (n // 5))
        return statistics.median(rounds) * 1e6, len(queries) / 10


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    if not Organization.objects.filter(slug="bench-routing").exists():
        organization_create(slug="bench-routing", name="Bench routing")
    host = "bench-routing.localhost"
    results = {name: measure(mw, host, args.requests) for name, mw in VARIANTS.items()}
    base = results["plain Django (no tenant middleware)"][0]
    print(f"{'variant':45} {'µs/request':>11} {'x plain':>8} {'SQL/request':>12}")
    for name, (us, queries) in results.items():
        print(f"{name:45} {us:11.1f} {us / base:8.2f} {queries:12.1f}")


if __name__ == "__main__":
    main()
