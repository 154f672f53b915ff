import hashlib

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrateur")
    HR = "hr", _("Responsable RH")
    SUPERVISOR = "supervisor", _("Encadrant")
    EMPLOYEE = "employee", _("Salarié")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("role", Role.ADMIN)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in to one organisation (users live in the organisation's schema)."""

    email = models.EmailField(_("adresse e-mail"), unique=True)
    full_name = models.CharField(_("nom complet"), max_length=200, blank=True)
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.EMPLOYEE)
    employee = models.OneToOneField(
        "workforce.Employee", null=True, blank=True, on_delete=models.SET_NULL, related_name="user"
    )
    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    class Meta:
        verbose_name = _("utilisateur")

    def __str__(self):
        return self.full_name or self.email

    @property
    def is_staff(self):
        return self.role == Role.ADMIN


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token itself is shown once."""

    PREFIX = "esi_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nom"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True)
    key_hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("jeton d'API")

    def __str__(self):
        return f"{self.key_hint}… ({self.user})"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class PasswordLink(models.Model):
    """A single-use, expiring link to choose a password: an invitation or a reset sent by an admin.

    Only the SHA-256 of the token is stored; the clear token travels in the e-mail only.
    """

    class Purpose(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        RESET = "reset", _("Réinitialisation du mot de passe")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_links")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lien de mot de passe")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_purpose_display()} · {self.user_id}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class AuditEntry(models.Model):
    """One change to an account, a role or a team, kept for the administrator to read.

    The e-mails are copied so that an entry still reads right after its account is deleted.
    """

    class Action(models.TextChoices):
        INVITED = "invited", _("Invitation envoyée")
        INVITATION_RESENT = "invitation_resent", _("Invitation renvoyée")
        PASSWORD_RESET_SENT = "password_reset_sent", _("Lien de réinitialisation envoyé")
        PASSWORD_SET = "password_set", _("Mot de passe choisi")
        ROLE_CHANGED = "role_changed", _("Rôle modifié")
        NAME_CHANGED = "name_changed", _("Nom modifié")
        EMPLOYEE_LINKED = "employee_linked", _("Fiche salarié liée")
        DEACTIVATED = "deactivated", _("Compte désactivé")
        REACTIVATED = "reactivated", _("Compte réactivé")
        DELETED = "deleted", _("Compte supprimé")
        TEAM_CHANGED = "team_changed", _("Équipe modifiée")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_email = models.CharField(max_length=254, blank=True)
    target = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_email = models.CharField(max_length=254)
    action = models.CharField(max_length=30, choices=Action.choices)
    before = models.CharField(max_length=300, blank=True)
    after = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("entrée du journal des comptes")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} · {self.get_action_display()} · {self.target_email}"


class Team(models.Model):
    """Which employees a supervisor sees. Without a row, the org chart decides (their direct reports)."""

    class Mode(models.TextChoices):
        MANAGER = "manager", _("Selon l'organigramme (personnes dont il est le responsable)")
        ORG_UNITS = "org_units", _("Par unité (avec leurs sous-unités)")
        MANUAL = "manual", _("À la main")

    supervisor = models.OneToOneField(User, on_delete=models.CASCADE, related_name="team")
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.MANAGER)
    org_units = models.ManyToManyField("workforce.OrgUnit", blank=True, related_name="+")
    employees = models.ManyToManyField("workforce.Employee", blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("équipe")

    def __str__(self):
        return f"{self.supervisor_id} · {self.get_mode_display()}"
