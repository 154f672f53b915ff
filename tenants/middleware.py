"""Selects the organisation from the request host, with a per-process cache of the lookup.

The stock django-tenants middleware queries the domain table on every request; the routing table
changes rarely, so each process keeps host → organisation for ``ESIPRO_DOMAIN_CACHE_SECONDS``.
Whether the organisation is suspended is not cached: it is read on every request (one primary-key
lookup), so a suspension takes effect at once in every web process. A suspended organisation
answers 403, an unknown host a 404 page.
"""

import time

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.shortcuts import render
from django_tenants.middleware.main import TenantMainMiddleware

_cache: dict[str, tuple[float, object]] = {}


def domain_cache_clear() -> None:
    _cache.clear()


def _is_active(organization) -> bool:
    """The organisation's suspension as stored now (another process may have just suspended it)."""
    active = type(organization).objects.filter(pk=organization.pk).values_list("is_active", flat=True).first()
    organization.is_active = bool(active)
    return organization.is_active


class OrganizationMiddleware(TenantMainMiddleware):
    def get_tenant(self, domain_model, hostname):
        now = time.monotonic()
        hit = _cache.get(hostname)
        if hit is not None and hit[0] > now:
            return hit[1]
        tenant = domain_model.objects.select_related("tenant").get(domain=hostname).tenant
        _cache[hostname] = (now + settings.ESIPRO_DOMAIN_CACHE_SECONDS, tenant)
        return tenant

    def process_request(self, request):
        hostname = self.hostname_from_request_safe(request)
        if hostname is not None and hostname == settings.ESIPRO_BASE_DOMAIN:
            connection.set_schema_to_public()
            self.setup_url_routing(request, force_public=True)
            return None
        response = super().process_request(request)
        if response is not None:
            return response
        if not _is_active(request.tenant):
            connection.set_schema_to_public()
            return render(
                request, "tenants/suspended.html", {"organization": request.tenant}, status=403
            )
        return None

    def hostname_from_request_safe(self, request):
        try:
            return self.hostname_from_request(request)
        except DisallowedHost:
            return None

    def no_tenant_found(self, request, hostname):
        return render(request, "tenants/unknown_host.html", {"hostname": hostname}, status=404)

