"""Writes of booklet items: experiences, evidence, levels, interviews, pathway steps and the CDAPH
orientation. Each write checks who may make it and leaves an entry in the booklet's audit trail."""

import datetime

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from skills_matrix.models import EmployeeSkill, OrgSkill
from skills_matrix.services import employee_skill_assess

from ..audit import Actor, audit_write
from ..files import evidence_file_clean
from ..models import Evidence, Experience, Interview, Orientation, PathwayStep
from ._common import author_of, check_period, checked_save, require_add, require_change, require_edit

Status = EmployeeSkill.Status


def _skills(skill_ids) -> list[OrgSkill]:
    ids = list(dict.fromkeys(int(i) for i in skill_ids or []))
    found = list(OrgSkill.objects.filter(pk__in=ids))
    if len(found) != len(ids):
        missing = sorted(set(ids) - {s.pk for s in found})
        raise ApplicationError(
            _("Compétence(s) inconnue(s) : %(ids)s. Choisissez des compétences du catalogue (GET /api/v1/skills).")
            % {"ids": ", ".join(map(str, missing))}, status=422)
    return found


def _skill(skill_id) -> OrgSkill:
    return _skills([skill_id])[0]


def _not_future(day: datetime.date | None, what: str) -> None:
    if day and day > timezone.localdate():
        raise ApplicationError(_("%(what)s : le %(day)s est dans le futur ; indiquez une date passée ou "
                                 "aujourd'hui.") % {"what": what, "day": day.strftime("%d/%m/%Y")}, status=422)


# --- Experiences -------------------------------------------------------------------------------

EXPERIENCE_FIELDS = ("kind", "title", "place", "start", "end", "description")


@transaction.atomic
def experience_create(*, actor: Actor, employee, kind: str, title: str, start: datetime.date,
                      end: datetime.date | None = None, place: str = "", description: str = "",
                      skill_ids=(), origin: str = "", author_name: str | None = None,
                      created_at: datetime.datetime | None = None) -> Experience:
    """Add an experience to ``employee``'s booklet (the worker on their own, or staff)."""
    require_add(actor, employee)
    check_period(start, end, _("Expérience"))
    skills = _skills(skill_ids)
    author = author_of(actor)
    if author_name is not None:
        author["author_name"] = author_name
    experience = Experience(employee=employee, kind=kind, title=title.strip(), place=place, start=start, end=end,
                            description=description, origin=origin, created_at=created_at or timezone.now(),
                            **author)
    checked_save(experience)
    experience.skills.set(skills)
    audit_write(actor=actor, employee=employee, action="create", item=f"experience {experience.pk}")
    return experience


@transaction.atomic
def experience_update(*, actor: Actor, experience: Experience, changes: dict) -> Experience:
    require_change(actor, experience)
    skill_ids = changes.pop("skill_ids", None)
    for field, value in changes.items():
        if field in EXPERIENCE_FIELDS:
            setattr(experience, field, value)
    check_period(experience.start, experience.end, _("Expérience"))
    checked_save(experience)
    if skill_ids is not None:
        experience.skills.set(_skills(skill_ids))
    audit_write(actor=actor, employee=experience.employee, action="update", item=f"experience {experience.pk}")
    return experience


@transaction.atomic
def experience_delete(*, actor: Actor, experience: Experience) -> None:
    require_change(actor, experience)
    audit_write(actor=actor, employee=experience.employee, action="delete", item=f"experience {experience.pk}")
    experience.delete()


# --- Evidence ----------------------------------------------------------------------------------

STAFF_ONLY_EVIDENCE = {Evidence.Kind.RAE, Evidence.Kind.CERTIFICATION}


