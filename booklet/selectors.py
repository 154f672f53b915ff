"""Reads of booklets, always through the workforce's scoped selector: a supervisor sees the booklets of
the workers assigned to them, HR and administrators all, a worker their own, nobody else."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from accounts.permissions import has_any_right, has_right
from skills_matrix.models import EmployeeSkill
from workforce.models import Employee
from workforce.selectors import employee_visible_qs

from .models import (
    AuditEntry,
    Endorsement,
    Evidence,
    Experience,
    ImportedSkill,
    Interview,
    Orientation,
    PathwayStep,
)

VIEW_RIGHTS = ("booklet.view_all", "booklet.view_team", "booklet.view_self")


def booklet_employee_qs(user) -> QuerySet[Employee]:
    """Employees whose booklet ``user`` may open."""
    if not has_any_right(user, *VIEW_RIGHTS):
        return Employee.objects.none()
    return employee_visible_qs(user)


def booklet_employee_get(*, user, staff_number: str) -> Employee:
    """The employee ``staff_number`` if ``user`` may open their booklet, else 404 (never 403: another
    organisation's or another team's worker does not exist for them)."""
    return get_object_or_404(booklet_employee_qs(user), staff_number=staff_number)


@dataclass(frozen=True)
class Access:
    """What ``user`` may do on one booklet they can open."""

    own: bool
    edit: bool          # add and change anything (supervisor of the worker, HR, administrators)
    restricted: bool    # the CDAPH orientation and RQTH: administrators and the assigned supervisor
    audit: bool         # the trail: administrators, and the worker for their own booklet

    def may_change(self, item, user) -> bool:
        """Staff change any item; the worker only what they wrote themselves."""
        return self.edit or (self.own and getattr(item, "created_by_id", None) == user.pk and not item.origin)


def booklet_access(*, user, employee: Employee) -> Access:
    own = bool(user.employee_id) and user.employee_id == employee.pk
    edit = has_right(user, "booklet.edit") and not own
    # Only people who hold the right *and* can open this booklet get here: its supervisor, administrators.
    restricted = not own and has_right(user, "booklet.restricted")
    return Access(own=own, edit=edit, restricted=restricted, audit=own or has_right(user, "booklet.audit"))


def booklet_items(*, employee: Employee, access: Access) -> dict:
    """Everything in ``employee``'s booklet, in a handful of queries: lists of model instances under
    ``experiences``, ``skills`` (dicts: the current level row or imported level, with ``evidence``),
    ``endorsements``, ``interviews``, ``pathway`` and, if ``access.restricted``, ``orientations``."""
    experiences = list(Experience.objects.filter(employee=employee).prefetch_related("skills"))
    evidence = list(Evidence.objects.filter(employee=employee).select_related("skill"))
    levels = list(EmployeeSkill.objects.filter(employee=employee, valid_to__isnull=True).select_related("skill"))
    imported = list(ImportedSkill.objects.filter(employee=employee).select_related("skill"))
    by_skill: dict[int, list[Evidence]] = {}
    for item in evidence:
        by_skill.setdefault(item.skill_id, []).append(item)
    skills = []
    for row in levels:
        skills.append({"skill_id": row.skill_id, "skill": row.skill.label, "kind": row.skill.kind,
                       "level": row.level, "status": row.status, "assessed_on": row.assessed_on,
                       "origin": "", "author": str(row.recorded_by) if row.recorded_by_id else "",
                       "evidence": by_skill.pop(row.skill_id, [])})
    for row in imported:
        skills.append({"skill_id": row.skill_id, "skill": row.skill.label, "kind": row.skill.kind,
                       "level": row.level, "status": row.status, "assessed_on": row.assessed_on,
                       "origin": row.origin, "author": row.author_name, "evidence": by_skill.pop(row.skill_id, []),
                       "imported_id": row.pk})
    for skill_id, items in by_skill.items():  # evidence for a skill without a level yet
        skills.append({"skill_id": skill_id, "skill": items[0].skill.label, "kind": items[0].skill.kind,
                       "level": None, "status": "", "assessed_on": None, "origin": "", "author": "",
                       "evidence": items})
    for entry in skills:
        entry["status_label"] = EmployeeSkill.Status(entry["status"]).label if entry["status"] in \
            EmployeeSkill.Status.values else entry["status"]
    skills.sort(key=lambda s: s["skill"].lower())
    result = {
        "experiences": experiences,
        "skills": skills,
        "endorsements": list(Endorsement.objects.filter(employee=employee).select_related("skill", "experience")),
        "interviews": list(Interview.objects.filter(employee=employee).prefetch_related(
            Prefetch("skills"))),
        "pathway": list(PathwayStep.objects.filter(employee=employee)),
        "orientations": list(Orientation.objects.filter(employee=employee)) if access.restricted else [],
    }
    return result


def booklet_timeline(items: dict) -> list[dict]:
    """Experiences, interviews and pathway steps in one list, newest first (evidence is shown under its
    skill, not repeated here)."""
    events = [{"date": e.start, "kind": "experience", "item": e} for e in items["experiences"]]
    events += [{"date": i.held_on, "kind": "interview", "item": i} for i in items["interviews"]]
    events += [{"date": p.start, "kind": "pathway", "item": p} for p in items["pathway"]]
    events.sort(key=lambda e: e["date"], reverse=True)
    return events


def audit_entries(*, employee: Employee, limit: int = 500) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(employee=employee).select_related("user")[:limit]


# --- The interview tracker ------------------------------------------------------------------------

class TrackerRow(NamedTuple):
    """One employee in the tracker (a named tuple: tens of thousands are built per request)."""

    staff_number: str
    name: str
    kind: str
    last_held_on: object
    due_on: object
    state: str
    six_year_risk: bool
    milestone: object


class TrackerRows(Sequence):
    """The tracker's rows, built only when asked for: a page of 50 out of 50,000 costs one small query
    for the names, not 50,000 objects. Columns are Python lists in the rows' order."""

    def __init__(self, *, ids, kind, last, due, state, risk, milestone):
        self._ids, self._kind = ids, kind
        self._columns = (last, due, state, risk, milestone)

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._rows(range(len(self._ids))[index])
        return self._rows([range(len(self._ids))[index]])[0]

    def __iter__(self):
        return iter(self._rows(range(len(self._ids))))

    def _rows(self, positions) -> list[TrackerRow]:
        from django.db import connection

        positions = list(positions)
        wanted = [self._ids[p] for p in positions]
        names = {}
        if wanted:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT id, staff_number, first_name || ' ' || last_name "
                               f"FROM {Employee._meta.db_table} WHERE id = ANY(%s)", [wanted])
                names = {pk: (staff_number, name.strip()) for pk, staff_number, name in cursor.fetchall()}
        last, due, state, risk, milestone = self._columns
        return [TrackerRow(names[self._ids[p]][0], names[self._ids[p]][1], self._kind, last[p], due[p],
                           STATE_NAMES[state[p]], risk[p], milestone[p]) for p in positions]


