"""Reads of the shared referentials (search is accent-, case- and apostrophe-insensitive)."""

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import StrIndex

from .models import (
    EscoOccupation,
    EscoSkill,
    MobilityEdge,
    Occupation,
    OccupationSkill,
    OccupationTitle,
    Skill,
)
from .readers import normalize_search

SOURCES = ("rome", "esco")
# What a ``source`` parameter (API, pages) may say, and the referentials it means.
SOURCE_CHOICES = {"rome": ("rome",), "esco": ("esco",), "all": SOURCES}


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


# Columns of a search across ROME and ESCO (a UNION: both sides give them in this order).
SKILL_ITEM = ("source", "code", "label", "kind", "group_code_ogr", "group_label", "category", "alt_labels")
OCCUPATION_ITEM = (
    "source", "code", "label", "parent_code", "domain_code", "ecological_tag", "digital_tag", "demographic_tag",
    "alt_labels",
)


def _items(qs: QuerySet, source: str, columns: tuple[str, ...], values: dict, rank, sort: str = "label") -> QuerySet:
    """``qs`` as rows ``{"item_<column>": …, "item_rank": …, "item_sort": …}``; ``values`` maps a column to a
    field name (columns absent from it are empty strings); ``sort`` orders rows of equal rank."""
    exprs = {f"item_{column}": F(values[column]) if column in values else Value("") for column in columns}
    exprs["item_source"] = Value(source)
    exprs["item_source_rank"] = Value(SOURCES.index(source), output_field=IntegerField())
    exprs["item_rank"] = rank
    exprs["item_sort"] = F(sort)
    names = [f"item_{column}" for column in columns] + ["item_source_rank", "item_rank", "item_sort"]
    return qs.order_by().annotate(**exprs).values(*names)


def _union(parts: list[QuerySet]) -> QuerySet:
    """ROME first, then ESCO; in each, best match first (``item_rank``), then ``item_sort``."""
    qs = parts[0] if len(parts) == 1 else parts[0].union(*parts[1:], all=True)
    return qs.order_by("item_source_rank", "item_rank", "item_sort", "item_code")


def _text_rank(words: list[str]):
    """Where the first word appears in ``search_text``: label matches before alternative-label matches."""
    return StrIndex("search_text", Value(words[0])) if words else Value(0, output_field=IntegerField())


def item_out(row: dict) -> dict:
    """A UNION row (``item_*`` keys) as the API and the pages show it; ``alt_labels`` as a list."""
    item = {key.removeprefix("item_"): value for key, value in row.items()}
    for ordering in ("source_rank", "rank", "sort"):
        del item[ordering]
    item["alt_labels"] = [line for line in (item.get("alt_labels") or "").splitlines() if line]
    return item


def skill_search(*, search: str = "", kind: str = "", sources: tuple[str, ...] = SOURCES) -> QuerySet:
    """ROME and/or ESCO skills containing every word of ``search`` (in the label or an alternative label).

    Rows are ``item_*`` dicts (see ``item_out``), ROME first. ``kind`` is a ROME nature: ESCO skills,
    which have none, are left out when it is given.
    """
    words = _words(search)
    parts = []
    if "rome" in sources:
        rome = Skill.objects.filter(_all_words(words), **({"kind": kind} if kind else {}))
        parts.append(_items(rome, "rome", SKILL_ITEM, {
            "code": "code_ogr", "label": "label", "kind": "kind", "group_code_ogr": "group_code_ogr",
            "group_label": "group_label", "category": "category",
        }, _text_rank(words)))
    if "esco" in sources and not kind:
        esco = EscoSkill.objects.filter(_all_words(words))
        parts.append(_items(esco, "esco", SKILL_ITEM, {"code": "uri", "label": "label", "alt_labels": "alt_labels"},
                            _text_rank(words)))
    if not parts:
        return Skill.objects.none().values()
    return _union(parts)


def occupation_search(*, search: str = "", sources: tuple[str, ...] = ("rome",)) -> QuerySet:
    """ROME occupations (own label or one of their titles, as ``occupation_list``) and/or ESCO occupations
    (label or alternative label) containing every word of ``search``; ``item_*`` rows, ROME first."""
    words = _words(search)
    parts = []
    if "rome" in sources:
        own = _all_words(words)
        by_title = Exists(OccupationTitle.objects.filter(_all_words(words), occupation=OuterRef("pk")))
        rome = Occupation.objects.filter(own | by_title) if words else Occupation.objects.all()
        rank = Case(When(own, then=Value(0)), default=Value(1)) if words else Value(0)
        parts.append(_items(rome, "rome", OCCUPATION_ITEM, {
            column: column for column in OCCUPATION_ITEM if column not in ("source", "alt_labels")
        }, rank, sort="code"))
    if "esco" in sources:
        esco = EscoOccupation.objects.filter(_all_words(words))
        parts.append(_items(esco, "esco", OCCUPATION_ITEM, {"code": "uri", "label": "label", "alt_labels": "alt_labels"},
                            _text_rank(words)))
    return _union(parts)
