from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_RETIREMENT_AGE = 64


def _today():
    return timezone.localdate()


class Scenario(models.Model):
    """A foresight scenario: where the workforce stands at ``horizon_year`` under its assumptions, and what
    the organisation needs then (``needs``). The projection conventions are those of ``foresight.engine``."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    horizon_year = models.PositiveSmallIntegerField(_("année d'horizon"))
    reference_date = models.DateField(_("date de référence"), default=_today)
    retirement_age = models.PositiveSmallIntegerField(
        _("âge de départ en retraite"), default=DEFAULT_RETIREMENT_AGE,
        validators=[MinValueValidator(50), MaxValueValidator(75)],
    )
    attrition_rate = models.FloatField(
        _("taux de départs annuel"), default=0.05, validators=[MinValueValidator(0), MaxValueValidator(0.999)],
        help_text=_("Part des présents qui partent chaque année hors retraite (démission, mutation…), entre 0 et 1."),
    )
    monte_carlo_runs = models.PositiveIntegerField(
        _("tirages Monte-Carlo"), default=0, validators=[MaxValueValidator(10000)],
        help_text=_("0 : valeurs attendues seulement ; sinon nombre de tirages pour la bande P10 / P90."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("scénario")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(attrition_rate__gte=0) & Q(attrition_rate__lt=1),
                                   name="scenario_attrition_range"),
        ]

    def __str__(self):
        return self.name

    @property
    def period_count(self) -> int:
        return max(self.horizon_year - self.reference_date.year, 0)


class JobOverride(models.Model):
    """Per-job assumptions: retirement age (carrières longues, arduous jobs) and attrition rate."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="job_overrides")
    job = models.ForeignKey("workforce.Job", on_delete=models.CASCADE, related_name="+", verbose_name=_("emploi"))
    retirement_age = models.PositiveSmallIntegerField(
        _("âge de départ en retraite"), null=True, blank=True,
        validators=[MinValueValidator(50), MaxValueValidator(75)],
    )
    attrition_rate = models.FloatField(_("taux de départs annuel"), null=True, blank=True,
                                       validators=[MinValueValidator(0), MaxValueValidator(0.999)])

    class Meta:
        verbose_name = _("hypothèse par emploi")
        constraints = [models.UniqueConstraint(fields=["scenario", "job"], name="joboverride_unique")]

    def __str__(self):
        return f"{self.scenario_id} / {self.job_id}"


class OrgUnitOverride(models.Model):
    """Per-unit attrition rate; a job's own rate, when set, wins over its unit's."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="unit_overrides")
    org_unit = models.ForeignKey("workforce.OrgUnit", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("unité"))
    attrition_rate = models.FloatField(_("taux de départs annuel"),
                                       validators=[MinValueValidator(0), MaxValueValidator(0.999)])

    class Meta:
        verbose_name = _("hypothèse par unité")
        constraints = [models.UniqueConstraint(fields=["scenario", "org_unit"], name="orgunitoverride_unique")]

    def __str__(self):
        return f"{self.scenario_id} / {self.org_unit_id}"


class JobNeed(models.Model):
    """What a scenario needs of one job at the horizon: an absolute headcount, or a % change of today's
    (neither: today's headcount is kept), plus the skill requirements that change."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Saisie")
        IMPORT = "import", _("Import")
        NATIONAL = "national", _("Prospective nationale")

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="needs")
    job = models.ForeignKey("workforce.Job", on_delete=models.CASCADE, related_name="foresight_needs",
                            verbose_name=_("emploi"))
    target_headcount = models.FloatField(_("effectif cible"), null=True, blank=True,
                                         validators=[MinValueValidator(0)])
    change_pct = models.FloatField(_("évolution (%)"), null=True, blank=True,
                                   validators=[MinValueValidator(-100)])
    source = models.CharField(_("origine"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    note = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("besoin par emploi")
        ordering = ["job__title"]
        constraints = [
            models.UniqueConstraint(fields=["scenario", "job"], name="jobneed_unique"),
            models.CheckConstraint(condition=Q(target_headcount__isnull=True) | Q(change_pct__isnull=True),
                                   name="jobneed_one_target_kind"),
        ]

    def __str__(self):
        return f"{self.scenario_id} / {self.job_id}"

    def target_for(self, current: float) -> float:
        """The headcount this need asks for, given today's ``current`` headcount of the job."""
        if self.target_headcount is not None:
            return float(self.target_headcount)
        if self.change_pct is not None:
            return float(current) * (1 + self.change_pct / 100)
        return float(current)


class JobNeedSkill(models.Model):
    """A skill requirement that changes at the horizon: required (new or emerging) at ``level``, or declining
    (no longer required by the job)."""

    class Change(models.TextChoices):
        REQUIRED = "required", _("Requise (nouvelle ou émergente)")
        DECLINING = "declining", _("En déclin")

    need = models.ForeignKey(JobNeed, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("skills_matrix.OrgSkill", on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("compétence"))
    change = models.CharField(_("évolution"), max_length=20, choices=Change.choices, default=Change.REQUIRED)
    level = models.PositiveSmallIntegerField(_("niveau cible"), default=2)

    class Meta:
        verbose_name = _("évolution de compétence")
        constraints = [models.UniqueConstraint(fields=["need", "skill"], name="jobneedskill_unique")]

    def __str__(self):
        return f"{self.need_id} / {self.skill_id} ({self.change} {self.level})"


class ScenarioResult(models.Model):
    """The computed diagnostic of a scenario for one population scope (whole organisation, a filter, a
    supervisor's team), kept until staff, skills or the scenario change (``fingerprint`` differs)."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="results")
    scope = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=200)
    payload = models.BinaryField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("résultat de scénario")
        constraints = [models.UniqueConstraint(fields=["scenario", "scope"], name="scenarioresult_unique_scope")]

    def __str__(self):
        return f"{self.scenario_id} / {self.scope}"


class PackExport(models.Model):
    """A GEPP negotiation pack built by the worker (large organisations), kept for download."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Échec")

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="pack_exports")
    format = models.CharField(_("format"), max_length=10, default="xlsx")
    with_names = models.BooleanField(default=False)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    content = models.BinaryField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pack GEPP")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.scenario_id} / {self.format} · {self.get_status_display()}"
