"""Arrays for the mobility engine, read from the organisation's tables with a few ``values_list`` queries.

Which rows are read depends on the question: every active employee and every job (the cached
computation), one employee against the jobs their skills can count for, or the employees who can count
for one job. Sensitive fields (birth date, sex, health, disability) are never read here: the engine only
ever sees levels, requirements, mappings and similarities.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from django.db.models import Q

from skills_matrix.models import EmployeeSkill, JobRequirement, SkillMapping, SkillSimilarity
from workforce.models import Employee

from .engine import fit as engine
from .nearby import state_of as nearby_state_of
from .nearby import state_sql as nearby_state_sql


def similarity_threshold() -> float:
    return float(getattr(settings, "MOBILITY_SIMILARITY_THRESHOLD", engine.DEFAULT_SIMILARITY_THRESHOLD))


@dataclass(frozen=True)
class FitInputs:
    """``skill_ids[S]``, ``employee_ids[E]``, ``employee_job[E]`` (job id, 0 for none), ``job_ids[J]`` (ids in
    ascending order), the engine's ``levels``, ``requirements`` and ``neighbours`` over those indexes."""

    skill_ids: np.ndarray
    employee_ids: np.ndarray
    employee_job: np.ndarray
    job_ids: np.ndarray
    levels: sp.csr_matrix
    requirements: engine.Requirements
    neighbours: engine.Neighbours
    # Read along with the rows when cheap (``cached_inputs_for_employee``): skill id → label, (job, skill) critical.
    labels: dict | None = None
    critical: frozenset | None = None

    def skill_index(self, ids) -> np.ndarray:
        return np.searchsorted(self.skill_ids, np.asarray(ids, dtype=np.int64))

    def effective(self, *, detail: bool = False) -> engine.Effective:
        required = np.zeros(len(self.skill_ids), dtype=bool)
        required[self.requirements.targets.indices] = True
        return engine.effective_levels(self.levels, self.neighbours, columns=required, detail=detail)

    def fit(self) -> np.ndarray:
        return engine.fit_matrix(self.effective().level, self.requirements)


def _rows(values_list, width: int, dtype=np.int64) -> np.ndarray:
    return np.array(list(values_list), dtype=dtype).reshape(-1, width)


def _mappings(skill_filter: Q | None = None) -> np.ndarray:
    """``[n, 2]``: (org skill id, standard skill key) of accepted mappings; ROME keys even, ESCO keys odd."""
    rows = list(SkillMapping.objects.filter(skill_filter or Q(), status=SkillMapping.Status.ACCEPTED)
                .values_list("org_skill_id", "rome_skill_id", "esco_skill_id"))
    return np.array([(skill, 2 * rome if rome else 2 * esco + 1) for skill, rome, esco in rows],
                    dtype=np.int64).reshape(-1, 2)


def _similarities(credited: np.ndarray | None, threshold: float) -> np.ndarray:
    """``[n, 3]``: (skill held, skill credited, σ) with σ ≥ threshold, credited skills limited to ``credited``."""
    qs = SkillSimilarity.objects.filter(sigma__gte=threshold)
    if credited is not None:
        qs = qs.filter(skill_id__in=credited.tolist())
    return _rows(qs.values_list("similar_id", "skill_id", "sigma"), 3, dtype=np.float64)


def _sources_for(credited: np.ndarray, mappings: np.ndarray, similar: np.ndarray) -> np.ndarray:
    """Skills whose level can count for one of ``credited``: themselves, skills mapped alike, similar ones."""
    keys = mappings[np.isin(mappings[:, 0], credited), 1]
    mapped = mappings[np.isin(mappings[:, 1], keys), 0]
    return np.unique(np.concatenate([credited, mapped, similar[:, 0].astype(np.int64)]))


