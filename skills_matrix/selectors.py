"""Reads of the skills matrix, scoped to the employees the acting user may see."""

import datetime
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from workforce.models import OrgUnit
from workforce.selectors import employee_visible_qs

from . import engine
from .models import EmployeeSkill, JobRequirement, OrgSkill, SkillKind, SkillLevel, SkillMapping

LAST_DAY = datetime.date(9999, 12, 30)


def moment_of(at: datetime.date | datetime.datetime | None) -> datetime.datetime | None:
    """The instant just after ``at``: the end of that day for a date (local time), ``None`` for now."""
    if at is None:
        return None
    if (at.date() if isinstance(at, datetime.datetime) else at) >= LAST_DAY:  # no end of day to compute at the calendar's end: every row valid then is valid now
        return timezone.make_aware(datetime.datetime.combine(LAST_DAY, datetime.time.min))
    if isinstance(at, datetime.datetime):
        return at + datetime.timedelta(microseconds=1)
    midnight = datetime.datetime.combine(at + datetime.timedelta(days=1), datetime.time.min)
    return timezone.make_aware(midnight)


def valid_at_q(at: datetime.date | datetime.datetime | None, prefix: str = "") -> Q:
    """Rows valid at ``at`` (a date means its end of day); current rows when ``at`` is None."""
    moment = moment_of(at)
    if moment is None:
        return Q(**{f"{prefix}valid_to__isnull": True})
    return Q(**{f"{prefix}valid_from__lt": moment}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": moment})
    )


def present_at_q(at: datetime.date | datetime.datetime | None) -> Q:
    """Employees on the staff at ``at``: hired on or before that day (no hire date counts as hired) and
    not gone by then; today's active staff when ``at`` is None."""
    if at is None:
        return Q(is_active=True)
    day = timezone.localdate(at) if isinstance(at, datetime.datetime) else at
    return (Q(hire_date__isnull=True) | Q(hire_date__lte=day)) & (Q(exit_date__isnull=True) | Q(exit_date__gt=day))