@transaction.atomic
def evidence_create(*, actor: Actor, employee, skill_id: int, kind: str, observed_on: datetime.date,
                    note: str = "", situation: str = "", file_name: str = "", file_data: bytes | None = None,
                    rae_step: str = "", valid_until: datetime.date | None = None, observer_name: str | None = None,
                    origin: str = "", author_name: str | None = None,
                    created_at: datetime.datetime | None = None) -> Evidence:
    """Back ``employee``'s skill with a note, a photo, a document, an RAE attestation or a certification.

    The file, if any, is checked by content and images are re-encoded (``evidence_file_clean``). The
    worker adds notes, photos and documents to their own booklet; RAE attestations and certifications
    are recorded by staff."""
    access = require_add(actor, employee)
    if kind not in Evidence.Kind.values:
        raise ApplicationError(_("Type de preuve « %(kind)s » inconnu : choisissez parmi %(choices)s.")
                               % {"kind": kind, "choices": ", ".join(Evidence.Kind.values)}, status=422)
    if kind in STAFF_ONLY_EVIDENCE and not access.edit:
        raise PermissionDenied
    _not_future(observed_on, _("Date d'observation"))
    skill = _skill(skill_id)
    clean = evidence_file_clean(name=file_name or "preuve", data=file_data) if file_data is not None else None
    if kind == Evidence.Kind.PHOTO and (clean is None or not clean.is_image):
        raise ApplicationError(_("Une preuve « photo » a besoin d'une photo (JPEG ou PNG) : joignez-la."), status=422)
    if kind == Evidence.Kind.DOCUMENT and clean is None:
        raise ApplicationError(_("Une preuve « document » a besoin d'un fichier (PDF ou photo) : joignez-le."),
                               status=422)
    if kind == Evidence.Kind.NOTE and not note.strip():
        raise ApplicationError(_("Une note ne peut pas être vide : écrivez ce qui a été observé."), status=422)
    if kind == Evidence.Kind.RAE and not rae_step:
        raise ApplicationError(_("Attestation RAE : indiquez l'étape (show « je montre », explain « j'explique » "
                                 "ou transfer « transfert en milieu ordinaire »)."), status=422)
    if valid_until and kind not in STAFF_ONLY_EVIDENCE:
        valid_until = None
    author = author_of(actor)
    if author_name is not None:
        author["author_name"] = author_name
    evidence = Evidence(
        employee=employee, skill=skill, kind=kind, rae_step=rae_step, note=note, observed_on=observed_on,
        situation=situation, valid_until=valid_until, origin=origin, created_at=created_at or timezone.now(),
        observer_name=author["author_name"] if observer_name is None else observer_name, **author,
    )
    if clean is not None:
        evidence.file_name, evidence.content_type = clean.name, clean.content_type
        evidence.sha256, evidence.size = clean.sha256, len(clean.content)
    checked_save(evidence, exclude=["file"])
    if clean is not None:
        evidence.file.save(clean.name, ContentFile(clean.content), save=True)
    audit_write(actor=actor, employee=employee, action="create", item=f"evidence {evidence.pk}")
    return evidence


@transaction.atomic
def evidence_update(*, actor: Actor, evidence: Evidence, changes: dict) -> Evidence:
    access = require_change(actor, evidence)
    for field in ("note", "situation", "observed_on", "rae_step", "valid_until", "observer_name"):
        if field in changes:
            setattr(evidence, field, changes[field])
    if evidence.kind in STAFF_ONLY_EVIDENCE and not access.edit:
        raise PermissionDenied
    _not_future(evidence.observed_on, _("Date d'observation"))
    checked_save(evidence, exclude=["file"])
    audit_write(actor=actor, employee=evidence.employee, action="update", item=f"evidence {evidence.pk}")
    return evidence


@transaction.atomic
def evidence_delete(*, actor: Actor, evidence: Evidence) -> None:
    require_change(actor, evidence)
    audit_write(actor=actor, employee=evidence.employee, action="delete", item=f"evidence {evidence.pk}")
    name, storage = evidence.file.name, evidence.file.storage
    evidence.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- Levels --------------------------------------------------------------------------------------

CERTIFYING_EVIDENCE = (Evidence.Kind.CERTIFICATION, Evidence.Kind.RAE, Evidence.Kind.DOCUMENT)


@transaction.atomic
def booklet_skill_set(*, actor: Actor, employee, skill_id: int, level: int, status: str | None = None,
                      assessed_on: datetime.date | None = None) -> EmployeeSkill:
    """Record a level in the booklet through the skills matrix's rules (``employee_skill_assess``: the
    worker declares, only a supervisor, HR or an administrator observes or validates, only HR and
    administrators certify), plus the booklet's own: ``certified`` needs evidence — a certification, an
    RAE attestation or a document for that skill, still valid."""
    require_add(actor, employee)
    skill = _skill(skill_id)
    if status == Status.CERTIFIED:
        today = timezone.localdate()
        backed = Evidence.objects.filter(employee=employee, skill=skill, kind__in=CERTIFYING_EVIDENCE).exclude(
            valid_until__lt=today).exists()
        if not backed:
            raise ApplicationError(
                _("« %(skill)s » ne peut pas être certifiée sans preuve : ajoutez d'abord une certification, une "
                  "attestation RAE ou un document en cours de validité pour cette compétence.")
                % {"skill": skill.label}, status=422)
    row = employee_skill_assess(user=actor.user, employee=employee, skill=skill, level=level, status=status,
                                assessed_on=assessed_on)
    audit_write(actor=actor, employee=employee, action="update", item=f"skill {skill.pk}")
    return row


# --- Interviews ---------------------------------------------------------------------------------

INTERVIEW_PERIOD_MONTHS = {Interview.Kind.ANNUAL: 12, Interview.Kind.PROFESSIONAL: 24, Interview.Kind.SIX_YEAR: 24}


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


INTERVIEW_FIELDS = ("kind", "held_on", "participants", "wishes", "goals", "trainings", "non_mandatory_training",
                    "next_due")


