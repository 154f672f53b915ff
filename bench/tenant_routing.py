"""Per-request cost of routing a request to its organisation.

Compares, on the same trivial view, (1) plain Django without tenant middleware, (2) django-tenants'
stock TenantMainMiddleware and (3) Esi Pro's OrganizationMiddleware (cached host lookup). Reports
mean µs per request and SQL queries per request.

    .venv/bin/python bench/tenant_routing.py [--requests 3000]
"""

import argparse
import statistics
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
SETTINGS = {"ROOT_URLCONF": __name__, "PUBLIC_SCHEMA_URLCONF": __name__, "ALLOWED_HOSTS": ["*"]}

VARIANTS = {
    "plain Django (no tenant middleware)": [],
    "django-tenants TenantMainMiddleware": ["django_tenants.middleware.main.TenantMainMiddleware"],
    "Esi Pro OrganizationMiddleware (cached)": ["tenants.middleware.OrganizationMiddleware"],
}


def measure_all(host: str, n: int, rounds: int = 15) -> dict[str, tuple[float, float]]:
    """Median µs per request and SQL per request for each variant; rounds are interleaved so
    that load from other processes hits every variant alike."""
    clients, queries = {}, {}
    for name, middleware in VARIANTS.items():
        with override_settings(MIDDLEWARE=middleware, **SETTINGS):
            client = Client(HTTP_HOST=host)
            for _ in range(200):
                client.get("/ping/")
            seen: list[str] = []

            def count(execute, sql, *args, seen=seen):
                seen.append(sql)
                return execute(sql, *args)

            with connection.execute_wrapper(count):
                for _ in range(10):
                    client.get("/ping/")
            clients[name], queries[name] = client, len(seen) / 10
    timings = {name: [] for name in VARIANTS}
    per_round = max(1, n // rounds)
    for _ in range(rounds):
        for name, middleware in VARIANTS.items():
            with override_settings(MIDDLEWARE=middleware, **SETTINGS):
                started = time.perf_counter()
                for _ in range(per_round):
                    clients[name].get("/ping/")
                timings[name].append((time.perf_counter() - started) / per_round)
    return {name: (statistics.median(timings[name]) * 1e6, queries[name]) for name in VARIANTS}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    if not Organization.objects.filter(slug="bench-routing").exists():
        organization_create(slug="bench-routing", name="Bench routing")
    host = "bench-routing.localhost"
    results = measure_all(host, args.requests)
    base = results["plain Django (no tenant middleware)"][0]
    print(f"{'variant':45} {'µs/request':>11} {'x plain':>8} {'SQL/request':>12}")
    for name, (us, queries) in results.items():
        print(f"{name:45} {us:11.1f} {us / base:8.2f} {queries:12.1f}")


if __name__ == "__main__":
    main()
