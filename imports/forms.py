from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ImportMapping


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier du personnel"),
        help_text=_("Export du SIRH ou tableau tenu à la main : .xlsx, .xls, .ods ou .csv."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.ods,.csv,.txt,.tsv"}),
    )
    sheet = forms.CharField(label=_("Onglet"), required=False, max_length=100,
                            help_text=_("Laissez vide pour lire le premier onglet."))
    mapping = forms.ModelChoiceField(
        label=_("Correspondance de colonnes enregistrée"), queryset=ImportMapping.objects.all(), required=False,
        empty_label=_("Reconnaître les colonnes automatiquement"),
    )
    partial = forms.BooleanField(
        label=_("Import partiel"), required=False,
        help_text=_("Importer les lignes valides et lister les autres (sinon, une seule erreur bloque tout)."),
    )
    full_export = forms.BooleanField(
        label=_("Le fichier contient tout le personnel"), required=False,
        help_text=_("Les salariés absents du fichier seront marqués partis (jamais supprimés)."),
    )
    level_scale = forms.ChoiceField(
        label=_("Échelle des niveaux de compétence"), required=False, initial="auto",
        choices=[("auto", _("Reconnaître d'après le fichier")), ("0-4", _("De 0 à 4")),
                 ("1-5", _("De 1 à 5 (ramenés à 0–4)"))],
        help_text=_("À préciser si personne n'a le niveau le plus haut : un fichier noté de 1 à 5 où "
                    "personne n'a 5 ressemble à un fichier noté de 0 à 4."),
    )
    date_order = forms.ChoiceField(
        label=_("Ordre des dates écrites en texte"), required=False, initial="auto",
        choices=[("auto", _("Reconnaître d'après le fichier")), ("DMY", _("Jour/mois/année (31/12/2024)")),
                 ("MDY", _("Mois/jour/année (12/31/2024)"))],
        help_text=_("À préciser si toutes les dates ont un jour de 12 ou moins (03/04/2024)."),
    )
