from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferentialsConfig(AppConfig):
    name = "referentials"
    label = "referentials"
    verbose_name = _("Référentiels (ROME, ESCO)")
    default_auto_field = "django.db.models.BigAutoField"
