from django.db import models
from django.utils.translation import gettext_lazy as _


class HeadcountSnapshot(models.Model):
    """Headcount and FTE at a moment, per org unit: the series GEPP diagnostics are drawn from."""

    taken_at = models.DateTimeField(_("pris le"))
    employees = models.PositiveIntegerField(_("salariés présents"))
    fte_total = models.DecimalField(_("ETP"), max_digits=12, decimal_places=3)
    by_org_unit = models.JSONField(_("par unité"), default=dict)

    class Meta:
        verbose_name = _("instantané d'effectif")
        ordering = ["-taken_at"]

    def __str__(self):
        return f"{self.taken_at:%Y-%m-%d %H:%M} : {self.employees}"
