"""Writes about people who sign in: users, their invitations and passwords, teams, API tokens.

Every change to an account, a role or a team writes an ``AuditEntry`` in the same transaction.
E-mails leave after the transaction commits its rows, so a refused change sends nothing.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError

from .models import ApiToken, AuditEntry, PasswordLink, Role, Team, User


def password_check(password: str | None, user: User | None = None) -> None:
    """Refuse a weak password with the validators' French reasons (AUTH_PASSWORD_VALIDATORS); ``user``
    (possibly not saved yet) lets the validators refuse a password close to the e-mail or name.

    Every place that sets a password calls it: user_create, user_password_set, tenant_create."""
    try:
        validate_password(password or "", user=user)
    except ValidationError as exc:
        raise ApplicationError(
            _("Mot de passe refusé : %(reasons)s Choisissez au moins 8 caractères, pas uniquement des chiffres, "
              "ni un mot de passe courant ni proche de l'adresse e-mail.") % {"reasons": " ".join(exc.messages)},
            extra={"errors": [{"field": "password", "message": message} for message in exc.messages]},
        ) from exc


@transaction.atomic
def user_password_set(*, user: User, password: str) -> User:
    """Set ``user``'s password once ``password_check`` accepts it."""
    password_check(password, user=user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def user_create(
    *, email: str, password: str | None, role: str = Role.EMPLOYEE, full_name: str = "", employee=None
) -> User:
    if role not in Role.values:
        raise ApplicationError(
            _("Rôle « %(role)s » inconnu : choisissez parmi %(choices)s.")
            % {"role": role, "choices": ", ".join(Role.values)}
        )
    email = (email or "").strip().lower()
    if User.objects.filter(email=email).exists():
        raise ApplicationError(_("Un compte existe déjà pour %(email)s.") % {"email": email})
    user = User(email=email, role=role, full_name=full_name, employee=employee)
    if password:
        password_check(password, user=user)
    user.set_password(password) if password else user.set_unusable_password()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise ApplicationError(_("Compte invalide : %(errors)s") % {"errors": exc.messages}) from exc
    user.save()
    return user


def token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns it with the clear key, which is never stored."""
    key = ApiToken.PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash(key), key_hint=key[:10])
    return token, key


def token_revoke(*, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


def token_authenticate(key: str) -> User | None:
    """The active user owning the unrevoked token ``key``, in the current organisation, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


# ---- audit ----------------------------------------------------------------------------------------

def audit_write(*, actor: User | None, target: User, action: str, before: str = "", after: str = "") -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor, actor_email=actor.email if actor else "", target=target, target_email=target.email,
        action=action, before=str(before)[:300], after=str(after)[:300],
    )


# ---- invitations and passwords ---------------------------------------------------------------------

def _link_lifetime(purpose: str) -> datetime.timedelta:
    if purpose == PasswordLink.Purpose.INVITATION:
        return datetime.timedelta(days=settings.ESIPRO_INVITATION_DAYS)
    return datetime.timedelta(hours=settings.ESIPRO_PASSWORD_RESET_HOURS)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _password_link_create(*, user: User, purpose: str) -> str:
    """A new link for ``user``; every earlier unused link of theirs stops working. Returns the clear token."""
    now = timezone.now()
    user.password_links.filter(used_at__isnull=True).update(used_at=now)
    token = secrets.token_urlsafe(32)
    PasswordLink.objects.create(user=user, purpose=purpose, token_hash=_token_hash(token), created_at=now,
                                expires_at=now + _link_lifetime(purpose))
    return token


