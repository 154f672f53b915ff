from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkillsMatrixConfig(AppConfig):
    name = "skills_matrix"
    verbose_name = _("Compétences")
