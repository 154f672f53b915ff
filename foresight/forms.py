"""Forms of the foresight pages: French labels and one clear message per field. The rules themselves live in
``services`` (shared with the API); a service's field errors are put back on the form's fields."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import ApplicationError
from workforce.models import Job, OrgUnit

from .models import DEFAULT_RETIREMENT_AGE, JobNeedSkill


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class FrenchFloatField(forms.FloatField):
    """Accepts "5,5" as well as "5.5"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("\u202f", "").replace(" ", "").replace(",", ".")
        return super().to_python(value)


def _number_messages(what: str) -> dict:
    return {"invalid": _("Indiquez un nombre (par exemple %(example)s).") % {"example": what},
            "required": _("Ce champ est obligatoire.")}


class ScenarioForm(forms.Form):
    name = forms.CharField(label=_("Nom du scénario"), max_length=200,
                           error_messages={"required": _("Donnez un nom au scénario (par exemple « Fil de l'eau »)."),
                                           "max_length": _("Nom trop long : 200 caractères au plus.")})
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reference_date = forms.DateField(label=_("Date de référence"), widget=DateInput(),
                                     error_messages={"invalid": _("Date invalide : indiquez une date au format "
                                                                  "JJ/MM/AAAA."),
                                                     "required": _("Indiquez la date de référence.")})
    horizon_year = forms.IntegerField(label=_("Année d'horizon"), error_messages=_number_messages("2030"))
    retirement_age = forms.IntegerField(label=_("Âge de départ en retraite"), initial=DEFAULT_RETIREMENT_AGE,
                                        error_messages=_number_messages("64"))
    attrition_pct = FrenchFloatField(label=_("Taux de départs annuel hors retraite (%)"), initial=5,
                                     help_text=_("Démissions, mutations, fins de contrat… : part des présents qui partent chaque année (en %)."),
                                     error_messages=_number_messages("5 ou 4,5"))
    monte_carlo_runs = forms.IntegerField(label=_("Tirages Monte-Carlo"), initial=0, required=False,
                                          help_text=_("0 : valeurs attendues seulement ; 500 par exemple pour la "
                                                      "bande P10 – P90."),
                                          error_messages=_number_messages("0 ou 500"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("reference_date"):
            today = timezone.localdate()
            self.initial.setdefault("reference_date", today)
            self.initial.setdefault("horizon_year", today.year + 5)

    def clean_attrition_pct(self):
        value = self.cleaned_data["attrition_pct"]
        if not 0 <= value < 100:
            raise forms.ValidationError(_("Taux de départs annuel entre 0 et 100 % exclu (5 pour 5 % par an)."))
        return value

    def values(self) -> dict:
        data = self.cleaned_data
        return {"name": data["name"], "description": data["description"], "reference_date": data["reference_date"],
                "horizon_year": data["horizon_year"], "retirement_age": data["retirement_age"],
                "attrition_rate": round(data["attrition_pct"] / 100, 6),
                "monte_carlo_runs": data["monte_carlo_runs"] or 0}

    @staticmethod
    def initial_for(scenario) -> dict:
        return {"name": scenario.name, "description": scenario.description,
                "reference_date": scenario.reference_date, "horizon_year": scenario.horizon_year,
                "retirement_age": scenario.retirement_age, "attrition_pct": f"{round(scenario.attrition_rate * 100, 4):g}".replace(".", ","),
                "monte_carlo_runs": scenario.monte_carlo_runs}


SERVICE_FIELDS = {"attrition_rate": "attrition_pct", "job_id": "job", "org_unit_id": "org_unit",
                  "target_headcount": "value", "change_pct": "value"}


def add_service_errors(form: forms.Form, exc: ApplicationError) -> None:
    """Put an ``ApplicationError``'s per-field messages on ``form`` (the whole message when it has none)."""
    errors = exc.extra.get("errors") or []
    if not errors:
        form.add_error(None, exc.message)
    for error in errors:
        field = SERVICE_FIELDS.get(error["field"], error["field"])
        if field == "attrition_pct" and "attrition_pct" in form.fields:
            form.add_error(field, _("Taux de départs annuel entre 0 et 100 % exclu (5 pour 5 % par an)."))
            continue
        form.add_error(field if field in form.fields else None, error["message"])


class NeedForm(forms.Form):
    """The need of one job: keep today's headcount, an absolute target or a % change; skill rows are read
    from the lists ``skill``, ``change``, ``level`` of the request (see ``skills``)."""

    KEEP, ABSOLUTE, PERCENT = "keep", "absolute", "percent"
    job = forms.ModelChoiceField(label=_("Emploi"), queryset=Job.objects.order_by("title"),
                                 empty_label=_("— choisir un emploi —"),
                                 error_messages={"required": _("Choisissez l'emploi concerné."),
                                                 "invalid_choice": _("Emploi inconnu : choisissez dans la liste.")})
    kind = forms.ChoiceField(label=_("Effectif visé à l'horizon"), initial=ABSOLUTE, widget=forms.RadioSelect,
                             choices=[(ABSOLUTE, _("Effectif cible")), (PERCENT, _("Évolution de l'effectif actuel "
                                                                                   "(en %)")),
                                      (KEEP, _("Maintenir l'effectif actuel"))])
    value = FrenchFloatField(label=_("Valeur (effectif ou %)"), required=False,
                             error_messages=_number_messages("12 ou -10"))
    note = forms.CharField(label=_("Commentaire"), required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        kind, value = data.get("kind"), data.get("value")
        if kind in (self.ABSOLUTE, self.PERCENT) and value is None and "value" not in self.errors:
            self.add_error("value", _("Indiquez l'effectif cible ou l'évolution en %."))
        elif kind == self.ABSOLUTE and value is not None and value < 0:
            self.add_error("value", _("L'effectif cible ne peut pas être négatif."))
        elif kind == self.PERCENT and value is not None and value < -100:
            self.add_error("value", _("Une évolution ne peut pas descendre sous −100 %."))
        return data

    def target(self) -> dict:
        kind, value = self.cleaned_data["kind"], self.cleaned_data.get("value")
        return {"target_headcount": value if kind == self.ABSOLUTE else None,
                "change_pct": value if kind == self.PERCENT else None}


def need_skill_rows(post) -> tuple[list[dict], list[str]]:
    """The skill rows of a need form: [{"skill_id", "change", "level"}] and the French errors of bad rows."""
    rows, errors = [], []
    changes = {c for c, _label in JobNeedSkill.Change.choices}
    for number, (skill, change, level) in enumerate(zip(post.getlist("skill"), post.getlist("change"),
                                                        post.getlist("level"), strict=False), start=1):
        if not skill.strip():
            continue
        try:
            skill_id = int(skill)
        except ValueError:
            errors.append(str(_("Ligne %(n)s : compétence inconnue, choisissez dans la liste.") % {"n": number}))
            continue
        try:
            level_value = int(level)
        except ValueError:
            errors.append(str(_("Ligne %(n)s : indiquez le niveau cible (0 à 5).") % {"n": number}))
            continue
        if change not in changes:
            change = JobNeedSkill.Change.REQUIRED
        rows.append({"skill_id": skill_id, "change": change, "level": level_value})
    return rows, errors


class JobOverrideForm(forms.Form):
    job = forms.ModelChoiceField(label=_("Emploi"), queryset=Job.objects.order_by("title"),
                                 empty_label=_("— choisir un emploi —"),
                                 error_messages={"required": _("Choisissez l'emploi concerné."),
                                                 "invalid_choice": _("Emploi inconnu : choisissez dans la liste.")})
    retirement_age = forms.IntegerField(label=_("Âge de départ en retraite"), required=False,
                                        help_text=_("Carrières longues, métiers pénibles ; vide : âge du scénario."),
                                        error_messages=_number_messages("62"))
    attrition_pct = FrenchFloatField(label=_("Taux de départs annuel (%)"), required=False,
                                     help_text=_("Vide : taux de l'unité ou du scénario."),
                                     error_messages=_number_messages("8 ou 7,5"))

    def clean_attrition_pct(self):
        value = self.cleaned_data.get("attrition_pct")
        if value is not None and not 0 <= value < 100:
            raise forms.ValidationError(_("Taux de départs annuel entre 0 et 100 % exclu (5 pour 5 % par an)."))
        return value


class UnitOverrideForm(forms.Form):
    org_unit = forms.ModelChoiceField(label=_("Unité"), queryset=OrgUnit.objects.order_by("name"),
                                      empty_label=_("— choisir une unité —"),
                                      error_messages={"required": _("Choisissez l'unité concernée."),
                                                      "invalid_choice": _("Unité inconnue : choisissez dans la "
                                                                          "liste.")})
    attrition_pct = FrenchFloatField(label=_("Taux de départs annuel (%)"), required=False,
                                     help_text=_("Vide : l'hypothèse de l'unité est retirée."),
                                     error_messages=_number_messages("8 ou 7,5"))

    def clean_attrition_pct(self):
        value = self.cleaned_data.get("attrition_pct")
        if value is not None and not 0 <= value < 100:
            raise forms.ValidationError(_("Taux de départs annuel entre 0 et 100 % exclu (5 pour 5 % par an)."))
        return value


def pct_to_rate(value: float | None) -> float | None:
    return None if value is None else round(value / 100, 6)