def _password_link_mail(*, user: User, purpose: str, token: str, site_url: str, organization_name: str) -> None:
    url = f"{site_url.rstrip('/')}/comptes/mot-de-passe/{token}/"
    context = {
        "user": user, "url": url, "organization_name": organization_name,
        "expires_days": settings.ESIPRO_INVITATION_DAYS, "expires_hours": settings.ESIPRO_PASSWORD_RESET_HOURS,
    }
    if purpose == PasswordLink.Purpose.INVITATION:
        subject = _("Invitation à Esi Pro – %(organization)s") % {"organization": organization_name}
        body = render_to_string("accounts/mail/invitation.txt", context)
    else:
        subject = _("Choisir un nouveau mot de passe Esi Pro – %(organization)s") % {"organization": organization_name}
        body = render_to_string("accounts/mail/password_reset.txt", context)
    try:
        send_mail(subject, body, None, [user.email])
    except OSError as exc:
        raise ApplicationError(
            _("Le message pour %(email)s n'a pas pu partir (%(error)s). Vérifiez la configuration de l'envoi "
              "d'e-mails, puis renvoyez-le depuis la page Utilisateurs.") % {"email": user.email, "error": exc},
            status=502,
        ) from exc


def _employee_for(staff_number: str | None, *, user: User | None = None):
    """The employee with ``staff_number`` (None for an empty one), refused if another account holds it."""
    from workforce.models import Employee

    staff_number = (staff_number or "").strip()
    if not staff_number:
        return None
    employee = Employee.objects.filter(staff_number=staff_number).first()
    if employee is None:
        raise ApplicationError(
            _("Aucune fiche salarié de matricule « %(staff_number)s » : vérifiez le matricule, ou laissez le "
              "champ vide.") % {"staff_number": staff_number})
    holder = User.objects.filter(employee=employee).exclude(pk=getattr(user, "pk", None)).first()
    if holder is not None:
        raise ApplicationError(
            _("La fiche %(staff_number)s est déjà liée au compte %(email)s : retirez-la de ce compte d'abord.")
            % {"staff_number": staff_number, "email": holder.email})
    return employee


def user_invite(
    *, actor: User, email: str, role: str, site_url: str, organization_name: str, full_name: str = "",
    staff_number: str | None = None,
) -> User:
    """Create an account without a password and e-mail it a single-use link to choose one."""
    with transaction.atomic():
        employee = _employee_for(staff_number)
        user = user_create(email=email, password=None, role=role, full_name=(full_name or "").strip(),
                           employee=employee)
        token = _password_link_create(user=user, purpose=PasswordLink.Purpose.INVITATION)
        audit_write(actor=actor, target=user, action=AuditEntry.Action.INVITED, after=user.get_role_display())
    _password_link_mail(user=user, purpose=PasswordLink.Purpose.INVITATION, token=token, site_url=site_url,
                        organization_name=organization_name)
    return user


def invitation_resend(*, actor: User, user: User, site_url: str, organization_name: str) -> None:
    """A new invitation link (the previous one stops working), for an account that has no password yet."""
    if user.has_usable_password():
        raise ApplicationError(
            _("%(email)s a déjà choisi son mot de passe : envoyez-lui plutôt un lien de réinitialisation.")
            % {"email": user.email})
    if not user.is_active:
        raise ApplicationError(_("Ce compte est désactivé : réactivez-le avant de renvoyer l'invitation."))
    with transaction.atomic():
        token = _password_link_create(user=user, purpose=PasswordLink.Purpose.INVITATION)
        audit_write(actor=actor, target=user, action=AuditEntry.Action.INVITATION_RESENT)
    _password_link_mail(user=user, purpose=PasswordLink.Purpose.INVITATION, token=token, site_url=site_url,
                        organization_name=organization_name)


def password_reset_send(*, actor: User, user: User, site_url: str, organization_name: str) -> None:
    """E-mail ``user`` a link to choose a new password; the current password keeps working until then."""
    if not user.is_active:
        raise ApplicationError(_("Ce compte est désactivé : réactivez-le avant de réinitialiser son mot de passe."))
    if not user.has_usable_password():
        raise ApplicationError(
            _("%(email)s n'a pas encore choisi de mot de passe : renvoyez-lui plutôt l'invitation.")
            % {"email": user.email})
    with transaction.atomic():
        token = _password_link_create(user=user, purpose=PasswordLink.Purpose.RESET)
        audit_write(actor=actor, target=user, action=AuditEntry.Action.PASSWORD_RESET_SENT)
    _password_link_mail(user=user, purpose=PasswordLink.Purpose.RESET, token=token, site_url=site_url,
                        organization_name=organization_name)


