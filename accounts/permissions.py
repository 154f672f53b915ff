"""Who may do what: the one place where roles turn into rights, for pages and API alike."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Role

# Each right names an action on a domain; a role holds a set of rights. One block per domain, so that a
# new capability adds its own lines.
_A, _H, _S, _E = Role.ADMIN, Role.HR, Role.SUPERVISOR, Role.EMPLOYEE
GRANTS: dict[str, tuple[str, ...]] = {
    # workforce, skills, referentials, imports, accounts
    "employees.view_all": (_A, _H),
    "employees.view_team": (_S,),
    "employees.view_self": (_E,),
    "employees.edit": (_A, _H),
    "jobs.view": (_A, _H, _S, _E),
    "jobs.edit": (_A, _H),
    "org_units.view": (_A, _H, _S, _E),
    "skills.view_all": (_A, _H),
    "skills.view_team": (_S,),
    "skills.view_self": (_E,),
    "skills.edit": (_A, _H),
    "skills.assess": (_A, _H, _S),
    "skills.self_assess": (_A, _H, _S, _E),
    "imports.run": (_A, _H),
    "imports.view": (_A, _H),
    "users.manage": (_A,),
    "audit.view": (_A,),
    "teams.manage": (_A, _H),
    "referentials.view": (_A, _H, _S, _E),
    "mappings.review": (_A, _H),
    "sensitive.view": (_A, _H),
    # foresight
    "foresight.view": (_A, _H),
    "foresight.edit": (_A, _H),
    "foresight.view_team": (_S,),
    # mobility and training
    "mobility.view_all": (_A, _H),
    "mobility.view_team": (_S,),
    "mobility.view_self": (_E,),
    "mobility.plan": (_A, _H),
    "trainings.view": (_A, _H, _S, _E),
    "trainings.edit": (_A, _H),
    # skills booklet
    "booklet.view_all": (_A, _H),
    "booklet.view_team": (_S,),
    "booklet.view_self": (_E,),
    "booklet.edit": (_A, _H, _S),
    "booklet.restricted": (_A, _S),
    "booklet.audit": (_A,),
    "interviews.track": (_A, _H),
    "booklet.indicators": (_A, _H),
    "gdpr.manage": (_A,),
}
RIGHTS: dict[str, set[str]] = {
    role: {right for right, roles in GRANTS.items() if role in roles} for role in (_A, _H, _S, _E)
}

# How a refusal names the roles that may do the action (in the order of ``Role``).
ROLE_NAMES_IN_REFUSALS = {
    Role.ADMIN: gettext_lazy("administrateur"),
    Role.HR: gettext_lazy("RH"),
    Role.SUPERVISOR: gettext_lazy("encadrant"),
    Role.EMPLOYEE: gettext_lazy("salarié"),
}


def has_right(user, right: str) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return right in RIGHTS.get(user.role, set())


def has_any_right(user, *rights: str) -> bool:
    return any(has_right(user, right) for right in rights)


def roles_with(*rights: str) -> list[str]:
    """The roles holding at least one of ``rights``, in the order of ``Role``."""
    return [role for role in Role.values if RIGHTS.get(role, set()) & set(rights)]


def refusal_message(*rights: str) -> str:
    """``Action réservée aux rôles : administrateur, RH.`` — what a refused user reads, page or API."""
    roles = roles_with(*rights)
    if not roles:
        return _("Action réservée à l'opérateur de la plateforme.")
    names = ", ".join(str(ROLE_NAMES_IN_REFUSALS[role]) for role in roles)
    if len(roles) == 1:
        return _("Action réservée au rôle : %(roles)s.") % {"roles": names}
    return _("Action réservée aux rôles : %(roles)s.") % {"roles": names}


def require_right(user, *rights: str) -> None:
    """Raise ``PermissionDenied`` (403) unless ``user`` holds at least one of ``rights``; its message
    names the roles that may do it."""
    if not has_any_right(user, *rights):
        raise PermissionDenied(refusal_message(*rights))


def right_required(*rights: str):
    """View decorator: login required, then one of ``rights``."""
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
