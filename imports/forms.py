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
