"""GET /api/v1/referentials/suggest: standard skills or occupations for a free-text label."""

from django.utils.translation import gettext as _
from ninja import Router, Schema

from accounts.permissions import require_right
from core.errors import ApplicationError

from .suggest import MAX_K, SOURCES, suggest_occupations, suggest_skills

router = Router(tags=["referentials"])

KINDS = ("skill", "occupation")


class SuggestionOut(Schema):
    code: str
    label: str
    source: str
    confidence: float


class SuggestionList(Schema):
    label: str
    kind: str
    items: list[SuggestionOut]
    count: int


def _invalid(message: str) -> ApplicationError:
    return ApplicationError(message, status=422)


@router.get(
    "/suggest", response=SuggestionList, summary="Compétences ou métiers standard proches d'un libellé"
)
def suggest(request, label: str = "", kind: str = "skill", k: int = 5, source: str = ""):
    require_right(request.user, "referentials.view")
    label = label.strip()
    if not label:
        raise _invalid(_("Indiquez un libellé à rapprocher (paramètre « label »)."))
    if kind not in KINDS:
        raise _invalid(
            _("Type inconnu « %(kind)s » : utilisez « skill » (compétence) ou « occupation » (métier).")
            % {"kind": kind}
        )
    if not 1 <= k <= MAX_K:
        raise _invalid(
            _("Le nombre de propositions « k » doit être compris entre 1 et %(max)d.") % {"max": MAX_K}
        )
    if source and source not in SOURCES:
        raise _invalid(
            _("Source inconnue « %(source)s » : utilisez « rome » ou « esco ».") % {"source": source}
        )
    if kind == "skill":
        items = suggest_skills(label, k, sources=(source,) if source else SOURCES)
    else:
        items = suggest_occupations(label, k, sources=(source,) if source else ("rome",))
    return {"label": label, "kind": kind, "items": items, "count": len(items)}
