"""The demo organisations come with two scenarios, « Fil de l'eau » and « Transition écologique », with needs,
so that a new user sees a full dashboard at once."""

import io
import re
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import tenant_context


@pytest.mark.parametrize("kind", ["company", "esat"])
def test_it_gives_each_demo_two_scenarios_with_needs_and_a_full_dashboard(kind, django_db_setup, django_db_blocker):
    from accounts.models import User
    from demo.data import PROFILES, demo_build
    from foresight.demo import demo_foresight
    from foresight.models import JobNeed, JobNeedSkill, Scenario, ScenarioResult
    from tenants.models import Organization
    from tests.conftest import OrganizationClient
    from workforce.models import Employee

    slug = f"{kind}-{uuid.uuid4().hex[:6]}"
    with django_db_blocker.unblock():
        call_command("demo_seed", slug=slug, kind=kind, skip_referentials=True, stdout=io.StringIO())
        organization = Organization.objects.get(slug=slug)
        try:
            with tenant_context(organization):
                assert sorted(Scenario.objects.values_list("name", flat=True)) == [
                    "Fil de l'eau", "Transition écologique"]
                baseline = Scenario.objects.get(name="Fil de l'eau")
                transition = Scenario.objects.get(name="Transition écologique")
                assert baseline.needs.count() == 2 and baseline.monte_carlo_runs > 0
                assert transition.needs.count() >= 2
                assert JobNeedSkill.objects.filter(need__scenario=transition,
                                                   change=JobNeedSkill.Change.REQUIRED).count() >= 2
                assert JobNeed.objects.filter(scenario=transition, change_pct=-10.0).exists()
                assert ScenarioResult.objects.filter(scenario__in=[baseline, transition]).count() == 2
                # The fictitious people have a sex and a contract type, so that the pyramid and filters say something.
                present = Employee.objects.filter(is_active=True)
                assert not present.filter(sex="").exists() and not present.filter(contract_type="").exists()
                assert present.filter(sex="F").exists() and present.filter(contract_type="cdd").exists()
                hr = User.objects.get(email=f"rh@{slug}.esipro.fr")
                # Running the extension again changes nothing.
                demo_foresight(demo=demo_build(PROFILES[kind]))
                assert Scenario.objects.count() == 2
            client = OrganizationClient(organization)
            client.force_login(hr)
            page = client.get(f"/previsions/{transition.pk}/").content.decode()
            assert page.count("<svg") >= 7  # pyramid, families, units, departures, headcount, gaps, skills
            assert re.search(r'data-figure="start"><span class="value">\d', page)
            assert "Efficacité énergétique" in page or "Gestion écologique" in page
            listing = client.get("/previsions/").content.decode()
            assert "Fil de l&#x27;eau" in listing and "Transition écologique" in listing
            baseline_page = client.get(f"/previsions/{baseline.pk}/").content.decode()
            assert "Bande Monte-Carlo P10 – P90" in baseline_page
        finally:
            connection.set_schema_to_public()
            organization.delete(force_drop=True)


def test_it_creates_no_scenario_for_an_organisation_without_staff(in_alpha):
    from demo.data import COMPANY, demo_build
    from foresight.demo import demo_foresight
    from foresight.models import Scenario

    demo_foresight(demo=demo_build(COMPANY))
    assert not Scenario.objects.exists()