def org_unit_with_descendants(unit_id: int) -> list[int]:
    """``unit_id`` and every unit below it (one query, walked in memory)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in OrgUnit.objects.values_list("id", "parent_id"):
        children.setdefault(parent, []).append(pk)
    result, stack = [], [unit_id]
    while stack:
        pk = stack.pop()
        result.append(pk)
        stack.extend(children.get(pk, []))
    return result


@dataclass(frozen=True)
class MatrixEmployee:
    id: int
    staff_number: str
    last_name: str
    first_name: str
    job_title: str
    org_unit_name: str


@dataclass(frozen=True)
class MatrixSkill:
    id: int
    label: str
    kind: str
    family: str = ""  # the ROME group (macro-skill) or category of its accepted mapping, "" when none

    @property
    def kind_label(self) -> str:
        return SkillKind(self.kind).label if self.kind in SkillKind.values else self.kind

    @property
    def family_label(self) -> str:
        return self.family or _("Sans famille ROME")


# How the columns of the matrix may be grouped: by nature (savoir-faire, savoir-être, savoir) or by the
# ROME family of their accepted mapping; "" keeps one alphabetical run.
MATRIX_GROUPINGS = ("kind", "family")


@dataclass(frozen=True)
class MatrixTotals:
    """Counts over every employee of the filter, whatever window of them is shown.

    ``gaps_per_skill[S]``: employees below the required level in each column (one gap per employee and
    skill at most); ``total_gaps``: their sum; ``employees_in_gap``: employees with at least one gap."""

    total_gaps: int
    employees_in_gap: int
    gaps_per_skill: np.ndarray


@dataclass(frozen=True)
class SkillMatrix:
    """Employees × skills at a date. Arrays as documented in ``skills_matrix.engine``."""

    employees: list[MatrixEmployee]
    skills: list[MatrixSkill]
    levels: np.ndarray
    targets: np.ndarray
    gaps: np.ndarray
    summary: engine.MatrixSummary
    at: datetime.date | datetime.datetime | None
    employee_total: int
    offset: int = 0
    totals: MatrixTotals | None = None
    grouping: str = ""

    @property
    def groups(self) -> list[tuple[str, int]]:
        """Runs of consecutive columns under one group heading: ``[(label, number of columns), ...]``;
        empty when the columns are not grouped."""
        if self.grouping not in MATRIX_GROUPINGS:
            return []
        runs: list[tuple[str, int]] = []
        for skill in self.skills:
            label = str(skill.kind_label if self.grouping == "kind" else skill.family_label)
            if runs and runs[-1][0] == label:
                runs[-1] = (label, runs[-1][1] + 1)
            else:
                runs.append((label, 1))
        return runs


def _positions(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    order = np.argsort(ids)
    return order[np.searchsorted(ids, wanted, sorter=order)]


def skill_matrix(*, user, org_unit: int | None = None, job: int | None = None, kind: str | None = None,
                 at: datetime.date | datetime.datetime | None = None, active_only: bool = True,
                 offset: int = 0, limit: int | None = None, grouping: str = "",
                 with_totals: bool = True) -> SkillMatrix:
    """The levels of the employees ``user`` may see, in every skill they hold or their job requires.

    Filters: ``org_unit`` (with its sub-units), ``job``, skill ``kind``; ``at`` rebuilds the matrix
    as it was on that date from the append-only history, for the employees present then
    (``present_at_q``; jobs and requirements have no history: today's apply). ``offset``/``limit`` keep a window of
    employees (in name order; the columns stay those of the whole population, the summary is the
    window's). A handful of queries whatever the size: employees, levels (one ``values_list`` for
    every cell), requirements, skill labels (and the held skills when windowed; the families when grouped
    by family).
    ``totals`` count the gaps of the whole filter (one aggregate query when windowed, skipped when
    ``with_totals`` is False: the totals are then those of the window). ``grouping``
    ("kind" or "family", see ``MATRIX_GROUPINGS``) orders the columns group by group, then by label.
    """
    employees_qs = employee_visible_qs(user)
    if active_only:
        employees_qs = employees_qs.filter(present_at_q(at))
    if org_unit:
        employees_qs = employees_qs.filter(org_unit_id__in=org_unit_with_descendants(org_unit))
    if job:
        employees_qs = employees_qs.filter(job_id=job)
    names = ("last_name", "first_name", "staff_number")
    columns = ("id", "staff_number", "last_name", "first_name", "job__title", "org_unit__name", "job_id")
    skill_filter = Q(skill__kind=kind) if kind else Q()
    held = EmployeeSkill.objects.filter(valid_at_q(at), skill_filter)
    windowed = limit is not None or offset > 0
    if not windowed:
        people = list(employees_qs.order_by(*names).values_list(*columns))
        employee_total = len(people)
        job_ids = sorted({p[6] for p in people if p[6]})
        cells = _int_rows(held.filter(employee_id__in=employees_qs.values("id"))
                          .values_list("employee_id", "skill_id", "level"), 3)
        held_skills = cells[:, 1]
    else:
        # The window alone is read row by row; the population is read as counts (per job, per skill).
        per_job = dict(employees_qs.order_by().values_list("job_id").annotate(n=Count("id")))
        employee_total = sum(per_job.values())
        job_ids = sorted(j for j in per_job if j)
        window = employees_qs.order_by(*names).values_list(*columns)
        people = list(window[offset:offset + limit] if limit is not None else window[offset:])
        employee_ids = np.array([p[0] for p in people], dtype=np.int64)
        cells = _int_rows(held.filter(employee_id__in=employee_ids.tolist())
                          .values_list("employee_id", "skill_id", "level"), 3)
    employee_ids = np.array([p[0] for p in people], dtype=np.int64)
    requirements = _int_rows(JobRequirement.objects.filter(skill_filter, job_id__in=job_ids)
                             .values_list("job_id", "skill_id", "target_level"), 3)
    if windowed:
        held_skills, population = _population_counts(employees_qs, held, requirements, per_job,
                                                     first_rows=at is None, with_totals=with_totals)

    skill_ids = np.union1d(held_skills, requirements[:, 1])
    families = _skill_families(skill_ids.tolist()) if grouping == "family" else {}
    skills = {pk: MatrixSkill(pk, label, k, families.get(pk, "")) for pk, label, k in
              OrgSkill.objects.filter(pk__in=skill_ids.tolist()).values_list("id", "label", "kind")}
    ordered = sorted(skills.values(), key=lambda s: (*_group_key(s, grouping), engine.normalize_label(s.label), s.id))
    column_ids = np.array([s.id for s in ordered], dtype=np.int64)

    levels = np.full((len(people), len(ordered)), engine.NO_LEVEL, dtype=np.int8)
    if len(cells) and len(people):
        levels[_positions(employee_ids, cells[:, 0]), _positions(column_ids, cells[:, 1])] = cells[:, 2]
    job_targets = np.zeros((len(job_ids), len(ordered)), dtype=np.int8)
    if len(requirements):
        job_array = np.array(job_ids, dtype=np.int64)
        job_targets[_positions(job_array, requirements[:, 0]), _positions(column_ids, requirements[:, 1])] = (
            requirements[:, 2]
        )
    job_row = {job_id: row for row, job_id in enumerate(job_ids)}
    employee_job = np.array([job_row.get(p[6], -1) for p in people], dtype=np.int64)
    targets = engine.targets_for_employees(job_targets, employee_job)
    gaps = engine.compute_gaps(levels, targets)
    summary = engine.summarize(levels, gaps)
    if not windowed or not with_totals:
        totals = MatrixTotals(summary.total_gaps, summary.employees_in_gap, summary.gaps_per_skill)
    else:
        totals = population.totals(column_ids)
    return SkillMatrix(
        employees=[MatrixEmployee(p[0], p[1], p[2], p[3], p[4] or "", p[5] or "") for p in people],
        skills=ordered, levels=levels, targets=targets, gaps=gaps,
        summary=summary, at=at, employee_total=employee_total, offset=offset, totals=totals,
        grouping=grouping if grouping in MATRIX_GROUPINGS else "",
    )


_KIND_ORDER = {value: position for position, value in enumerate(SkillKind.values)}


def _group_key(skill: MatrixSkill, grouping: str) -> tuple:
    if grouping == "kind":
        return (_KIND_ORDER.get(skill.kind, len(_KIND_ORDER)),)
    if grouping == "family":  # skills without a family last
        return (not skill.family, engine.normalize_label(skill.family))
    return ()


def _skill_families(skill_ids: list[int]) -> dict[int, str]:
    """Each skill's ROME family: the macro-skill (or category) of the ROME skill its accepted mapping
    points to; skills without an accepted ROME mapping are left out. One query."""
    families: dict[int, str] = {}
    rows = (SkillMapping.objects.filter(org_skill_id__in=skill_ids, status=SkillMapping.Status.ACCEPTED,
                                        rome_skill__isnull=False)
            .order_by("org_skill_id", "-confidence", "pk")
            .values_list("org_skill_id", "rome_skill__group_label", "rome_skill__category"))
    for skill_id, group_label, category in rows:
        families.setdefault(skill_id, group_label or category or "")
    return families


@dataclass(frozen=True)
class _PopulationCounts:
    met_per_skill: dict[int, int]  # employees of the filter at or above their job's required level
    needed_per_skill: dict[int, int]  # employees of the filter whose job requires the skill
    employees_with_requirements: int
    employees_meeting_all: int

    def totals(self, column_ids: np.ndarray) -> MatrixTotals:
        per_skill = np.array([self.needed_per_skill.get(pk, 0) - self.met_per_skill.get(pk, 0)
                              for pk in column_ids.tolist()], dtype=np.int64)
        return MatrixTotals(int(per_skill.sum()), self.employees_with_requirements - self.employees_meeting_all,
                            per_skill)


def _population_counts(employees_qs, held_qs, requirements: np.ndarray, per_job: dict[int | None, int],
                       first_rows: bool = True, with_totals: bool = True) -> tuple[np.ndarray, _PopulationCounts]:
    """The skills held by anyone of ``employees_qs`` and the counts behind the whole filter's gaps, in one
    aggregate query over the levels (no row sent back per employee or per level):
    a gap is a requirement not met, so gaps per skill = employees whose job requires it − those at or above
    the level, and employees in gap = employees with requirements − those meeting them all."""
    positive = requirements[requirements[:, 2] > 0] if len(requirements) else requirements
    needed: dict[int, int] = {}
    required_per_job: dict[int, int] = {}
    for job_id, skill_id, _target in positive.tolist():
        needed[skill_id] = needed.get(skill_id, 0) + per_job.get(job_id, 0)
        required_per_job[job_id] = required_per_job.get(job_id, 0) + 1
    with_requirements = sum(per_job.get(job_id, 0) for job_id in required_per_job)
    try:
        people_sql, people_params = employees_qs.order_by().values("id", "job_id").query.sql_with_params()
    except EmptyResultSet:
        return np.zeros(0, dtype=np.int64), _PopulationCounts({}, needed, with_requirements, 0)
    held_sql, held_params = held_qs.order_by().values("employee_id", "skill_id", "level").query.sql_with_params()
    skills_sql, skills_params = OrgSkill.objects.order_by().values("id").query.sql_with_params()
    # Columns: the skills held by at least one employee of the filter. Today, each is found by its first
    # row (current levels are spread over every skill: a few rows read per skill); at a past date, when
    # few rows may be valid, by one scan.
    if first_rows:
        columns_sql = (f"WITH p AS ({people_sql}), h AS ({held_sql}) "  # noqa: S608 (compiled querysets)
                       f"SELECT s.id FROM ({skills_sql}) s CROSS JOIN LATERAL "
                       "(SELECT 1 FROM h WHERE h.skill_id = s.id AND h.employee_id IN (SELECT id FROM p) LIMIT 1) x")
    else:
        columns_sql = (f"WITH p AS ({people_sql}), h AS ({held_sql}), s AS ({skills_sql}) "  # noqa: S608
                       "SELECT DISTINCT h.skill_id FROM h WHERE h.employee_id IN (SELECT id FROM p)")
    met: dict[int, int] = {}
    meeting_all = 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")  # compiling costs more than it saves on these short scans
        cursor.execute(columns_sql, (*people_params, *held_params, *skills_params))
        held_skills = np.array(sorted(row[0] for row in cursor.fetchall()), dtype=np.int64)
        if len(positive) and with_totals:
            values = ", ".join(["(%s::bigint, %s::bigint, %s::int)"] * len(positive))
            # Only the levels of required skills can meet a requirement.
            required_held_sql, required_held_params = (
                held_qs.filter(skill_id__in=sorted(set(positive[:, 1].tolist()))).order_by()
                .values("employee_id", "skill_id", "level").query.sql_with_params())
            # Each employee's met requirements as one array (levels joined to the employee, then to the
            # requirement; the OFFSET 0 keeps that order, the small requirement table last).
            sql = (
                f"WITH p AS ({people_sql}), h AS ({required_held_sql}), "  # noqa: S608 (compiled querysets, placeholders)
                f"r (job_id, skill_id, target_level) AS (VALUES {values}), "
                "n AS (SELECT job_id, count(*) AS n FROM r GROUP BY job_id), "
                "e AS (SELECT employee_id, job_id, array_agg(skill_id) AS met FROM ("
                "SELECT h.employee_id, p.job_id, h.skill_id, h.level >= r.target_level AS ok "
                "FROM h JOIN p ON p.id = h.employee_id "
                "LEFT JOIN r ON r.job_id = p.job_id AND r.skill_id = h.skill_id OFFSET 0) j "
                "WHERE ok GROUP BY employee_id, job_id) "
                "SELECT skill_id, count(*) FROM e, unnest(e.met) AS skill_id GROUP BY skill_id "
                "UNION ALL SELECT NULL, count(*) FROM e JOIN n ON n.job_id = e.job_id AND cardinality(e.met) = n.n"
            )
            cursor.execute(sql, (*people_params, *required_held_params,
                                 *[int(v) for row in positive.tolist() for v in row]))
            for skill_id, count in cursor.fetchall():
                if skill_id is None:
                    meeting_all = int(count)
                else:
                    met[int(skill_id)] = int(count)
    return held_skills, _PopulationCounts(met, needed, with_requirements, meeting_all)


def matrix_filter_labels(*, org_unit: int | None = None, job: int | None = None,
                         kind: str | None = None) -> list[tuple[str, str]]:
    """The filters of a matrix as ``[(name, value), ...]`` in words, for an export's header ("Toutes"
    when a filter is not set)."""
    from workforce.models import Job

    unit_name = OrgUnit.objects.filter(pk=org_unit).values_list("name", flat=True).first() if org_unit else None
    job_title = Job.objects.filter(pk=job).values_list("title", flat=True).first() if job else None
    return [
        (_("Unité"), unit_name or _("Toutes")),
        (_("Emploi"), job_title or _("Tous")),
        (_("Nature"), str(SkillKind(kind).label) if kind in SkillKind.values else _("Toutes")),
    ]


def _int_rows(values_list, width: int) -> np.ndarray:
    return np.array(list(values_list), dtype=np.int64).reshape(-1, width)


def employee_skills_at(*, employee, at: datetime.date | datetime.datetime | None = None) -> QuerySet[EmployeeSkill]:
    """The employee's level in each skill at ``at`` (now when None)."""
    return (EmployeeSkill.objects.filter(valid_at_q(at), employee=employee)
            .select_related("skill", "recorded_by").order_by("skill__normalized_label"))


