"""A small hand-checkable organisation for the mobility tests (call inside an organisation's schema).

Skills: soudure TIG, lecture de plans, dessin industriel (mapped with lecture de plans to one ROME
skill), contrôle qualité, métrologie (σ 0.8 with contrôle qualité), conduite de chariot.
Jobs: Soudeur (ROME H2913), Contrôleur qualité (H1502: soudure TIG 4 critical, lecture de plans 2,
contrôle qualité 3), Cariste (N1101: conduite de chariot 2).
People: Alice Martin (E-A, soudeuse: soudure TIG 2, dessin industriel 3, métrologie 3) fits the
controller job at (2 × 2/4 + 1 + 0.8) / 4 = 0.7; Bruno Petit (E-B, cariste: conduite de chariot 4).
"""

from dataclasses import dataclass

import pytest

from accounts.services import token_create
from skills_matrix.models import SkillMapping, SkillSimilarity
from skills_matrix.services import employee_skills_bulk_set, job_create, job_requirement_set, org_skill_create


@dataclass
class World:
    skills: dict
    jobs: dict
    alice: object
    bruno: object
    units: dict


def build_world() -> World:
    from referentials.models import Skill
    from workforce.models import Employee, OrgUnit

    names = {"tig": "Soudure TIG", "plans": "Lecture de plans", "dessin": "Dessin industriel",
             "qualite": "Contrôle qualité", "metrologie": "Métrologie", "chariot": "Conduite de chariot"}
    skills = {key: org_skill_create(label=label) for key, label in names.items()}
    rome_skill, _created = Skill.objects.get_or_create(code_ogr="T-PLANS", defaults={
        "label": "Lire et interpréter un plan", "kind": Skill.Kind.SAVOIR_FAIRE})
    for key in ("plans", "dessin"):
        SkillMapping.objects.create(org_skill=skills[key], rome_skill=rome_skill, confidence=0.9,
                                    status=SkillMapping.Status.ACCEPTED)
    SkillSimilarity.objects.bulk_create([
        SkillSimilarity(skill=skills["qualite"], similar=skills["metrologie"], sigma=0.8),
        SkillSimilarity(skill=skills["metrologie"], similar=skills["qualite"], sigma=0.8)])
    jobs = {"soudeur": job_create(title="Soudeur", rome_code="H2913"),
            "controleur": job_create(title="Contrôleur qualité", rome_code="H1502"),
            "cariste": job_create(title="Cariste", rome_code="N1101")}
    job_requirement_set(job=jobs["controleur"], skill=skills["tig"], target_level=4, weight=1, critical=True)
    job_requirement_set(job=jobs["controleur"], skill=skills["plans"], target_level=2, weight=1)
    job_requirement_set(job=jobs["controleur"], skill=skills["qualite"], target_level=3, weight=1)
    job_requirement_set(job=jobs["cariste"], skill=skills["chariot"], target_level=2, weight=1)
    job_requirement_set(job=jobs["soudeur"], skill=skills["tig"], target_level=2, weight=1)
    site = OrgUnit.objects.create(name="Usine de Lyon", kind=OrgUnit.Kind.SITE)
    other = OrgUnit.objects.create(name="Entrepôt de Vienne", kind=OrgUnit.Kind.SITE)
    alice = Employee.objects.create(staff_number="E-A", first_name="Alice", last_name="Martin",
                                    job=jobs["soudeur"], org_unit=site)
    bruno = Employee.objects.create(staff_number="E-B", first_name="Bruno", last_name="Petit",
                                    job=jobs["cariste"], org_unit=other, manager=None)
    employee_skills_bulk_set(rows=[(alice.pk, skills["tig"].pk, 2, None), (alice.pk, skills["dessin"].pk, 3, None),
                                   (alice.pk, skills["metrologie"].pk, 3, None),
                                   (bruno.pk, skills["chariot"].pk, 4, None)], source="import", user=None)
    return World(skills, jobs, alice, bruno, {"lyon": site, "vienne": other})


@pytest.fixture
def world(in_alpha):
    return build_world()


@pytest.fixture
def api_client(client_for):
    """``api_client(org, user)``: a client sending that user's bearer token."""
    from django_tenants.utils import tenant_context

    def make(organization, user):
        with tenant_context(organization):
            _token, key = token_create(user=user)
        return client_for(organization, HTTP_AUTHORIZATION=f"Bearer {key}")

    return make
