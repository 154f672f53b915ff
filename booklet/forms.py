from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from skills_matrix.models import OrgSkill, SkillLevel

from .models import Endorsement, Evidence, Experience, Interview, PathwayStep


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _skill_choices():
    return forms.ModelMultipleChoiceField(queryset=OrgSkill.objects.order_by("label"), required=False,
                                          label=_("Compétences montrées"), widget=forms.CheckboxSelectMultiple)


class ExperienceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Experience.Kind.choices)
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    place = forms.CharField(label=_("Lieu"), max_length=200, required=False)
    start = forms.DateField(label=_("Début"), widget=DateInput())
    end = forms.DateField(label=_("Fin (vide si en cours)"), widget=DateInput(), required=False)
    description = forms.CharField(label=_("Ce que j'ai fait, avec mes mots"), widget=forms.Textarea(attrs={"rows": 4}),
                                  required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills"] = _skill_choices()


class ObservationForm(forms.Form):
    """The phone page: a skill, what was seen, a photo, and optionally the level observed."""

    skill = forms.ModelChoiceField(queryset=OrgSkill.objects.none(), label=_("Compétence observée"),
                                   empty_label=_("— choisir —"))
    level = forms.TypedChoiceField(label=_("Niveau observé"), required=False, coerce=int, empty_value=None,
                                   widget=forms.RadioSelect)
    situation = forms.CharField(label=_("Situation de travail"), max_length=300, required=False)
    note = forms.CharField(label=_("Ce que j'ai vu"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    photo = forms.FileField(label=_("Photo"), required=False, widget=forms.ClearableFileInput(
        attrs={"accept": "image/*", "capture": "environment"}))
    observed_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args, skills=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = skills if skills is not None else OrgSkill.objects.order_by("label")
        self.fields["level"].choices = [("", _("Sans niveau"))] + [
            (lvl.value, f"{lvl.value} – {lvl.label}") for lvl in SkillLevel.objects.all()]

    def clean(self):
        data = super().clean()
        if not data.get("photo") and not (data.get("note") or "").strip():
            raise forms.ValidationError(_("Prenez une photo ou écrivez ce que vous avez vu."))
        return data


class EvidenceForm(forms.Form):
    skill = forms.ModelChoiceField(queryset=OrgSkill.objects.order_by("label"), label=_("Compétence"))
    kind = forms.ChoiceField(label=_("Type de preuve"), choices=Evidence.Kind.choices)
    rae_step = forms.ChoiceField(label=_("Étape RAE"), choices=[("", "—")] + list(Evidence.RaeStep.choices),
                                 required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    situation = forms.CharField(label=_("Situation de travail"), max_length=300, required=False)
    observed_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    valid_until = forms.DateField(label=_("Valable jusqu'au (attestation, certification)"), widget=DateInput(),
                                  required=False)
    file = forms.FileField(label=_("Fichier (photo ou PDF)"), required=False)


class EvidenceEditForm(EvidenceForm):
    """Changing evidence changes its text: the skill, the type and the file stay as they were added."""

    intro = _("La compétence, le type de preuve et le fichier joint ne changent pas ici : pour remplacer le "
              "fichier, retirez la preuve et ajoutez-en une nouvelle.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("skill", "kind", "file"):
            del self.fields[name]


class EndorsementForm(forms.Form):
    subject = forms.ChoiceField(label=_("À confirmer"))
    name = forms.CharField(label=_("Nom de la personne"), max_length=200)
    email = forms.EmailField(label=_("Son adresse e-mail"))

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(f"skill:{s['skill_id']}", _("Compétence : %(s)s") % {"s": s["skill"]}) for s in items["skills"]]
        choices += [(f"experience:{e.pk}", _("Expérience : %(s)s") % {"s": e.title}) for e in items["experiences"]]
        self.fields["subject"].choices = choices


class InterviewForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Interview.Kind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    participants = forms.CharField(label=_("Participants"), max_length=500, required=False)
    wishes = forms.CharField(label=_("Souhaits de la personne, avec ses mots"), widget=forms.Textarea(attrs={"rows": 3}),
                             required=False)
    goals = forms.CharField(label=_("Objectifs"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    trainings = forms.CharField(label=_("Formations suivies"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    non_mandatory_training = forms.BooleanField(label=_("Une formation non obligatoire a été suivie"), required=False)
    next_due = forms.DateField(label=_("Prochain entretien (vide : rythme légal)"), widget=DateInput(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills"] = _skill_choices()
        self.fields["skills"].label = _("Compétences revues")


class PathwayForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=PathwayStep.Kind.choices)
    start = forms.DateField(label=_("Début"), widget=DateInput())
    end = forms.DateField(label=_("Fin"), widget=DateInput(), required=False)
    employer = forms.CharField(label=_("Employeur"), max_length=200, required=False)
    convention = forms.CharField(label=_("Convention d'accompagnement"), max_length=200, required=False)
    outcome = forms.ChoiceField(label=_("Issue"), choices=PathwayStep.Outcome.choices)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class OrientationForm(forms.Form):
    decision = forms.CharField(label=_("Décision de la CDAPH"), max_length=300)
    decided_on = forms.DateField(label=_("Date de décision"), widget=DateInput())
    ends_on = forms.DateField(label=_("Fin de validité"), widget=DateInput(), required=False)
    rqth = forms.BooleanField(label=_("Reconnaissance de la qualité de travailleur handicapé (RQTH)"), required=False)


class EndorseAnswerForm(forms.Form):
    decision = forms.ChoiceField(label=_("Votre réponse"), widget=forms.RadioSelect, choices=[
        (Endorsement.Status.ACCEPTED, _("Je confirme")), (Endorsement.Status.REFUSED, _("Je ne confirme pas"))])
    comment = forms.CharField(label=_("Commentaire (facultatif)"), widget=forms.Textarea(attrs={"rows": 4}),
                              required=False, max_length=4000)
