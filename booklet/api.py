"""Booklet API: every part of a worker's booklet, its export and import, its audit trail, and the
interviews due. Every lookup goes through the booklet's scoped selector, so another organisation's
worker, or one outside the user's scope, answers 404; a role without the right answers 403."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from accounts.permissions import require_right
from core.errors import ApplicationError

from . import selectors, services
from .audit import actor_from, audit_write
from .document import booklet_document
from .models import Endorsement, Evidence, Experience, Interview, PathwayStep
from .schemas import (
    AuditOut,
    BookletOut,
    EndorsementIn,
    EndorsementOut,
    EndorsementPatch,
    EvidenceIn,
    EvidenceOut,
    EvidencePatch,
    ExperienceIn,
    ExperienceOut,
    ExperiencePatch,
    ImportOut,
    InterviewDuePage,
    InterviewIn,
    InterviewOut,
    InterviewPatch,
    OrientationIn,
    OrientationOut,
    PathwayIn,
    PathwayOut,
    PathwayPatch,
    SkillLevelIn,
)

router = Router(tags=["carnet"])

BASE = "/employees/{staff_number}/booklet"


def _employee(request, staff_number: str):
    return selectors.booklet_employee_get(user=request.user, staff_number=staff_number)


def _one(request, staff_number: str, kind: str, model, item_id: int) -> dict:
    """The employee, the item (404 unless in that booklet) and the answer serialized as the GET does."""
    employee = _employee(request, staff_number)
    item = get_object_or_404(model, employee=employee, pk=item_id)
    return employee, item


def _serialized(request, employee, key: str, pk: int) -> dict:
    access = selectors.booklet_access(user=request.user, employee=employee)
    document = booklet_document(employee=employee, items=selectors.booklet_items(employee=employee, access=access))
    if key == "evidence":
        return next(ev for s in document["skills"] for ev in s["evidence"] if ev["id"] == pk)
    return next(item for item in document[key] if item["id"] == pk)


@router.get(BASE, response=BookletOut, summary="Le carnet d'un salarié (lecture journalisée)")
def booklet_read(request, staff_number: str):
    employee = _employee(request, staff_number)
    access = selectors.booklet_access(user=request.user, employee=employee)
    document = booklet_document(employee=employee, items=selectors.booklet_items(employee=employee, access=access))
    if not access.restricted:
        document.pop("orientations")
    audit_write(actor=actor_from(request), employee=employee, action="read", item="booklet")
    return document


# --- Experiences -----------------------------------------------------------------------------

@router.post(BASE + "/experiences", response={201: ExperienceOut}, summary="Ajouter une expérience")
def experience_create(request, staff_number: str, payload: ExperienceIn):
    employee = _employee(request, staff_number)
    item = services.experience_create(actor=actor_from(request), employee=employee, **payload.dict())
    return Status(201, _serialized(request, employee, "experiences", item.pk))


@router.patch(BASE + "/experiences/{int:item_id}", response=ExperienceOut, summary="Modifier une expérience")
def experience_update(request, staff_number: str, item_id: int, payload: ExperiencePatch):
    employee, item = _one(request, staff_number, "experiences", Experience, item_id)
    services.experience_update(actor=actor_from(request), experience=item, changes=payload.dict(exclude_unset=True))
    return _serialized(request, employee, "experiences", item.pk)


@router.delete(BASE + "/experiences/{int:item_id}", response={204: None}, summary="Supprimer une expérience")
def experience_delete(request, staff_number: str, item_id: int):
    _, item = _one(request, staff_number, "experiences", Experience, item_id)
    services.experience_delete(actor=actor_from(request), experience=item)
    return Status(204, None)


# --- Levels and evidence ---------------------------------------------------------------------

@router.post(BASE + "/skills", response={201: dict}, summary="Enregistrer un niveau (règles de statut du carnet)")
def skill_set(request, staff_number: str, payload: SkillLevelIn):
    employee = _employee(request, staff_number)
    row = services.booklet_skill_set(actor=actor_from(request), employee=employee, **payload.dict())
    return Status(201, {"skill_id": row.skill_id, "level": row.level, "status": row.status,
                        "assessed_on": row.assessed_on})


@router.post(BASE + "/evidence", response={201: EvidenceOut}, summary="Ajouter une preuve (multipart, fichier facultatif)")
def evidence_create(request, staff_number: str, payload: Form[EvidenceIn], file: File[UploadedFile] = None):
    employee = _employee(request, staff_number)
    data = name = None
    if file is not None:
        data, name = file.read(), file.name
    item = services.evidence_create(actor=actor_from(request), employee=employee, file_name=name or "",
                                    file_data=data, **payload.dict())
    return Status(201, _serialized(request, employee, "evidence", item.pk))


@router.patch(BASE + "/evidence/{int:item_id}", response=EvidenceOut, summary="Modifier une preuve")
def evidence_update(request, staff_number: str, item_id: int, payload: EvidencePatch):
    employee, item = _one(request, staff_number, "evidence", Evidence, item_id)
    services.evidence_update(actor=actor_from(request), evidence=item, changes=payload.dict(exclude_unset=True))
    return _serialized(request, employee, "evidence", item.pk)


@router.delete(BASE + "/evidence/{int:item_id}", response={204: None}, summary="Supprimer une preuve")
def evidence_delete(request, staff_number: str, item_id: int):
    _, item = _one(request, staff_number, "evidence", Evidence, item_id)
    services.evidence_delete(actor=actor_from(request), evidence=item)
    return Status(204, None)


@router.get(BASE + "/evidence/{int:evidence_id}/file", url_name="booklet_evidence_file",
            summary="Le fichier d'une preuve (lecture journalisée)")
def evidence_file(request, staff_number: str, evidence_id: int):
    employee = _employee(request, staff_number)
    evidence = get_object_or_404(Evidence.objects.exclude(file=""), employee=employee, pk=evidence_id)
    audit_write(actor=actor_from(request), employee=employee, action="read", item=f"evidence {evidence.pk} file")
    response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type,
                            as_attachment=evidence.content_type == "application/pdf", filename=evidence.file_name)
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- Endorsements ----------------------------------------------------------------------------

@router.post(BASE + "/endorsements", response={201: EndorsementOut},
             summary="Demander une confirmation à un tiers (lien envoyé par e-mail, jamais renvoyé)")
def endorsement_create(request, staff_number: str, payload: EndorsementIn):
    employee = _employee(request, staff_number)
    item = services.endorsement_request(actor=actor_from(request), employee=employee,
                                        link_base=request.build_absolute_uri("/"), **payload.dict())
    return Status(201, _serialized(request, employee, "endorsements", item.pk))


@router.patch(BASE + "/endorsements/{int:item_id}", response=EndorsementOut, summary="Corriger le nom du tiers")
def endorsement_update(request, staff_number: str, item_id: int, payload: EndorsementPatch):
    employee, item = _one(request, staff_number, "endorsements", Endorsement, item_id)
    services.require_change_endorsement(actor_from(request), item)
    if payload.name:
        item.name = payload.name.strip()
        item.save(update_fields=["name"])
        audit_write(actor=actor_from(request), employee=employee, action="update", item=f"endorsement {item.pk}")
    return _serialized(request, employee, "endorsements", item.pk)


@router.delete(BASE + "/endorsements/{int:item_id}", response={204: None}, summary="Retirer une demande de confirmation")
def endorsement_delete(request, staff_number: str, item_id: int):
    _, item = _one(request, staff_number, "endorsements", Endorsement, item_id)
    services.endorsement_delete(actor=actor_from(request), endorsement=item)
    return Status(204, None)


# --- Interviews, pathway, orientation --------------------------------------------------------

@router.post(BASE + "/interviews", response={201: InterviewOut}, summary="Enregistrer un entretien")
def interview_create(request, staff_number: str, payload: InterviewIn):
    employee = _employee(request, staff_number)
    item = services.interview_create(actor=actor_from(request), employee=employee, **payload.dict())
    return Status(201, _serialized(request, employee, "interviews", item.pk))


@router.patch(BASE + "/interviews/{int:item_id}", response=InterviewOut, summary="Modifier un entretien")
def interview_update(request, staff_number: str, item_id: int, payload: InterviewPatch):
    employee, item = _one(request, staff_number, "interviews", Interview, item_id)
    services.interview_update(actor=actor_from(request), interview=item, changes=payload.dict(exclude_unset=True))
    return _serialized(request, employee, "interviews", item.pk)


@router.delete(BASE + "/interviews/{int:item_id}", response={204: None}, summary="Supprimer un entretien")
def interview_delete(request, staff_number: str, item_id: int):
    _, item = _one(request, staff_number, "interviews", Interview, item_id)
    services.interview_delete(actor=actor_from(request), interview=item)
    return Status(204, None)


@router.post(BASE + "/pathway", response={201: PathwayOut}, summary="Ajouter une étape du parcours")
def pathway_create(request, staff_number: str, payload: PathwayIn):
    employee = _employee(request, staff_number)
    item = services.pathway_step_create(actor=actor_from(request), employee=employee, **payload.dict())
    return Status(201, _serialized(request, employee, "pathway", item.pk))


@router.patch(BASE + "/pathway/{int:item_id}", response=PathwayOut, summary="Modifier une étape du parcours")
def pathway_update(request, staff_number: str, item_id: int, payload: PathwayPatch):
    employee, item = _one(request, staff_number, "pathway", PathwayStep, item_id)
    services.pathway_step_update(actor=actor_from(request), step=item, changes=payload.dict(exclude_unset=True))
    return _serialized(request, employee, "pathway", item.pk)


@router.delete(BASE + "/pathway/{int:item_id}", response={204: None}, summary="Supprimer une étape du parcours")
def pathway_delete(request, staff_number: str, item_id: int):
    _, item = _one(request, staff_number, "pathway", PathwayStep, item_id)
    services.pathway_step_delete(actor=actor_from(request), step=item)
    return Status(204, None)


@router.post(BASE + "/orientation", response={201: OrientationOut},
             summary="Enregistrer la décision d'orientation CDAPH (administrateurs et encadrant du salarié)")
def orientation_create(request, staff_number: str, payload: OrientationIn):
    employee = _employee(request, staff_number)
    item = services.orientation_set(actor=actor_from(request), employee=employee, **payload.dict())
    return Status(201, item)


# --- Portability --------------------------------------------------------------------------------

def organisation_of(request) -> dict:
    return {"name": request.tenant.name, "kind": request.tenant.kind}


@router.get(BASE + "/export", url_name="booklet_export",
            summary="Le carnet portable : zip versionné (booklet.json + fichiers des preuves)")
def booklet_export(request, staff_number: str):
    employee = _employee(request, staff_number)
    data = services.booklet_export(actor=actor_from(request), employee=employee, organisation=organisation_of(request))
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="carnet-{employee.staff_number}.zip"'
    return response


@router.post(BASE + "/import", response={201: ImportOut},
             summary="Importer le carnet exporté par une autre organisation (multipart « file »)")
def booklet_import(request, staff_number: str, file: File[UploadedFile]):
    employee = _employee(request, staff_number)
    counts = services.booklet_import(actor=actor_from(request), employee=employee, data=file.read())
    return Status(201, counts.__dict__)


# --- Audit trail and interviews due ----------------------------------------------------------

@router.get(BASE + "/audit", response=AuditOut, summary="Journal des lectures et modifications du carnet")
def booklet_audit(request, staff_number: str):
    employee = _employee(request, staff_number)
    if not selectors.booklet_access(user=request.user, employee=employee).audit:
        raise PermissionDenied
    audit_write(actor=actor_from(request), employee=employee, action="read", item="audit")
    entries = [{"at": e.at, "user": e.user_name, "action": e.action, "item": e.item, "ip": e.ip}
               for e in selectors.audit_entries(employee=employee)]
    return {"entries": entries}


class DueFilters(Schema):
    state: str = ""
    limit: int = 100
    offset: int = 0


@router.get("/interviews/due", response=InterviewDuePage,
            summary="Entretiens à prévoir, en retard, et risque d'abondement CPF à 6 ans (50 salariés et plus)")
def interviews_due(request, filters: Query[DueFilters]):
    require_right(request.user, "interviews.track", "booklet.view_team")
    if filters.state and filters.state not in ("overdue", "due_soon", "six_year_risk"):
        raise ApplicationError(_("Filtre « state » : valeur « %(value)s » inconnue ; choisissez parmi overdue, "
                                 "due_soon, six_year_risk.") % {"value": filters.state}, status=422)
    tracker = selectors.interview_tracker(user=request.user, is_esat=request.tenant.kind == "esat",
                                          state=filters.state)
    rows = tracker.rows
    offset, limit = max(0, filters.offset), min(max(1, filters.limit), 1000)
    return {"items": [r._asdict() for r in rows[offset:offset + limit]], "count": len(rows),
            "overdue": tracker.overdue, "due_soon": tracker.due_soon, "six_year_risk": tracker.at_risk}