@dataclass(frozen=True)
class RequirementGap:
    skill_label: str
    target: int
    level: int | None  # None: no level in that skill at the date
    gap: int  # how many levels short of the target (0 when reached)


def employee_requirement_gaps(*, employee, at: datetime.date | datetime.datetime | None = None) -> list[RequirementGap]:
    """For each skill required by the employee's (current) job, the required level, the employee's level at
    ``at`` (now when None) and the gap, in skill order; empty when the employee has no job. Two queries."""
    if not employee.job_id:
        return []
    held = dict(EmployeeSkill.objects.filter(valid_at_q(at), employee=employee).values_list("skill_id", "level"))
    gaps = []
    for skill_id, label, target in (JobRequirement.objects.filter(job_id=employee.job_id)
                                    .order_by("skill__normalized_label")
                                    .values_list("skill_id", "skill__label", "target_level")):
        level = held.get(skill_id)
        gaps.append(RequirementGap(label, target, level, max(target - (level or 0), 0)))
    return gaps


def employee_skill_history(*, employee) -> QuerySet[EmployeeSkill]:
    """Every version of every level of the employee, most recent first."""
    return (EmployeeSkill.objects.filter(employee=employee)
            .select_related("skill", "recorded_by").order_by("skill__normalized_label", "-valid_from"))


