"""The skills each job requires."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from workforce.models import Job

from ..engine import normalize_label
from ..models import JobRequirement, OrgSkill, SkillKind, SkillLevel, SkillMapping

# ROME kinds without an organisation equivalent fall back to know-how.
_KIND_FROM_ROME = {"savoir_faire": SkillKind.KNOW_HOW, "savoir_etre": SkillKind.SOFT, "savoir": SkillKind.KNOWLEDGE}
DEFAULT_TARGET = 2


def rome_occupation(code: str | None):
    """The shared referential's ROME occupation ``code``; an unknown code is an ``ApplicationError``."""
    from referentials.models import Occupation

    code = (code or "").strip().upper()
    occupation = Occupation.objects.filter(code=code).first()
    if occupation is None:
        raise ApplicationError(
            _("Fiche ROME « %(code)s » introuvable : vérifiez le code (ex. D1402) ou importez le référentiel.")
            % {"code": code}
        )
    return occupation


@transaction.atomic
def job_requirements_from_rome(*, job: Job, user) -> int:
    """Require the core skills of the job's ROME occupation, as ``workforce.services.job_create_from_rome`` does.

    Requirements the job already has are left untouched. Returns the number of requirements added.
    """
    if not job.rome_code:
        raise ApplicationError(
            _("L'emploi « %(title)s » n'est relié à aucune fiche ROME : saisissez d'abord son code ROME "
              "(ex. D1402).") % {"title": job.title}
        )
    return _add_core_requirements(job=job, occupation=rome_occupation(job.rome_code), user=user)


def _add_core_requirements(*, job: Job, occupation, user) -> int:
    """Each core ROME skill of ``occupation`` becomes (or joins, by normalised label) an organisation
    skill with an accepted mapping of confidence 1.0 onto it, required at level 2 with weight 1 unless
    the job already requires it. Returns the number of requirements added."""
    from referentials.models import OccupationSkill

    core = list(
        OccupationSkill.objects.filter(occupation=occupation, role=OccupationSkill.Role.CORE)
        .order_by("skill__label").values_list("skill_id", "skill__label", "skill__kind")
    )
    by_key: dict[str, tuple[int, str, str]] = {}
    for skill_id, label, kind in core:
        by_key.setdefault(normalize_label(label[:300]), (skill_id, label[:300], kind))
    existing = {s.normalized_label: s for s in OrgSkill.objects.filter(normalized_label__in=by_key)}
    OrgSkill.objects.bulk_create(
        [OrgSkill(label=label, normalized_label=key, kind=_KIND_FROM_ROME.get(kind, SkillKind.KNOW_HOW),
                  needs_mapping=False)
         for key, (_id, label, kind) in by_key.items() if key not in existing],
        ignore_conflicts=True,
    )
    org_skills = {s.normalized_label: s for s in OrgSkill.objects.filter(normalized_label__in=by_key)}
    mappings = {
        (m.org_skill_id, m.rome_skill_id): m
        for m in SkillMapping.objects.filter(org_skill__in=org_skills.values(),
                                             rome_skill_id__in=[v[0] for v in by_key.values()])
    }
    new_mappings, accepted = [], []
    for key, (rome_id, _label, _kind) in by_key.items():
        mapping = mappings.get((org_skills[key].pk, rome_id))
        if mapping is None:
            new_mappings.append(SkillMapping(org_skill=org_skills[key], rome_skill_id=rome_id, confidence=1.0,
                                             status=SkillMapping.Status.ACCEPTED, reviewed_by=user))
        elif mapping.status != SkillMapping.Status.ACCEPTED:
            mapping.status, mapping.confidence, mapping.reviewed_by = SkillMapping.Status.ACCEPTED, 1.0, user
            accepted.append(mapping)
    SkillMapping.objects.bulk_create(new_mappings)
    SkillMapping.objects.bulk_update(accepted, ["status", "confidence", "reviewed_by"])
    OrgSkill.objects.filter(pk__in=[s.pk for s in org_skills.values()]).update(needs_mapping=False)
    required = set(JobRequirement.objects.filter(job=job).values_list("skill_id", flat=True))
    added = JobRequirement.objects.bulk_create([
        JobRequirement(job=job, skill=skill, target_level=DEFAULT_TARGET, weight=1)
        for skill in org_skills.values() if skill.pk not in required
    ])
    return len(added)


def _check_target(target_level: int) -> None:
    values = list(SkillLevel.objects.values_list("value", flat=True))
    if target_level not in values or target_level < 1:
        raise ApplicationError(
            _("Niveau requis %(level)s invalide : choisissez un niveau de 1 à %(max)s.")
            % {"level": target_level, "max": max(values, default=4)}
        )


@transaction.atomic
def job_requirement_set(*, job: Job, skill: OrgSkill, target_level: int | None = None, weight: float | None = None,
                        critical: bool | None = None) -> JobRequirement:
    """Require ``skill`` for ``job`` (creates or updates the requirement).

    A value left ``None`` keeps the stored one of an existing requirement, or takes the default of a
    new one (level 2, weight 1, not critical).
    """
    requirement = JobRequirement.objects.select_for_update().filter(job=job, skill=skill).first()
    if requirement is None:
        requirement = JobRequirement(job=job, skill=skill, target_level=DEFAULT_TARGET, weight=1.0, critical=False)
    if target_level is not None:
        _check_target(target_level)
        requirement.target_level = target_level
    if weight is not None:
        if weight <= 0:
            raise ApplicationError(_("Le poids doit être un nombre strictement positif (ex. 1)."))
        requirement.weight = weight
    if critical is not None:
        requirement.critical = critical
    requirement.save()
    return requirement


@transaction.atomic
def job_requirement_delete(*, requirement: JobRequirement) -> None:
    requirement.delete()
