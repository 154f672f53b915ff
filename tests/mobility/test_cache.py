"""Cached suggestions are never stale: every write on levels, requirements, mappings or the catalogue is
noted by the database (imports' COPY included) and the worker recomputes."""

import pytest
from django.core.management import call_command
from django_tenants.utils import tenant_context

from mobility import selectors
from mobility.models import MobilityCache, MobilitySuggestion, Training
from mobility.services import mobility_compute
from skills_matrix.services import employee_skills_bulk_set, job_requirement_set
from tests.conftest import committed_organization, wait_for

from .conftest import build_world


def alice_fit(world) -> float:
    return selectors.employee_mobility(employee=world.alice)[0].fit


def test_it_stores_each_employees_best_jobs_and_each_jobs_best_people(world):
    summary = mobility_compute()
    assert summary["employees"] == 2 and summary["jobs"] == 3
    assert selectors.cache_is_fresh()
    stored = {(s.employee.staff_number, s.job.title): (round(s.fit, 4), s.employee_rank, s.job_rank)
              for s in MobilitySuggestion.objects.select_related("employee", "job")}
    assert stored[("E-A", "Contrôleur qualité")] == (0.7, 1, 1)
    assert ("E-A", "Soudeur") not in stored  # one's own job is no mobility
    assert alice_fit(world) == pytest.approx(0.7)


def test_it_answers_from_the_cache_exactly_as_computed_on_the_spot(world, django_assert_max_num_queries):
    from referentials.models import MobilityEdge, Occupation
    from workforce.models import Employee

    # get_or_create: the session may have imported the real ROME, which holds both occupations.
    source, _ = Occupation.objects.get_or_create(code="H2913", defaults={"label": "Soudage manuel"})
    target, _ = Occupation.objects.get_or_create(code="H1502", defaults={"label": "Qualité industrielle"})
    MobilityEdge.objects.get_or_create(source=source, target=target, defaults={"order": 1})
    # Someone holding the controller job in Alice's site; Alice is interested in it.
    Employee.objects.create(staff_number="E-Q", first_name="Quentin", last_name="Roy",
                            job=world.jobs["controleur"], org_unit=world.units["lyon"])
    selectors_wish = world.alice.mobility_wishes.create(job=world.jobs["controleur"])
    on_the_spot = selectors.employee_mobility(employee=world.alice)
    mobility_compute()
    with django_assert_max_num_queries(1):
        cached, fresh = selectors.employee_mobility_and_freshness(employee=world.alice)
    assert fresh
    assert cached == on_the_spot
    first = cached[0]
    assert (first.job, first.fit, first.interested, first.same_unit, first.rome_edge) == (
        "Contrôleur qualité", 0.7, True, True, ("H2913", "H1502"))
    assert {line.skill: line.via for line in first.lines} == {
        "Soudure TIG": "same", "Lecture de plans": "mapping", "Contrôle qualité": "similar"}
    selectors_wish.delete()
    assert selectors.employee_mobility(employee=world.alice)[0].interested is False


def test_it_sees_a_new_level_at_once_after_a_computation(world):
    mobility_compute()
    employee_skills_bulk_set(rows=[(world.alice.pk, world.skills["tig"].pk, 4, None)], source="import", user=None)
    assert not selectors.cache_is_fresh()
    # (2 × 4/4 + 1 + 0.8) / 4
    assert alice_fit(world) == pytest.approx(0.95)
    mobility_compute()
    assert selectors.cache_is_fresh()
    assert alice_fit(world) == pytest.approx(0.95)


@pytest.mark.parametrize("change", ["requirement", "mapping", "catalogue", "similarity"])
def test_it_notes_every_kind_of_input_change(world, change):
    from skills_matrix.models import SkillMapping, SkillSimilarity

    mobility_compute()
    if change == "requirement":
        job_requirement_set(job=world.jobs["controleur"], skill=world.skills["tig"], target_level=2)
    elif change == "mapping":
        SkillMapping.objects.filter(org_skill=world.skills["dessin"]).update(status=SkillMapping.Status.REJECTED)
    elif change == "catalogue":
        Training.objects.create(title="Cariste", cost=100, hours=7)
    else:
        SkillSimilarity.objects.filter(sigma=0.8).update(sigma=0.4)
    assert not selectors.cache_is_fresh()
    expected = {"requirement": (2 + 1 + 0.8) / 4, "mapping": (1 + 0 + 0.8) / 4, "catalogue": 0.7,
                "similarity": (1 + 1 + 0) / 4}[change]
    assert alice_fit(world) == pytest.approx(expected)


def test_it_recomputes_in_the_worker_after_a_change(celery_worker, django_db_blocker):
    from accounts.services import user_create
    from tests.conftest import OrganizationClient

    with committed_organization(django_db_blocker, "mob") as org:
        with tenant_context(org):
            world = build_world()
            mobility_compute()
            hr = user_create(email="rh@mob.test", password="motdepasse-test", role="hr")
            employee_skills_bulk_set(rows=[(world.alice.pk, world.skills["tig"].pk, 4, None)], source="import",
                                     user=None)
            version = MobilityCache.objects.get().version
        client = OrganizationClient(org)
        client.force_login(hr)
        response = client.get("/api/v1/employees/E-A/mobility")
        assert response.json()["results"][0]["fit"] == pytest.approx(0.95)

        def recomputed():
            with tenant_context(org):
                state = MobilityCache.objects.get()
                if state.version == version or not selectors.cache_is_fresh():
                    return None
                return MobilitySuggestion.objects.get(employee=world.alice, job=world.jobs["controleur"]).fit

        assert wait_for(recomputed, timeout=40) == pytest.approx(0.95)
        assert celery_worker.poll() is None


def test_it_recomputes_from_the_command_line(world, alpha, capsys):
    from django.db import connection

    call_command("mobility_compute", "--tenant", "alpha")
    connection.set_schema(alpha.schema_name)
    assert "2 salariés × 3 emplois" in capsys.readouterr().out
    assert selectors.cache_is_fresh()


def test_it_refuses_an_unknown_organisation_on_the_command_line(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Organisation « nulle-part » inconnue"):
        call_command("mobility_compute", "--tenant", "nulle-part")
