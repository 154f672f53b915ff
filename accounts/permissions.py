"""Who may do what: the one place where roles turn into rights, for pages and API alike."""

from django.core.exceptions import PermissionDenied

from .models import Role

# Each right names an action on a domain; a role holds a set of rights.
RIGHTS: dict[str, set[str]] = {
    Role.ADMIN: {
        "employees.view_all", "employees.edit", "jobs.view", "jobs.edit", "org_units.view",
        "skills.view_all", "skills.edit", "skills.assess", "imports.run", "imports.view",
        "users.manage", "referentials.view", "mappings.review", "sensitive.view", "skills.self_assess",
        "foresight.view", "foresight.edit",
    },
    Role.HR: {
        "employees.view_all", "employees.edit", "jobs.view", "jobs.edit", "org_units.view",
        "skills.view_all", "skills.edit", "skills.assess", "imports.view", "referentials.view",
        "mappings.review", "sensitive.view", "skills.self_assess", "foresight.view", "foresight.edit",
    },
    Role.SUPERVISOR: {
        "employees.view_team", "jobs.view", "org_units.view", "skills.view_team", "skills.assess",
        "referentials.view", "skills.self_assess", "foresight.view_team",
    },
    Role.EMPLOYEE: {"employees.view_self", "jobs.view", "org_units.view", "skills.view_self", "referentials.view", "skills.self_assess"},
}


def has_right(user, right: str) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return right in RIGHTS.get(user.role, set())


def has_any_right(user, *rights: str) -> bool:
    return any(has_right(user, right) for right in rights)


def require_right(user, *rights: str) -> None:
    """Raise ``PermissionDenied`` (403) unless ``user`` holds at least one of ``rights``."""
    if not has_any_right(user, *rights):
        raise PermissionDenied


def right_required(*rights: str):
    """View decorator: login required, then one of ``rights``."""
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            require_right(request.user, *rights)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
