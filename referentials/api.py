"""Read API of the shared referentials: any signed-in user of any organisation may read them."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router

from accounts.permissions import require_right
from core.errors import ApplicationError
from core.pagination import page

from . import selectors
from .models import Occupation, Skill
from .schemas import OccupationDetailOut, OccupationPage, SkillPage

router = Router(tags=["referentials"])

MAX_LIMIT = 200


def _sources(source: str) -> tuple[str, ...]:
    if source not in selectors.SOURCE_CHOICES:
        raise ApplicationError(
            _("Source inconnue « %(source)s » : utilisez « rome », « esco » ou « all » (les deux).")
            % {"source": source}
        )
    return selectors.SOURCE_CHOICES[source]


def _skill_item(row: dict) -> dict:
    item = selectors.item_out(row)
    rome = item["source"] == "rome"
    item["code_ogr"] = item["code"] if rome else ""
    item["kind_label"] = str(Skill.Kind(item["kind"]).label) if rome else ""
    return item


@router.get(
    "/occupations", response=OccupationPage,
    summary="Fiches métier ROME, et métiers ESCO avec source=esco|all (recherche, paginé)",
)
def occupation_list(request, search: str = "", source: str = "rome", limit: int = 50, offset: int = 0):
    """``source``: ``rome`` (default: the occupations jobs are linked to), ``esco`` or ``all`` (ROME first)."""
    require_right(request.user, "referentials.view")
    qs = selectors.occupation_search(search=search, sources=_sources(source))
    return page(qs, limit=limit, offset=offset, max_limit=MAX_LIMIT, serialize=selectors.item_out)


@router.get("/occupations/{code}", response=OccupationDetailOut, summary="Une fiche métier ROME")
def occupation_detail(request, code: str):
    require_right(request.user, "referentials.view")
    try:
        occupation = selectors.occupation_get(code=code)
    except Occupation.DoesNotExist:
        raise Http404 from None
    skills = selectors.occupation_skills_by_role(occupation)
    return {
        **{f: getattr(occupation, f) for f in (
            "code", "label", "parent_code", "domain_code", "ecological_tag", "digital_tag",
            "demographic_tag", "code_ogr", "definition", "access", "regulated_tag", "executive_tag",
        )},
        "titles": list(occupation.titles.all()),
        "core_skills": skills["core"],
        "emerging_skills": skills["emerging"],
        "other_skills": skills["other"],
        "mobility_targets": [
            {"code": e.target.code, "label": e.target.label, "order": e.order}
            for e in occupation.mobility_out.all()
        ],
    }


@router.get(
    "/skills", response=SkillPage, summary="Compétences et savoirs ROME et compétences ESCO (recherche, paginé)"
)
def skill_list(request, search: str = "", kind: str = "", source: str = "all", limit: int = 50, offset: int = 0):
    """``source``: ``all`` (default, as the suggestions: ROME first, then ESCO), ``rome`` or ``esco``.
    ``kind`` is a ROME nature: with it, only ROME skills are listed."""
    require_right(request.user, "referentials.view")
    if kind and kind not in Skill.Kind.values:
        raise ApplicationError(
            _("Nature de compétence inconnue « %(kind)s » : valeurs possibles %(values)s.")
            % {"kind": kind, "values": ", ".join(Skill.Kind.values)}
        )
    sources = _sources(source)
    if kind and sources == ("esco",):
        raise ApplicationError(
            _("La nature « %(kind)s » est une nature ROME : les compétences ESCO n'en ont pas. "
              "Retirez « kind » ou utilisez source=rome.") % {"kind": kind}
        )
    qs = selectors.skill_search(search=search, kind=kind, sources=sources)
    return page(qs, limit=limit, offset=offset, max_limit=MAX_LIMIT, serialize=_skill_item)
