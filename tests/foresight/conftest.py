import datetime

import pytest
from django_tenants.utils import tenant_context

from accounts.services import token_create
from foresight.models import Scenario
from skills_matrix.models import EmployeeSkill, JobRequirement, OrgSkill
from tests.factories import EmployeeFactory, JobFactory, OrgUnitFactory

D0 = datetime.date(2025, 6, 30)


@pytest.fixture
def api_for(client_for):
    def make(organization, user):
        with tenant_context(organization):
            _token, key = token_create(user=user)
        return client_for(organization, HTTP_AUTHORIZATION=f"Bearer {key}")

    return make


def make_skill(label):
    from skills_matrix.engine import normalize_label

    return OrgSkill.objects.create(label=label, normalized_label=normalize_label(label))


@pytest.fixture
def workshop(in_alpha):
    """A small organisation: 10 welders (2 retiring soon), 2 clerks, welding held by the two retirees."""
    from django.utils import timezone

    unit = OrgUnitFactory(name="Atelier")
    office = OrgUnitFactory(name="Bureau")
    welder, clerk = JobFactory(title="Soudeur"), JobFactory(title="Comptable")
    boss = EmployeeFactory(staff_number="B0", last_name="Chef", job=welder, org_unit=unit,
                           birth_date=datetime.date(1975, 1, 1), sex="M", contract_type="cdi")
    people = [boss]
    for i in range(9):
        people.append(EmployeeFactory(
            staff_number=f"W{i}", job=welder, org_unit=unit, manager=boss, sex="F" if i % 2 else "M",
            birth_date=datetime.date(1961, 3, 1) if i < 2 else datetime.date(1985 + i, 5, 1), contract_type="cdi"))
    for i in range(2):
        people.append(EmployeeFactory(staff_number=f"C{i}", job=clerk, org_unit=office, sex="F",
                                      birth_date=datetime.date(1990, 1, 1), contract_type="cdd"))
    welding, excel = make_skill("Soudure TIG"), make_skill("Tableur")
    JobRequirement.objects.create(job=welder, skill=welding, target_level=3)
    JobRequirement.objects.create(job=clerk, skill=excel, target_level=2)
    now = timezone.now()
    for person in people[1:3]:
        EmployeeSkill.objects.create(employee=person, skill=welding, level=4, valid_from=now)
    for person in people[3:]:
        EmployeeSkill.objects.create(employee=person, skill=excel, level=2, valid_from=now)
    scenario = Scenario.objects.create(name="Fil de l'eau", horizon_year=2030, reference_date=D0,
                                       attrition_rate=0.05)
    return {"scenario": scenario, "welder": welder, "clerk": clerk, "welding": welding, "excel": excel,
            "boss": boss, "unit": unit, "office": office, "people": people}
