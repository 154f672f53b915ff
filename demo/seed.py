"""Writes the demo organisation's content into the current schema (the command picks the schema)."""

from django.db import transaction

from accounts.models import User
from accounts.services import user_create, user_password_set
from skills_matrix.models import DEFAULT_LEVELS, EmployeeSkill, JobRequirement, OrgSkill, SkillLevel
from skills_matrix.services import employee_skills_bulk_set, job_requirement_set, org_skill_create
from workforce.models import Employee, Job, OrgUnit
from workforce.services import job_create

from .data import Demo

SOURCE_FOR_STATUS = {
    EmployeeSkill.Status.DECLARED: EmployeeSkill.Source.SELF,
    EmployeeSkill.Status.OBSERVED: EmployeeSkill.Source.SUPERVISOR,
    EmployeeSkill.Status.VALIDATED: EmployeeSkill.Source.SUPERVISOR,
    EmployeeSkill.Status.CERTIFIED: EmployeeSkill.Source.TRAINING,
}


def demo_counts() -> dict[str, int]:
    """What the current organisation holds, in the terms the demo summary prints."""
    return {
        "units": OrgUnit.objects.count(),
        "jobs": Job.objects.count(),
        "skills": OrgSkill.objects.count(),
        "requirements": JobRequirement.objects.count(),
        "employees": Employee.objects.count(),
        "active_employees": Employee.objects.filter(is_active=True).count(),
        "employee_skills": EmployeeSkill.objects.filter(valid_to__isnull=True).count(),
        "users": User.objects.count(),
    }


@transaction.atomic
def demo_populate(*, demo: Demo) -> bool:
    """Write ``demo`` into an organisation that has no employees yet; return False if it already has some.

    All or nothing, so an interrupted first run leaves an empty organisation that the next run fills.
    """
    if Employee.objects.exists():
        return False
    for value, label, description in DEFAULT_LEVELS:
        SkillLevel.objects.get_or_create(value=value, defaults={"label": label, "description": description})

    units: dict[str, OrgUnit] = {}
    for spec in demo.units:
        units[spec.name] = OrgUnit.objects.create(name=spec.name, kind=spec.kind, parent=units.get(spec.parent))

    skills = {s.key: org_skill_create(label=s.label, kind=s.kind, description=s.description) for s in demo.skills}
    jobs = {
        j.title: job_create(title=j.title, code=j.code, rome_code=j.rome_code, description=j.description)
        for j in demo.jobs
    }
    for j in demo.jobs:
        for r in j.requirements:
            job_requirement_set(job=jobs[j.title], skill=skills[r.skill], target_level=r.target_level,
                                weight=r.weight, critical=r.critical)

    employees = {
        e.staff_number: e
        for e in Employee.objects.bulk_create(
            Employee(staff_number=s.staff_number, first_name=s.first_name, last_name=s.last_name, email=s.email,
                     birth_date=s.birth_date, hire_date=s.hire_date, exit_date=s.exit_date, job=jobs[s.job],
                     org_unit=units[s.unit], fte=s.fte, is_active=s.is_active)
            for s in demo.employees
        )
    }
    for spec in demo.employees:
        employees[spec.staff_number].manager = employees.get(spec.manager)
    Employee.objects.bulk_update(employees.values(), ["manager"])

    for status, source in SOURCE_FOR_STATUS.items():
        employee_skills_bulk_set(
            rows=[(employees[spec.staff_number].pk, skills[key].pk, level, assessed)
                  for spec in demo.employees for key, (level, row_status, assessed) in spec.skills.items()
                  if row_status == status],
            status=status, source=source, user=None,
        )
    return True


# What later capabilities add to a freshly filled demo organisation, in order: "module:function", each
# called as function(demo=demo) in the organisation's schema, after its staff, skills and users exist.
DEMO_EXTENSIONS: list[str] = [
    "booklet.demo:demo_booklet",  # before mobility: its suggestions are computed on the final levels
    "mobility.demo:demo_mobility",
]


def demo_extend(*, demo: Demo) -> None:
    """Run every demo extension (scenarios, trainings, booklets…) on a freshly filled organisation."""
    from importlib import import_module

    for dotted in DEMO_EXTENSIONS:
        module, _, function = dotted.partition(":")
        getattr(import_module(module), function)(demo=demo)


def demo_users_ensure(*, demo: Demo, password: str) -> list[User]:
    """The demo's four accounts, created if missing; their password is (re)set to ``password``."""
    users = []
    for spec in demo.users:
        user = User.objects.filter(email=spec.email).first()
        if user is None:
            employee = Employee.objects.filter(staff_number=spec.staff_number).first() if spec.staff_number else None
            user = user_create(email=spec.email, password=password, role=spec.role, full_name=spec.full_name,
                               employee=employee)
        elif not user.check_password(password):
            user_password_set(user=user, password=password)
        users.append(user)
    return users
