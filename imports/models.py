import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

# What the page shows for a job interrupted by a dead worker (kept in one place for the tests).
INTERRUPTED_MESSAGE = _(
    "Le traitement a été interrompu (arrêt du serveur de tâches). Rien n'a été écrit : relancez l'import."
)


# What the page shows for a job the task server never picked up (broker down, task lost).
NOT_PICKED_UP_MESSAGE = _(
    "Le serveur de tâches n'a pas pris en charge cet import à temps. Rien n'a été écrit : relancez "
    "l'import, et si cela se reproduit, prévenez l'équipe technique."
)
NOT_QUEUED_MESSAGE = _(
    "L'import n'a pas pu être confié au serveur de tâches (injoignable). Rien n'a été écrit : relancez "
    "l'import dans quelques minutes, et si cela se reproduit, prévenez l'équipe technique."
)


def stale_seconds() -> int:
    """Seconds without a heartbeat after which a running job's worker is taken for dead."""
    return int(getattr(settings, "ESIPRO_IMPORT_STALE_SECONDS", 30))


def pending_seconds() -> int:
    """Seconds a queued job may wait for the worker before it is taken for lost."""
    return int(getattr(settings, "ESIPRO_IMPORT_PENDING_SECONDS", 600))


class ImportMapping(models.Model):
    """A column mapping saved by an organisation: header text -> field, reused on the next uploads."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    columns = models.JSONField(_("colonnes"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("correspondance de colonnes")
        ordering = ["name"]

    def __str__(self):
        return self.name


def import_file_path(instance, filename: str) -> str:
    """A folder per upload, so the stored file keeps the name the user gave it (messages quote it)."""
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{filename}"


class ImportJob(models.Model):
    """One upload of a staff file and what became of it (status, live progress, counts, errors)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("À vérifier")
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("En cours")
        OK = "ok", _("Terminé")
        REJECTED = "rejected", _("Refusé")
        FAILED = "failed", _("Échec")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="import_jobs", verbose_name=_("lancé par"))
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(_("fichier"), max_length=255)
    # Emptied when the file is refused at upload (never stored) or deleted after ESIPRO_IMPORT_KEEP_DAYS.
    file = models.FileField(upload_to=import_file_path, max_length=500, blank=True)
    file_deleted_at = models.DateTimeField(null=True, blank=True)
    # partial, full_export, dry_run (bool), mapping (header -> field), sheet (str),
    # level_scale ("auto", "0-4", "1-5"), date_order ("auto", "DMY", "MDY")
    options = models.JSONField(default=dict)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    phase = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    rows = models.PositiveIntegerField(_("lignes"), default=0)
    created = models.PositiveIntegerField(_("créés"), default=0)
    updated = models.PositiveIntegerField(_("modifiés"), default=0)
    unchanged = models.PositiveIntegerField(_("inchangés"), default=0)
    invalid = models.PositiveIntegerField(_("lignes en erreur"), default=0)
    departed = models.PositiveIntegerField(_("départs"), default=0)
    skills = models.PositiveIntegerField(_("compétences écrites"), default=0)
    error_count = models.PositiveIntegerField(default=0)
    invalid_rows = models.JSONField(default=list, blank=True)
    header_row = models.PositiveIntegerField(null=True, blank=True)
    unknown_columns = models.JSONField(default=list, blank=True)
    # How the file was read, in file order: {"level_scales": [[column, "0-4" | "1-5"], ...],
    # "date_formats": [[column, "DMY" | "MDY" | "YMD" | "excel" | "cells"], ...]}
    decisions = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    # Labels of what the import created (a dry run: would create), so that nothing appears unnoticed:
    # {"jobs": [...], "org_units": [...], "skills": [...]}
    created_items = models.JSONField(default=dict, blank=True)
    # How each column was read and why: [[column, decision, target, reason], ...] in file order
    # (imports.engine.ColumnDecision).
    column_decisions = models.JSONField(default=list, blank=True)
    # The dry run this real import was launched from: a second click on "launch" finds it instead of
    # queuing the same file twice (imports.services.import_job_launch).
    launched_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="launches")

    class Meta:
        verbose_name = _("import")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.file_name

    @property
    def dry_run(self) -> bool:
        return bool(self.options.get("dry_run"))

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def decision_maps(self) -> dict[str, dict[str, str]]:
        """The decisions as {"level_scales": {column: scale}, "date_formats": {column: format}}, in file order."""
        stored = self.decisions or {}
        return {kind: {column: value for column, value in stored.get(kind, [])}
                for kind in ("level_scales", "date_formats")}

    @property
    def errors(self) -> list[dict]:
        """Every error of the job, in file order, as {"row", "column", "value", "message"} (one query)."""
        return list(self.row_errors.order_by("id").values("row", "column", "value", "message"))

    def is_stale(self, now=None, seconds=None) -> bool:
        """Running, but no heartbeat for `seconds`: the worker that ran it is gone."""
        if self.status != self.Status.RUNNING:
            return False
        seconds = seconds if seconds is not None else stale_seconds()
        last = self.heartbeat_at or self.started_at or self.created_at
        return last < (now or timezone.now()) - timedelta(seconds=seconds)


