from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgUnit(models.Model):
    """A node of the organisation chart: établissement, direction or service."""

    class Kind(models.TextChoices):
        SITE = "site", _("Établissement")
        DIRECTION = "direction", _("Direction")
        SERVICE = "service", _("Service")

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("niveau"), max_length=20, choices=Kind.choices, default=Kind.SERVICE)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
        verbose_name=_("rattachement"),
    )

    class Meta:
        verbose_name = _("unité")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "parent"], name="orgunit_unique_name_in_parent",
                                    nulls_distinct=False),
        ]

    def __str__(self):
        return self.name


class Job(models.Model):
    """A job (emploi) of the organisation, optionally linked to a ROME occupation."""

    title = models.CharField(_("intitulé"), max_length=200, unique=True)
    code = models.CharField(_("code interne"), max_length=50, blank=True)
    rome_code = models.CharField(_("code ROME"), max_length=5, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("emploi")
        ordering = ["title"]

    def __str__(self):
        return self.title


class Sex(models.TextChoices):
    """Restricted: stored for aggregate statistics (pyramid, gender balance), shown to admin and HR only,
    never an input to a score, a projection or a recommendation."""

    FEMALE = "F", _("Femme")
    MALE = "M", _("Homme")


class ContractType(models.TextChoices):
    CDI = "cdi", _("CDI")
    CDD = "cdd", _("CDD")
    INTERIM = "interim", _("Intérim")
    APPRENTICESHIP = "apprentissage", _("Apprentissage")
    INTERNSHIP = "stage", _("Stage")
    CIVIL_SERVANT = "fonctionnaire", _("Fonctionnaire")
    CONTRACT_AGENT = "contractuel", _("Contractuel")


class Employee(models.Model):
    staff_number = models.CharField(_("matricule"), max_length=50, unique=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    hire_date = models.DateField(_("date d'entrée"), null=True, blank=True)
    exit_date = models.DateField(_("date de sortie"), null=True, blank=True)
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices, blank=True)
    contract_type = models.CharField(_("type de contrat"), max_length=20, choices=ContractType.choices, blank=True)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="employees",
                            verbose_name=_("emploi"))
    org_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="employees", verbose_name=_("unité"))
    manager = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="reports", verbose_name=_("responsable"))
    fte = models.DecimalField(_("quotité"), max_digits=4, decimal_places=3, default=1)
    is_active = models.BooleanField(_("présent"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("salarié")
        ordering = ["last_name", "first_name", "staff_number"]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self):
        return self.full_name or self.staff_number

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class OccupationSuggestion(models.Model):
    """A ROME occupation the mapping engine proposes for a job, waiting for a person's decision.

    Computed in the worker for the jobs a staff import created without a ROME code (the engine's top
    few, most confident first); reviewed on the review queue (/competences/a-valider/) or on the job page.
    Accepting one links the job to the occupation and rejects the job's other pending suggestions."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        ACCEPTED = "accepted", _("Acceptée")
        REJECTED = "rejected", _("Rejetée")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="occupation_suggestions",
                            verbose_name=_("emploi"))
    rome_code = models.CharField(_("code ROME"), max_length=5)
    label = models.CharField(_("fiche métier"), max_length=300)
    confidence = models.FloatField(_("confiance"), default=0)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("fiche métier suggérée")
        ordering = ["-confidence", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["job", "rome_code"], name="occupationsuggestion_unique_pair"),
            models.CheckConstraint(condition=models.Q(confidence__gte=0) & models.Q(confidence__lte=1),
                                   name="occupationsuggestion_confidence_range"),
        ]
        indexes = [models.Index(fields=["status", "-confidence"])]

    def __str__(self):
        return f"{self.job_id} → {self.rome_code} ({self.status})"
