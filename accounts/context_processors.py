from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .permissions import has_any_right

# What the people of an organisation are called, by its kind (tenants.Organization.Kind).
VOCABULARY = {
    "company": {"people": _("Salariés"), "people_lower": _("salariés"), "person": _("salarié"),
                "person_title": _("Salarié"), "present": _("salariés présents"),
                "in_gap": _("salariés avec au moins un écart")},
    "administration": {"people": _("Agents"), "people_lower": _("agents"), "person": pgettext_lazy("personne", "agent"),
                       "person_title": _("Agent"), "present": _("agents présents"),
                       "in_gap": _("agents avec au moins un écart")},
    "esat": {"people": _("Travailleurs"), "people_lower": _("travailleurs"), "person": _("travailleur"),
             "person_title": _("Travailleur"), "present": _("travailleurs présents"),
             "in_gap": _("travailleurs avec au moins un écart")},
}
PEOPLE = "people"  # a NAVIGATION label taken from the organisation's vocabulary

# (label, URL name, rights of which one is needed)
NAVIGATION = [
    (_("Tableau de bord"), "dashboard", ()),
    (PEOPLE, "workforce:employee_list", ("employees.view_all", "employees.view_team")),
    (_("Ma fiche"), "workforce:my_profile", ("employees.view_self",)),
    (_("Compétences"), "skills_matrix:matrix", ("skills.view_all", "skills.view_team")),
    (_("Mes compétences"), "skills_matrix:my_skills", ("skills.view_self",)),
    (_("Carnets"), "booklet:worker_list", ("booklet.view_all", "booklet.view_team")),
    (_("Mon carnet"), "booklet:mine", ("booklet.view_self",)),
    (_("Entretiens"), "booklet:tracker", ("interviews.track",)),
    (_("Emplois"), "workforce:job_list", ("jobs.edit",)),
    (_("Rapprochements"), "skills_matrix:mapping_review", ("mappings.review",)),
    (_("À valider"), "skills_matrix:review_queue", ("mappings.review",)),
    (_("Catalogue des compétences"), "skills_matrix:skill_list", ("skills.edit",)),
    (_("Mes pistes de mobilité"), "mobility:my_paths", ("mobility.view_self",)),
    (_("Mobilité interne"), "mobility:job_list", ("mobility.view_all", "mobility.view_team")),
    (_("Formations"), "mobility:training_list", ("trainings.edit",)),
    (_("Plans de mobilité"), "mobility:plan_list", ("mobility.plan",)),
    (_("Prévisions"), "foresight:scenario_list", ("foresight.view", "foresight.view_team")),
    (_("Référentiel ROME"), "referentials:occupation_list", ("referentials.view",)),
    (_("Imports"), "imports:job_list", ("imports.view", "imports.run")),
    (_("Utilisateurs"), "accounts:user_list", ("users.manage",)),
    (_("Équipes"), "accounts:team_list", ("teams.manage",)),
    (_("Indicateurs ESAT"), "booklet:indicators", ("booklet.indicators",)),
    (_("Données personnelles"), "booklet:gdpr", ("gdpr.manage",)),
    (_("Jetons d'API"), "accounts:token_list", ()),
]


def vocabulary_for(organization) -> dict:
    return VOCABULARY.get(getattr(organization, "kind", None), VOCABULARY["company"])


def vocabulary(request):
    """``vocabulary.people`` (Salariés, Agents, Travailleurs), ``people_lower``, ``person``, ``person_title``,
    ``present``, ``in_gap``."""
    return {"vocabulary": vocabulary_for(getattr(request, "tenant", None))}


def navigation(request):
    user = getattr(request, "user", None)
    tenant = getattr(request, "tenant", None)
    if user is None or not user.is_authenticated or tenant is None:
        return {"navigation": [], "organization": tenant}
    items = []
    words = vocabulary_for(tenant)
    for label, name, rights in NAVIGATION:
        label = words["people"] if label == PEOPLE else label
        if rights and not has_any_right(user, *rights):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        active = request.path == url or (url != "/" and request.path.startswith(url))
        if name == "booklet:mine":
            active = bool(user.employee_id) and request.path.startswith(
                reverse("booklet:detail", args=[user.employee.staff_number]))
        if name == "workforce:my_profile":
            # "Ma fiche" redirects to the employee's own page: that page is where the link is current.
            active = bool(user.employee_id) and request.path == reverse(
                "workforce:employee_detail", args=[user.employee.staff_number])
        items.append({"label": label, "url": url, "active": active})
    # Only the most specific match is current (/competences/catalogue/ is not also /competences/).
    current = max((item for item in items if item["active"]), key=lambda item: len(item["url"]), default=None)
    for item in items:
        item["active"] = item is current
    return {"navigation": items, "organization": tenant}