@dataclass(frozen=True)
class TrackerResult:
    rows: TrackerRows        # due, overdue or at risk (or as filtered); overdue first
    kind: str                # the interview the organisation owes: annual (ESAT) or professional
    six_years_checked: bool  # 50+ employees and not an ESAT
    headcount: int
    overdue: int
    due_soon: int
    at_risk: int


STATE_NAMES = {0: "ok", 1: "due_soon", 2: "overdue"}


def interview_tracker(*, user, is_esat: bool, today=None, include_ok: bool = False, state: str = "",
                      search: str = "", exclude_employee_id: int | None = None) -> TrackerResult:
    """Who owes an interview among the active employees ``user`` may see (ESAT: annual interview; others:
    entretien professionnel every two years, and the six-year risk in organisations of 50+ employees).
    A few queries and the numpy engine, so it stays fast over tens of thousands of employees.

    ``state`` keeps the rows in that state (``overdue``, ``due_soon``, or ``six_year_risk``); ``search``
    (name or staff number) and ``exclude_employee_id`` narrow the people considered, counts included."""
    import numpy as np
    from django.db import connection
    from django.utils import timezone

    from . import engine

    today = today or timezone.localdate()
    employees = booklet_employee_qs(user).filter(is_active=True)
    if exclude_employee_id:
        employees = employees.exclude(pk=exclude_employee_id)
    if search:
        from django.db.models import Q
        employees = employees.filter(Q(first_name__icontains=search) | Q(last_name__icontains=search)
                                     | Q(staff_number__icontains=search))
    scope_sql, scope_params = employees.order_by().values("id").query.sql_with_params()
    # Everyone's interviews when the user sees everyone (the engine ignores the people it was not given).
    narrowed = bool(search or exclude_employee_id) or not has_right(user, "booklet.view_all")
    # The 50-employee threshold is the organisation's headcount, whatever part of it ``user`` sees.
    headcount = Employee.objects.filter(is_active=True).count()
    # Whole columns travel as one comma-separated string each, read by numpy in C: no Python object per
    # row. Dates are day numbers; an unknown hire date is numpy's NaT.
    nat = np.iinfo(np.int64).min
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT string_agg(id::text, ',' ORDER BY id), "
            f"string_agg(COALESCE(hire_date - DATE '1970-01-01', %s)::text, ',' ORDER BY id) "
            f"FROM {Employee._meta.db_table} WHERE id IN ({scope_sql})", [nat, *scope_params])
        id_text, hire_text = cursor.fetchone()
        cursor.execute(
            f"SELECT string_agg(employee_id::text, ','), string_agg((held_on - DATE '1970-01-01')::text, ','), "
            f"string_agg((CASE WHEN kind IN ('professional', 'six_year') THEN 1 ELSE 0 END "
            f"+ CASE WHEN non_mandatory_training THEN 2 ELSE 0 END)::text, ',') FROM {Interview._meta.db_table}"
            + (f" WHERE employee_id IN ({scope_sql})" if narrowed else ""), scope_params if narrowed else [])
        who_text, on_text, flag_text = cursor.fetchone()

    def column(text):
        return np.array(text.split(","), dtype=np.int64) if text else np.zeros(0, dtype=np.int64)

    ids, hire = column(id_text), column(hire_text).astype("datetime64[D]")
    flags = column(flag_text)
    kind = Interview.Kind.ANNUAL if is_esat else Interview.Kind.PROFESSIONAL
    six = (not is_esat) and headcount >= 50
    result = engine.interview_tracker(
        employee_ids=ids, hire=hire,
        interview_employee=column(who_text), interview_on=column(on_text).astype("datetime64[D]"),
        interview_counts=(flags & 1) > 0, interview_training=(flags & 2) > 0,
        period_months=12 if is_esat else 24, today=np.datetime64(today, "D"), check_six_years=six,
    )
    wanted = np.ones(len(ids), bool) if include_ok else (result.state != engine.OK) | result.six_year_risk
    if state == "six_year_risk":
        wanted &= result.six_year_risk
    elif state:
        wanted &= result.state == {name: code for code, name in STATE_NAMES.items()}[state]
    order = np.lexsort((result.due_on, -result.state))
    order = order[wanted[order]]
    # Whole columns to Python at once (NaT becomes None); the row objects are made on demand.
    out = TrackerRows(ids=ids[order].tolist(), kind=kind, last=result.last[order].tolist(),
                      due=result.due_on[order].tolist(), state=result.state[order].tolist(),
                      risk=result.six_year_risk[order].tolist(), milestone=result.milestone[order].tolist())
    return TrackerResult(rows=out, kind=kind, six_years_checked=six, headcount=headcount,
                         overdue=int((result.state == engine.OVERDUE).sum()),
                         due_soon=int((result.state == engine.DUE_SOON).sum()),
                         at_risk=int(result.six_year_risk.sum()))