class ImportAlias(models.Model):
    """A label of the organisation's files taken as an existing skill or job ("Lecture de plans" is
    "Lire un plan technique"): chosen once on a preview, applied to every later import."""

    class Kind(models.TextChoices):
        SKILL = "skill", _("compétence")
        JOB = "job", _("emploi")

    kind = models.CharField(_("nature"), max_length=10, choices=Kind.choices)
    source_key = models.CharField(max_length=300, editable=False)
    source_label = models.CharField(_("libellé du fichier"), max_length=300)
    target_label = models.CharField(_("libellé retenu"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("libellé rapproché")
        ordering = ["kind", "source_label"]
        constraints = [models.UniqueConstraint(fields=["kind", "source_key"], name="import_alias_unique_source")]

    def __str__(self):
        return f"{self.source_label} → {self.target_label}"


class ImportRowError(models.Model):
    """One problem in one cell of an imported file (every one is kept, however many)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="row_errors")
    row = models.PositiveIntegerField(_("ligne"))
    column = models.TextField(_("colonne"), blank=True)
    value = models.TextField(_("valeur"), blank=True)
    message = models.TextField(_("message"))

    class Meta:
        verbose_name = _("erreur d'import")
        ordering = ["job", "id"]

    def __str__(self):
        return f"{self.row} · {self.column} : {self.message}"


CHANGE_LABELS = {
    "last_name": _("Nom"), "first_name": _("Prénom"), "email": _("E-mail"), "birth_date": _("Date de naissance"),
    "hire_date": _("Date d'entrée"), "exit_date": _("Date de sortie"), "is_active": _("Présent"),
    "job": _("Emploi"), "org_unit": _("Unité"), "fte": _("Quotité"), "manager": _("Responsable"),
    "rome_code": _("Code ROME"), "contract_type": _("Type de contrat"),
}


class EmployeeChange(models.Model):
    """One field of one employee changed by an import: the history a re-import leaves behind."""

    employee = models.ForeignKey("workforce.Employee", on_delete=models.CASCADE, related_name="changes")
    job = models.ForeignKey(ImportJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes")
    field = models.CharField(_("champ"), max_length=50)
    old_value = models.TextField(_("ancienne valeur"), blank=True)
    new_value = models.TextField(_("nouvelle valeur"), blank=True)
    changed_at = models.DateTimeField(_("modifié le"))
    # Set on the departure a full export records for an employee missing from its file: a later file that
    # lists the employee again brings them back (imports.upsert.bring_back_departed).
    absent_from_file = models.BooleanField(default=False, db_default=False)

    class Meta:
        verbose_name = _("modification de salarié")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["employee", "changed_at"])]

    def __str__(self):
        return f"{self.field}: {self.old_value} → {self.new_value}"

    @property
    def field_label(self) -> str:
        return str(CHANGE_LABELS.get(self.field, self.field))

    @property
    def old_display(self) -> str:
        return change_value_display(self.field, self.old_value)

    @property
    def new_display(self) -> str:
        return change_value_display(self.field, self.new_value)


DATE_FIELDS = {"birth_date", "hire_date", "exit_date"}


def change_value_display(field: str, value: str) -> str:
    """A recorded value as a French reader expects it: dates dd/mm/yyyy, FTE "80 %", presence
    "présent"/"parti"; other values (names, ROME codes) as stored, "—" when empty."""
    if value in (None, ""):
        return "—"
    try:
        if field in DATE_FIELDS:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        if field == "fte":
            percent = formats.number_format(Decimal(value) * 100, decimal_pos=_fte_decimals(value))
            return f"{percent} %"
    except (ValueError, ArithmeticError):
        return value
    if field == "is_active":
        return str(_("présent") if value == "true" else _("parti") if value == "false" else value)
    return value


def _fte_decimals(value: str) -> int:
    """0.8 -> 80 %, 0.875 -> 87,5 %: no trailing zeros."""
    percent = (Decimal(value) * 100).normalize()
    return max(0, -percent.as_tuple().exponent)
