"""factory_boy factories for the workforce; call them inside an organisation's schema."""

import datetime

import factory
import pytest

from workforce.models import Employee, Job, OrgUnit


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"Service {n}")
    kind = OrgUnit.Kind.SERVICE


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    title = factory.Sequence(lambda n: f"Emploi {n}")


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    staff_number = factory.Sequence(lambda n: f"E{n:05d}")
    last_name = factory.Faker("last_name", locale="fr_FR")
    first_name = factory.Faker("first_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda o: f"{o.staff_number.lower()}@exemple.fr")
    birth_date = datetime.date(1980, 5, 17)
    hire_date = datetime.date(2015, 9, 1)
    job = factory.SubFactory(JobFactory)
    org_unit = factory.SubFactory(OrgUnitFactory)


@pytest.fixture
def employee_factory():
    return EmployeeFactory


@pytest.fixture
def job_factory():
    return JobFactory


@pytest.fixture
def org_unit_factory():
    return OrgUnitFactory