def booklet_counts(*, staff_numbers: list[str]) -> dict[str, dict]:
    """For the workers list: per staff number, evidence and experiences held, the last observation and
    the endorsements awaiting an answer (four grouped queries, whatever the page size)."""
    from django.db.models import Count, Max

    counts = {sn: {"evidence": 0, "experiences": 0, "last_observed": None, "pending": 0} for sn in staff_numbers}
    for sn, n, last in (Evidence.objects.filter(employee__staff_number__in=staff_numbers)
                        .values_list("employee__staff_number").annotate(Count("id"), Max("observed_on"))):
        counts[sn].update(evidence=n, last_observed=last)
    for sn, n in (Experience.objects.filter(employee__staff_number__in=staff_numbers)
                  .values_list("employee__staff_number").annotate(Count("id"))):
        counts[sn]["experiences"] = n
    for sn, n in (Endorsement.objects.filter(employee__staff_number__in=staff_numbers, status="pending")
                  .values_list("employee__staff_number").annotate(Count("id"))):
        counts[sn]["pending"] = n
    return counts


# --- ESAT indicators ---------------------------------------------------------------------------------

INDICATOR_ROWS = ["workers", "booklets_reviewed", "interviews_held", "interviews_overdue", "reinforced_started",
                  "exits_ordinary", "exits_adapted", "returns"]