def fit_inputs(*, employee_ids=None, job_ids=None, similar: bool = True) -> FitInputs:
    """Inputs for ``employee_ids`` (default: every active employee) × ``job_ids`` (default: every job with
    requirements). Only the levels that can count for a required skill are read."""
    threshold = similarity_threshold()
    requirement_qs = JobRequirement.objects.filter(target_level__gte=1)
    if job_ids is not None:
        requirement_qs = requirement_qs.filter(job_id__in=list(job_ids))
    requirements = list(requirement_qs.values_list("job_id", "skill_id", "target_level", "weight", "critical"))
    req = np.array(requirements, dtype=np.float64).reshape(-1, 5)
    required = np.unique(req[:, 1].astype(np.int64))
    mappings = _mappings()
    similarities = _similarities(required, threshold) if similar else np.zeros((0, 3))
    sources = _sources_for(required, mappings, similarities)

    employee_qs = Employee.objects.all()
    employee_qs = employee_qs.filter(pk__in=list(employee_ids)) if employee_ids is not None else \
        employee_qs.filter(is_active=True)
    people = _rows(employee_qs.order_by("pk").values_list("pk", "job_id"), 2, dtype=object)
    people_ids = people[:, 0].astype(np.int64)
    people_jobs = np.array([job or 0 for job in people[:, 1]], dtype=np.int64)
    level_qs = EmployeeSkill.objects.filter(valid_to__isnull=True, level__gte=1)
    if job_ids is not None:
        level_qs = level_qs.filter(skill_id__in=sources.tolist())
    if employee_ids is not None:
        level_qs = level_qs.filter(employee_id__in=people_ids.tolist())
    else:
        level_qs = level_qs.filter(employee__is_active=True)
    held = _rows(level_qs.values_list("employee_id", "skill_id", "level"), 3)
    return _assemble(people_ids, people_jobs, job_ids, req, held, mappings, similarities, similar, threshold)


def fit_inputs_for_employee(*, employee_id: int, similar: bool = True) -> FitInputs:
    """Inputs for one employee against every job one of their skills can count for (other jobs fit 0)."""
    threshold = similarity_threshold()
    held = _rows(EmployeeSkill.objects.filter(valid_to__isnull=True, level__gte=1, employee_id=employee_id)
                 .values_list("employee_id", "skill_id", "level"), 3)
    mappings = _mappings()
    own = np.unique(held[:, 1])
    keys = mappings[np.isin(mappings[:, 0], own), 1]
    credited = np.unique(np.concatenate([own, mappings[np.isin(mappings[:, 1], keys), 0]]))
    if similar:
        similarities = _rows(SkillSimilarity.objects.filter(sigma__gte=threshold, similar_id__in=own.tolist())
                             .values_list("similar_id", "skill_id", "sigma"), 3, dtype=np.float64)
        credited = np.union1d(credited, similarities[:, 1].astype(np.int64))
    else:
        similarities = np.zeros((0, 3))
    job_ids = sorted(set(JobRequirement.objects.filter(skill_id__in=credited.tolist())
                         .values_list("job_id", flat=True)))
    req = np.array(list(JobRequirement.objects.filter(job_id__in=job_ids, target_level__gte=1)
                        .values_list("job_id", "skill_id", "target_level", "weight", "critical")),
                   dtype=np.float64).reshape(-1, 5)
    job = Employee.objects.filter(pk=employee_id).values_list("job_id", flat=True).first() or 0
    return _assemble(np.array([employee_id]), np.array([job]), job_ids, req, held, mappings, similarities,
                     similar, threshold)


@dataclass(frozen=True)
class CachedInputs:
    """What one person's cached suggestions need, read in one query: whether the cache is fresh, the jobs
    ranked for them (best fit first; ``fits``: job id → fit) and, when fresh and not empty, the inputs over
    those jobs only, with ``jobs`` (id → (title, ROME code), their own job included), ``wanted`` (job ids they said "ça
    m'intéresse" for), ``here`` (job ids held today in their org unit) and ``edges`` (ROME mobility edges
    (from, to) between their job's occupation and those jobs' occupations), ``referential`` (the ROME's state
    for the nearby-paths signal, ``nearby.state_sql``)."""

    fresh: bool
    ranked: list[int]
    inputs: FitInputs | None
    fits: dict = field(default_factory=dict)
    jobs: dict = field(default_factory=dict)
    wanted: frozenset = frozenset()
    here: frozenset = frozenset()
    edges: frozenset = frozenset()
    referential: tuple | None = None


