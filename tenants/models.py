from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin


class Organization(TenantMixin):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Entreprise")
        ADMINISTRATION = "administration", _("Administration")
        ESAT = "esat", _("ESAT")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=63, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    auto_create_schema = True
    auto_drop_schema = True

    class Meta:
        verbose_name = _("organisation")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domaine")
