from celery import shared_task

from . import selectors, services
from .models import OrgSkill


@shared_task(name="skills_matrix.mappings_suggest")
def mappings_suggest(skill_ids: list[int] | None = None, k: int = 5) -> int:
    """Store ROME/ESCO suggestions for ``skill_ids`` (every skill still to map when None), e.g. after
    an import created many skills. Enqueue with ``core.tasks.enqueue(mappings_suggest, ids)``."""
    skills = (OrgSkill.objects.filter(pk__in=skill_ids) if skill_ids is not None
              else selectors.org_skill_list(needs_mapping=True))
    return services.org_skill_mappings_suggest(skills=skills, k=k)