def cached_inputs_for_employee(*, employee_id: int, employee_job: int | None, org_unit: int | None,
                               limit: int) -> CachedInputs:
    """One round trip: cache freshness (version of the inputs = count of ``MobilityChange`` rows, compared
    with ``MobilityCache``), the person's ``limit`` best cached jobs, their current levels, those jobs'
    requirements (with labels and the critical flag), the accepted mappings of those skills, the
    similarities (σ ≥ threshold) from a skill they hold to a skill required, and the jobs' titles, wishes,
    org-unit presence and ROME edges. The rows read are bounded by the person's skills and the jobs shown,
    whatever the size of the organisation. Sensitive columns are never read."""
    from django.db import connection

    from referentials.models import MobilityEdge, Occupation

    from .models import MobilityCache, MobilityChange, MobilitySuggestion, MobilityWish

    threshold = similarity_threshold()
    tables = {"change": MobilityChange, "cache": MobilityCache, "suggestion": MobilitySuggestion,
              "level": EmployeeSkill, "requirement": JobRequirement, "mapping": SkillMapping,
              "similarity": SkillSimilarity, "wish": MobilityWish, "employee": Employee, "edge": MobilityEdge,
              "occupation": Occupation}
    t = {key: model._meta.db_table for key, model in tables.items()}
    t["skill"] = EmployeeSkill._meta.get_field("skill").related_model._meta.db_table
    t["job"] = Employee._meta.get_field("job").related_model._meta.db_table
    none = "NULL::bigint, NULL::bigint, NULL::float8, NULL::float8, NULL::boolean, NULL::boolean"
    sql = f"""
        WITH state AS (SELECT COALESCE((SELECT count(*) FROM {t["change"]})
                                       = (SELECT version FROM {t["cache"]} ORDER BY id LIMIT 1), false) AS fresh),
        ranked AS (SELECT job_id, employee_rank, fit FROM {t["suggestion"]}
                   WHERE employee_id = %(e)s AND employee_rank >= 1 AND (SELECT fresh FROM state)
                   ORDER BY employee_rank LIMIT %(n)s),
        held AS (SELECT l.skill_id, l.level, k.label FROM {t["level"]} l JOIN {t["skill"]} k ON k.id = l.skill_id
                 WHERE l.employee_id = %(e)s AND l.valid_to IS NULL AND l.level >= 1
                 AND EXISTS (SELECT 1 FROM ranked)),
        req AS (SELECT r.job_id, r.skill_id, r.target_level, r.weight, r.critical, k.label
                FROM {t["requirement"]} r JOIN {t["skill"]} k ON k.id = r.skill_id
                WHERE r.job_id IN (SELECT job_id FROM ranked) AND r.target_level >= 1),
        jobs AS (SELECT id, title, rome_code FROM {t["job"]}
                 WHERE id IN (SELECT job_id FROM ranked) OR (id = %(own)s AND EXISTS (SELECT 1 FROM ranked)))
        SELECT 0, {none.replace("NULL::boolean, NULL::boolean", "(SELECT fresh FROM state), NULL::boolean")},
               NULL::text, NULL::text
        UNION ALL SELECT 1, job_id, employee_rank, fit, NULL, NULL, NULL, NULL, NULL FROM ranked
        UNION ALL SELECT 2, skill_id, NULL, level, NULL, NULL, NULL, label, NULL FROM held
        UNION ALL SELECT 3, job_id, skill_id, target_level, weight, critical, NULL, label, NULL FROM req
        UNION ALL SELECT 4, org_skill_id,
                         CASE WHEN rome_skill_id IS NOT NULL THEN 2 * rome_skill_id ELSE 2 * esco_skill_id + 1 END,
                         NULL, NULL, NULL, NULL, NULL, NULL
                  FROM {t["mapping"]} WHERE status = %(accepted)s
                  AND org_skill_id IN (SELECT skill_id FROM held UNION SELECT skill_id FROM req)
        UNION ALL SELECT 5, similar_id, skill_id, sigma, NULL, NULL, NULL, NULL, NULL FROM {t["similarity"]}
                  WHERE sigma >= %(threshold)s AND similar_id IN (SELECT skill_id FROM held)
                  AND skill_id IN (SELECT skill_id FROM req)
        UNION ALL SELECT 6, j.id, NULL, NULL, NULL,
                         EXISTS (SELECT 1 FROM {t["wish"]} w WHERE w.employee_id = %(e)s AND w.job_id = j.id),
                         EXISTS (SELECT 1 FROM {t["employee"]} p WHERE p.job_id = j.id AND p.is_active
                                 AND p.org_unit_id = %(unit)s),
                         j.title, j.rome_code FROM jobs j
        UNION ALL SELECT 7, NULL, NULL, NULL, NULL, NULL, NULL, s.code, g.code
                  FROM {t["edge"]} m JOIN {t["occupation"]} s ON s.id = m.source_id
                  JOIN {t["occupation"]} g ON g.id = m.target_id
                  WHERE s.code = (SELECT rome_code FROM jobs WHERE id = %(own)s AND rome_code <> '')
                  AND g.code IN (SELECT rome_code FROM jobs WHERE rome_code <> '')
        UNION ALL SELECT 8, {nearby_state_sql()}, NULL::boolean, NULL::boolean, NULL::text, NULL::text
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"e": employee_id, "n": limit, "accepted": SkillMapping.Status.ACCEPTED,
                             "threshold": threshold, "own": employee_job or 0, "unit": org_unit})
        rows = cursor.fetchall()
    fresh = bool(next((row[5] for row in rows if row[0] == 0), False))
    ranked = [row[1] for row in sorted((row for row in rows if row[0] == 1), key=lambda row: row[2])]
    if not fresh or not ranked:
        return CachedInputs(fresh, ranked, None)
    by_kind: dict[int, list] = {kind: [] for kind in range(2, 8)}
    for row in rows:
        if row[0] in by_kind:
            by_kind[row[0]].append(row)
    labels = {row[1]: row[7] for row in by_kind[2]} | {row[2]: row[7] for row in by_kind[3]}
    critical = frozenset((row[1], row[2]) for row in by_kind[3] if row[5])
    held = np.array([(employee_id, row[1], row[3]) for row in by_kind[2]], dtype=np.int64).reshape(-1, 3)
    req = np.array([(row[1], row[2], row[3], row[4], row[5]) for row in by_kind[3]],
                   dtype=np.float64).reshape(-1, 5)
    mappings = np.array([(row[1], row[2]) for row in by_kind[4]], dtype=np.int64).reshape(-1, 2)
    similarities = np.array([(row[1], row[2], row[3]) for row in by_kind[5]], dtype=np.float64).reshape(-1, 3)
    inputs = _assemble(np.array([employee_id]), np.array([employee_job or 0]), sorted(set(ranked)), req, held,
                       mappings, similarities, True, threshold)
    return CachedInputs(True, ranked, replace(inputs, labels=labels, critical=critical),
                        {row[1]: row[3] for row in rows if row[0] == 1},
                        {row[1]: (row[7], row[8]) for row in by_kind[6]},
                        frozenset(row[1] for row in by_kind[6] if row[5]),
                        frozenset(row[1] for row in by_kind[6] if row[6]),
                        frozenset((row[7], row[8]) for row in by_kind[7]),
                        next((nearby_state_of(row[1:5]) for row in rows if row[0] == 8), None))


def _assemble(people_ids, people_jobs, job_ids, req, held, mappings, similarities, similar, threshold) -> FitInputs:
    jobs = np.unique(req[:, 0].astype(np.int64)) if job_ids is None else np.array(sorted(job_ids), dtype=np.int64)
    skill_ids = np.unique(np.concatenate([held[:, 1], req[:, 1].astype(np.int64), mappings[:, 0],
                                          similarities[:, 0].astype(np.int64), similarities[:, 1].astype(np.int64)]))
    n_skills = len(skill_ids)

    def at(ids):
        return np.searchsorted(skill_ids, np.asarray(ids, dtype=np.int64))

    levels = engine.levels_from_rows(len(people_ids), n_skills, np.searchsorted(people_ids, held[:, 0]),
                                     at(held[:, 1]), held[:, 2])
    requirements = engine.requirements_from_rows(
        len(jobs), n_skills, np.searchsorted(jobs, req[:, 0].astype(np.int64)), at(req[:, 1]), req[:, 2], req[:, 3],
        req[:, 4].astype(bool))
    neighbours = engine.skill_neighbours(
        n_skills, mapped_skill=at(mappings[:, 0]), mapped_target=mappings[:, 1],
        similar_from=at(similarities[:, 0]), similar_to=at(similarities[:, 1]), sigma=similarities[:, 2],
        threshold=threshold, similar=similar)
    return FitInputs(skill_ids, np.asarray(people_ids, dtype=np.int64), np.asarray(people_jobs, dtype=np.int64),
                     jobs, levels, requirements, neighbours)
