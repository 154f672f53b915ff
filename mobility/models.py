from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Training(models.Model):
    """A training of the organisation's catalogue and the skills it brings to a level."""

    class Modality(models.TextChoices):
        ON_SITE = "presentiel", _("Présentiel")
        REMOTE = "distanciel", _("Distanciel")
        BLENDED = "mixte", _("Mixte")
        ON_THE_JOB = "situation_de_travail", _("En situation de travail")

    title = models.CharField(_("intitulé"), max_length=300)
    provider = models.CharField(_("organisme"), max_length=200, blank=True)
    cost = models.DecimalField(_("coût (€)"), max_digits=10, decimal_places=2, default=Decimal("0"),
                               validators=[MinValueValidator(0)])
    hours = models.DecimalField(_("durée (heures)"), max_digits=7, decimal_places=1, default=Decimal("0"),
                                validators=[MinValueValidator(0)])
    cpf = models.BooleanField(_("éligible CPF"), default=False)
    modality = models.CharField(_("modalité"), max_length=30, choices=Modality.choices, blank=True)
    sessions = models.TextField(_("sessions"), blank=True, help_text=_("Dates et lieux des sessions, une par ligne."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("formation")
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["title", "provider"], name="training_unique_title_provider"),
        ]

    def __str__(self):
        return self.title


class TrainingSkill(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("skills_matrix.OrgSkill", on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("niveau atteint"))

    class Meta:
        verbose_name = _("compétence visée")
        constraints = [models.UniqueConstraint(fields=["training", "skill"], name="trainingskill_unique")]

    def __str__(self):
        return f"{self.training_id} → {self.skill_id} ({self.level})"


class MobilityWish(models.Model):
    """A person said "ça m'intéresse" for a job (themself, or HR on their behalf)."""

    employee = models.ForeignKey("workforce.Employee", on_delete=models.CASCADE, related_name="mobility_wishes")
    job = models.ForeignKey("workforce.Job", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("souhait de mobilité")
        constraints = [models.UniqueConstraint(fields=["employee", "job"], name="mobilitywish_unique")]

    def __str__(self):
        return f"{self.employee_id} → {self.job_id}"


class MobilityChange(models.Model):
    """One row per write statement on the inputs of the fit (levels, requirements, mappings, similarities,
    staff, jobs, catalogue), inserted by database triggers (imports write with COPY, which bypasses Django).
    Insert-only, so writers never wait on each other; the count of committed rows is the version of the
    inputs that cached suggestions are compared with."""

    changed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.pk} · {self.changed_at}"


class MobilityCache(models.Model):
    """The one row saying which version of the inputs the stored suggestions were computed from."""

    version = models.BigIntegerField(default=-1)
    computed_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(default=0)

    def __str__(self):
        return f"version {self.version}"


class MobilitySuggestion(models.Model):
    """A cached fit: the best jobs of each employee (``employee_rank`` ≥ 1) and the best employees of each
    job (``job_rank`` ≥ 1); 0 when the pair is not in that list."""

    employee = models.ForeignKey("workforce.Employee", on_delete=models.CASCADE, related_name="+",
                                 db_constraint=False)
    job = models.ForeignKey("workforce.Job", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    fit = models.FloatField()
    employee_rank = models.PositiveSmallIntegerField(default=0)
    job_rank = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["employee", "employee_rank"]), models.Index(fields=["job", "job_rank"])]

    def __str__(self):
        return f"{self.employee_id} → {self.job_id} ({self.fit:.2f})"


class MobilityPlan(models.Model):
    """An organisation-wide plan for a foresight scenario, computed by the worker."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Échec")

    # A plan answers one scenario's gaps: once the scenario is deleted its moves and hires answer nothing
    # (and the page could no longer name it), so the plan goes with it. Plans are recomputable results,
    # not records anyone keeps for history.
    scenario = models.ForeignKey("foresight.Scenario", on_delete=models.CASCADE, related_name="mobility_plans",
                                 verbose_name=_("scénario"))
    options = models.JSONField(default=dict)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(default=dict)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("plan de mobilité")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.pk} · {self.get_status_display()}"
