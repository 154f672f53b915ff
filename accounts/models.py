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
