"""The organisation's level scale (labels and descriptions of levels 0 to 4)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.permissions import right_required
from core.errors import ApplicationError

from .. import selectors, services


@right_required("skills.edit")
def level_scale(request):
    levels = list(selectors.skill_levels())
    if request.method == "POST":
        try:
            for level in levels:
                services.skill_level_update(
                    level=level, label=request.POST.get(f"label-{level.value}", level.label),
                    description=request.POST.get(f"description-{level.value}", level.description),
                )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Échelle des niveaux enregistrée."))
            return redirect("skills_matrix:levels")
    return render(request, "skills_matrix/levels.html", {"levels": levels})
