"""Helpers of the skills-matrix tests (call them inside an organisation's schema)."""

import datetime

import pytest
from django.utils import timezone

from accounts.services import token_create


def moment(day: str, hour: int = 12) -> datetime.datetime:
    """An aware datetime on ``day`` (YYYY-MM-DD) at ``hour`` o'clock, Paris time."""
    return timezone.make_aware(datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour)))


@pytest.fixture
def api_client(client_for):
    """``api_client(org, user)``: a client sending that user's bearer token."""
    from django_tenants.utils import tenant_context

    def make(organization, user):
        with tenant_context(organization):
            _token, key = token_create(user=user)
        return client_for(organization, HTTP_AUTHORIZATION=f"Bearer {key}")

    return make