def esat_indicators(*, years: int = 5, today=None) -> dict:
    """The figures an ESAT reports to its funders, per calendar year (the last ``years``, this one
    included, the current year up to ``today``): ``{"years": [...], "rows": {name: [value per year]}}``
    with the names of ``INDICATOR_ROWS``. Grouped queries, plus the tracker engine at each year's end."""
    import datetime

    import numpy as np
    from django.db.models import Count, Q
    from django.db.models.functions import ExtractYear
    from django.utils import timezone

    from . import engine

    today = today or timezone.localdate()
    span = list(range(today.year - years + 1, today.year + 1))
    rows = {name: [0] * len(span) for name in INDICATOR_ROWS}
    position = {year: n for n, year in enumerate(span)}
    for n, year in enumerate(span):
        start, end = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)
        rows["workers"][n] = Employee.objects.filter(
            Q(hire_date__isnull=True) | Q(hire_date__lte=end), Q(exit_date__isnull=True) | Q(exit_date__gte=start)
        ).count()
    for year, held, people in (Interview.objects.filter(held_on__year__in=span).annotate(year=ExtractYear("held_on"))
                               .values_list("year").annotate(Count("id"), Count("employee", distinct=True))):
        rows["interviews_held"][position[year]] = held
        rows["booklets_reviewed"][position[year]] = people
    for year, kind, count in (PathwayStep.objects.filter(start__year__in=span).annotate(year=ExtractYear("start"))
                              .values_list("year", "kind").annotate(Count("id"))):
        if kind == PathwayStep.Kind.REINFORCED:
            rows["reinforced_started"][position[year]] += count
        if kind in (PathwayStep.Kind.REINFORCED, PathwayStep.Kind.PART_TIME):
            rows["exits_ordinary"][position[year]] += count
        if kind == PathwayStep.Kind.ADAPTED:
            rows["exits_adapted"][position[year]] += count
    for year, count in (PathwayStep.objects.filter(outcome=PathwayStep.Outcome.RETURNED, end__year__in=span)
                        .annotate(year=ExtractYear("end")).values_list("year").annotate(Count("id"))):
        rows["returns"][position[year]] = count
    people = list(Employee.objects.order_by("id").values_list("id", "hire_date", "exit_date"))
    ids = np.fromiter((p[0] for p in people), dtype=np.int64, count=len(people))
    hire = np.array([p[1] or "NaT" for p in people], dtype="datetime64[D]")
    exit_ = np.array([p[2] or "NaT" for p in people], dtype="datetime64[D]")
    held = list(Interview.objects.values_list("employee_id", "held_on"))
    who = np.array([h[0] for h in held], dtype=np.int64)
    on = np.array([h[1] for h in held], dtype="datetime64[D]")
    for n, year in enumerate(span):
        at = np.datetime64(min(datetime.date(year, 12, 31), today), "D")
        present = (np.isnat(hire) | (hire <= at)) & (np.isnat(exit_) | (exit_ >= at))
        until = on <= at
        result = engine.interview_tracker(
            employee_ids=ids[present], hire=hire[present], interview_employee=who[until], interview_on=on[until],
            interview_counts=np.zeros(int(until.sum()), bool), interview_training=np.zeros(int(until.sum()), bool),
            period_months=12, today=at, check_six_years=False)
        rows["interviews_overdue"][n] = int((result.state == engine.OVERDUE).sum())
    return {"years": span, "rows": rows}
