"""GDPR: everything held about a person (export), and erasure — personal data removed or anonymised
everywhere in the organisation while the rows that counts and statistics rest on stay."""

import io
import json
import re
import zipfile

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accounts.models import User
from accounts.permissions import has_right
from skills_matrix.models import EmployeeSkill
from workforce.models import Employee

from ..audit import Actor, audit_write
from ..models import (
    AuditEntry,
    Endorsement,
    Evidence,
    Experience,
    ImportedSkill,
    Interview,
    Orientation,
    PathwayStep,
)
from .portability import _document, _iso

ERASED = "[effacé]"
# Tables whose name columns belong to many people: only the person's own row is rewritten there.
_OWN_ROW_ONLY = {Employee._meta.db_table, User._meta.db_table}


def person_export(*, actor: Actor, employee, organisation: dict) -> bytes:
    """A zip of everything the organisation holds about ``employee``: ``person.json`` (identity, account,
    every recorded level, the booklet with the CDAPH orientation, the audit trail) and the evidence files."""
    _require_gdpr(actor)
    document, files = _document(employee=employee, organisation=organisation)
    user = User.objects.filter(employee=employee).first()
    person = {
        "exported_at": _iso(timezone.now()), "organisation": organisation,
        "employee": {f: _iso(v) if hasattr(v, "isoformat") else (str(v) if v is not None else None)
                     for f, v in Employee.objects.filter(pk=employee.pk).values(
                         "staff_number", "first_name", "last_name", "email", "birth_date", "hire_date", "exit_date",
                         "job__title", "org_unit__name", "manager__staff_number", "fte", "is_active").get().items()},
        "account": {"email": user.email, "full_name": user.full_name, "role": user.role,
                    "date_joined": _iso(user.date_joined), "last_login": _iso(user.last_login)} if user else None,
        "skill_levels": [
            {"skill": label, "level": level, "status": status, "source": source, "assessed_on": _iso(assessed),
             "valid_from": _iso(start), "valid_to": _iso(end)}
            for label, level, status, source, assessed, start, end in EmployeeSkill.objects.filter(
                employee=employee).order_by("valid_from").values_list(
                "skill__label", "level", "status", "source", "assessed_on", "valid_from", "valid_to")],
        "booklet": document,
        "orientations": [
            {"decision": o.decision, "decided_on": _iso(o.decided_on), "ends_on": _iso(o.ends_on), "rqth": o.rqth}
            for o in Orientation.objects.filter(employee=employee)],
        "audit": [{"at": _iso(e.at), "user": e.user_name, "action": e.action, "item": e.item, "ip": e.ip}
                  for e in AuditEntry.objects.filter(employee=employee).order_by("at")],
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("person.json", json.dumps(person, ensure_ascii=False, indent=1))
        for path, stored in files.items():
            with stored.open("rb") as handle:
                archive.writestr(path, handle.read())
    audit_write(actor=actor, employee=employee, action="export", item="person data")
    return out.getvalue()


@transaction.atomic
def person_erase(*, actor: Actor, employee) -> dict:
    """Erase ``employee``'s personal data: identity and account anonymised, the booklet's words, files,
    third parties' names and the CDAPH orientation removed, their name and e-mail scrubbed from every
    text column of the organisation. Rows stay (levels, interviews held, pathway steps, audit entries) so
    headcounts and indicators do not change. Returns what was done, in counts."""
    _require_gdpr(actor)
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    patterns = _patterns(employee)
    user = User.objects.filter(employee=employee).first()
    files = [ev.file.name for ev in Evidence.objects.filter(employee=employee).exclude(file="")]
    storage = Evidence._meta.get_field("file").storage
    done = {
        "experiences": Experience.objects.filter(employee=employee).update(
            title=ERASED, place="", description="", author_name=""),
        "evidence": Evidence.objects.filter(employee=employee).update(
            note="", situation="", observer_name="", file="", file_name="", sha256="", content_type="", size=0,
            author_name=""),
        "endorsements": Endorsement.objects.filter(employee=employee).update(
            name=ERASED, email="", comment="", token_hash=None),
        "interviews": Interview.objects.filter(employee=employee).update(
            participants="", wishes="", goals="", trainings="", author_name=""),
        "pathway": PathwayStep.objects.filter(employee=employee).update(
            employer="", convention="", notes="", author_name=""),
        "orientations": Orientation.objects.filter(employee=employee).delete()[0],
        "files": len(files),
    }
    ImportedSkill.objects.filter(employee=employee).update(author_name="")
    if user is not None:
        AuditEntry.objects.filter(user=user).update(user_name=ERASED, ip=None)
        for model in (Experience, Evidence, Interview, PathwayStep, Orientation):
            model.objects.filter(created_by=user).update(author_name=ERASED)
        User.objects.filter(pk=user.pk).update(
            email=f"efface-{user.pk}@invalid.invalid", full_name="", is_active=False, password="!", last_login=None)
    AuditEntry.objects.filter(employee=employee).update(ip=None)
    Employee.objects.filter(pk=employee.pk).update(
        staff_number=f"EFFACE-{employee.pk}", first_name="", last_name=ERASED, email="",
        birth_date=employee.birth_date.replace(month=1, day=1) if employee.birth_date else None)
    done["scrubbed"] = _scrub_text_columns(patterns)
    audit_write(actor=actor, employee=employee, action="erase", item="person data")
    transaction.on_commit(lambda: [storage.delete(name) for name in files])
    return done


def _require_gdpr(actor: Actor) -> None:
    if actor.user is not None and not has_right(actor.user, "gdpr.manage"):
        raise PermissionDenied


def _patterns(employee) -> str:
    names = {employee.email, f"{employee.first_name} {employee.last_name}", f"{employee.last_name} {employee.first_name}"}
    words = [re.escape(n.strip()) for n in names if n and n.strip() and len(n.strip()) > 2]
    if employee.last_name and len(employee.last_name) > 2:
        words.append(r"\m" + re.escape(employee.last_name) + r"\M")
    return "|".join(sorted(words, key=len, reverse=True))


def _scrub_text_columns(pattern: str) -> int:
    """Replace the person's name and e-mail in every text column of the organisation's schema."""
    if not pattern:
        return 0
    changed = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns c "
            "JOIN information_schema.tables t USING (table_schema, table_name) "
            "WHERE table_schema = current_schema() AND t.table_type = 'BASE TABLE' "
            "AND data_type IN ('text', 'character varying', 'jsonb', 'json')")
        for table, column, data_type in cursor.fetchall():
            if table in _OWN_ROW_ONLY and column in ("first_name", "last_name", "email", "full_name", "staff_number"):
                continue
            as_text = f'"{column}"::text' if data_type in ("jsonb", "json") else f'"{column}"'
            new = f"regexp_replace({as_text}, %(p)s, %(r)s, 'gi')"
            if data_type in ("jsonb", "json"):
                new = f"({new})::{data_type}"
            try:
                with transaction.atomic():
                    cursor.execute(f'UPDATE "{table}" SET "{column}" = {new} WHERE {as_text} ~* %(p)s',
                                   {"p": pattern, "r": ERASED})
                    changed += cursor.rowcount
            except DatabaseError:  # the replacement would break a constraint (a unique code): left as is
                continue
    return changed
