from datetime import datetime

from ninja import Schema


class UserIn(Schema):
    email: str
    role: str
    full_name: str = ""
    staff_number: str | None = None


class UserPatch(Schema):
    """Only the fields sent change; ``staff_number: ""`` unlinks the employee record."""

    role: str | None = None
    full_name: str | None = None
    staff_number: str | None = None
    is_active: bool | None = None


class UserOut(Schema):
    id: int
    email: str
    full_name: str
    role: str
    staff_number: str | None
    is_active: bool
    status: str
    last_login: datetime | None
    date_joined: datetime

    @staticmethod
    def resolve_staff_number(obj):
        return obj.employee.staff_number if obj.employee_id else None

    @staticmethod
    def resolve_status(obj):
        from .selectors import user_status

        return user_status(obj)


class UserPage(Schema):
    items: list[UserOut]
    count: int
