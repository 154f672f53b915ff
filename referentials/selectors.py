"""Reads of the shared referentials (search is accent-, case- and apostrophe-insensitive)."""

from django.db.models import Case, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import StrIndex

from .models import MobilityEdge, Occupation, OccupationSkill, OccupationTitle, Skill
from .readers import normalize_search


def _words(search: str) -> list[str]:
    """Normalised words of ``search``; a final plural s/x is dropped ("arbres" also finds "arbre")."""
    return [w[:-1] if len(w) > 3 and w[-1] in "sx" else w for w in normalize_search(search).split()]


def _all_words(words: list[str], field: str = "search_text") -> Q:
    condition = Q()
    for word in words:
        condition &= Q(**{f"{field}__contains": word})
    return condition


def _search(qs: QuerySet, search: str, *, order: tuple[str, ...]) -> QuerySet:
    """Keep rows whose ``search_text`` contains every word of ``search``.

    Ranked by where the first word appears: the label comes first in ``search_text``,
    so label matches sort before matches found only in alternative labels.
    """
    words = _words(search)
    if not words:
        return qs.order_by(*order)
    rank = StrIndex("search_text", Value(words[0]))
    return qs.filter(_all_words(words)).annotate(search_rank=rank).order_by("search_rank", *order)


def occupation_list(*, search: str = "") -> QuerySet[Occupation]:
    """ROME occupations whose code/label, or one of whose titles, contains every word of ``search``.

    Occupations matching on their own label come first.
    """
    qs = Occupation.objects.all()
    words = _words(search)
    if not words:
        return qs.order_by("code")
    own = _all_words(words)
    by_title = Exists(OccupationTitle.objects.filter(_all_words(words), occupation=OuterRef("pk")))
    return (
        qs.filter(own | by_title)
        .annotate(search_rank=Case(When(own, then=Value(0)), default=Value(1)))
        .order_by("search_rank", "code")
    )


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
