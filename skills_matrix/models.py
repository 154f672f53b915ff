from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SkillKind(models.TextChoices):
    KNOW_HOW = "savoir_faire", _("Savoir-faire")
    SOFT = "savoir_etre", _("Savoir-être professionnel")
    KNOWLEDGE = "savoir", _("Savoir")


class OrgSkill(models.Model):
    """A skill in the organisation's own words, optionally mapped onto standard skills."""

    label = models.CharField(_("intitulé"), max_length=300)
    normalized_label = models.CharField(max_length=300, unique=True, editable=False)
    kind = models.CharField(_("nature"), max_length=20, choices=SkillKind.choices, default=SkillKind.KNOW_HOW)
    description = models.TextField(_("description"), blank=True)
    # True until someone has looked at suggestions for this skill (queued for mapping).
    needs_mapping = models.BooleanField(_("à rapprocher"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("compétence")
        ordering = ["label"]

    def __str__(self):
        return self.label


class SkillMapping(models.Model):
    """A link from an organisation skill to a ROME or ESCO skill, with a confidence and a review status."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggérée")
        ACCEPTED = "accepted", _("Acceptée")
        REJECTED = "rejected", _("Rejetée")

    org_skill = models.ForeignKey(OrgSkill, on_delete=models.CASCADE, related_name="mappings")
    rome_skill = models.ForeignKey(
        "referentials.Skill", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        db_constraint=False,
    )
    esco_skill = models.ForeignKey(
        "referentials.EscoSkill", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        db_constraint=False,
    )
    confidence = models.FloatField(_("confiance"), default=0)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.SUGGESTED)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("correspondance")
        constraints = [
            models.CheckConstraint(
                condition=Q(rome_skill__isnull=False) | Q(esco_skill__isnull=False),
                name="skillmapping_has_target",
            ),
            models.UniqueConstraint(fields=["org_skill", "rome_skill"], name="skillmapping_unique_rome",
                                    condition=Q(rome_skill__isnull=False)),
            models.UniqueConstraint(fields=["org_skill", "esco_skill"], name="skillmapping_unique_esco",
                                    condition=Q(esco_skill__isnull=False)),
        ]

    def __str__(self):
        target = self.rome_skill_id and f"ROME {self.rome_skill_id}" or f"ESCO {self.esco_skill_id}"
        return f"{self.org_skill_id} → {target} ({self.status})"


class SkillSimilarity(models.Model):
    """How likely two organisation skills are the same skill (σ in [0, 1], calibrated), from the mapping
    engine's encoder over the skills and their ROME/ESCO candidates. Sparse: top-k per skill, both ways
    stored. Written by the worker (``skill_similarities_build``); read by the mobility engine for
    similar-skill credit."""

    skill = models.ForeignKey(OrgSkill, on_delete=models.CASCADE, related_name="similarities")
    similar = models.ForeignKey(OrgSkill, on_delete=models.CASCADE, related_name="+")
    sigma = models.FloatField(_("similarité"))
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("similarité de compétences")
        constraints = [
            models.UniqueConstraint(fields=["skill", "similar"], name="skillsimilarity_unique_pair"),
            models.CheckConstraint(condition=Q(sigma__gte=0) & Q(sigma__lte=1), name="skillsimilarity_sigma_range"),
        ]

    def __str__(self):
        return f"{self.skill_id} ~ {self.similar_id} ({self.sigma:.2f})"


class SkillLevel(models.Model):
    """The organisation's proficiency scale (default 0–4), one row per level."""

    value = models.PositiveSmallIntegerField(_("niveau"), unique=True)
    label = models.CharField(_("libellé"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("niveau")
        ordering = ["value"]

    def __str__(self):
        return f"{self.value} – {self.label}"


DEFAULT_LEVELS = [
    (0, "Aucun", "Ne connaît pas ou n'a jamais pratiqué."),
    (1, "Débutant", "Connaît les bases ; réalise avec l'aide d'une personne expérimentée."),
    (2, "Intermédiaire", "Réalise seul les situations courantes."),
    (3, "Confirmé", "Réalise seul les situations complexes et sait expliquer."),
    (4, "Expert", "Maîtrise complète ; forme les autres et fait évoluer les pratiques."),
]


class JobRequirement(models.Model):
    job = models.ForeignKey("workforce.Job", on_delete=models.CASCADE, related_name="requirements")
    skill = models.ForeignKey(OrgSkill, on_delete=models.PROTECT, related_name="requirements")
    target_level = models.PositiveSmallIntegerField(_("niveau requis"), default=2)
    weight = models.FloatField(_("poids"), default=1)
    critical = models.BooleanField(_("critique"), default=False)

    class Meta:
        verbose_name = _("compétence requise")
        constraints = [models.UniqueConstraint(fields=["job", "skill"], name="jobrequirement_unique")]

    def __str__(self):
        return f"{self.job_id} ← {self.skill_id} ({self.target_level})"


class EmployeeSkill(models.Model):
    """One version of an employee's level in a skill. Append-only: a change closes the current row
    (``valid_to``) and opens a new one, so the matrix can be rebuilt at any past date."""

    class Status(models.TextChoices):
        DECLARED = "declared", _("Déclarée")
        OBSERVED = "observed", _("Observée")
        VALIDATED = "validated", _("Validée")
        CERTIFIED = "certified", _("Certifiée")

    class Source(models.TextChoices):
        IMPORT = "import", _("Import")
        SELF = "self", _("Auto-évaluation")
        SUPERVISOR = "supervisor", _("Encadrant")
        TRAINING = "training", _("Formation")
        ENDORSEMENT = "endorsement", _("Attestation")

    # No database constraint on these keys: imports write up to a million rows at once and row-level
    # foreign-key triggers would cost more than the rest of the write. Deletions still cascade/protect
    # through Django, and ``employee_skills_bulk_set`` checks and locks the referenced rows in one query.
    # Each index slows those writes too: the (employee, skill, valid_from) one serves lookups by employee;
    # lookups by skill alone (deleting a skill) are rare.
    employee = models.ForeignKey("workforce.Employee", on_delete=models.CASCADE, related_name="skill_rows",
                                 db_constraint=False, db_index=False)
    skill = models.ForeignKey(OrgSkill, on_delete=models.PROTECT, related_name="employee_rows", db_constraint=False,
                              db_index=False)
    level = models.PositiveSmallIntegerField(_("niveau"))
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.DECLARED)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.SELF)
    assessed_on = models.DateField(_("évalué le"), null=True, blank=True)
    valid_from = models.DateTimeField()
    valid_to = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    db_constraint=False, db_index=False)

    class Meta:
        verbose_name = _("compétence du salarié")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "skill"], condition=Q(valid_to__isnull=True),
                name="employeeskill_one_current",
            ),
        ]
        indexes = [models.Index(fields=["employee", "skill", "valid_from"])]

    def __str__(self):
        return f"{self.employee_id} / {self.skill_id} = {self.level} ({self.status})"
