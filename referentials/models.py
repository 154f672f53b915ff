"""Shared referentials (public schema): ROME 4.0 and ESCO.

One copy for every organisation; tenant tables point at these rows, so imports
upsert on the natural keys (``code``, ``code_ogr``, ``uri``) and never recreate rows.
``search_text`` holds a lower-cased, accent-free copy of the labels, filled at
import, so that searches work without the ``unaccent`` extension.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Occupation(models.Model):
    code = models.CharField(_("code ROME"), max_length=5, unique=True)
    label = models.CharField(_("intitulé"), max_length=255)
    parent_code = models.CharField(_("code ROME v3 parent"), max_length=5, blank=True)
    definition = models.TextField(_("définition"), blank=True)
    access = models.TextField(_("accès au métier"), blank=True)
    ecological_tag = models.CharField(_("transition écologique"), max_length=80, blank=True)
    digital_tag = models.CharField(_("transition numérique"), max_length=80, blank=True)
    demographic_tag = models.CharField(_("transition démographique"), max_length=80, blank=True)
    code_ogr = models.CharField(_("code OGR"), max_length=20, blank=True)
    domain_code = models.CharField(_("domaine professionnel"), max_length=3, blank=True)
    regulated_tag = models.CharField(_("emploi réglementé"), max_length=80, blank=True)
    executive_tag = models.CharField(_("emploi cadre"), max_length=80, blank=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("fiche métier ROME")
        verbose_name_plural = _("fiches métier ROME")

    def __str__(self):
        return f"{self.code} – {self.label}"


class OccupationTitle(models.Model):
    code_ogr = models.CharField(_("code OGR"), max_length=20, unique=True)
    label = models.CharField(_("appellation"), max_length=255)
    label_short = models.CharField(_("appellation courte"), max_length=255, blank=True)
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="titles"
    )
    is_main = models.BooleanField(_("appellation principale"), default=False)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["label"]
        verbose_name = _("appellation")
        verbose_name_plural = _("appellations")

    def __str__(self):
        return self.label


class Skill(models.Model):
    class Kind(models.TextChoices):
        SAVOIR_FAIRE = "savoir_faire", _("Savoir-faire")
        SAVOIR_ETRE = "savoir_etre", _("Savoir-être professionnel")
        SAVOIR = "savoir", _("Savoir")
        MACRO = "macro", _("Macro-compétence")

    code_ogr = models.CharField(_("code OGR"), max_length=20, unique=True)
    label = models.CharField(_("libellé"), max_length=500)
    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices)
    group_code_ogr = models.CharField(_("code OGR du groupe"), max_length=20, blank=True)
    group_label = models.CharField(_("groupe"), max_length=500, blank=True)
    category = models.CharField(_("catégorie"), max_length=255, blank=True)
    subcategory = models.CharField(_("sous-catégorie"), max_length=255, blank=True)
    source = models.CharField(_("source"), max_length=10, default="rome", editable=False)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["label"]
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")

    def __str__(self):
        return self.label


class OccupationSkill(models.Model):
    class Role(models.TextChoices):
        CORE = "core", _("Principale")
        EMERGING = "emerging", _("Émergente")
        OTHER = "other", _("Autre")

    occupation = models.ForeignKey(
        Occupation, on_delete=models.CASCADE, related_name="skill_links"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="occupation_links")
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.OTHER)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["occupation", "skill"], name="referentials_occupation_skill_unique"
            )
        ]
        verbose_name = _("compétence d'une fiche métier")
        verbose_name_plural = _("compétences des fiches métier")

    def __str__(self):
        return f"{self.occupation_id} → {self.skill_id} ({self.role})"


class MobilityEdge(models.Model):
    source = models.ForeignKey(
        Occupation, on_delete=models.CASCADE, related_name="mobility_out"
    )
    target = models.ForeignKey(
        Occupation, on_delete=models.CASCADE, related_name="mobility_in"
    )
    order = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["source", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target"], name="referentials_mobility_edge_unique"
            )
        ]
        verbose_name = _("mobilité")
        verbose_name_plural = _("mobilités")

    def __str__(self):
        return f"{self.source_id} → {self.target_id} ({self.order})"


class EscoOccupation(models.Model):
    uri = models.CharField(max_length=255, unique=True)
    label = models.CharField(_("libellé"), max_length=500)
    alt_labels = models.TextField(_("libellés alternatifs"), blank=True)
    isco_code = models.CharField(_("code CITP"), max_length=10, blank=True)
    description = models.TextField(_("description"), blank=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["label"]
        verbose_name = _("métier ESCO")
        verbose_name_plural = _("métiers ESCO")

    def __str__(self):
        return self.label


class EscoSkill(models.Model):
    uri = models.CharField(max_length=255, unique=True)
    label = models.CharField(_("libellé"), max_length=500)
    alt_labels = models.TextField(_("libellés alternatifs"), blank=True)
    skill_type = models.CharField(_("type"), max_length=100, blank=True)
    reuse_level = models.CharField(_("niveau de réutilisation"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["label"]
        verbose_name = _("compétence ESCO")
        verbose_name_plural = _("compétences ESCO")

    def __str__(self):
        return self.label


class ReferentialVersion(models.Model):
    name = models.CharField(_("référentiel"), max_length=20)
    version = models.TextField(_("version"), blank=True)
    imported_at = models.DateTimeField(_("importé le"), auto_now_add=True)
    summary = models.JSONField(_("résumé"), default=dict)

    class Meta:
        ordering = ["-imported_at"]
        get_latest_by = "imported_at"
        verbose_name = _("version de référentiel")
        verbose_name_plural = _("versions de référentiel")

    def __str__(self):
        return f"{self.name} {self.version}"


class FapTension(models.Model):
    """DARES tension indicators 2019 (national) for one job family (FAP 2009, 225 or 87 level). ``category``
    is the synthetic level 1 (weak) … 5 (very strong)."""

    fap_code = models.CharField(_("code FAP"), max_length=5, unique=True)
    fap_level = models.CharField(_("niveau FAP"), max_length=10)
    label = models.CharField(_("famille professionnelle"), max_length=255, blank=True)
    employment = models.FloatField(_("emploi moyen"), null=True)
    tension = models.FloatField(_("indicateur de tension"), null=True)
    category = models.PositiveSmallIntegerField(_("niveau de tension"), null=True)
    hiring_intensity = models.FloatField(_("intensité d'embauches"), null=True)
    training_link = models.FloatField(_("lien formation-emploi"), null=True)
    labour_shortage = models.FloatField(_("manque de main-d'œuvre disponible"), null=True)
    non_durability = models.FloatField(_("non-durabilité de l'emploi"), null=True)
    working_conditions = models.FloatField(_("conditions de travail contraignantes"), null=True)
    geographic_mismatch = models.FloatField(_("inadéquation géographique"), null=True)
    year = models.PositiveSmallIntegerField(_("année"))

    class Meta:
        verbose_name = _("tension par famille professionnelle")
        ordering = ["fap_code"]

    def __str__(self):
        return f"{self.fap_code} ({self.category})"


class FapRome(models.Model):
    """Bridge FAP 225 ↔ ROME v3 (DARES); ROME 4.0 occupations reach it through ``Occupation.parent_code``."""

    fap_code = models.CharField(_("code FAP"), max_length=5)
    rome_code = models.CharField(_("code ROME v3"), max_length=5)
    rome_label = models.CharField(_("intitulé ROME"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("correspondance FAP-ROME")
        constraints = [models.UniqueConstraint(fields=["fap_code", "rome_code"], name="faprome_unique")]
        indexes = [models.Index(fields=["rome_code"])]

    def __str__(self):
        return f"{self.fap_code} ↔ {self.rome_code}"


class FapProjection(models.Model):
    """DARES / France Stratégie « Les métiers en 2030 » for one FAP 87 family (or a group of them, codes joined
    by ";") in one region (thousands)."""

    fap_code = models.CharField(_("code FAP 87"), max_length=60)
    label = models.CharField(_("famille professionnelle"), max_length=255)
    region = models.CharField(_("région"), max_length=100)
    employment_2019 = models.FloatField(_("effectifs 2019 (milliers)"), null=True)
    net_creations = models.FloatField(_("créations nettes (milliers)"), null=True)
    end_of_career = models.FloatField(_("départs en fin de carrière (milliers)"), null=True)
    young_entrants = models.FloatField(_("jeunes débutants (milliers)"), null=True)
    openings = models.FloatField(_("postes à pourvoir (milliers)"), null=True)
    openings_pct = models.FloatField(_("postes à pourvoir (part des effectifs)"), null=True)
    tension_2019 = models.CharField(_("niveau de tension 2019"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("projection des métiers en 2030")
        constraints = [models.UniqueConstraint(fields=["fap_code", "region"], name="fapprojection_unique")]

    def __str__(self):
        return f"{self.fap_code} · {self.region}"


class ReferentialUpload(models.Model):
    """An official ROME 4.0 or ESCO archive uploaded by the platform operator, imported by the worker."""

    class Kind(models.TextChoices):
        ROME = "rome", _("ROME 4.0 (archive RefRomeCsv de France Travail)")
        ESCO = "esco", _("ESCO (export CSV en français)")

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente du serveur de tâches")
        RUNNING = "running", _("En cours")
        OK = "ok", _("Terminé")
        FAILED = "failed", _("Échec")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    file_name = models.CharField(max_length=255)
    path = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    step = models.CharField(max_length=200, blank=True)
    percent = models.PositiveSmallIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    uploaded_by = models.CharField(max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.file_name}"
