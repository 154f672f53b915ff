"""The skills booklet (carnet de parcours et de compétences) of every worker: experiences, evidence of
skills, third-party endorsements, interviews, the pathway between ESAT and ordinary work, and the audit
trail of every read and change.

Levels and statuses stay in ``skills_matrix.EmployeeSkill``; the booklet adds what backs them. Items
imported from another organisation's booklet keep their authors' names and dates and say where they
come from (``origin``, blank for this organisation's own items).
"""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _evidence_storage():
    return storages["booklet"] if "booklet" in settings.STORAGES else storages["default"]


def evidence_path(instance, filename: str) -> str:
    # The storage puts each organisation's files under a folder of its own (tenant-aware storages).
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"booklet/{instance.employee_id}/{uuid.uuid4().hex}.{extension}"


class Authored(models.Model):
    """Who wrote an item, kept as a name too so it survives the account and travels with an export."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    author_name = models.CharField(_("auteur"), max_length=200, blank=True)
    origin = models.CharField(_("provenance"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class Experience(Authored):
    class Kind(models.TextChoices):
        WORK = "work", _("Expérience professionnelle")
        INTERNSHIP = "internship", _("Stage")
        PMSMP = "pmsmp", _("Immersion (PMSMP)")
        VOLUNTEERING = "volunteering", _("Bénévolat")
        SPORT = "sport", _("Sport")
        DAILY_LIFE = "daily_life", _("Vie quotidienne")

    employee = models.ForeignKey("workforce.Employee", on_delete=models.CASCADE, related_name="experiences")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.WORK)
    title = models.CharField(_("intitulé"), max_length=200)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"), null=True, blank=True)
    description = models.TextField(_("ce que j'ai fait"), blank=True)
    skills = models.ManyToManyField("skills_matrix.OrgSkill", blank=True, related_name="+")

    class Meta:
        verbose_name = _("expérience")
        ordering = ["-start", "-id"]

    def __str__(self):
        return self.title


class Evidence(Authored):
    """What backs a skill: a note, a photo, a document, an RAE attestation or a certification."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        PHOTO = "photo", _("Photo")
        DOCUMENT = "document", _("Document")
        RAE = "rae", _("Attestation RAE")
        CERTIFICATION = "certification", _("Certification")

    class RaeStep(models.TextChoices):
        SHOW = "show", _("Je montre")
        EXPLAIN = "explain", _("J'explique")
        TRANSFER = "transfer", _("Transfert en milieu ordinaire")

    employee = models.ForeignKey("workforce.Employee", on_delete=models.CASCADE, related_name="evidence")
    skill = models.ForeignKey("skills_matrix.OrgSkill", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.NOTE)
    rae_step = models.CharField(_("étape RAE"), max_length=20, choices=RaeStep.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    observed_on = models.DateField(_("observé le"))
    situation = models.CharField(_("situation de travail"), max_length=300, blank=True)
    observer_name = models.CharField(_("observé par"), max_length=200, blank=True)
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    file = models.FileField(storage=_evidence_storage, upload_to=evidence_path, max_length=300, blank=True)
    file_name = models.CharField(_("fichier"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("preuve")
        ordering = ["-observed_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.observed_on}"


class ImportedSkill(Authored):
    """A level from another organisation's booklet, as it was there (this organisation's own levels stay
    in the skills matrix)."""

    employee = models.ForeignKey("workforce.Employee", on_delete=models.CASCADE, related_name="imported_skills")
    skill = models.ForeignKey("skills_matrix.OrgSkill", on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("niveau"))
    status = models.CharField(_("statut"), max_length=20)
    assessed_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("compétence importée")

    def __str__(self):
        return f"{self.skill_id} = {self.level} ({self.origin})"


class Endorsement(models.Model):
    """A third party asked to confirm a skill or an experience through a single-use secret link."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En attente")
        ACCEPTED = "accepted", _("Confirmée")
        REFUSED = "refused", _("Refusée")

    employee = models.ForeignKey("workforce.Employee", on_delete=models.CASCADE, related_name="endorsements")
    skill = models.ForeignKey("skills_matrix.OrgSkill", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    experience = models.ForeignKey(Experience, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="endorsements")
    name = models.CharField(_("nom"), max_length=200)
    email = models.EmailField(_("e-mail"))
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.PENDING)
    comment = models.TextField(_("commentaire"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    origin = models.CharField(_("provenance"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attestation d'un tiers")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(skill__isnull=False) | models.Q(experience__isnull=False),
                                   name="endorsement_has_subject"),
        ]

    def __str__(self):
        return f"{self.name} · {self.get_status_display()}"


class Interview(Authored):
    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Entretien annuel (ESAT)")
        PROFESSIONAL = "professional", _("Entretien professionnel")
        SIX_YEAR = "six_year", _("État des lieux à 6 ans")

    employee = models.ForeignKey("workforce.Employee", on_delete=models.CASCADE, related_name="interviews")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    participants = models.TextField(_("participants"), blank=True)
    skills = models.ManyToManyField("skills_matrix.OrgSkill", blank=True, related_name="+")
    wishes = models.TextField(_("souhaits, avec ses mots"), blank=True)
    goals = models.TextField(_("objectifs"), blank=True)
    trainings = models.TextField(_("formations suivies"), blank=True)
    # A non-mandatory training in the period spares the employer the CPF top-up (L6315-1).
    non_mandatory_training = models.BooleanField(_("formation non obligatoire suivie"), default=False)
    next_due = models.DateField(_("prochain entretien"), null=True, blank=True)

    class Meta:
        verbose_name = _("entretien")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["employee", "kind", "held_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.held_on}"


class PathwayStep(Authored):
    class Kind(models.TextChoices):
        ESAT = "esat", _("Atelier ESAT")
        ADAPTED = "adapted", _("Entreprise adaptée (EA)")
        REINFORCED = "reinforced", _("Milieu ordinaire, parcours renforcé")
        PART_TIME = "part_time", _("Temps partiel en milieu ordinaire")

    class Outcome(models.TextChoices):
        ONGOING = "ongoing", _("En cours")
        ENDED = "ended", _("Terminé")
        RETURNED = "returned", _("Retour à l'ESAT")

    employee = models.ForeignKey("workforce.Employee", on_delete=models.CASCADE, related_name="pathway")
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    start = models.DateField(_("début"))
    end = models.DateField(_("fin"), null=True, blank=True)
    employer = models.CharField(_("employeur"), max_length=200, blank=True)
    convention = models.CharField(_("convention d'accompagnement"), max_length=200, blank=True)
    outcome = models.CharField(_("issue"), max_length=20, choices=Outcome.choices, default=Outcome.ONGOING)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("étape du parcours")
        ordering = ["-start", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.start}"


class Orientation(Authored):
    """The CDAPH orientation decision (restricted: administrators and the assigned supervisor)."""

    employee = models.ForeignKey("workforce.Employee", on_delete=models.CASCADE, related_name="orientations")
    decision = models.CharField(_("décision"), max_length=300)
    decided_on = models.DateField(_("date de décision"))
    ends_on = models.DateField(_("fin de validité"), null=True, blank=True)
    rqth = models.BooleanField(_("RQTH"), default=False)

    class Meta:
        verbose_name = _("orientation CDAPH")
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return f"{self.decision} · {self.decided_on}"


class AuditEntry(models.Model):
    """One read of or change to a booklet: who, when, what, from which address."""

    class Action(models.TextChoices):
        READ = "read", _("Consultation")
        CREATE = "create", _("Ajout")
        UPDATE = "update", _("Modification")
        DELETE = "delete", _("Suppression")
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")
        ERASE = "erase", _("Effacement")

    employee = models.ForeignKey("workforce.Employee", null=True, on_delete=models.SET_NULL, related_name="+",
                                 db_constraint=False)
    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                             db_constraint=False)
    user_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    # "experience 12", "evidence 4 file", "booklet": kinds and ids only, never free text.
    item = models.CharField(max_length=100)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("journal du carnet")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["employee", "at"])]

    def __str__(self):
        return f"{self.at} {self.action} {self.item}"
