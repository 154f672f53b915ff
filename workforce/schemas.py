from datetime import date
from decimal import Decimal

from ninja import Field, Schema


class OrgUnitOut(Schema):
    id: int
    name: str
    kind: str
    parent_id: int | None


class JobOut(Schema):
    id: int
    title: str
    code: str
    rome_code: str


class JobIn(Schema):
    title: str
    code: str = ""
    rome_code: str = ""
    description: str = ""


class JobPatch(Schema):
    title: str | None = None
    code: str | None = None
    rome_code: str | None = None
    description: str | None = None


class JobDetailOut(Schema):
    id: int
    title: str
    code: str
    rome_code: str
    description: str


class JobFromRomeIn(Schema):
    occupation_code: str
    title: str | None = None


class EmployeeOut(Schema):
    staff_number: str
    last_name: str
    first_name: str
    email: str
    hire_date: date | None
    exit_date: date | None
    job: JobOut | None
    org_unit: OrgUnitOut | None
    manager_staff_number: str | None
    fte: Decimal
    is_active: bool

    @staticmethod
    def resolve_manager_staff_number(obj):
        return obj.manager.staff_number if obj.manager_id else None


class EmployeeSensitiveOut(EmployeeOut):
    """For roles entitled to personal data (age is sensitive: never used in any score)."""

    birth_date: date | None
    sex: str = Field(description="F, M or empty (restricted: aggregate statistics only)")
    contract_type: str


class Page(Schema):
    count: int
