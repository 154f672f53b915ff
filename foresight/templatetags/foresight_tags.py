"""``{{ value|fr }}``, ``{{ value|fr:0 }}``: French-formatted numbers (1 234,5); ``{{ rate|pct }}``: 0.05 → 5 %."""

from django import template

from foresight.charts import fr_number

register = template.Library()


@register.filter
def fr(value, digits=1):
    if value is None or value == "":
        return "–"
    return fr_number(float(value), int(digits))


@register.filter
def pct(value, digits=1):
    if value is None or value == "":
        return "–"
    return fr_number(float(value) * 100, int(digits)) + "\u00a0%"
