from celery import shared_task

from . import selectors, services
from .models import OrgSkill


@shared_task(name="skills_matrix.mappings_suggest")
def mappings_suggest(skill_ids: list[int] | None = None, k: int = 5) -> int:
    """Store ROME/ESCO suggestions for ``skill_ids`` (every skill still to map when None), e.g. after
    an import created many skills. Enqueue with ``core.tasks.enqueue(mappings_suggest, ids)``."""
    skills = list(OrgSkill.objects.filter(pk__in=skill_ids) if skill_ids is not None
                  else selectors.org_skill_list(needs_mapping=True))
    count = services.org_skill_mappings_suggest(skills=skills, k=k)
    # The new candidates feed the skill similarities: only the rows of these skills are rewritten.
    services.skill_similarities_build(skill_ids=[s.pk for s in skills])
    return count


@shared_task(name="skills_matrix.similarities_build")
def similarities_build(skill_ids: list[int] | None = None) -> int:
    """Rebuild the organisation's ``SkillSimilarity`` table (only the rows of ``skill_ids`` when given),
    e.g. after a referential import. Enqueue with ``core.tasks.enqueue(similarities_build)``."""
    return services.skill_similarities_build(skill_ids=skill_ids)