def password_link_get(*, token: str) -> PasswordLink:
    """The usable link for ``token``; a clear French error for an unknown, used or expired one."""
    link = PasswordLink.objects.select_related("user").filter(token_hash=_token_hash(token or "")).first()
    if link is None or link.used_at is not None:
        raise ApplicationError(
            _("Ce lien n'est plus valable : il a déjà servi ou a été remplacé par un plus récent. Demandez à "
              "l'administrateur de votre organisation de vous en envoyer un nouveau."), status=404)
    if link.expires_at <= timezone.now():
        raise ApplicationError(
            _("Ce lien a expiré le %(date)s. Demandez à l'administrateur de votre organisation de vous en "
              "envoyer un nouveau.") % {"date": timezone.localtime(link.expires_at).strftime("%d/%m/%Y %H:%M")},
            status=410)
    if not link.user.is_active:
        raise ApplicationError(_("Ce compte est désactivé. Adressez-vous à l'administrateur de votre organisation."),
                               status=403)
    return link


def password_confirmation_check(*, password: str, confirmation: str, user: User | None = None) -> None:
    """Refuse two different entries, then a password the validators reject (``password_check``)."""
    if password != confirmation:
        raise ApplicationError(_("Les deux mots de passe ne sont pas identiques : saisissez-les à nouveau."))
    password_check(password, user=user)


@transaction.atomic
def password_link_use(*, token: str, password: str, confirmation: str) -> User:
    """Set the password chosen through a link; the link cannot serve again."""
    link = password_link_get(token=token)
    user = link.user
    password_confirmation_check(password=password, confirmation=confirmation, user=user)
    # The row is locked so that two submissions of the same link cannot both succeed.
    if not PasswordLink.objects.filter(pk=link.pk, used_at__isnull=True).select_for_update().update(
            used_at=timezone.now()):
        raise ApplicationError(_("Ce lien vient de servir : connectez-vous avec votre mot de passe."), status=404)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_write(actor=user, target=user, action=AuditEntry.Action.PASSWORD_SET)
    return user


# ---- changes to an account -------------------------------------------------------------------------

_UNSET = object()


def _last_active_admin(user: User) -> bool:
    return (user.role == Role.ADMIN and user.is_active
            and not User.objects.filter(role=Role.ADMIN, is_active=True).exclude(pk=user.pk).exists())


