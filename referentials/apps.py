from django.apps import AppConfig


class ReferentialsConfig(AppConfig):
    name = "referentials"
    label = "referentials"
    verbose_name = "Référentiels (ROME, ESCO)"
    default_auto_field = "django.db.models.BigAutoField"
