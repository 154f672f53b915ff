"""A booklet as plain data: what the API answers and what an export carries (same field names)."""

from django.urls import reverse


def evidence_url(employee, evidence) -> str | None:
    if not evidence.file:
        return None
    return reverse("api:booklet_evidence_file", kwargs={"staff_number": employee.staff_number,
                                                        "evidence_id": evidence.pk})


def booklet_document(*, employee, items: dict, with_urls: bool = True) -> dict:
    """``items`` from ``selectors.booklet_items`` as dicts of JSON-ready values (dates stay ``date``)."""
    return {
        "staff_number": employee.staff_number,
        "experiences": [
            {"id": e.pk, "kind": e.kind, "title": e.title, "place": e.place, "start": e.start, "end": e.end,
             "description": e.description, "skill_ids": sorted(s.pk for s in e.skills.all()),
             "skills": sorted(s.label for s in e.skills.all()), "author_name": e.author_name, "origin": e.origin,
             "created_at": e.created_at}
            for e in items["experiences"]
        ],
        "skills": [
            {"skill_id": s["skill_id"], "skill": s["skill"], "kind": s["kind"], "level": s["level"],
             "status": s["status"], "assessed_on": s["assessed_on"], "origin": s["origin"], "author_name": s["author"],
             "evidence": [
                 {"id": ev.pk, "kind": ev.kind, "rae_step": ev.rae_step, "note": ev.note, "observed_on": ev.observed_on,
                  "situation": ev.situation, "observer_name": ev.observer_name, "valid_until": ev.valid_until,
                  "file_name": ev.file_name, "content_type": ev.content_type, "sha256": ev.sha256,
                  "url": evidence_url(employee, ev) if with_urls else None, "author_name": ev.author_name,
                  "origin": ev.origin, "created_at": ev.created_at}
                 for ev in s["evidence"]
             ]}
            for s in items["skills"]
        ],
        "endorsements": [
            {"id": d.pk, "skill_id": d.skill_id, "skill": d.skill.label if d.skill_id else None,
             "experience_id": d.experience_id, "experience": d.experience.title if d.experience_id else None,
             "name": d.name, "email": d.email, "status": d.status, "comment": d.comment,
             "requested_at": d.requested_at, "expires_at": d.expires_at, "responded_at": d.responded_at,
             "origin": d.origin}
            for d in items["endorsements"]
        ],
        "interviews": [
            {"id": i.pk, "kind": i.kind, "held_on": i.held_on, "participants": i.participants,
             "skill_ids": sorted(s.pk for s in i.skills.all()), "skills": sorted(s.label for s in i.skills.all()),
             "wishes": i.wishes, "goals": i.goals, "trainings": i.trainings,
             "non_mandatory_training": i.non_mandatory_training, "next_due": i.next_due,
             "author_name": i.author_name, "origin": i.origin, "created_at": i.created_at}
            for i in items["interviews"]
        ],
        "pathway": [
            {"id": p.pk, "kind": p.kind, "start": p.start, "end": p.end, "employer": p.employer,
             "convention": p.convention, "outcome": p.outcome, "notes": p.notes, "author_name": p.author_name,
             "origin": p.origin, "created_at": p.created_at}
            for p in items["pathway"]
        ],
        "orientations": [
            {"id": o.pk, "decision": o.decision, "decided_on": o.decided_on, "ends_on": o.ends_on, "rqth": o.rqth}
            for o in items["orientations"]
        ],
    }
