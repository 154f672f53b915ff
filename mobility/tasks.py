"""Background work of mobility (thin: ids in, one service call)."""

from celery import shared_task


@shared_task(name="mobility.compute")
def mobility_compute_task() -> dict:
    from .services import mobility_compute

    return mobility_compute()


@shared_task(name="mobility.plan")
def mobility_plan_task(plan_id: int) -> str:
    from .models import MobilityPlan
    from .planning import mobility_plan_run

    plan = MobilityPlan.objects.filter(pk=plan_id).first()
    if plan is None:
        return "missing"
    return mobility_plan_run(plan=plan).status
