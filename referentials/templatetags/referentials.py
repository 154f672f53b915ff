"""``{% referential_notice "rome" %}``: why a page built on the shared referentials is empty, and the fix."""

from django import template

register = template.Library()


@register.inclusion_tag("referentials/missing_notice.html", takes_context=True)
def referential_notice(context, purpose: str = "occupations"):
    """Nothing when ROME is imported; otherwise a notice saying what is missing and who imports it.

    ``purpose``: ``occupations`` (fiches métier) or ``suggestions`` (rapprochements, ROME codes of jobs).
    """
    from referentials.models import Occupation

    missing = not Occupation.objects.exists()
    return {"missing": missing, "purpose": purpose, "organization": context.get("organization")}
