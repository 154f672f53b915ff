"""The portable booklet: a versioned, self-contained zip (``booklet.json`` + the evidence files) that
another organisation imports for the same person — the worker leaves and keeps their booklet.

The document is validated against ``booklet/schema/booklet-1.schema.json``; its ``digest`` and every
file's SHA-256 are checked before anything is written, so a malformed or tampered export is refused
whole. Imported items keep their dates, authors' names and statuses and say which organisation they
come from (``origin``)."""

import datetime
import hashlib
import io
import json
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path

import jsonschema
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from skills_matrix.services import org_skill_get_or_create

from ..audit import Actor, audit_write
from ..files import evidence_file_keep_or_clean
from ..models import Endorsement, Evidence, Experience, ImportedSkill, Interview, PathwayStep
from ..selectors import booklet_items
from ._common import SYSTEM_ACCESS, access_for, require_add

FORMAT, VERSION = "esipro.booklet", 1
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "booklet-1.schema.json"
MAX_MEMBERS = 20_001
MAX_UNCOMPRESSED = 1024 * 1024 * 1024


def _schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text())


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def digest_of(document: dict) -> str:
    body = {k: v for k, v in document.items() if k != "digest"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                          .encode()).hexdigest()


def _document(*, employee, organisation: dict) -> tuple[dict, dict[str, object]]:
    """The export document and the evidence files it names (zip path → stored file)."""
    items = booklet_items(employee=employee, access=SYSTEM_ACCESS)
    experiences = items["experiences"]
    index = {e.pk: n for n, e in enumerate(experiences)}
    files: dict[str, object] = {}
    evidence = []
    for skill in items["skills"]:
        for ev in skill["evidence"]:
            file = None
            if ev.file:
                extension = ev.file_name.rsplit(".", 1)[-1].lower()
                path = f"files/{ev.sha256}.{extension}"
                files[path] = ev.file
                file = {"path": path, "name": ev.file_name, "content_type": ev.content_type, "sha256": ev.sha256,
                        "size": ev.size}
            evidence.append({
                "skill": skill["skill"], "kind": ev.kind, "rae_step": ev.rae_step, "note": ev.note,
                "observed_on": _iso(ev.observed_on), "situation": ev.situation, "observer_name": ev.observer_name,
                "valid_until": _iso(ev.valid_until), "file": file, "author_name": ev.author_name,
                "origin": ev.origin, "created_at": _iso(ev.created_at)})
    document = {
        "format": FORMAT, "version": VERSION, "exported_at": _iso(timezone.now()), "organisation": organisation,
        "person": {"staff_number": employee.staff_number, "first_name": employee.first_name,
                   "last_name": employee.last_name},
        "skills": [
            {"skill": s["skill"], "kind": s["kind"], "level": s["level"], "status": s["status"],
             "assessed_on": _iso(s["assessed_on"]), "author_name": s["author"], "origin": s["origin"]}
            for s in items["skills"] if s["level"] is not None],
        "experiences": [
            {"kind": e.kind, "title": e.title, "place": e.place, "start": _iso(e.start), "end": _iso(e.end),
             "description": e.description, "skills": sorted(s.label for s in e.skills.all()),
             "author_name": e.author_name, "origin": e.origin, "created_at": _iso(e.created_at)}
            for e in experiences],
        "evidence": evidence,
        "endorsements": [
            {"skill": d.skill.label if d.skill_id else None,
             "experience": index.get(d.experience_id) if d.experience_id else None, "name": d.name, "email": d.email,
             "status": d.status, "comment": d.comment, "requested_at": _iso(d.requested_at),
             "expires_at": _iso(d.expires_at), "responded_at": _iso(d.responded_at), "origin": d.origin}
            for d in items["endorsements"]],
        "interviews": [
            {"kind": i.kind, "held_on": _iso(i.held_on), "participants": i.participants,
             "skills": sorted(s.label for s in i.skills.all()), "wishes": i.wishes, "goals": i.goals,
             "trainings": i.trainings, "non_mandatory_training": i.non_mandatory_training,
             "next_due": _iso(i.next_due), "author_name": i.author_name, "origin": i.origin,
             "created_at": _iso(i.created_at)}
            for i in items["interviews"]],
        "pathway": [
            {"kind": p.kind, "start": _iso(p.start), "end": _iso(p.end), "employer": p.employer,
             "convention": p.convention, "outcome": p.outcome, "notes": p.notes, "author_name": p.author_name,
             "origin": p.origin, "created_at": _iso(p.created_at)}
            for p in items["pathway"]],
    }
    document["digest"] = digest_of(document)
    return document, files


