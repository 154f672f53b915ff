"""Read API of the shared referentials: any signed-in user of any organisation may read them."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router

from accounts.permissions import require_right
from esipro.errors import ApplicationError
from esipro.pagination import page

from . import selectors
from .models import Occupation, Skill
from .schemas import OccupationDetailOut, OccupationPage, SkillPage

router = Router(tags=["referentials"])

MAX_LIMIT = 200


@router.get("/occupations", response=OccupationPage, summary="Fiches métier ROME (recherche, paginé)")
def occupation_list(request, search: str = "", limit: int = 50, offset: int = 0):
    require_right(request.user, "referentials.view")
    qs = selectors.occupation_list(search=search)
    return page(qs, limit=limit, offset=offset, max_limit=MAX_LIMIT)


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


@router.get("/skills", response=SkillPage, summary="Compétences et savoirs ROME (recherche, paginé)")
def skill_list(request, search: str = "", kind: str = "", limit: int = 50, offset: int = 0):
    require_right(request.user, "referentials.view")
    if kind and kind not in Skill.Kind.values:
        raise ApplicationError(
            _("Nature de compétence inconnue « %(kind)s » : valeurs possibles %(values)s.")
            % {"kind": kind, "values": ", ".join(Skill.Kind.values)}
        )
    qs = selectors.skill_list(search=search, kind=kind)
    return page(qs, limit=limit, offset=offset, max_limit=MAX_LIMIT)
