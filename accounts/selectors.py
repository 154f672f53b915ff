"""Reads about accounts: the users page, the audit log, and which employees a supervisor's team holds."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEntry, PasswordLink, Team, User

USER_STATUSES = ("active", "pending", "expired", "inactive")


def user_list(*, search: str = "", role: str = "", status: str = "") -> QuerySet[User]:
    """Accounts of the organisation, with ``has_open_link`` (a usable invitation or reset link)."""
    from django.db.models import Exists, OuterRef

    open_link = PasswordLink.objects.filter(user=OuterRef("pk"), used_at__isnull=True, expires_at__gt=timezone.now())
    qs = User.objects.select_related("employee", "team").annotate(has_open_link=Exists(open_link)).order_by("email")
    for word in search.split():
        qs = qs.filter(Q(email__icontains=word) | Q(full_name__icontains=word)
                       | Q(employee__staff_number__icontains=word))
    if role:
        qs = qs.filter(role=role)
    # An account without a usable password has never accepted its invitation ("!" starts Django's unusable ones).
    pending = Q(password__startswith="!")
    if status == "active":
        qs = qs.filter(~pending, is_active=True)
    elif status == "pending":
        qs = qs.filter(pending, is_active=True, has_open_link=True)
    elif status == "expired":
        qs = qs.filter(pending, is_active=True, has_open_link=False)
    elif status == "inactive":
        qs = qs.filter(is_active=False)
    return qs


def user_status(user: User) -> str:
    """``active``, ``pending`` (invited, link still valid), ``expired`` (invited, link expired) or ``inactive``."""
    if not user.is_active:
        return "inactive"
    if user.has_usable_password():
        return "active"
    has_open = getattr(user, "has_open_link", None)
    if has_open is None:
        has_open = user.password_links.filter(used_at__isnull=True, expires_at__gt=timezone.now()).exists()
    return "pending" if has_open else "expired"


def audit_list(*, target: User | None = None) -> QuerySet[AuditEntry]:
    qs = AuditEntry.objects.all()
    if target is not None:
        qs = qs.filter(target=target)
    return qs


def _units_with_descendants(unit_ids: set[int]) -> set[int]:
    from workforce.models import OrgUnit

    children: dict[int, list[int]] = {}
    for pk, parent in OrgUnit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, frontier = set(unit_ids), list(unit_ids)
    while frontier:
        for child in children.get(frontier.pop(), ()):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found


def team_members_q(user) -> Q | None:
    """A filter on ``workforce.Employee`` for the people in ``user``'s team, or None for nobody.

    No ``Team`` row, or mode "manager": the people whose manager is ``user``'s employee record (the org
    chart). Mode "org_units": everyone in those units and their sub-units. Mode "manual": the chosen people.
    """
    team = Team.objects.filter(supervisor_id=user.pk).first()
    own = getattr(user, "employee_id", None)
    if team is None or team.mode == Team.Mode.MANAGER:
        return Q(manager_id=own) if own else None
    if team.mode == Team.Mode.ORG_UNITS:
        units = set(team.org_units.values_list("pk", flat=True))
        return Q(org_unit_id__in=_units_with_descendants(units)) if units else None
    return Q(pk__in=team.employees.values("pk"))


def team_for(supervisor: User) -> Team:
    """The supervisor's team settings (an unsaved default one when never set)."""
    return Team.objects.filter(supervisor=supervisor).first() or Team(supervisor=supervisor)
