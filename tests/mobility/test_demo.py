"""The demo organisations come with a training catalogue, similar skills, a few wishes and computed
suggestions."""

import io
import uuid

from django.core.management import call_command
from django.db import connection
from django_tenants.utils import tenant_context


def test_it_gives_the_esat_demo_a_catalogue_and_computed_paths(django_db_setup, django_db_blocker):
    from mobility import selectors
    from mobility.models import MobilitySuggestion, MobilityWish, Training
    from tenants.models import Organization
    from workforce.models import Employee

    slug = f"esat-{uuid.uuid4().hex[:6]}"
    with django_db_blocker.unblock():
        call_command("demo_seed", slug=slug, kind="esat", skip_referentials=True, stdout=io.StringIO())
        organization = Organization.objects.get(slug=slug)
        try:
            with tenant_context(organization):
                assert Training.objects.count() >= 5
                assert Training.objects.filter(title="Utiliser une débroussailleuse en sécurité").exists()
                assert selectors.cache_is_fresh()
                assert MobilitySuggestion.objects.filter(employee_rank=1).count() >= 20
                assert MobilityWish.objects.count() >= 3
                worker = Employee.objects.get(user__email=f"salarie@{slug}.esipro.fr")
                paths = selectors.employee_mobility(employee=worker)
                assert paths and all(0 < p.fit <= 1 for p in paths)
                assert all(p.explanation for p in paths)
        finally:
            connection.set_schema_to_public()
            organization.delete(force_drop=True)



def test_it_shows_the_company_demo_the_paths_of_nearby_occupations_with_the_real_rome(rome_referential, demo_org):
    from mobility import selectors
    from workforce.models import Employee

    worker = Employee.objects.get(user__email=f"salarie@{demo_org.slug}.esipro.fr")
    recommended = selectors.employee_mobility(employee=worker, order=selectors.ORDER_RECOMMENDED)
    by_fit = selectors.employee_mobility(employee=worker)
    nearby = [p for p in recommended if p.nearby is not None and p.nearby.count]
    assert nearby, [(p.job, p.rome_code) for p in recommended]
    assert all(0 < p.nearby.value <= 1 and p.nearby.via for p in nearby)
    assert any(s.startswith("Parcours fréquent : dans le ROME") for s in nearby[0].explanation)
    # the same jobs' signals whatever the order; the order is fit + nearby paths
    assert [p.fit + (p.nearby.value if p.nearby else 0) for p in recommended] == sorted(
        (p.fit + (p.nearby.value if p.nearby else 0) for p in recommended), reverse=True)
    assert [p.fit for p in by_fit] == sorted((p.fit for p in by_fit), reverse=True)
