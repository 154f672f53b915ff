"""Reads of the shared referentials (search is accent-, case- and apostrophe-insensitive)."""

from django.db.models import Prefetch, Q, QuerySet, Value
from django.db.models.functions import StrIndex

from .models import MobilityEdge, Occupation, OccupationSkill, OccupationTitle, Skill
from .readers import normalize_search


def _search(qs: QuerySet, search: str, *, order: tuple[str, ...]) -> QuerySet:
    """Keep rows whose ``search_text`` contains every word of ``search``.

    Ranked by where the first word appears: the label comes first in ``search_text``,
    so label matches sort before matches found only in titles or alternative labels.
    """
    words = normalize_search(search).split()
    if not words:
        return qs.order_by(*order)
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=word)
    rank = StrIndex("search_text", Value(words[0]))
    return qs.filter(condition).annotate(search_rank=rank).order_by("search_rank", *order)


def occupation_list(*, search: str = "") -> QuerySet[Occupation]:
    """ROME occupations, filtered by words of their code, label or titles."""
    return _search(Occupation.objects.all(), search, order=("code",))


def occupation_get(*, code: str) -> Occupation:
    """One occupation with its titles, skills (by role) and mobility targets prefetched.

    Raises ``Occupation.DoesNotExist`` for an unknown code.
    """
    links = OccupationSkill.objects.select_related("skill").order_by("skill__label")
    return Occupation.objects.prefetch_related(
        Prefetch("titles", queryset=OccupationTitle.objects.order_by("-is_main", "label")),
        Prefetch("skill_links", queryset=links),
        Prefetch("mobility_out", queryset=MobilityEdge.objects.select_related("target").order_by("order")),
    ).get(code=code.strip().upper())


def occupation_skills_by_role(occupation: Occupation) -> dict[str, list[Skill]]:
    """``{"core": [...], "emerging": [...], "other": [...]}`` from the prefetched links."""
    result: dict[str, list[Skill]] = {role: [] for role in OccupationSkill.Role.values}
    for link in occupation.skill_links.all():
        result[link.role].append(link.skill)
    return result


def skill_list(*, search: str = "", kind: str = "") -> QuerySet[Skill]:
    """ROME skills (savoir-faire, savoir-être, savoirs, macro-compétences), filtered by words and kind."""
    qs = Skill.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    return _search(qs, search, order=("label", "code_ogr"))