@transaction.atomic
def user_update(
    *, actor: User, user: User, role: str | None = None, full_name: str | None = None,
    staff_number=_UNSET, is_active: bool | None = None,
) -> User:
    """Change what is given (``staff_number=""`` unlinks the employee record); each change is audited.

    The organisation keeps at least one active administrator.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    changed = []
    if role is not None and role != user.role:
        if role not in Role.values:
            raise ApplicationError(_("Rôle « %(role)s » inconnu : choisissez parmi %(choices)s.")
                                   % {"role": role, "choices": ", ".join(Role.values)})
        if _last_active_admin(user):
            raise ApplicationError(_("%(email)s est le dernier administrateur actif : nommez d'abord un autre "
                                     "administrateur.") % {"email": user.email})
        before = user.get_role_display()
        user.role = role
        audit_write(actor=actor, target=user, action=AuditEntry.Action.ROLE_CHANGED, before=before,
                    after=user.get_role_display())
        changed.append("role")
    if full_name is not None and full_name.strip() != user.full_name:
        audit_write(actor=actor, target=user, action=AuditEntry.Action.NAME_CHANGED, before=user.full_name,
                    after=full_name.strip())
        user.full_name = full_name.strip()[:200]
        changed.append("full_name")
    if staff_number is not _UNSET:
        employee = _employee_for(staff_number, user=user)
        if employee != user.employee:
            before = user.employee.staff_number if user.employee else ""
            user.employee = employee
            audit_write(actor=actor, target=user, action=AuditEntry.Action.EMPLOYEE_LINKED, before=before,
                        after=employee.staff_number if employee else "")
            changed.append("employee")
    if is_active is not None and is_active != user.is_active:
        if not is_active and user.pk == actor.pk:
            raise ApplicationError(_("Vous ne pouvez pas désactiver votre propre compte."))
        if not is_active and _last_active_admin(user):
            raise ApplicationError(_("%(email)s est le dernier administrateur actif : nommez d'abord un autre "
                                     "administrateur.") % {"email": user.email})
        user.is_active = is_active
        action = AuditEntry.Action.REACTIVATED if is_active else AuditEntry.Action.DEACTIVATED
        audit_write(actor=actor, target=user, action=action)
        changed.append("is_active")
        if not is_active:
            # A deactivated account keeps no way in: open links and API tokens stop working.
            user.password_links.filter(used_at__isnull=True).update(used_at=timezone.now())
            user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    if changed:
        user.save(update_fields=changed)
    return user


@transaction.atomic
def user_remove(*, actor: User, user: User) -> bool:
    """Delete an invitation nobody accepted; an account that has signed in is deactivated instead, so that
    what it recorded keeps its author. Returns True when the account was deleted."""
    if user.pk == actor.pk:
        raise ApplicationError(_("Vous ne pouvez pas supprimer votre propre compte."))
    if user.has_usable_password() or user.last_login is not None:
        user_update(actor=actor, user=user, is_active=False)
        return False
    audit_write(actor=actor, target=user, action=AuditEntry.Action.DELETED, before=user.get_role_display())
    user.delete()
    return True


# ---- teams -----------------------------------------------------------------------------------------

@transaction.atomic
def team_set(*, actor: User, supervisor: User, mode: str, org_unit_ids=(), staff_numbers=()) -> Team:
    """Decide which employees ``supervisor`` sees: their reports in the org chart, whole units, or a list."""
    from workforce.models import Employee, OrgUnit

    if supervisor.role != Role.SUPERVISOR:
        raise ApplicationError(_("Seul un compte « Encadrant » a une équipe : changez d'abord le rôle de "
                                 "%(email)s.") % {"email": supervisor.email})
    if mode not in Team.Mode.values:
        raise ApplicationError(_("Mode d'équipe « %(mode)s » inconnu : choisissez parmi %(choices)s.")
                               % {"mode": mode, "choices": ", ".join(Team.Mode.values)})
    units = list(OrgUnit.objects.filter(pk__in=set(org_unit_ids))) if mode == Team.Mode.ORG_UNITS else []
    employees = []
    if mode == Team.Mode.MANUAL:
        wanted = {number.strip() for number in staff_numbers if number.strip()}
        employees = list(Employee.objects.filter(staff_number__in=wanted))
        unknown = sorted(wanted - {employee.staff_number for employee in employees})
        if unknown:
            raise ApplicationError(_("Matricule(s) inconnu(s) : %(numbers)s. Corrigez-les ou retirez-les de la liste.")
                                   % {"numbers": ", ".join(unknown[:20])})
    if mode == Team.Mode.ORG_UNITS and not units:
        raise ApplicationError(_("Choisissez au moins une unité pour une équipe par unité."))
    if mode == Team.Mode.MANUAL and not employees:
        raise ApplicationError(_("Choisissez au moins une personne pour une équipe constituée à la main."))
    team, _created = Team.objects.get_or_create(supervisor=supervisor)
    before = _team_summary(team)
    team.mode = mode
    team.save(update_fields=["mode", "updated_at"])
    team.org_units.set(units)
    team.employees.set(employees)
    after = _team_summary(team)
    if after != before:
        audit_write(actor=actor, target=supervisor, action=AuditEntry.Action.TEAM_CHANGED, before=before,
                    after=after)
    return team


def _team_summary(team: Team) -> str:
    if team.mode == Team.Mode.ORG_UNITS:
        return "{} : {}".format(team.get_mode_display(), ", ".join(sorted(u.name for u in team.org_units.all())))
    if team.mode == Team.Mode.MANUAL:
        return "{} : {}".format(team.get_mode_display(),
                                ", ".join(sorted(e.staff_number for e in team.employees.all())))
    return str(team.get_mode_display())