def org_skill_list(*, search: str = "", kind: str = "", needs_mapping: bool | None = None) -> QuerySet[OrgSkill]:
    qs = OrgSkill.objects.order_by("normalized_label")
    for word in engine.normalize_label(search).split():
        qs = qs.filter(normalized_label__contains=word)
    if kind:
        qs = qs.filter(kind=kind)
    if needs_mapping is not None:
        qs = qs.filter(needs_mapping=needs_mapping)
    return qs


def mapping_list(*, skill: OrgSkill | None = None, status: str = "") -> QuerySet[SkillMapping]:
    qs = SkillMapping.objects.select_related("org_skill", "rome_skill", "esco_skill", "reviewed_by")
    if skill is not None:
        qs = qs.filter(org_skill=skill)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("org_skill__normalized_label", "-confidence", "pk")


def mappings_to_review() -> QuerySet[OrgSkill]:
    """Skills with suggested mappings, each with its suggestions best first (prefetched)."""
    suggested = SkillMapping.objects.filter(status=SkillMapping.Status.SUGGESTED).select_related(
        "rome_skill", "esco_skill").order_by("-confidence", "pk")
    return (OrgSkill.objects.filter(mappings__status=SkillMapping.Status.SUGGESTED).distinct()
            .prefetch_related(Prefetch("mappings", queryset=suggested, to_attr="suggestions"))
            .order_by("normalized_label"))


def job_requirements(*, job) -> QuerySet[JobRequirement]:
    return JobRequirement.objects.filter(job=job).select_related("skill").order_by("skill__normalized_label")


def skill_levels() -> QuerySet[SkillLevel]:
    return SkillLevel.objects.order_by("value")