def booklet_export(*, actor: Actor, employee, organisation: dict) -> bytes:
    """The zip of ``employee``'s booklet (``organisation``: ``{"name", "kind"}`` of the exporting one).
    The CDAPH orientation, restricted data, stays behind."""
    access_for(actor, employee)
    document, files = _document(employee=employee, organisation=organisation)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("booklet.json", json.dumps(document, ensure_ascii=False, indent=1))
        for path, stored in files.items():
            with stored.open("rb") as handle:
                # Photos and PDFs are compressed already: store them as they are.
                archive.writestr(zipfile.ZipInfo(path, date_time=(2000, 1, 1, 0, 0, 0)), handle.read(),
                                 compress_type=zipfile.ZIP_STORED)
    audit_write(actor=actor, employee=employee, action="export", item="booklet")
    return out.getvalue()


def booklet_export_document(*, employee, organisation: dict) -> dict:
    """The export's ``booklet.json`` alone (for the printable and PDF versions of the command)."""
    return _document(employee=employee, organisation=organisation)[0]


@dataclass(frozen=True)
class ImportCounts:
    experiences: int
    skills: int
    evidence: int
    endorsements: int
    interviews: int
    pathway: int


def _refuse(message: str) -> ApplicationError:
    return ApplicationError(_("Carnet refusé, rien n'a été importé : %(why)s") % {"why": message}, status=422)