@transaction.atomic
def interview_create(*, actor: Actor, employee, kind: str, held_on: datetime.date, participants: str = "",
                     skill_ids=(), wishes: str = "", goals: str = "", trainings: str = "",
                     non_mandatory_training: bool = False, next_due: datetime.date | None = None,
                     origin: str = "", author_name: str | None = None,
                     created_at: datetime.datetime | None = None) -> Interview:
    """Record an interview held (staff only). ``next_due`` defaults to the legal rhythm: a year after an
    ESAT annual interview, two years after an *entretien professionnel* or the 6-year review."""
    require_edit(actor, employee)
    if kind not in Interview.Kind.values:
        raise ApplicationError(_("Type d'entretien « %(kind)s » inconnu : choisissez parmi %(choices)s.")
                               % {"kind": kind, "choices": ", ".join(Interview.Kind.values)}, status=422)
    _not_future(held_on, _("Date de l'entretien"))
    skills = _skills(skill_ids)
    author = author_of(actor)
    if author_name is not None:
        author["author_name"] = author_name
    interview = Interview(
        employee=employee, kind=kind, held_on=held_on, participants=participants, wishes=wishes, goals=goals,
        trainings=trainings, non_mandatory_training=non_mandatory_training,
        next_due=next_due or add_months(held_on, INTERVIEW_PERIOD_MONTHS[kind]), origin=origin,
        created_at=created_at or timezone.now(), **author,
    )
    checked_save(interview)
    interview.skills.set(skills)
    audit_write(actor=actor, employee=employee, action="create", item=f"interview {interview.pk}")
    return interview


@transaction.atomic
def interview_update(*, actor: Actor, interview: Interview, changes: dict) -> Interview:
    require_edit(actor, interview.employee)
    skill_ids = changes.pop("skill_ids", None)
    for field, value in changes.items():
        if field in INTERVIEW_FIELDS:
            setattr(interview, field, value)
    _not_future(interview.held_on, _("Date de l'entretien"))
    checked_save(interview)
    if skill_ids is not None:
        interview.skills.set(_skills(skill_ids))
    audit_write(actor=actor, employee=interview.employee, action="update", item=f"interview {interview.pk}")
    return interview


@transaction.atomic
def interview_delete(*, actor: Actor, interview: Interview) -> None:
    require_edit(actor, interview.employee)
    audit_write(actor=actor, employee=interview.employee, action="delete", item=f"interview {interview.pk}")
    interview.delete()


# --- Pathway and orientation -------------------------------------------------------------------

PATHWAY_FIELDS = ("kind", "start", "end", "employer", "convention", "outcome", "notes")


@transaction.atomic
def pathway_step_create(*, actor: Actor, employee, kind: str, start: datetime.date,
                        end: datetime.date | None = None, employer: str = "", convention: str = "",
                        outcome: str = PathwayStep.Outcome.ONGOING, notes: str = "", origin: str = "",
                        author_name: str | None = None, created_at: datetime.datetime | None = None) -> PathwayStep:
    require_edit(actor, employee)
    check_period(start, end, _("Étape du parcours"))
    author = author_of(actor)
    if author_name is not None:
        author["author_name"] = author_name
    step = PathwayStep(employee=employee, kind=kind, start=start, end=end, employer=employer, convention=convention,
                       outcome=outcome, notes=notes, origin=origin, created_at=created_at or timezone.now(),
                       **author)
    checked_save(step)
    audit_write(actor=actor, employee=employee, action="create", item=f"pathway {step.pk}")
    return step


@transaction.atomic
def pathway_step_update(*, actor: Actor, step: PathwayStep, changes: dict) -> PathwayStep:
    require_edit(actor, step.employee)
    for field, value in changes.items():
        if field in PATHWAY_FIELDS:
            setattr(step, field, value)
    check_period(step.start, step.end, _("Étape du parcours"))
    checked_save(step)
    audit_write(actor=actor, employee=step.employee, action="update", item=f"pathway {step.pk}")
    return step


@transaction.atomic
def pathway_step_delete(*, actor: Actor, step: PathwayStep) -> None:
    require_edit(actor, step.employee)
    audit_write(actor=actor, employee=step.employee, action="delete", item=f"pathway {step.pk}")
    step.delete()


@transaction.atomic
def orientation_set(*, actor: Actor, employee, decision: str, decided_on: datetime.date,
                    ends_on: datetime.date | None = None, rqth: bool = False) -> Orientation:
    """Record the CDAPH decision (administrators and the worker's supervisor only)."""
    access = require_edit(actor, employee)
    if not access.restricted:
        raise PermissionDenied
    check_period(decided_on, ends_on, _("Orientation"))
    orientation = Orientation(employee=employee, decision=decision, decided_on=decided_on, ends_on=ends_on,
                              rqth=rqth, **author_of(actor))
    checked_save(orientation)
    audit_write(actor=actor, employee=employee, action="create", item=f"orientation {orientation.pk}")
    return orientation
