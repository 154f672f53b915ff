from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from workforce.models import Employee

from .models import HeadcountSnapshot


@transaction.atomic
def headcount_snapshot_compute() -> HeadcountSnapshot:
    """Record today's headcount and FTE of present employees, in total and per org unit."""
    present = Employee.objects.filter(is_active=True)
    totals = present.aggregate(n=Count("id"), fte=Sum("fte"))
    per_unit = {
        (row["org_unit__name"] or "—"): {"employees": row["n"], "fte": float(row["fte"] or 0)}
        for row in present.values("org_unit__name").annotate(n=Count("id"), fte=Sum("fte"))
    }
    return HeadcountSnapshot.objects.create(
        taken_at=timezone.now(), employees=totals["n"], fte_total=totals["fte"] or 0, by_org_unit=per_unit
    )