def booklet_read_zip(data: bytes) -> tuple[dict, dict[str, bytes]]:
    """Open and check an export: a zip, ``booklet.json`` valid against the schema, its digest right,
    and exactly the files it names with the right SHA-256. Raises ``ApplicationError`` otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _refuse(_("le fichier n'est pas un zip exporté par Esi Pro (booklet.json et ses fichiers).")) from exc
    if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNCOMPRESSED:
        raise _refuse(_("l'archive est trop grande."))
    names = {m.filename for m in members}
    if "booklet.json" not in names:
        raise _refuse(_("booklet.json manque dans le zip."))
    try:
        document = json.loads(archive.read("booklet.json"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _refuse(_("booklet.json n'est pas du JSON lisible.")) from exc
    validator = jsonschema.Draft202012Validator(_schema())
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path) or "document"
        raise _refuse(_("booklet.json ne suit pas le format du carnet (version 1) : « %(where)s » — %(what)s.")
                      % {"where": where, "what": errors[0].message[:200]})
    if digest_of(document) != document["digest"]:
        raise _refuse(_("booklet.json a été modifié depuis l'export (empreinte différente)."))
    wanted = {ev["file"]["path"]: ev["file"] for ev in document["evidence"] if ev["file"]}
    extra = names - set(wanted) - {"booklet.json"}
    if extra:
        raise _refuse(_("le zip contient des fichiers inattendus : %(names)s.") % {"names": ", ".join(sorted(extra))[:300]})
    files = {}
    for path, meta in wanted.items():
        if path not in names:
            raise _refuse(_("le fichier %(path)s manque dans le zip.") % {"path": path})
        content = archive.read(path)
        if hashlib.sha256(content).hexdigest() != meta["sha256"] or len(content) != meta["size"]:
            raise _refuse(_("le fichier %(path)s a été modifié depuis l'export (empreinte différente).")
                          % {"path": path})
        files[path] = content
    return document, files


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _moment(value):
    return datetime.datetime.fromisoformat(value) if value else None


def _check_person(document: dict, employee) -> None:
    person = document["person"]
    def norm(text):
        return " ".join((text or "").lower().split())
    if (norm(person["first_name"]), norm(person["last_name"])) != (norm(employee.first_name), norm(employee.last_name)):
        raise _refuse(_("ce carnet est celui de %(them)s, pas de %(us)s : vérifiez le matricule.")
                      % {"them": f"{person['first_name']} {person['last_name']}".strip(),
                         "us": employee.full_name or employee.staff_number})


@transaction.atomic
def booklet_import(*, actor: Actor, employee, data: bytes) -> ImportCounts:
    """Load an export into ``employee``'s booklet; all or nothing. Returns the counts added."""
    require_add(actor, employee)
    document, files = booklet_read_zip(data)
    _check_person(document, employee)
    # Files are checked by content too: an export from elsewhere is not trusted more than an upload.
    cleaned = {path: evidence_file_keep_or_clean(name=path, data=content) for path, content in files.items()}
    source = document["organisation"]["name"]
    def origin(item):
        return item["origin"] or source
    skills = {}
    def skill(label, kind="savoir_faire"):
        if label not in skills:
            skills[label] = org_skill_get_or_create(label=label, kind=kind)
        return skills[label]
    for s in document["skills"]:
        skill(s["skill"], s["kind"])
    ImportedSkill.objects.bulk_create(
        ImportedSkill(employee=employee, skill=skill(s["skill"]), level=s["level"], status=s["status"],
                      assessed_on=_date(s["assessed_on"]), author_name=s["author_name"], origin=origin(s))
        for s in document["skills"])
    experiences = []
    for e in document["experiences"]:
        item = Experience.objects.create(
            employee=employee, kind=e["kind"], title=e["title"], place=e["place"], start=_date(e["start"]),
            end=_date(e["end"]), description=e["description"], author_name=e["author_name"], origin=origin(e),
            created_at=_moment(e["created_at"]))
        item.skills.set([skill(label) for label in e["skills"]])
        experiences.append(item)
    for ev in document["evidence"]:
        item = Evidence(
            employee=employee, skill=skill(ev["skill"]), kind=ev["kind"], rae_step=ev["rae_step"], note=ev["note"],
            observed_on=_date(ev["observed_on"]), situation=ev["situation"], observer_name=ev["observer_name"],
            valid_until=_date(ev["valid_until"]), author_name=ev["author_name"], origin=origin(ev),
            created_at=_moment(ev["created_at"]))
        if ev["file"]:
            clean = cleaned[ev["file"]["path"]]
            item.file_name, item.content_type = ev["file"]["name"], clean.content_type
            item.sha256, item.size = clean.sha256, len(clean.content)
            item.save()
            item.file.save(ev["file"]["name"], ContentFile(clean.content), save=True)
        else:
            item.save()
    for d in document["endorsements"]:
        Endorsement.objects.create(
            employee=employee, skill=skill(d["skill"]) if d["skill"] else None,
            experience=experiences[d["experience"]] if d["experience"] is not None and d["experience"] < len(
                experiences) else None,
            name=d["name"], email=d["email"], status=d["status"], comment=d["comment"], token_hash=None,
            requested_at=_moment(d["requested_at"]), expires_at=_moment(d["expires_at"]),
            responded_at=_moment(d["responded_at"]), used_at=_moment(d["responded_at"]), origin=origin(d))
    for i in document["interviews"]:
        item = Interview.objects.create(
            employee=employee, kind=i["kind"], held_on=_date(i["held_on"]), participants=i["participants"],
            wishes=i["wishes"], goals=i["goals"], trainings=i["trainings"],
            non_mandatory_training=i["non_mandatory_training"], next_due=_date(i["next_due"]),
            author_name=i["author_name"], origin=origin(i), created_at=_moment(i["created_at"]))
        item.skills.set([skill(label) for label in i["skills"]])
    PathwayStep.objects.bulk_create(
        PathwayStep(employee=employee, kind=p["kind"], start=_date(p["start"]), end=_date(p["end"]),
                    employer=p["employer"], convention=p["convention"], outcome=p["outcome"], notes=p["notes"],
                    author_name=p["author_name"], origin=origin(p), created_at=_moment(p["created_at"]))
        for p in document["pathway"])
    counts = ImportCounts(
        experiences=len(document["experiences"]), skills=len(document["skills"]),
        evidence=len(document["evidence"]), endorsements=len(document["endorsements"]),
        interviews=len(document["interviews"]), pathway=len(document["pathway"]))
    audit_write(actor=actor, employee=employee, action="import", item="booklet")
    return counts


def counts_dict(counts: ImportCounts) -> dict:
    return asdict(counts)


__all__ = ["booklet_export", "booklet_export_document", "booklet_import", "booklet_read_zip"]
